"""Background work: one QgsTask per photo, and a queue that runs them one after the other.

The task thread talks to the worker (blocking waits are fine there), warps the photo with GDAL
and builds the styled layers; the GUI thread only receives signals and adds those layers to
the project.
"""

from __future__ import annotations

import tempfile
import traceback
from collections import deque
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import QObject, pyqtSignal

from .. import settings
from ..definitions import LOG_TAG
from ..engine import protocol
from ..map.overlay import try_warp_photo
from ..translate import translate
from ..worker.client import WorkerClient, WorkerError
from . import layers


class LocateTask(QgsTask):
    """Ask the worker to locate one photo, warp the photo through its footprint, build the layers."""

    stageChanged = pyqtSignal(str, str)  # stage, message

    def __init__(
        self,
        client: WorkerClient,
        photo: str,
        index: str,
        k: int,
        overlay_dir: str | None = None,
        prior: dict | None = None,
        kind: str = "auto",
    ):
        super().__init__(
            translate("LocateTask", "AstroLoc: locating {}").format(Path(photo).name), QgsTask.CanCancel
        )
        self.client = client
        self.photo = photo
        self.index = index
        self.k = k
        self.prior = dict(prior or {})  # the engine's prior keys (locate/priors.py); empty: everywhere
        self.kind = kind  # the kind of photo (protocol.KINDS)
        self.overlay_dir = overlay_dir or tempfile.gettempdir()
        self.result: dict | None = None
        self.overlay_path: str | None = None
        self.prepared: layers.PreparedLayers | None = None
        self.opacity = settings.photo_opacity()
        self.error: WorkerError | None = None

    def run(self) -> bool:
        try:
            self.stageChanged.emit("start", translate("LocateTask", "Starting the engine…"))
            self.client.ensure_started(self.isCanceled)
            pending = self.client.submit(
                "locate",
                cancelled=self.isCanceled,
                photo=self.photo,
                index=self.index,
                k=self.k,
                kind=self.kind,
                **self.prior,
            )
            self.result = pending.result(self.isCanceled, self._on_progress)
            self.overlay_path = self._overlay()
            # Building and styling the layers here keeps that work off the GUI thread.
            self.prepared = layers.prepare_layers(
                self.result,
                self.photo,
                self.overlay_path,
                self.opacity,
                owner_thread=QgsApplication.instance().thread(),
            )
        except WorkerError as error:
            self.error = error
            return False
        except Exception as error:  # a bug must end as a message, never an exception dialog
            QgsMessageLog.logMessage(traceback.format_exc(), LOG_TAG, Qgis.Critical)
            self.error = WorkerError.internal(error)
            return False
        return True

    def _on_progress(self, message: dict) -> None:
        if message.get("type") != protocol.PROGRESS:
            return
        self.setProgress(max(0.0, min(100.0, 100.0 * float(message.get("fraction", 0.0)))))
        self.stageChanged.emit(str(message.get("stage", "")), str(message.get("message", "")))

    def _overlay(self) -> str | None:
        """The photo warped through its footprint; None when there is no footprint."""
        for footprint in protocol.features_of_kind(self.result or {}, protocol.FOOTPRINT):
            corners = (footprint.get("properties") or {}).get("corners")
            if corners and len(corners) == 4:
                out = Path(self.overlay_dir) / f"astroloc_overlay_{Path(self.photo).stem}_{id(self)}.tif"
                return try_warp_photo(self.photo, corners, out)
        return None


class LocalizationQueue(QObject):
    """Runs LocateTasks one at a time, in the order the photos were dropped."""

    taskStarted = pyqtSignal(object)  # LocateTask
    taskFinished = pyqtSignal(object)  # LocateTask (check .result / .error)
    queueChanged = pyqtSignal(int)  # photos waiting (not counting the running one)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._waiting: deque[LocateTask] = deque()
        self.current: LocateTask | None = None

    def enqueue(self, task: LocateTask) -> None:
        self._waiting.append(task)
        self.queueChanged.emit(len(self._waiting))
        self._start_next()

    def waiting(self) -> int:
        return len(self._waiting)

    def cancel_all(self) -> None:
        self._waiting.clear()
        self.queueChanged.emit(0)
        if self.current is not None:
            self.current.cancel()

    def _start_next(self) -> None:
        if self.current is not None or not self._waiting:
            return
        task = self._waiting.popleft()
        self.queueChanged.emit(len(self._waiting))
        self.current = task
        task.taskCompleted.connect(lambda: self._done(task))
        task.taskTerminated.connect(lambda: self._done(task))
        QgsApplication.taskManager().addTask(task)
        self.taskStarted.emit(task)

    def _done(self, task: LocateTask) -> None:
        if task is not self.current:
            return
        self.current = None
        self.taskFinished.emit(task)
        self._start_next()
