"""The batch's background task: hashes the photos, records them in the session's batch table and
sends them through the worker one after the other (pause, resume, cancel, stop).

Everything that waits (hashing, SQLite, the worker) runs on this task's thread; the GUI thread
only receives signals. A result is handed to the GUI thread (`photoLocated`), which journals it
into the review session and acknowledges; only then is the row marked done, so a QGIS killed in
between finds the result in the session's journal and does not localize the photo again.
"""

from __future__ import annotations

import threading
import traceback
from collections import deque

from qgis.core import Qgis, QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from ..definitions import LOG_TAG
from ..engine import protocol
from ..session.batch import CANCELLED, DONE, FAILED, QUEUED, RUNNING, BatchPhoto, BatchTable, photo_key
from ..translate import translate
from ..worker.client import WorkerClient, WorkerError

ACK_TIMEOUT_S = 60.0
CRASH_RETRIES = 1  # a photo whose request the worker died under is tried once more, then failed


class BatchTask(QgsTask):
    """One run of the batch queue; more photos can be added while it runs (`add`)."""

    planned = pyqtSignal(list)  # [BatchPhoto] queued (new or resumed), in order
    photoChanged = pyqtSignal(str, str, str)  # sha256, state, text
    photoLocated = pyqtSignal(str, dict)  # sha256, the engine's FeatureCollection
    photoProgress = pyqtSignal(float)  # fraction of the current photo

    def __init__(self, client: WorkerClient, session_path: str, done: set[str]):
        super().__init__(translate("BatchTask", "AstroLoc: batch of photos"), QgsTask.CanCancel)
        self.client = client
        self.session_path = session_path
        self.done = set(done)
        self.error = ""
        self._incoming: deque[tuple[str, list[BatchPhoto], bool]] = deque()  # batch id, photos, resumed
        self._queue: deque[BatchPhoto] = deque()  # planned, not located yet
        self._lock = threading.Lock()
        self._go = threading.Event()
        self._go.set()
        self._ack = threading.Event()
        self.holding = False
        self._written = False
        self._stopping = False
        self._closed = False

    # --- called from the GUI thread ---------------------------------------------------------
    def add(self, batch_id: str, photos: list[BatchPhoto], resume: bool = False) -> bool:
        """False when this task has already taken its last photo (start a new one)."""
        with self._lock:
            if self._closed:
                return False
            self._incoming.append((batch_id, photos, resume))
            return True

    def pause(self) -> None:
        self._go.clear()

    def resume(self) -> None:
        self._go.set()

    @property
    def paused(self) -> bool:
        return not self._go.is_set()

    def acknowledge(self, written: bool) -> None:
        self._written = written
        self._ack.set()

    def stop(self) -> None:
        """QGIS is closing: stop without cancelling, the rows stay queued for the next time."""
        self._stopping = True
        self.cancel()
        self._go.set()

    def cancel(self) -> None:
        self._go.set()  # a paused batch must wake up to end
        super().cancel()

    # --- the task thread ----------------------------------------------------------------------
    def run(self) -> bool:
        table = None
        try:
            table = BatchTable(self.session_path)
            while (photo := self._next(table)) is not None:
                if not self._wait_while_paused():
                    self._leave(table, photo)
                    break
                self._locate(table, photo)
            self._leave_rest(table)
        except Exception as error:  # a bug must end as a message, never an exception dialog
            QgsMessageLog.logMessage(traceback.format_exc(), LOG_TAG, Qgis.Critical)
            self.error = f"{type(error).__name__}: {error}"
            return False
        finally:
            if table is not None:
                table.close()
        return not self.isCanceled()

    def _next(self, table: BatchTable) -> BatchPhoto | None:
        """The next photo to locate: planning added photos first (hash, row) when there are any."""
        while True:
            with self._lock:
                if self.isCanceled():
                    self._closed = True
                    return None
                if self._queue:
                    return self._queue.popleft()
                if not self._incoming:
                    self._closed = True
                    return None
                batch_id, photos, resume = self._incoming.popleft()
            self._plan(table, batch_id, photos, resume)

    def _plan(self, table: BatchTable, batch_id: str, photos: list[BatchPhoto], resume: bool) -> None:
        if not resume:
            for i, photo in enumerate(photos):
                if self.isCanceled():
                    return
                photo.sha256 = photo_key(photo.path)
                self.photoProgress.emit(-(i + 1) / len(photos))  # negative: checking the photos
        queued = table.add(batch_id, photos, self.done)
        self.done.update(p.sha256 for p in queued)  # a photo dropped again while queued is not added twice
        with self._lock:
            self._queue.extend(queued)
        self.planned.emit(queued)

    def _wait_while_paused(self) -> bool:
        while not self._go.wait(0.2):
            self.holding = True  # paused and between photos: nothing runs until resumed
        self.holding = False
        return not self.isCanceled()

    def _locate(self, table: BatchTable, photo: BatchPhoto) -> None:
        table.mark(photo.sha256, RUNNING)
        self.photoChanged.emit(photo.sha256, RUNNING, "")
        try:
            result = self._ask_worker(photo)
        except WorkerError as error:
            if error.code == "cancelled":
                self._leave(table, photo)
            else:
                table.mark(photo.sha256, FAILED, str(error))
                self.photoChanged.emit(photo.sha256, FAILED, str(error))
            return
        self._ack.clear()
        self.photoLocated.emit(photo.sha256, result)
        if not self._acknowledged():
            return  # QGIS is closing: the row stays running, offered next time unless journaled
        if self._written:  # journaled in the session: now it is done
            table.mark(photo.sha256, DONE)
            self.photoChanged.emit(photo.sha256, DONE, str(result.get("status", "")))
        else:
            text = translate("BatchTask", "the result could not be written to the review session")
            table.mark(photo.sha256, FAILED, text)
            self.photoChanged.emit(photo.sha256, FAILED, text)

    def _acknowledged(self) -> bool:
        """Wait for the GUI thread to journal the result; False when QGIS is closing meanwhile
        (its event loop no longer answers) or after ACK_TIMEOUT_S."""
        for _ in range(int(ACK_TIMEOUT_S / 0.1)):
            if self._ack.wait(0.1):
                return True
            if self._stopping:
                return False
        return False

    def _ask_worker(self, photo: BatchPhoto) -> dict:
        for attempt in range(CRASH_RETRIES + 1):
            try:
                self.client.ensure_started(self.isCanceled)
                pending = self.client.submit(
                    "locate",
                    cancelled=self.isCanceled,
                    photo=photo.path,
                    index=photo.index,
                    k=photo.k,
                    **photo.params,
                )
                return pending.result(self.isCanceled, self._on_progress)
            except WorkerError as error:
                if error.code != "worker_crashed" or attempt == CRASH_RETRIES:
                    raise
        raise AssertionError("unreachable")

    def _on_progress(self, message: dict) -> None:
        if message.get("type") == protocol.PROGRESS:
            self.photoProgress.emit(max(0.0, min(1.0, float(message.get("fraction", 0.0)))))

    def _leave(self, table: BatchTable, photo: BatchPhoto) -> None:
        """A photo not located: queued again when QGIS is closing, else cancelled by the analyst."""
        state = QUEUED if self._stopping else CANCELLED
        table.mark(photo.sha256, state)
        self.photoChanged.emit(photo.sha256, state, "")

    def _leave_rest(self, table: BatchTable) -> None:
        with self._lock:
            rest, self._queue = list(self._queue), deque()
            self._closed = True
        for photo in rest:
            self._leave(table, photo)
