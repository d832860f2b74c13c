"""The batch queue (GUI thread): many photos or a folder, through one `BatchTask`, into the session.

It keeps each photo's status, the counts, the ETA and the pause state for the dock's batch view,
puts each result into the review session as it arrives, and, when a session opens, offers the
photos an interrupted batch left undone (the session's batch table is the place of record).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..definitions import LOG_TAG, PHOTO_SUFFIXES
from ..session.batch import CANCELLED, DONE, FAILED, QUEUED, RUNNING, BatchPhoto, BatchTable
from ..translate import translate
from ..worker.client import WorkerClient
from .batch_task import BatchTask

ETA_WINDOW = 20  # photos: the ETA follows the recent pace (a warm worker is faster than the first photo)


def expand_photos(paths: list[str]) -> list[str]:
    """The photo files among `paths`, each folder replaced by the photos directly in it (sorted)."""
    photos: list[str] = []
    for path in paths:
        item = Path(path)
        if item.is_dir():
            photos += sorted(
                str(p) for p in item.iterdir() if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES
            )
        elif item.suffix.lower() in PHOTO_SUFFIXES:
            photos.append(str(item))
    return list(dict.fromkeys(photos))


def eta_seconds(durations: list[float], remaining: int) -> float | None:
    recent = durations[-ETA_WINDOW:]
    return sum(recent) / len(recent) * remaining if recent and remaining else None


def duration_text(seconds: float) -> str:
    if seconds < 90:
        return translate("BatchQueue", "{} s").format(round(seconds))
    if seconds < 5400:
        return translate("BatchQueue", "{} min").format(round(seconds / 60))
    return translate("BatchQueue", "{:.1f} h").format(seconds / 3600)


class BatchQueue(QObject):
    """`review` is the review flow (review/mode.py): `ensure_session()` and `add_result(fc)`."""

    changed = pyqtSignal()  # counts, progress, ETA or pause state changed
    photoChanged = pyqtSignal(str)  # sha256 of a photo whose status changed
    photoProgress = pyqtSignal(float)  # fraction of the photo being located
    photosPlanned = pyqtSignal(list)  # [BatchPhoto] queued
    resumeOffered = pyqtSignal(int)  # photos an interrupted batch left undone (0: no offer)
    message = pyqtSignal(str, int)  # text, Qgis level

    def __init__(self, client_of: Callable[[], WorkerClient | None], review, parent: QObject | None = None):
        super().__init__(parent)
        self.client_of = client_of
        self.review = review
        self.task: BatchTask | None = None
        self.photos: dict[str, BatchPhoto] = {}
        self.durations: list[float] = []
        self.offer: list[BatchPhoto] = []
        self.not_found: set[str] = set()  # done, without a trustworthy footprint
        self.current_fraction = 0.0
        self._started_at: float | None = None

    # --- what the view shows ----------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((QUEUED, RUNNING, DONE, FAILED, CANCELLED), 0)
        for photo in self.photos.values():
            counts[photo.state] += 1
        counts["total"] = len(self.photos)
        return counts

    def running(self) -> bool:
        return self.task is not None

    def paused(self) -> bool:
        return self.task is not None and self.task.paused

    def fraction(self) -> float:
        counts = self.counts()
        finished = counts[DONE] + counts[FAILED] + counts[CANCELLED]
        return (finished + self.current_fraction * bool(counts[RUNNING])) / max(1, counts["total"])

    def eta(self) -> float | None:
        counts = self.counts()
        return eta_seconds(self.durations, counts[QUEUED] + counts[RUNNING])

    # --- the analyst's actions ----------------------------------------------------------------
    def start(self, paths: list[str], index: str, k: int, params_of: Callable[[str], dict]) -> int:
        """Queue the photos of `paths` (folders expanded), each located with the request keys
        `params_of(photo)` (its search prior); returns how many were handed to the task."""
        photos = [BatchPhoto("", path, index, k, params_of(path)) for path in expand_photos(paths)]
        return len(photos) if photos and self._hand_over(photos, resume=False) else 0

    def resume_interrupted(self) -> int:
        photos, self.offer = self.offer, []
        self.resumeOffered.emit(0)
        return len(photos) if photos and self._hand_over(photos, resume=True) else 0

    def discard_interrupted(self) -> None:
        photos, self.offer = self.offer, []
        self.resumeOffered.emit(0)
        session = self.review.ensure_session()
        if photos and session is not None:
            path, keys = session.path, [p.sha256 for p in photos]
            QgsApplication.taskManager().addTask(
                QgsTask.fromFunction(
                    translate("BatchQueue", "AstroLoc: forgetting the interrupted batch"),
                    lambda _task: _discard(path, keys),
                )
            )

    def pause(self) -> None:
        if self.task is not None:
            self.task.pause()
            self.changed.emit()

    def resume(self) -> None:
        if self.task is not None:
            self.task.resume()
            self.changed.emit()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def stop(self) -> None:
        """QGIS is closing: the photos not done stay queued in the session, offered next time."""
        if self.task is not None:
            self.task.stop()
            self.task.waitForFinished(5000)

    # --- an opened session ----------------------------------------------------------------------
    def check_interrupted(self, session) -> int:
        """Offer the photos an interrupted batch of `session` left undone; returns how many."""
        if self.task is not None or session is None:
            return 0
        table = BatchTable(session.path, session.busy_timeout_s)  # a read: WAL readers never wait
        try:
            self.offer = table.unfinished(set(session.photo_ids()))
        finally:
            table.close()
        self.resumeOffered.emit(len(self.offer))
        return len(self.offer)

    # --- the task -------------------------------------------------------------------------------
    def _hand_over(self, photos: list[BatchPhoto], resume: bool) -> bool:
        session = self.review.ensure_session()
        client = self.client_of()
        if session is None or client is None:
            return False
        if self.task is None or not self.task.add(uuid.uuid4().hex[:12], photos, resume):
            self._new_task(client, session)
            self.task.add(uuid.uuid4().hex[:12], photos, resume)
            QgsApplication.taskManager().addTask(self.task)
        self.changed.emit()
        return True

    def _new_task(self, client: WorkerClient, session) -> None:
        self.photos, self.durations, self.not_found = {}, [], set()
        task = BatchTask(client, session.path, set(session.photo_ids()))
        task.planned.connect(self._planned)
        task.photoChanged.connect(self._photo_changed)
        task.photoLocated.connect(self._located)
        task.photoProgress.connect(self._progress)
        task.taskCompleted.connect(lambda: self._ended(task))
        task.taskTerminated.connect(lambda: self._ended(task))
        self.task = task

    def _planned(self, photos: list) -> None:
        for photo in photos:
            self.photos[photo.sha256] = photo
        self.photosPlanned.emit(photos)
        self.changed.emit()

    def _photo_changed(self, sha256: str, state: str, text: str) -> None:
        photo = self.photos.get(sha256)
        if photo is None:
            return
        if state == RUNNING:
            self._started_at, self.current_fraction = time.monotonic(), 0.0
        elif state == DONE and self._started_at is not None and not self.paused():
            self.durations.append(time.monotonic() - self._started_at)
        photo.state, photo.error = state, text if state == FAILED else ""
        if state == DONE and text == "not_found":
            self.not_found.add(sha256)
        self.photoChanged.emit(sha256)
        self.changed.emit()

    def _located(self, sha256: str, collection: dict) -> None:
        """A result: into the review session (journaled at once), then the task may mark it done."""
        try:
            written = self.review.add_result(collection) is not None
        except Exception as exc:  # never an exception dialog; the photo is failed, the batch goes on
            QgsMessageLog.logMessage(f"batch result: {exc}", LOG_TAG, Qgis.Critical)
            written = False
        if self.task is not None:
            self.task.acknowledge(written)

    def _progress(self, fraction: float) -> None:
        self.current_fraction = max(0.0, fraction)
        self.photoProgress.emit(self.current_fraction)
        self.changed.emit()

    def _ended(self, task: BatchTask) -> None:
        if task is not self.task:
            return
        self.task = None
        counts = self.counts()
        if task.error:
            self.message.emit(
                translate("BatchQueue", "The batch stopped: {}").format(task.error), Qgis.Critical
            )
        self.message.emit(
            translate("BatchQueue", "Batch: {} of {} photos done, {} failed, {} cancelled.").format(
                counts[DONE], counts["total"], counts[FAILED], counts[CANCELLED]
            ),
            Qgis.Info,
        )
        self.changed.emit()


def _discard(session_path: str, keys: list[str]) -> None:
    table = BatchTable(session_path)
    try:
        table.discard(keys)
    finally:
        table.close()
