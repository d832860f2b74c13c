"""Improve the index with the session's confirmations (the engine's `index_adapt`, docs/adapt.md).

The Review tab's button runs `AdaptTask` (a QgsTask: progress, cancel) on the Locate tab's index
and the open session; the adapted index is written as a new folder beside it (the chosen index is
never modified) and the Locate tab switches to it. The switch is undone by the tab's own
"Undo: back to <previous index>" button, not QGIS's undo stack: that stack belongs to layer
edits, and choosing an index is not one (docs/adapt.md "In QGIS").
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..definitions import LOG_TAG
from ..engine import protocol
from ..translate import translate
from ..worker.client import WorkerClient, WorkerError

ADAPTED_SUFFIX = re.compile(r"-adapted-\d+$")
MAX_LISTED = 10  # skipped photos named in a message; the rest are counted


def adapted_folder(index: str) -> Path:
    """A new folder beside `index` for its adapted copy: NAME-adapted-K, K the first free number
    (an adapted index adapted again keeps its base name: NAME-adapted-2, not NAME-adapted-1-adapted-1)."""
    path = Path(index)
    base = ADAPTED_SUFFIX.sub("", path.name) or path.name
    k = 1
    while (path.parent / f"{base}-adapted-{k}").exists():
        k += 1
    return path.parent / f"{base}-adapted-{k}"


def skipped_lines(skipped: dict) -> list[str]:
    """The photos the engine skipped, counted and named, one line per reason."""
    labels = {
        "photo_not_found": translate("IndexAdaptation", "photo not found"),
        "outside_coverage": translate("IndexAdaptation", "outside the index's coverage"),
        "unreadable": translate("IndexAdaptation", "unreadable photo"),
    }
    lines = []
    for key, label in labels.items():
        names = [str(n) for n in skipped.get(key) or []]
        if names:
            listed = ", ".join(names[:MAX_LISTED]) + (" …" if len(names) > MAX_LISTED else "")
            lines.append(
                translate("IndexAdaptation", "{0} skipped ({1}): {2}").format(len(names), label, listed)
            )
    return lines


def refusal_text(error: WorkerError) -> str:
    """What the user reads when the engine did not adapt the index (it is then unchanged)."""
    if error.code == "cancelled":
        return translate("IndexAdaptation", "Improving the index was cancelled; the index is unchanged.")
    check = error.details.get("validation") or {}
    if error.code == protocol.ADAPT_GUARD and check:
        head = translate(
            "IndexAdaptation",
            "The index was not adapted: it would find photos of places it has not seen less often "
            "(your confirmed photos, one region held out at a time: R@1 {0:.0%} -> {1:.0%} over {2} "
            "photos). Confirm more photos, of more varied places, or adapt anyway.",
        ).format(check.get("r1_before", 0.0), check.get("r1_after", 0.0), check.get("photos", 0))
    else:
        head = translate("IndexAdaptation", "The index was not adapted (it is unchanged): {0}").format(error)
    return "\n".join([head, *skipped_lines(error.details.get("skipped") or {})])


def calibration_text(done: dict | None, error: WorkerError | None) -> str:
    """What became of the footprint confidence's refit on the session's decisions."""
    if done is not None:
        return translate(
            "IndexAdaptation",
            "Footprint confidence calibrated on {0} of your decisions ({1} confirmed, {2} rejected).",
        ).format(done.get("decisions", 0), done.get("confirmed", 0), done.get("rejected", 0))
    details = error.details if error is not None else {}
    if error is not None and error.code == protocol.CALIBRATION_REFUSED:
        return translate(
            "IndexAdaptation",
            "Footprint confidence not recalibrated: {0} decided footprints ({1} confirmed, {2} "
            "rejected); it needs at least {3}, with {4} of each.",
        ).format(
            details.get("decisions", 0),
            details.get("confirmed", 0),
            details.get("rejected", 0),
            protocol.CALIBRATION_MIN_DECISIONS,
            protocol.CALIBRATION_MIN_PER_CLASS,
        )
    return translate("IndexAdaptation", "Footprint confidence not recalibrated: {0}").format(error)


class AdaptTask(QgsTask):
    """One `index_adapt` request through the worker: the index adapted to the session's confirmations."""

    stageChanged = pyqtSignal(str)  # the engine's progress message

    def __init__(self, client: WorkerClient, index: str, session: str, out: str, force: bool = False):
        super().__init__(
            translate("AdaptTask", "AstroLoc: improving the index {0}").format(Path(index).name),
            QgsTask.CanCancel,
        )
        self.client = client
        self.index, self.session, self.out, self.force = index, session, out, force
        self.result: dict | None = None
        self.error: WorkerError | None = None
        self.calibration: dict | None = None  # the confidence refitted on the session's decisions ...
        self.calibration_error: WorkerError | None = None  # ... or why not (too few decisions)

    def run(self) -> bool:
        try:
            self.stageChanged.emit(translate("AdaptTask", "Starting the engine…"))
            self.client.ensure_started(self.isCanceled)
            pending = self.client.submit(
                "index_adapt",
                cancelled=self.isCanceled,
                index=self.index,
                confirmed=self.session,
                photos=[],
                out=self.out,
                force=self.force,
            )
            self.result = pending.result(self.isCanceled, self._on_progress)
            self._calibrate()
        except WorkerError as error:
            self.error = error
            return False
        except Exception as error:  # a bug must end as a message, never an exception dialog
            QgsMessageLog.logMessage(traceback.format_exc(), LOG_TAG, Qgis.Critical)
            self.error = WorkerError.internal(error)
            return False
        return True

    def _calibrate(self) -> None:
        """Refit the footprint confidence on the session's decisions, stored with the adapted
        index (a new folder: the chosen index stays untouched); too few decisions only say so."""
        self.stageChanged.emit(translate("AdaptTask", "Calibrating the footprint confidence…"))
        try:
            pending = self.client.submit(
                "index_calibrate", cancelled=self.isCanceled, index=self.out, session=self.session
            )
            self.calibration = pending.result(self.isCanceled)
        except WorkerError as error:  # the adapted index stands either way (a cancel here included)
            self.calibration_error = error

    def _on_progress(self, message: dict) -> None:
        if message.get("type") == protocol.PROGRESS:
            self.setProgress(max(0.0, min(100.0, 100.0 * float(message.get("fraction", 0.0)))))
            self.stageChanged.emit(str(message.get("message") or message.get("stage") or ""))


class IndexAdaptation(QObject):
    """The Review tab's "Improve the index" action: starts the task, reports, switches, undoes."""

    finished = pyqtSignal(bool)  # adapted (tests and scripts wait for it)

    def __init__(self, review, locate_panel, client: Callable[[], WorkerClient | None], parent=None):
        super().__init__(parent)
        self.review = review  # review/mode.py ReviewMode: the session and its messages
        self.panel = review.panel
        self.locate = locate_panel  # the index picker: current_index, choose_index
        self._client = client
        self.task: AdaptTask | None = None
        self.previous: str | None = None  # the index before the last adaptation (the undo target)
        self.panel.adaptRequested.connect(self.start)
        self.panel.adaptCancelRequested.connect(self.cancel)
        self.panel.adaptUndoRequested.connect(self.undo)

    def start(self, force: bool = False) -> bool:
        if self.task is not None or self.review.session is None:
            return False
        index = self.locate.current_index()
        if not index:
            self.review.notify(
                translate(
                    "IndexAdaptation", "Choose an index in the Locate tab first: that is the index improved."
                ),
                True,
            )
            return False
        client = self._client()
        if client is None:
            return False  # the controller said the engine is not set up
        self.review.wait_written()  # the engine reads the session file
        task = AdaptTask(client, index, self.review.session.path, str(adapted_folder(index)), force)
        task.progressChanged.connect(lambda p: self.panel.show_adapt_progress(p, ""))
        task.stageChanged.connect(lambda text: self.panel.show_adapt_progress(task.progress(), text))
        task.taskCompleted.connect(lambda: self._done(task))
        task.taskTerminated.connect(lambda: self._done(task))
        self.task = task
        self.panel.set_adapting(True)
        QgsApplication.taskManager().addTask(task)
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _done(self, task: AdaptTask) -> None:
        if task is not self.task:
            return
        self.task = None
        self.panel.set_adapting(False)
        if task.result is None:
            error = task.error or WorkerError("cancelled", "")
            self.panel.offer_force(error.code == protocol.ADAPT_GUARD)
            self.review.notify(refusal_text(error), error.code != "cancelled")
            self.finished.emit(False)
            return
        self.previous = task.index
        self.locate.choose_index(task.out)
        self.panel.show_adapt_undo(Path(task.index).name)
        self.panel.offer_force(False)
        used = int(task.result.get("used") or 0)
        lines = [
            translate(
                "IndexAdaptation",
                "Index improved with {0} confirmed photos: Locate now uses {1} ({2} is kept).",
            ).format(used, Path(task.out).name, Path(task.index).name),
            *skipped_lines(task.result.get("skipped") or {}),
            calibration_text(task.calibration, task.calibration_error),
        ]
        self.review.notify("\n".join(lines), False)
        self.finished.emit(True)

    def undo(self) -> bool:
        """Back to the index used before the adaptation (the adapted one stays in the index list)."""
        if self.previous is None:
            return False
        previous, self.previous = self.previous, None
        adapted = self.locate.current_index()
        self.locate.choose_index(previous)
        self.panel.show_adapt_undo(None)
        self.review.notify(
            translate(
                "IndexAdaptation", "Back to the index {0}; the adapted index {1} stays in the index list."
            ).format(Path(previous).name, Path(adapted).name),
            False,
        )
        return True

    def unload(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
