"""The review session: one GeoPackage holding results, review state and an append-only decision log.

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

import hashlib
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable
from typing import Any

from ..definitions import STATUSES
from ..translate import translate
from . import gpkg

DECISION_ACTIONS = ("confirm", "reject", "edit", "choose")
UNDO, REDO, RESULT = "undo", "redo", "result"
BUSY_TIMEOUT_S = 2.0
EDIT_METHOD = "manual edit"


class SessionError(Exception):
    """The session cannot be opened or created (message is meant for the user)."""


def now_iso() -> str:
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), sort_keys=True)


def fallback_journal_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "astroloc_qgis", "journals")


class Session:
    """An open review session. Reads come from memory (loaded on open, refreshed on demand);
    writes go to the GeoPackage at once, or to the pending queue when it cannot be written."""

    def __init__(self, path: str, reviewer: str = "", create: bool = True,
                 busy_timeout_s: float = BUSY_TIMEOUT_S,
                 on_message: Callable[[str], None] | None = None) -> None:
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
        if not os.path.exists(self.path):
            if not create:
                raise SessionError(translate("Session", "Session file not found: {0}").format(self.path))
            self._create()
        self._conn = self._connect()
        self._load_journal()
        self.refresh()
        if self._pending:
            self.retry_pending()

    # ------------------------------------------------------------------ connection
    def _create(self) -> None:
        create_session_file(self.path)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                pass  # read-only or locked: stay in the current mode, reads still work
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.Error as exc:
            raise SessionError(translate("Session", "Cannot open the session {0}: {1}").format(self.path, exc)) from exc
        missing = set(gpkg.SCHEMA) - tables
        if missing:
            conn.close()
            raise SessionError(translate("Session", "{0} is not an AstroLoc review session (missing tables: {1})")
                               .format(self.path, ", ".join(sorted(missing))))
        return conn

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
            looks = {r["photo_id"]: self._geom_row(r) for r in self._conn.execute("SELECT * FROM camera_looks")}
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

    def look(self, photo_id: str) -> dict[str, Any] | None:
        lk = self._ready(self._looks.get(photo_id))
        return dict(lk) if lk else None

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
            {**op, "written": False} for op in self._pending if op["journal_id"] not in done]

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
        return self.path + ".journal.jsonl"

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
        self._apply_memory(op)
        self._pending.append(op)
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
                self._log.append({k: v for k, v in op.items() if k != "rows"} | {"written": True})
                break
        if not self._pending:
            self._journal_clear()

    def _result_op(self, fc: dict[str, Any], index_path: str | None) -> dict[str, Any]:
        photo_id = photo_id_of(fc)
        return {"journal_id": uuid.uuid4().hex, "decided_at": now_iso(), "photo_id": photo_id,
                "action": RESULT, "reviewer": self.reviewer, "reverts": None,
                "before": self._state(photo_id) if photo_id in self._photos else None,
                "after": None, "instance": self.instance,
                "rows": rows_from_result(fc, self.reviewer, index_path)}

    # ------------------------------------------------------------------ decisions
    def confirm(self, photo_id: str) -> dict[str, Any]:
        return self._decide(photo_id, "confirm", status="confirmed")

    def reject(self, photo_id: str) -> dict[str, Any]:
        return self._decide(photo_id, "reject", status="rejected")

    def edit(self, photo_id: str, geometry: dict[str, Any]) -> dict[str, Any]:
        """Save an edited footprint polygon (status `edited`; the original stays in the file)."""
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError("an edited footprint must be a Polygon")
        return self._decide(photo_id, "edit", status="edited", geometry=_norm(geometry), method=EDIT_METHOD)

    def choose(self, photo_id: str, rank: int) -> dict[str, Any]:
        """Take candidate `rank` as the answer: its polygon becomes the confirmed footprint."""
        cand = next((c for c in self.candidates(photo_id) if c["rank"] == rank), None)
        if cand is None or not cand.get("geometry"):
            raise KeyError(translate("Session", "Photo has no candidate {0}").format(rank))
        return self._decide(photo_id, "choose", status="confirmed", geometry=cand["geometry"],
                            method=f"candidate {rank}", chosen_rank=rank)

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

    def _new_entry(self, photo_id: str, action: str, before: dict, after: dict,
                   reverts: str | None = None) -> dict[str, Any]:
        return {"journal_id": uuid.uuid4().hex, "decided_at": now_iso(), "photo_id": photo_id,
                "action": action, "reviewer": self.reviewer, "reverts": reverts,
                "before": before, "after": after, "instance": self.instance}

    def _state(self, photo_id: str) -> dict[str, Any]:
        p = self._photos[photo_id]
        fp = self._ready(self._footprints.get(photo_id))
        return {"status": p["status"], "chosen_rank": p.get("chosen_rank"),
                "geometry": fp["geometry"] if fp else None, "method": fp["method"] if fp else None}

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
        if target["photo_id"] not in self._photos or _dumps(self._state(target["photo_id"])) != _dumps(expected):
            self._report(translate("Session", "Cannot undo or redo: the photo was changed since (by another "
                                       "reviewer or a new result)"))
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
        op = self._new_entry(target["photo_id"], UNDO, self._state(target["photo_id"]), target["before"],
                             reverts=target["journal_id"])
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
        op = self._new_entry(target["photo_id"], REDO, self._state(target["photo_id"]), target["after"],
                             reverts=target["journal_id"])
        self._submit(op)
        return op

    # ------------------------------------------------------------------ writing
    def _submit(self, op: dict[str, Any]) -> None:
        self._apply_memory(op)
        self._pending.append(op)
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
            self._journal_clear()
            self._report(translate("Session", "Session {0}: all pending decisions were written").format(
                os.path.basename(self.path)), error=False)
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
            self._log.append({k: v for k, v in op.items() if k != "rows"} | {"written": True})
        self.last_error = ""
        return True

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
        return translate("Session", "Cannot write to the review session {0} ({1}). {2} decision(s) are kept "
                             "and will be written as soon as possible; nothing is lost.").format(
            os.path.basename(self.path), why, len(self._pending))

    def _write(self, op: dict[str, Any]) -> None:
        if op["action"] == RESULT:
            write_logged(self._conn, op, lambda: write_result_rows(self._conn, op["photo_id"], op["rows"]))
        else:
            write_logged(self._conn, op, lambda: self._write_state(
                op["photo_id"], op["after"], op["reviewer"], op["decided_at"]))
        self._data_version = self._conn.execute("PRAGMA data_version").fetchone()[0]

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        insert_row(self._conn, table, row)

    def _write_state(self, photo_id: str, state: dict[str, Any], reviewer: str, at: str) -> None:
        c = self._conn
        status = state["status"]
        c.execute("UPDATE photos SET status=?, chosen_rank=?, reviewer=?, decided_at=? WHERE photo_id=?",
                  (status, state.get("chosen_rank"), reviewer, at, photo_id))
        geom = state.get("geometry")
        row = c.execute("SELECT original_geojson FROM footprints WHERE photo_id=?", (photo_id,)).fetchone()
        if geom is None:
            c.execute("DELETE FROM footprints WHERE photo_id=?", (photo_id,))
        elif row is None:
            self._insert("footprints", {
                "photo_id": photo_id, "geometry": geom, "method": state.get("method"),
                "candidate_rank": state.get("chosen_rank"), "area_km2": gpkg.area_km2(geom),
                "edited": int(state.get("method") == EDIT_METHOD), "original_geojson": _dumps(geom),
                "original_method": state.get("method"), "status": status, "reviewer": reviewer,
                "created_at": at, "decided_at": at, "confidence": self._photos[photo_id].get("confidence")})
        else:
            edited = int(state.get("method") == EDIT_METHOD)
            c.execute("UPDATE footprints SET geom=?, method=?, area_km2=?, edited=?, status=?, reviewer=?, "
                      "decided_at=? WHERE photo_id=?",
                      (gpkg.encode(geom), state.get("method"), gpkg.area_km2(geom), edited, status,
                       reviewer, at, photo_id))
        for table in ("cameras", "camera_looks"):
            c.execute(f"UPDATE {table} SET status=?, reviewer=?, decided_at=? WHERE photo_id=?",
                      (status, reviewer, at, photo_id))
        chosen = state.get("chosen_rank")
        c.execute("UPDATE candidates SET status=CASE WHEN rank=? THEN 'confirmed' ELSE 'pending' END, "
                  "reviewer=CASE WHEN rank=? THEN ? ELSE reviewer END, "
                  "decided_at=CASE WHEN rank=? THEN ? ELSE decided_at END WHERE photo_id=?",
                  (chosen, chosen, reviewer, chosen, at, photo_id))

    def _apply_memory(self, op: dict[str, Any]) -> None:
        pid = op["photo_id"]
        if op["action"] == RESULT:
            rows = op["rows"]
            self._photos[pid] = dict(rows["photo"])
            self._candidates[pid] = [dict(c) for c in rows["candidates"]]
            for store, key in ((self._footprints, "footprint"), (self._cameras, "camera"), (self._looks, "look")):
                if rows.get(key):
                    store[pid] = dict(rows[key])
                    if key == "footprint":
                        store[pid]["original_geometry"] = rows[key]["geometry"]
                else:
                    store.pop(pid, None)
            return
        state, who, at = op["after"], op["reviewer"], op["decided_at"]
        p = self._photos[pid]
        p.update(status=state["status"], chosen_rank=state.get("chosen_rank"), reviewer=who, decided_at=at)
        geom = state.get("geometry")
        if geom is None:
            self._footprints.pop(pid, None)
        else:
            self._ready(self._footprints.get(pid))
            fp = self._footprints.setdefault(pid, {"photo_id": pid, "original_geometry": geom,
                                                   "original_method": state.get("method"),
                                                   "confidence": p.get("confidence"), "created_at": at})
            fp.update(geometry=geom, method=state.get("method"), area_km2=gpkg.area_km2(geom),
                      edited=int(state.get("method") == EDIT_METHOD),
                      status=state["status"], reviewer=who, decided_at=at, candidate_rank=state.get("chosen_rank"))
        for store in (self._cameras, self._looks):
            if pid in store:
                store[pid].update(status=state["status"], reviewer=who, decided_at=at)
        for cand in self._candidates.get(pid, []):
            cand["status"] = "confirmed" if cand["rank"] == state.get("chosen_rank") else "pending"

    # ------------------------------------------------------------------ sidecar journal
    def _journal_files(self) -> list[str]:
        digest = hashlib.sha1(self.path.encode()).hexdigest()[:16]
        return [self.journal_path, os.path.join(fallback_journal_dir(), f"{digest}.jsonl")]

    def _journal_append(self, op: dict[str, Any]) -> None:
        line = _dumps(op) + "\n"
        for path in self._journal_files():
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(line)
                    fh.flush()
                    os.fsync(fh.fileno())
                return
            except OSError:
                continue
        self._report(translate("Session", "Could not write the decision journal either: the decision is kept in memory only"))

    def _load_journal(self) -> None:
        seen: set[str] = set()
        for path in self._journal_files():
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        op = json.loads(line)
                    except ValueError:
                        continue  # a torn last line from a crash: the op before it is complete
                    if op.get("journal_id") and op["journal_id"] not in seen:
                        seen.add(op["journal_id"])
                        self._pending.append(op)

    def _journal_clear(self) -> None:
        for path in self._journal_files():
            try:
                if os.path.exists(path):
                    os.remove(path)
            except OSError:
                pass

    def _report(self, message: str, error: bool = True) -> None:
        if error:
            self.last_error = message
        if self.on_message:
            self.on_message(message)


# ---------------------------------------------------------------------- writing (any thread)
def write_logged(conn: sqlite3.Connection, op: dict[str, Any], body: Callable[[], None]) -> None:
    """One transaction: `body` plus the op's log entry, skipped when the log already has it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not conn.execute("SELECT 1 FROM decisions WHERE journal_id=?", (op["journal_id"],)).fetchone():
            body()
            conn.execute(
                "INSERT INTO decisions(journal_id, decided_at, photo_id, action, reviewer, reverts, "
                "before_json, after_json, instance) VALUES (?,?,?,?,?,?,?,?,?)",
                (op["journal_id"], op["decided_at"], op["photo_id"], op["action"], op["reviewer"],
                 op["reverts"], _dumps(op["before"]), _dumps(op["after"]), op["instance"]))
        conn.execute("COMMIT")
    except BaseException:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        raise


def insert_row(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    cols = [f for f in gpkg.FIELDS[table] if f in row]
    vals = [row[f] for f in cols]
    if table in gpkg.GEOMETRY_TABLES:
        cols.append("geom")
        vals.append(gpkg.encode(row.get("geometry")))
    conn.execute(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals)


def write_result_rows(conn: sqlite3.Connection, photo_id: str, rows: dict[str, Any]) -> None:
    for table in ("photos", "candidates", "footprints", "cameras", "camera_looks"):
        conn.execute(f"DELETE FROM {table} WHERE photo_id=?", (photo_id,))
    insert_row(conn, "photos", rows["photo"])
    for cand in rows["candidates"]:
        insert_row(conn, "candidates", cand)
    for table, key in (("footprints", "footprint"), ("cameras", "camera"), ("camera_looks", "look")):
        if rows.get(key):
            insert_row(conn, table, rows[key])


def create_session_file(path: str) -> None:
    """A new empty session GeoPackage at `path` (atomically: built beside it, then renamed)."""
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise SessionError(translate("Session", "Cannot create the session: folder {0} does not exist").format(folder))
    if not os.access(folder, os.W_OK):
        raise SessionError(translate("Session", "Cannot create the session: folder {0} is not writable").format(folder))
    tmp = path + ".creating.gpkg"
    try:
        gpkg.create(tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN")
        for sql in gpkg.post_create_sql():
            conn.execute(sql)
        conn.execute("INSERT INTO session_info(key, value) VALUES ('created_at', ?)", (now_iso(),))
        conn.execute("COMMIT")
        conn.close()
        os.replace(tmp, path)  # a half-created session never appears under the real name
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        for p in (tmp, tmp + "-wal", tmp + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        raise SessionError(translate("Session", "Cannot create the session {0}: {1}").format(path, exc)) from exc


# ---------------------------------------------------------------------- result parsing
def photo_id_of(fc: dict[str, Any]) -> str:
    photo = fc.get("photo") or {}
    if photo.get("sha256"):
        return str(photo["sha256"])
    key = str(photo.get("path") or photo.get("name") or _dumps(fc)[:2000])
    return "path-" + hashlib.sha256(key.encode()).hexdigest()


def _num(v: Any) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def _int(v: Any) -> int | None:
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def _norm(geom: dict[str, Any] | None) -> dict[str, Any] | None:
    """The geometry exactly as it reads back from the file (so states compare equal after reopening)."""
    return gpkg.decode(gpkg.encode(geom))


def _iso_time(value: Any) -> str | None:
    """EXIF writes `YYYY:MM:DD HH:MM:SS`; the session and the export use ISO 8601."""
    if not value:
        return None
    text = str(value).strip()
    if len(text) >= 19 and text[4] == ":" and text[7] == ":":
        text = text[:10].replace(":", "-") + "T" + text[11:]
    return text


def _model_id(model: Any) -> str | None:
    if isinstance(model, dict):
        return str(model.get("id") or model.get("name") or _dumps(model))
    return None if model is None else str(model)


def rows_from_result(fc: dict[str, Any], reviewer: str, index_path: str | None = None) -> dict[str, Any]:
    """Turn the engine's FeatureCollection into session rows (see docs/ARCHITECTURE.md)."""
    pid = photo_id_of(fc)
    photo = fc.get("photo") or {}
    exif = photo.get("exif") or {}
    index = fc.get("index") or {}
    at = now_iso()
    base = {"photo_id": pid, "status": "pending", "reviewer": None, "created_at": at, "decided_at": None}
    feats = fc.get("features") or []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for f in feats:
        by_kind.setdefault((f.get("properties") or {}).get("kind", ""), []).append(f)
    candidates = []
    for f in sorted(by_kind.get("candidate", []), key=lambda f: f["properties"].get("rank") or 0):
        p = f["properties"]
        candidates.append({**base, "geometry": _norm(f.get("geometry")), "rank": _int(p.get("rank")),
                           "score": _num(p.get("score")), "confidence": _num(p.get("confidence")),
                           "verified_inliers": _int(p.get("verified_inliers")),
                           "tile_id": None if p.get("tile_id") is None else str(p.get("tile_id")),
                           "source": p.get("source"), "scale": None if p.get("scale") is None else str(p["scale"]),
                           "rotation": _num(p.get("rotation"))})
    footprint = camera = look = None
    if by_kind.get("footprint"):
        f = by_kind["footprint"][0]
        p = f["properties"]
        fp_geom = _norm(f.get("geometry"))
        footprint = {**base, "geometry": fp_geom, "confidence": _num(p.get("confidence")),
                     "method": p.get("method"), "inliers": _int(p.get("inliers")),
                     "reprojection_px": _num(p.get("reprojection_px")),
                     "candidate_rank": _int(p.get("candidate_rank")),
                     "area_km2": _num(p.get("area_km2")) or gpkg.area_km2(fp_geom),
                     "edited": 0, "original_geojson": _dumps(fp_geom), "original_method": p.get("method"),
                     "corners_json": _dumps(p["corners"]) if p.get("corners") else None}
    if by_kind.get("camera"):
        f = by_kind["camera"][0]
        p = f["properties"]
        camera = {**base, "geometry": _norm(f.get("geometry")), "pose_json": _dumps(p),
                  "confidence": _num(p.get("confidence")) or (footprint or {}).get("confidence"),
                  "focal_source": p.get("focal_source"),
                  **{k: _num(p.get(k)) for k in ("lat", "lon", "altitude_m", "tilt_deg", "azimuth_deg",
                                                  "roll_deg", "hfov_deg", "vfov_deg", "focal_px")}}
    if by_kind.get("look"):
        f = by_kind["look"][0]
        look = {**base, "geometry": _norm(f.get("geometry")), "confidence": (footprint or {}).get("confidence")}
    if fc.get("status") == "not_found":
        confidence = 0.0  # the engine found no verified match: review these first
    elif footprint:
        confidence = footprint["confidence"]
    elif candidates:
        confidence = candidates[0]["confidence"] if candidates[0]["confidence"] is not None else candidates[0]["score"]
    else:
        confidence = 0.0
    photo_row = {**base, "path": photo.get("path"), "name": photo.get("name") or os.path.basename(str(photo.get("path", ""))),
                 "sha256": photo.get("sha256"), "width": _int(photo.get("width")), "height": _int(photo.get("height")),
                 "captured_at": _iso_time(exif.get("datetime") or photo.get("datetime")),
                 "result_status": fc.get("status", "ok"), "confidence": _num(confidence), "chosen_rank": None,
                 "index_path": index.get("path") or index_path, "model_id": _model_id(index.get("model")),
                 "photo_json": _dumps(photo)}
    return {"photo": photo_row, "candidates": candidates, "footprint": footprint, "camera": camera, "look": look}
