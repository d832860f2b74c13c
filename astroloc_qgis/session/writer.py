"""Writes localization results into a session file from a background thread.

The GUI thread first records the result in memory and in the session's fsynced sidecar journal
(`Session.add_result_journaled`, a few ms), so a result that arrived survives QGIS being killed.
The SQLite transaction itself (the first write into a fresh file, or a wait of up to the busy
timeout while another QGIS window holds the write lock) runs here, on this thread's own
connection. When it is committed or failed, `(op, error)` is queued for `take_finished` and
`on_done(op, error)` is called from this thread (to wake the GUI thread).
"""

from __future__ import annotations

import collections
import queue
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from .sql import BUSY_TIMEOUT_S, write_op

_STOP = object()


class SessionWriter:
    def __init__(
        self,
        path: str,
        on_done: Callable[[dict[str, Any], Exception | None], None],
        busy_timeout_s: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._on_done = on_done
        self._queue: queue.Queue = queue.Queue()
        self._finished: collections.deque[tuple[dict[str, Any], Exception | None]] = collections.deque()
        self._thread = threading.Thread(target=self._run, name="astroloc-session-writer", daemon=True)
        self._thread.start()

    def submit(self, op: dict[str, Any]) -> None:
        self._queue.put(op)

    def close(self, timeout_s: float = 10.0) -> None:
        """Write what is queued, then stop (anything left is still in the journal)."""
        self._queue.put(_STOP)
        self._thread.join(timeout_s)

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def take_finished(self) -> list[tuple[dict[str, Any], Exception | None]]:
        """The results written (error None) or failed since the last call, oldest first."""
        out = []
        while self._finished:
            out.append(self._finished.popleft())
        return out

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        while True:
            op = self._queue.get()
            if op is _STOP:
                self._queue.task_done()
                break
            error: Exception | None = None
            try:
                conn = conn or self._connect()
                write_op(conn, op)
            except sqlite3.Error as exc:
                error = exc
                if conn is not None:
                    conn.close()
                    conn = None  # reconnect next time (the file may have become writable)
            self._finished.append((op, error))
            try:
                self._on_done(op, error)
            finally:
                self._queue.task_done()
        if conn is not None:
            conn.close()
