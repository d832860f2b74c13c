"""The session file's SQLite side: opening and creating it, and the one way an operation is
written (a result's rows, or a decision's new state, with its log entry, in one transaction).

Any thread: the GUI thread's connection (store.py) and the writer thread's (writer.py) both
write through `write_op`.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from ..definitions import CONFIRMED, PENDING
from ..translate import translate
from . import gpkg
from .rows import RESULT, decision_changes, dumps, new_footprint_row, now_iso

BUSY_TIMEOUT_S = 2.0


class SessionError(Exception):
    """The session cannot be opened or created (message is meant for the user)."""


def connect(path: str, busy_timeout_s: float) -> sqlite3.Connection:
    """A connection to an existing session (WAL journaling where the file can be written)."""
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # read-only or locked: stay in the current mode, reads still work
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.Error as exc:
        raise SessionError(
            translate("Session", "Cannot open the session {0}: {1}").format(path, exc)
        ) from exc
    missing = set(gpkg.SCHEMA) - tables
    if missing:
        conn.close()
        raise SessionError(
            translate("Session", "{0} is not an AstroLoc review session (missing tables: {1})").format(
                path, ", ".join(sorted(missing))
            )
        )
    return conn


def create_session_file(path: str) -> None:
    """A new empty session GeoPackage at `path` (atomically: built beside it, then renamed)."""
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise SessionError(
            translate("Session", "Cannot create the session: folder {0} does not exist").format(folder)
        )
    if not os.access(folder, os.W_OK):
        raise SessionError(
            translate("Session", "Cannot create the session: folder {0} is not writable").format(folder)
        )
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
        raise SessionError(
            translate("Session", "Cannot create the session {0}: {1}").format(path, exc)
        ) from exc


def write_op(conn: sqlite3.Connection, op: dict[str, Any], confidence: float | None = None) -> None:
    """One transaction: the op's rows (a result) or new state (a decision; `confidence` is the
    photo's, for a footprint the decision creates) plus its log entry; nothing when the log
    already has it (a replayed journal)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if not conn.execute("SELECT 1 FROM decisions WHERE journal_id=?", (op["journal_id"],)).fetchone():
            if op["action"] == RESULT:
                write_result_rows(conn, op["photo_id"], op["rows"])
            else:
                write_decision(
                    conn, op["photo_id"], op["after"], op["reviewer"], op["decided_at"], confidence
                )
            conn.execute(
                "INSERT INTO decisions(journal_id, decided_at, photo_id, action, reviewer, reverts, "
                "before_json, after_json, instance) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    op["journal_id"],
                    op["decided_at"],
                    op["photo_id"],
                    op["action"],
                    op["reviewer"],
                    op["reverts"],
                    dumps(op["before"]),
                    dumps(op["after"]),
                    op["instance"],
                ),
            )
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


def write_decision(
    conn: sqlite3.Connection,
    photo_id: str,
    state: dict[str, Any],
    reviewer: str,
    at: str,
    confidence: float | None,
) -> None:
    """The file's side of `rows.decision_changes` (store.py applies the same to its memory)."""
    photo, footprint = decision_changes(state, reviewer, at)
    conn.execute(
        "UPDATE photos SET status=?, chosen_rank=?, reviewer=?, decided_at=? WHERE photo_id=?",
        (photo["status"], photo["chosen_rank"], reviewer, at, photo_id),
    )
    exists = conn.execute("SELECT 1 FROM footprints WHERE photo_id=?", (photo_id,)).fetchone()
    if footprint is None:
        conn.execute("DELETE FROM footprints WHERE photo_id=?", (photo_id,))
    elif not exists:
        insert_row(conn, "footprints", new_footprint_row(photo_id, state, footprint, confidence))
    else:
        conn.execute(
            "UPDATE footprints SET geom=?, method=?, area_km2=?, edited=?, status=?, reviewer=?, "
            "decided_at=? WHERE photo_id=?",
            (
                gpkg.encode(footprint["geometry"]),
                footprint["method"],
                footprint["area_km2"],
                footprint["edited"],
                footprint["status"],
                reviewer,
                at,
                photo_id,
            ),
        )
    for table in ("cameras", "camera_looks"):
        conn.execute(
            f"UPDATE {table} SET status=?, reviewer=?, decided_at=? WHERE photo_id=?",
            (photo["status"], reviewer, at, photo_id),
        )
    chosen = photo["chosen_rank"]
    conn.execute(
        "UPDATE candidates SET status=CASE WHEN rank=? THEN ? ELSE ? END, "
        "reviewer=CASE WHEN rank=? THEN ? ELSE reviewer END, "
        "decided_at=CASE WHEN rank=? THEN ? ELSE decided_at END WHERE photo_id=?",
        (chosen, CONFIRMED, PENDING, chosen, reviewer, chosen, at, photo_id),
    )
