"""A QGIS process running the plugin's batch queue with the real worker (`make bench-soak`, the batch test).

Usage (from the repository root):
    python -m tests.helpers.batch_drive SESSION INDEX ENGINE_PYTHON [--resume] [--kill-worker-at N] [--rss]
                                        [--option top=1 ...] [PHOTO|FOLDER ...]
Starts the Locate and Review flows as the plugin wires them (a real dock, no main window), opens
SESSION, then either drops the PHOTOs (a folder or files) on the batch queue or, with --resume,
accepts the offer to resume the interrupted batch. One JSON line per event on stdout:
{"offer": n}, {"state": s, "sha256": ..., "name": ...} for each photo's change, {"rss": ...} every
10 photos with --rss, and {"end": counts} when the batch ended. --kill-worker-at N kills the engine
worker 0.3 s after the N-th photo (1-based) started, while its request runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer

from astroloc_qgis import settings
from astroloc_qgis.dock import AstroLocDock
from astroloc_qgis.locate.controller import LocalizationController
from astroloc_qgis.review.mode import ReviewMode
from astroloc_qgis.session.batch import CANCELLED, DONE, FAILED, RUNNING

KILL_DELAY_MS = 50  # into the request (sent when the photo turns running): a 192 px locate takes 0.3-1 s


def rss_kb(pid: int | None) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration, TypeError):
        return None


def say(**event) -> None:
    print(json.dumps(event), flush=True)


def start(controller: LocalizationController, args) -> int:
    """Through the controller as a drop (search area, index checks), or with engine options straight
    to the batch queue."""
    if not args.option:
        return controller.localize_batch(args.photos)
    options = {key: int(value) for key, value in (item.split("=", 1) for item in args.option)}
    return controller.batch.start(args.photos, args.index, 5, lambda _photo: dict(options))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("session")
    parser.add_argument("index")
    parser.add_argument("engine_python")
    parser.add_argument("photos", nargs="*")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--kill-worker-at", type=int, default=0)
    parser.add_argument("--rss", action="store_true")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=INT",
        help="an engine option of every locate request (top, max_units): the soak's cheap path",
    )
    args = parser.parse_intermixed_args()
    app = QgsApplication([], True)
    app.initQgis()
    settings.set_value(settings.ENGINE_PYTHON, args.engine_python)
    settings.set_value(settings.CANDIDATES, 5)
    dock = AstroLocDock()
    controller = LocalizationController(None, dock.locate)
    dock.locate.choose_index(args.index)
    review = ReviewMode(None, dock)
    controller.attach_review(review)
    batch = controller.batch
    batch.resumeOffered.connect(lambda n: n and say(offer=n))
    started = []

    def kill_worker(sha: str) -> None:
        say(worker_killed=controller.worker.pid, during=batch.photos[sha].state)
        controller.worker.kill()

    def changed(sha: str) -> None:
        photo = batch.photos[sha]
        say(state=photo.state, sha256=sha, name=photo.name, error=photo.error)
        if photo.state == RUNNING:
            started.append(sha)
            if len(started) == args.kill_worker_at:
                QTimer.singleShot(KILL_DELAY_MS, lambda: kill_worker(sha))
        counts = batch.counts()
        done = counts[DONE] + counts[FAILED] + counts[CANCELLED]
        if args.rss and photo.state != RUNNING and done % 10 == 0:
            worker = controller.worker
            say(
                rss=True,
                done=done,
                qgis_kb=rss_kb(os.getpid()),
                worker_kb=rss_kb(worker.pid if worker else None),
            )

    batch.photoChanged.connect(changed)
    batch.changed.connect(lambda: batch.task is None and batch.photos and finish())

    def finish() -> None:
        review.wait_written(30000)
        say(end=batch.counts())
        review.close_session()
        controller.shutdown()
        os._exit(0)  # skip QGIS teardown: the test only cares about what reached the file

    if not review.open_session(args.session):
        say(refused="cannot open the session")
        return 1
    if args.resume:
        if not batch.resume_interrupted():
            say(end={"total": 0})
            return 0
    elif not start(controller, args):
        say(refused=[text for _level, text in controller.messages])
        return 1
    return app.exec_()


if __name__ == "__main__":
    sys.exit(main())
