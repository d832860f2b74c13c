"""A QGIS process reviewing a session, driven line by line over stdin (used by the reliability tests).

Usage: python session_child.py SESSION REVIEWER [BUSY_TIMEOUT_S]
Commands (one per line): confirm I | reject I | choose I K | undo | retry | counts | quit
Each command is answered by one JSON line, printed only after the action has returned,
i.e. after the decision is committed (or journaled).
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

from qgis.core import QgsApplication

from astroloc_qgis.review.controller import ReviewController
from astroloc_qgis.session.store import Session


def main() -> int:
    path, reviewer = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    app = QgsApplication([], False)
    app.initQgis()
    session = Session(path, reviewer=reviewer, create=False, busy_timeout_s=timeout)
    ctl = ReviewController(session, auto_advance=False)
    messages: list[str] = []
    ctl.message.connect(lambda text, _err: messages.append(text))
    print(
        json.dumps({"ready": True, "counts": session.counts(), "pending": session.pending_count}), flush=True
    )
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        cmd, args = parts[0], [int(a) for a in parts[1:]]
        ok = True
        if cmd in ("confirm", "reject", "choose"):
            ctl.sync()
            ids = session.photo_ids()
            ctl.select(ids[args[0]])
            ok = (
                ctl.confirm()
                if cmd == "confirm"
                else ctl.reject()
                if cmd == "reject"
                else ctl.choose(args[1])
            )
        elif cmd == "undo":
            ok = ctl.undo()
        elif cmd == "retry":
            ok = ctl.retry()
        elif cmd == "quit":
            break
        print(
            json.dumps(
                {
                    "cmd": line.strip(),
                    "ok": ok,
                    "counts": session.counts(),
                    "pending": session.pending_count,
                    "error": session.last_error,
                    "messages": messages[-1:],
                }
            ),
            flush=True,
        )
    session.close()
    os._exit(0)  # skip QGIS teardown: the test only cares about what reached the file


if __name__ == "__main__":
    sys.exit(main())
