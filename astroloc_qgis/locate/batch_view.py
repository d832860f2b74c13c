"""The Locate tab's batch section: the offer to resume an interrupted batch, and the running
batch's queue (each photo's status), overall progress, ETA, pause/resume and cancel.

It only reads the BatchQueue (locate/batch.py) and forwards the buttons to it.
"""

from __future__ import annotations

from qgis.PyQt.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..session.batch import CANCELLED, DONE, FAILED, QUEUED, RUNNING
from ..translate import translate
from .batch import BatchQueue, duration_text

LIST_HEIGHT = 150


def status_text(queue: BatchQueue, sha256: str) -> str:
    photo = queue.photos[sha256]
    labels = {
        QUEUED: translate("BatchView", "Waiting"),
        RUNNING: translate("BatchView", "Locating…"),
        CANCELLED: translate("BatchView", "Cancelled"),
        DONE: translate("BatchView", "No match")
        if sha256 in queue.not_found
        else translate("BatchView", "Located"),
    }
    if photo.state == FAILED:
        return translate("BatchView", "Failed: {}").format(photo.error)
    return labels.get(photo.state, photo.state)


def summary_text(queue: BatchQueue) -> str:
    counts = queue.counts()
    text = translate("BatchView", "{} of {} photos done").format(counts[DONE], counts["total"])
    if counts[FAILED]:
        text += translate("BatchView", ", {} failed").format(counts[FAILED])
    if counts[CANCELLED]:
        text += translate("BatchView", ", {} cancelled").format(counts[CANCELLED])
    eta = queue.eta()
    if queue.paused():
        text += translate("BatchView", " · paused")
    elif eta is not None and queue.running():
        text += translate("BatchView", " · about {} left").format(duration_text(eta))
    return text


class BatchView(QWidget):
    def __init__(self, queue: BatchQueue, parent: QWidget | None = None):
        super().__init__(parent)
        self.queue = queue
        self._items: dict[str, QTreeWidgetItem] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._add_offer(layout)
        self._add_batch(layout)
        queue.changed.connect(self.refresh)
        queue.photosPlanned.connect(self._add_photos)
        queue.photoChanged.connect(self._update_photo)
        queue.resumeOffered.connect(self.show_offer)
        self.show_offer(0)
        self.refresh()

    def _add_offer(self, layout: QVBoxLayout) -> None:
        self.offer = QFrame(self)
        self.offer.setFrameShape(QFrame.StyledPanel)
        row = QHBoxLayout(self.offer)
        self.offer_label = QLabel(self.offer)
        self.offer_label.setWordWrap(True)
        row.addWidget(self.offer_label, 1)
        self.resume_offer_button = QPushButton(self.tr("Resume"), self.offer)
        self.resume_offer_button.clicked.connect(self.queue.resume_interrupted)
        row.addWidget(self.resume_offer_button)
        self.discard_button = QPushButton(self.tr("Discard"), self.offer)
        self.discard_button.clicked.connect(self.queue.discard_interrupted)
        row.addWidget(self.discard_button)
        layout.addWidget(self.offer)

    def _add_batch(self, layout: QVBoxLayout) -> None:
        self.batch = QFrame(self)
        inner = QVBoxLayout(self.batch)
        inner.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel(self.batch)
        inner.addWidget(self.summary)
        row = QHBoxLayout()
        self.progress = QProgressBar(self.batch)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        row.addWidget(self.progress, 1)
        self.pause_button = QPushButton(self.tr("Pause"), self.batch)
        self.pause_button.clicked.connect(self._toggle_pause)
        row.addWidget(self.pause_button)
        self.cancel_button = QPushButton(self.tr("Cancel batch"), self.batch)
        self.cancel_button.clicked.connect(self.queue.cancel)
        row.addWidget(self.cancel_button)
        inner.addLayout(row)
        self.list = QTreeWidget(self.batch)
        self.list.setHeaderLabels([self.tr("Photo"), self.tr("Status")])
        self.list.setRootIsDecorated(False)
        self.list.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.list.setMaximumHeight(LIST_HEIGHT)
        inner.addWidget(self.list)
        layout.addWidget(self.batch)

    # --- updates from the queue -----------------------------------------------------------------
    def show_offer(self, count: int) -> None:
        self.offer_label.setText(
            self.tr("An interrupted batch left {} photo(s) of this session not done.").format(count)
        )
        self.offer.setVisible(count > 0)

    def refresh(self) -> None:
        running = self.queue.running()
        self.batch.setVisible(bool(self.queue.photos) or running)
        self.summary.setText(summary_text(self.queue))
        self.progress.setValue(round(1000 * self.queue.fraction()))
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.pause_button.setText(self.tr("Resume") if self.queue.paused() else self.tr("Pause"))

    def _toggle_pause(self) -> None:
        if self.queue.paused():
            self.queue.resume()
        else:
            self.queue.pause()

    def _add_photos(self, photos: list) -> None:
        if not self._items or all(self.queue.photos.get(sha) is None for sha in self._items):
            self.list.clear()
            self._items = {}
        for photo in photos:
            item = QTreeWidgetItem([photo.name, status_text(self.queue, photo.sha256)])
            item.setToolTip(0, photo.path)
            self.list.addTopLevelItem(item)
            self._items[photo.sha256] = item

    def _update_photo(self, sha256: str) -> None:
        item = self._items.get(sha256)
        if item is None:
            return
        item.setText(1, status_text(self.queue, sha256))
        item.setToolTip(1, item.text(1))
        if self.queue.photos[sha256].state == RUNNING:
            self.list.scrollToItem(item)
