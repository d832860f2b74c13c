"""The review session: one GeoPackage holding results, review state and an append-only decision log.

This module is the session as the plugin sees it (reads from memory, decisions, undo/redo, the
queue of operations waiting to be written); rows.py says what each operation writes, sql.py
writes it into the file, journal.py keeps what is not written yet.

Durability rules:
- every decision is one SQLite transaction, committed when it is made (WAL journal, so a
  killed QGIS loses nothing and two QGIS windows can share a session);
- if the file cannot be written (read-only, locked by another process past the busy
  timeout), the operation is kept in memory and appended to a sidecar journal
  (``<session>.journal.jsonl``), the caller gets a clear message, and every later operation
  (and `retry_pending`) tries again; operations carry a unique journal id so replaying
  them is idempotent;
- undo and redo never delete anything: they append a compensating entry to the log.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from ..definitions import CONFIRMED, EDITED, REJECTED, STATUSES
from ..translate import translate
from . import gpkg
from .journal import Journal
from .rows import (
    DECISION_ACTIONS,
    EDIT_METHOD,
    REDO,
    RESULT,
    UNDO,
    candidate_status,
    decision_changes,
    dumps,
    norm,
    now_iso,
    photo_id_of,
    rows_from_result,
)
from .sql import BUSY_TIMEOUT_S, SessionError, connect, create_session_file, write_op

__all__ = ["BUSY_TIMEOUT_S", "Session", "SessionError", "create_session_file"]


class Session:
    """An open review session. Reads come from memory (loaded on open, refreshed on demand);
    writes go to the GeoPackage at once, or to the pending queue when it cannot be written."""

    def __init__(
        self,
        path: str,
        reviewer: str = "",
        create: bool = True,
        busy_timeout_s: float = BUSY_TIMEOUT_S,
        on_message: Callable[[str], None] | None = None,
    ) -> None:
        self.path = os.path.abspath(path)
        self.reviewer = reviewer or os.environ.get("USER", "") or "analyst"
        self.busy_timeout_s = busy_timeout_s
        self.on_message = on_message
        self.instance = uuid.uuid4().hex[:12]
        self.last_error = ""
        self._pending: list[dict[str, Any]] = []
        self._in_flight: set[str] = set()  # journal ids a SessionWriter is writing right now
        self._photos: dict[str, dict[str, Any]] = {}
        self._footprints: dict[str, dict[str, Any]] = {}
        self._cameras: dict[str, dict[str, Any]] = {}
        self._looks: dict[str, dict[str, Any]] = {}
        self._candidates: dict[str, list[dict[str, Any]]] = {}
        self._log: list[dict[str, Any]] = []
        self._data_version: int | None = None
        self._reopen = False
        self._journal = Journal(self.path)
        if not os.path.exists(self.path):
            if not create:
                raise SessionError(translate("Session", "Session file not found: {0}").format(self.path))
            create_session_file(self.path)
        self._conn = self._connect()
        self._pending.extend(self._journal.load())
        self.refresh()
        if self._pending:
            self.retry_pending()

    # ------------------------------------------------------------------ connection
    def _connect(self) -> sqlite3.Connection:
        return connect(self.path, self.busy_timeout_s)

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None  # type: ignore[assignment]

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> bool:
        """Reload everything from the file (keeps the old view if the file cannot be read)."""
        try:
            photos = {r["photo_id"]: dict(r) for r in self._conn.execute("SELECT * FROM photos ORDER BY fid")}
            fps = {r["photo_id"]: self._geom_row(r) for r in self._conn.execute("SELECT * FROM footprints")}
            cams = {r["photo_id"]: self._geom_row(r) for r in self._conn.execute("SELECT * FROM cameras")}
            looks = {
                r["photo_id"]: self._geom_row(r) for r in self._conn.execute("SELECT * FROM camera_looks")
            }
            cands: dict[str, list[dict[str, Any]]] = {}
            for r in self._conn.execute("SELECT * FROM candidates ORDER BY photo_id, rank"):
                cands.setdefault(r["photo_id"], []).append(self._geom_row(r))
            log = [self._log_row(r) for r in self._conn.execute("SELECT * FROM decisions ORDER BY fid")]
            self._data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error as exc:
            self._report(translate("Session", "Could not read the session {0}: {1}").format(self.path, exc))
            return False
        self._photos, self._footprints, self._cameras, self._looks = photos, fps, cams, looks
        self._candidates, self._log = cands, log
        done = {e["journal_id"] for e in log}
        for op in self._pending:  # not yet in the file: show them on top of what is
            if op["journal_id"] not in done:
                self._apply_memory(op)
        return True

    def refresh_if_changed(self) -> bool:
        """Reload when another connection (another QGIS window) committed since the last load."""
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return False
        if version != self._data_version:
            return self.refresh()
        return False

    @staticmethod
    def _geom_row(r: sqlite3.Row) -> dict[str, Any]:
        d = dict(r)
        d["_blob"] = d.pop("geom", None)  # decoded on first use (see _ready): reloads stay fast
        return d

    @staticmethod
    def _ready(row: dict[str, Any] | None) -> dict[str, Any] | None:
        """Decode a row's geometry (and original geometry) in place, once."""
        if row is not None and "_blob" in row:
            row["geometry"] = gpkg.decode(row.pop("_blob"))
            if row.get("original_geojson"):
                row["original_geometry"] = json.loads(row["original_geojson"])
        return row

    @staticmethod
    def _log_row(r: sqlite3.Row) -> dict[str, Any]:
        d = dict(r)
        d["before"] = json.loads(d.pop("before_json") or "null")
        d["after"] = json.loads(d.pop("after_json") or "null")
        d["written"] = True
        return d

    # ------------------------------------------------------------------ reads
    def photo_ids(self) -> list[str]:
        return list(self._photos)

    def photos(self) -> list[dict[str, Any]]:
        return [dict(p) for p in self._photos.values()]

    def photo(self, photo_id: str) -> dict[str, Any]:
        return dict(self._photos[photo_id])

    def footprint(self, photo_id: str) -> dict[str, Any] | None:
        fp = self._ready(self._footprints.get(photo_id))
        return dict(fp) if fp else None

    def camera(self, photo_id: str) -> dict[str, Any] | None:
        cam = self._ready(self._cameras.get(photo_id))
        return dict(cam) if cam else None

    def candidates(self, photo_id: str) -> list[dict[str, Any]]:
        out = []
        for c in self._candidates.get(photo_id, []):
            out.append(dict(self._ready(c)))
        return out

    def counts(self) -> dict[str, int]:
        c = dict.fromkeys(STATUSES, 0)
        for p in self._photos.values():
            c[p["status"]] = c.get(p["status"], 0) + 1
        c["total"] = len(self._photos)
        return c

    def decisions(self) -> list[dict[str, Any]]:
        """The whole log, oldest first, including entries not yet written to the file."""
        done = {e["journal_id"] for e in self._log}
        return [dict(e) for e in self._log] + [
            {**op, "written": False} for op in self._pending if op["journal_id"] not in done
        ]

    @property
    def pending_count(self) -> int:
        """Operations waiting for a retry (results being written in the background are not)."""
        return sum(op["journal_id"] not in self._in_flight for op in self._pending)

    @property
    def data_version(self) -> int | None:
        """SQLite's data_version when the file was last read or written here: it changes when
        another connection (another QGIS window) commits."""
        return self._data_version

    @property
    def journal_path(self) -> str:
        return self._journal.path

    # ------------------------------------------------------------------ results
    def add_result(self, fc: dict[str, Any], index_path: str | None = None) -> str:
        """Write one localization result (the engine's FeatureCollection); returns the photo id.

        A new result for a photo already in the session replaces its candidates, footprint and
        camera and puts it back to pending (the log records this as a `result` entry)."""
        op = self._result_op(fc, index_path)
        self._submit(op)
        return op["photo_id"]

    def add_result_journaled(self, fc: dict[str, Any], index_path: str | None = None) -> dict[str, Any]:
        """Record a result in memory and in the fsynced sidecar journal (a few ms) and return the
        operation; the caller writes it to the file off the GUI thread (`SessionWriter`) and
        reports back with `result_written`. Until then a killed QGIS replays it from the journal."""
        op = self._result_op(fc, index_path)
        self._record(op)
        self._in_flight.add(op["journal_id"])
        self._journal_append(op)
        return op

    def result_written(self, op: dict[str, Any], error: Exception | None) -> None:
        """The background write of `op` finished (GUI thread)."""
        self._in_flight.discard(op["journal_id"])
        if error is not None:
            self._reopen = "readonly" in str(error).lower()
            self._report(self._write_failure_message(error))  # stays pending: retried like a decision
            return
        for i, waiting in enumerate(self._pending):
            if waiting["journal_id"] == op["journal_id"]:
                del self._pending[i]
                self._mark_written(op)
                break
        if not self._pending:
            self._journal.clear()

    def _result_op(self, fc: dict[str, Any], index_path: str | None) -> dict[str, Any]:
        photo_id = photo_id_of(fc)
        return {
            "journal_id": uuid.uuid4().hex,
            "decided_at": now_iso(),
            "photo_id": photo_id,
            "action": RESULT,
            "reviewer": self.reviewer,
            "reverts": None,
            "before": self._state(photo_id) if photo_id in self._photos else None,
            "after": None,
            "instance": self.instance,
            "rows": rows_from_result(fc, self.reviewer, index_path),
        }

    # ------------------------------------------------------------------ decisions
    def confirm(self, photo_id: str) -> dict[str, Any]:
        return self._decide(photo_id, "confirm", status=CONFIRMED)

    def reject(self, photo_id: str) -> dict[str, Any]:
        return self._decide(photo_id, "reject", status=REJECTED)

    def edit(self, photo_id: str, geometry: dict[str, Any]) -> dict[str, Any]:
        """Save an edited footprint polygon (status `edited`; the original stays in the file)."""
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError("an edited footprint must be a Polygon")
        return self._decide(photo_id, "edit", status=EDITED, geometry=norm(geometry), method=EDIT_METHOD)

    def choose(self, photo_id: str, rank: int) -> dict[str, Any]:
        """Take candidate `rank` as the answer: its polygon becomes the confirmed footprint."""
        cand = next((c for c in self.candidates(photo_id) if c["rank"] == rank), None)
        if cand is None or not cand.get("geometry"):
            raise KeyError(translate("Session", "Photo has no candidate {0}").format(rank))
        return self._decide(
            photo_id,
            "choose",
            status=CONFIRMED,
            geometry=cand["geometry"],
            method=f"candidate {rank}",
            chosen_rank=rank,
        )

    def _decide(self, photo_id: str, action: str, **changes: Any) -> dict[str, Any]:
        self.refresh_if_changed()  # another window may have decided on this photo meanwhile
        if photo_id not in self._photos:
            raise KeyError(photo_id)
        before = self._state(photo_id)
        after = {**before, **changes}
        if action in ("confirm", "reject"):
            after["chosen_rank"] = before["chosen_rank"]
        op = self._new_entry(photo_id, action, before, after)
        self._submit(op)
        return op

    def _new_entry(
        self, photo_id: str, action: str, before: dict, after: dict, reverts: str | None = None
    ) -> dict[str, Any]:
        return {
            "journal_id": uuid.uuid4().hex,
            "decided_at": now_iso(),
            "photo_id": photo_id,
            "action": action,
            "reviewer": self.reviewer,
            "reverts": reverts,
            "before": before,
            "after": after,
            "instance": self.instance,
        }

    def _state(self, photo_id: str) -> dict[str, Any]:
        p = self._photos[photo_id]
        fp = self._ready(self._footprints.get(photo_id))
        return {
            "status": p["status"],
            "chosen_rank": p.get("chosen_rank"),
            "geometry": fp["geometry"] if fp else None,
            "method": fp["method"] if fp else None,
        }

    # ------------------------------------------------------------------ undo / redo
    def _stacks(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Undo and redo stacks of this reviewer, replayed from the log."""
        undo: list[dict[str, Any]] = []
        redo: list[dict[str, Any]] = []
        by_id: dict[str, dict[str, Any]] = {}
        for e in self.decisions():
            by_id[e["journal_id"]] = e
            if e["action"] == RESULT:  # a new result makes older decisions on that photo moot
                undo = [x for x in undo if x["photo_id"] != e["photo_id"]]
                redo = [x for x in redo if x["photo_id"] != e["photo_id"]]
                continue
            if e["reviewer"] != self.reviewer:
                continue
            if e["action"] in DECISION_ACTIONS:
                undo.append(e)
                redo.clear()
            elif e["action"] == UNDO and undo and undo[-1]["journal_id"] == e["reverts"]:
                redo.append(undo.pop())
            elif e["action"] == REDO and redo and redo[-1]["journal_id"] == e["reverts"]:
                undo.append(redo.pop())
        return undo, redo

    def _unchanged_since(self, target: dict[str, Any], expected: dict[str, Any]) -> bool:
        """Undo/redo only when nobody (another window, a new result) changed the photo since."""
        if target["photo_id"] not in self._photos or dumps(self._state(target["photo_id"])) != dumps(
            expected
        ):
            self._report(
                translate(
                    "Session",
                    "Cannot undo or redo: the photo was changed since (by another reviewer or a new result)",
                )
            )
            return False
        return True

    def can_undo(self) -> bool:
        return bool(self._stacks()[0])

    def can_redo(self) -> bool:
        return bool(self._stacks()[1])

    def undo(self) -> dict[str, Any] | None:
        """Revert this reviewer's last decision; returns the compensating log entry (or None)."""
        self.refresh_if_changed()
        undo, _ = self._stacks()
        if not undo:
            return None
        target = undo[-1]
        if not self._unchanged_since(target, target["after"]):
            return None
        op = self._new_entry(
            target["photo_id"],
            UNDO,
            self._state(target["photo_id"]),
            target["before"],
            reverts=target["journal_id"],
        )
        self._submit(op)
        return op

    def redo(self) -> dict[str, Any] | None:
        self.refresh_if_changed()
        _, redo = self._stacks()
        if not redo:
            return None
        target = redo[-1]
        if not self._unchanged_since(target, target["before"]):
            return None
        op = self._new_entry(
            target["photo_id"],
            REDO,
            self._state(target["photo_id"]),
            target["after"],
            reverts=target["journal_id"],
        )
        self._submit(op)
        return op

    # ------------------------------------------------------------------ writing
    def _record(self, op: dict[str, Any]) -> None:
        """Every operation starts here: shown in memory at once, queued until it is in the file."""
        self._apply_memory(op)
        self._pending.append(op)

    def _submit(self, op: dict[str, Any]) -> None:
        """Record `op` and write it now (through sql.write_op, as the writer thread does)."""
        self._record(op)
        if len(self._pending) > 1:
            self._journal_append(op)  # earlier ones are already waiting: keep order, do not skip ahead
            self.retry_pending()
            return
        if not self._flush():
            self._journal_append(op)

    def retry_pending(self) -> bool:
        """Try to write every queued operation; True when nothing is left waiting."""
        if not self._pending:
            return True
        ok = self._flush()
        if ok:
            self._journal.clear()
            self._report(
                translate("Session", "Session {0}: all pending decisions were written").format(
                    os.path.basename(self.path)
                ),
                error=False,
            )
        return ok

    def _flush(self) -> bool:
        if self._reopen:
            # SQLite keeps a file opened read-only as such: reconnect to see new permissions.
            self._conn.close()
            self._fix_sidecar_modes()
            try:
                self._conn = self._connect()
            except SessionError as exc:
                self._conn = sqlite3.connect(":memory:")  # placeholder until the file opens again
                self._report(str(exc))
                return False
            self._reopen = False
        while self._pending:
            op = self._pending[0]
            try:
                self._write(op)
            except sqlite3.Error as exc:
                self._reopen = "readonly" in str(exc).lower()
                self._report(self._write_failure_message(exc))
                return False
            self._pending.pop(0)
            self._mark_written(op)
        self.last_error = ""
        return True

    def _mark_written(self, op: dict[str, Any]) -> None:
        self._log.append({k: v for k, v in op.items() if k != "rows"} | {"written": True})

    def _fix_sidecar_modes(self) -> None:
        """SQLite creates -wal/-shm with the mode the database had; once the database is
        writable again, give them the same mode (else every write still fails)."""
        if not os.access(self.path, os.W_OK):
            return
        mode = os.stat(self.path).st_mode & 0o666
        for side in (self.path + "-wal", self.path + "-shm"):
            if os.path.exists(side) and not os.access(side, os.W_OK):
                try:
                    os.chmod(side, mode)
                except OSError:
                    pass

    def _write_failure_message(self, exc: sqlite3.Error) -> str:
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text or not os.access(self.path, os.W_OK):
            why = translate("Session", "the file is read-only")
        elif "locked" in text or "busy" in text:
            why = translate("Session", "the file is locked by another program")
        else:
            why = str(exc)
        return translate(
            "Session",
            "Cannot write to the review session {0} ({1}). {2} decision(s) are kept "
            "and will be written as soon as possible; nothing is lost.",
        ).format(os.path.basename(self.path), why, len(self._pending))

    def _write(self, op: dict[str, Any]) -> None:
        photo = self._photos.get(op["photo_id"]) or {}
        write_op(self._conn, op, photo.get("confidence"))
        self._data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _apply_memory(self, op: dict[str, Any]) -> None:
        pid = op["photo_id"]
        if op["action"] == RESULT:
            rows = op["rows"]
            self._photos[pid] = dict(rows["photo"])
            self._candidates[pid] = [dict(c) for c in rows["candidates"]]
            for store, key in (
                (self._footprints, "footprint"),
                (self._cameras, "camera"),
                (self._looks, "look"),
            ):
                if rows.get(key):
                    store[pid] = dict(rows[key])
                    if key == "footprint":
                        store[pid]["original_geometry"] = rows[key]["geometry"]
                else:
                    store.pop(pid, None)
            return
        # a decision: the same changes sql.write_decision makes in the file
        photo, footprint = decision_changes(op["after"], op["reviewer"], op["decided_at"])
        p = self._photos[pid]
        p.update(photo)
        if footprint is None:
            self._footprints.pop(pid, None)
        else:
            self._ready(self._footprints.get(pid))
            fp = self._footprints.setdefault(
                pid,
                {
                    "photo_id": pid,
                    "original_geometry": footprint["geometry"],
                    "original_method": footprint["method"],
                    "confidence": p.get("confidence"),
                    "created_at": footprint["decided_at"],
                    "candidate_rank": photo["chosen_rank"],
                },
            )
            fp.update(footprint)
        decided = {k: photo[k] for k in ("status", "reviewer", "decided_at")}
        for store in (self._cameras, self._looks):
            if pid in store:
                store[pid].update(decided)
        for cand in self._candidates.get(pid, []):
            cand["status"] = candidate_status(cand["rank"], photo["chosen_rank"])

    # ------------------------------------------------------------------ sidecar journal
    def _journal_append(self, op: dict[str, Any]) -> None:
        if not self._journal.append(op):
            self._report(
                translate(
                    "Session",
                    "Could not write the decision journal either: the decision is kept in memory only",
                )
            )

    def _report(self, message: str, error: bool = True) -> None:
        if error:
            self.last_error = message
        if self.on_message:
            self.on_message(message)
