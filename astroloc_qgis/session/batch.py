"""The batch table of a session: one row per photo of a batch, keyed by the photo's SHA-256.

The session file is the place of record for a batch: a photo is identified by its content
(SHA-256, the same key as its `photos.photo_id`), so a photo dropped twice, or under two names,
is localized once. A photo counts as done when the session holds its result (its `photo_id`,
journaled results included); the row's state says what happened to the others: `queued` and
`running` rows of a batch cut short (QGIS closed or killed) are offered again when the session
reopens. Any thread: each thread opens its own `BatchTable`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..engine.checksum import file_sha256
from .rows import now_iso
from .sql import BUSY_TIMEOUT_S, connect

TABLE = "batch_photos"
QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
UNFINISHED = (QUEUED, RUNNING)

CREATE_SQL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE}(sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, "
    "batch_id TEXT NOT NULL, state TEXT NOT NULL, error TEXT, index_path TEXT, k INTEGER, "
    "params_json TEXT, attempts INTEGER NOT NULL DEFAULT 0, queued_at TEXT, finished_at TEXT)"
)


@dataclass
class BatchPhoto:
    """One photo of a batch: what the worker is asked, and how it went."""

    sha256: str
    path: str
    index: str
    k: int
    params: dict = field(default_factory=dict)  # the request's other keys: the search prior, engine options
    state: str = QUEUED
    error: str = ""

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


def photo_key(path: str) -> str:
    """The key a photo has in the session: the engine's `photo.sha256` of the same file."""
    return file_sha256(path)


class BatchTable:
    """The session's `batch_photos` rows, through this thread's own connection."""

    def __init__(self, session_path: str, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.conn = connect(session_path, busy_timeout_s)
        self.conn.execute(CREATE_SQL)

    def close(self) -> None:
        self.conn.close()

    def add(self, batch_id: str, photos: Iterable[BatchPhoto], done: set[str]) -> list[BatchPhoto]:
        """Queue the photos not done yet (one row per SHA-256; a photo already queued by an
        earlier batch moves to this one); returns those queued, in order, each once."""
        queued: dict[str, BatchPhoto] = {}
        for photo in photos:
            if photo.sha256 not in done and photo.sha256 not in queued:
                queued[photo.sha256] = photo
        at = now_iso()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for p in queued.values():
                self.conn.execute(
                    f"INSERT INTO {TABLE}(sha256, path, batch_id, state, index_path, k, params_json, "
                    "queued_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(sha256) DO UPDATE SET "
                    "path=excluded.path, batch_id=excluded.batch_id, state=excluded.state, error=NULL, "
                    "index_path=excluded.index_path, k=excluded.k, params_json=excluded.params_json, "
                    "queued_at=excluded.queued_at, finished_at=NULL",
                    (p.sha256, p.path, batch_id, QUEUED, p.index, p.k, json.dumps(p.params), at),
                )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return list(queued.values())

    def mark(self, sha256: str, state: str, error: str = "") -> None:
        finished = None if state in UNFINISHED else now_iso()
        attempts = 1 if state == RUNNING else 0
        self.conn.execute(
            f"UPDATE {TABLE} SET state=?, error=?, finished_at=?, attempts=attempts+? WHERE sha256=?",
            (state, error or None, finished, attempts, sha256),
        )

    def unfinished(self, done: set[str]) -> list[BatchPhoto]:
        """The photos of interrupted batches that have no result yet, in the order they were queued."""
        rows = self.conn.execute(
            f"SELECT * FROM {TABLE} WHERE state IN (?, ?) ORDER BY queued_at, rowid", UNFINISHED
        ).fetchall()
        return [photo_of(r) for r in rows if r["sha256"] not in done]

    def discard(self, sha256s: Iterable[str]) -> None:
        """The analyst declined to resume these: they are cancelled, not offered again."""
        for sha in sha256s:
            self.mark(sha, CANCELLED)

    def states(self) -> dict[str, str]:
        return {r["sha256"]: r["state"] for r in self.conn.execute(f"SELECT sha256, state FROM {TABLE}")}


def photo_of(row: sqlite3.Row) -> BatchPhoto:
    return BatchPhoto(
        sha256=row["sha256"],
        path=row["path"],
        index=row["index_path"] or "",
        k=int(row["k"] or 10),
        params=json.loads(row["params_json"] or "{}"),
        state=row["state"],
        error=row["error"] or "",
    )
