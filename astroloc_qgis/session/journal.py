"""The sidecar journal of a session: operations not yet in the file, one fsynced JSON line each.

`<session>.journal.jsonl` beside the session, or, when that folder is not writable, a file in the
user's data folder named after the session's path. Replaying it is idempotent: every operation
carries a unique journal id.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from .rows import dumps


def fallback_journal_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "astroloc_qgis", "journals")


class Journal:
    def __init__(self, session_path: str) -> None:
        self.path = session_path + ".journal.jsonl"
        digest = hashlib.sha1(session_path.encode()).hexdigest()[:16]
        self.files = [self.path, os.path.join(fallback_journal_dir(), f"{digest}.jsonl")]

    def append(self, op: dict[str, Any]) -> bool:
        """Append and fsync `op` to the first journal file that can be written; False if none can."""
        line = dumps(op) + "\n"
        for path in self.files:
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write(line)
                    fh.flush()
                    os.fsync(fh.fileno())
                return True
            except OSError:
                continue
        return False

    def load(self) -> list[dict[str, Any]]:
        """Every journaled operation, oldest first, each once."""
        ops: list[dict[str, Any]] = []
        seen: set[str] = set()
        for path in self.files:
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
                        ops.append(op)
        return ops

    def clear(self) -> None:
        for path in self.files:
            try:
                if os.path.exists(path):
                    os.remove(path)
            except OSError:
                pass
