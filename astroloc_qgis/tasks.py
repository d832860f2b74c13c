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

from . import layers, settings
from .engine import protocol
from .translate import translate
from .worker_client import WorkerClient, WorkerError


def _locate_missing(error: WorkerError) -> bool:
    """True when the engine has no `locate` yet (older engine): fall back to `search`."""
    text = error.message.lower()
    return error.code == "not_implemented" or (
        "locate" in text and ("unknown operation" in text or "has no attribute" in text
                              or "notimplemented" in text))


class LocateTask(QgsTask):
    """Ask the worker to locate one photo; falls back to `search` on an engine without locate."""

    stageChanged = pyqtSignal(str, str)  # stage, message

    def __init__(self, client: WorkerClient, photo: str, index: str, k: int,
                 overlay_dir: str | None = None):
        super().__init__(translate("LocateTask", "AstroLoc: locating {}").format(Path(photo).name), QgsTask.CanCancel)
        self.client = client
        self.photo = photo
        self.index = index
        self.k = k
        self.overlay_dir = overlay_dir or tempfile.gettempdir()
        self.result: dict | None = None
        self.overlay_path: str | None = None
        self.prepared: layers.PreparedLayers | None = None
        self.opacity = settings.photo_opacity()
        self.error: WorkerError | None = None
        self.op_used = ""

    def run(self) -> bool:
        try:
            self.stageChanged.emit("start", translate("LocateTask", "Starting the engine…"))
            self.client.ensure_started(self.isCanceled)
            try:
                self.result = self._ask("locate")
            except WorkerError as error:
                if not _locate_missing(error):
                    raise
                self.result = self._ask("search")
            self.overlay_path = self._overlay()
            # Building and styling the layers here keeps that work off the GUI thread.
            self.prepared = layers.prepare_layers(self.result, self.photo, self.overlay_path, self.opacity,
                                                  owner_thread=QgsApplication.instance().thread())
        except WorkerError as error:
            self.error = error
            return False
        except Exception as error:  # a bug must end as a message, never an exception dialog
            QgsMessageLog.logMessage(traceback.format_exc(), "AstroLoc", Qgis.Critical)
            self.error = WorkerError("internal", f"{type(error).__name__}: {error}",
                                     translate("LocateTask", "see the QGIS log, AstroLoc tab"))
            return False
        return True

    def _ask(self, op: str) -> dict:
        self.op_used = op
        pending = self.client.submit(op, cancelled=self.isCanceled, photo=self.photo,
                                     index=self.index, k=self.k)
        return pending.result(self.isCanceled, self._on_progress)

    def _on_progress(self, message: dict) -> None:
        if message.get("type") != protocol.PROGRESS:
            return
        self.setProgress(max(0.0, min(100.0, 100.0 * float(message.get("fraction", 0.0)))))
        self.stageChanged.emit(str(message.get("stage", "")), str(message.get("message", "")))

    def _overlay(self) -> str | None:
        """The photo warped through its footprint; None when there is no footprint."""
        from .photo_overlay import warp_photo

        for feature in (self.result or {}).get("features", []):
            properties = feature.get("properties") or {}
            corners = properties.get("corners")
            if properties.get("kind") == "footprint" and corners and len(corners) == 4:
                out = Path(self.overlay_dir) / f"astroloc_overlay_{Path(self.photo).stem}_{id(self)}.tif"
                try:
                    return warp_photo(self.photo, corners, out)
                except (ValueError, RuntimeError):
                    return None  # the vector result is still worth showing
        return None


class LocalizationQueue(QObject):
    """Runs LocateTasks one at a time, in the order the photos were dropped."""

    taskStarted = pyqtSignal(object)      # LocateTask
    taskFinished = pyqtSignal(object)     # LocateTask (check .result / .error)
    queueChanged = pyqtSignal(int)        # photos waiting (not counting the running one)

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
