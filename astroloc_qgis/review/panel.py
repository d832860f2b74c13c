"""The Review tab: session, counts, the queue ordered by confidence, and buttons mirroring the canvas keys.

Only shows things and emits `actionRequested(action, argument)`; ReviewMode (review/mode.py) does the work.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..definitions import STATUS_COLOURS, STATUSES, status_heading, status_label
from ..engine.protocol import ADAPT_MIN_CONFIRMATIONS
from .controller import HIGHEST_FIRST, LOWEST_FIRST

ROLE_ID = Qt.UserRole


class ReviewPanel(QWidget):
    actionRequested = pyqtSignal(str, int)  # confirm, reject, edit, choose k, next, prev, undo, redo, retry
    photoSelected = pyqtSignal(str)
    orderChanged = pyqtSignal(str)
    openRequested = pyqtSignal()
    newRequested = pyqtSignal()
    exportRequested = pyqtSignal()
    # the index adaptation (review/adapt.py): start (force: past the guard), cancel, back again
    adaptRequested = pyqtSignal(bool)
    adaptCancelRequested = pyqtSignal()
    adaptUndoRequested = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self._add_session_row(layout)
        self._add_counts(layout)
        self._add_queue(layout)
        self._add_decision_buttons(layout)
        self._add_candidate_buttons(layout)
        self._add_message_row(layout)
        self._add_adapt_rows(layout)
        self._add_bottom_row(layout)
        self._adapting = False
        self._confirmations = 0
        self.show_session(None)

    # ------------------------------------------------------------------ building, top to bottom
    def _add_session_row(self, layout: QVBoxLayout) -> None:
        session_row = QHBoxLayout()
        self.session_label = QLabel(self.tr("No review session open."), self)
        self.session_label.setWordWrap(True)
        self.session_label.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        session_row.addWidget(self.session_label, 1)
        self.open_button = QToolButton(self)
        self.open_button.setText(self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Open a review session (GeoPackage)"))
        self.open_button.clicked.connect(self.openRequested)
        session_row.addWidget(self.open_button)
        self.new_button = QToolButton(self)
        self.new_button.setText(self.tr("New…"))
        self.new_button.setToolTip(self.tr("Create a new review session"))
        self.new_button.clicked.connect(self.newRequested)
        session_row.addWidget(self.new_button)
        layout.addLayout(session_row)

    def _add_counts(self, layout: QVBoxLayout) -> None:
        self.counts_label = QLabel(self)
        self.counts_label.setTextFormat(Qt.RichText)
        self.counts_label.setObjectName("reviewCounts")
        layout.addWidget(self.counts_label)

    def _add_queue(self, layout: QVBoxLayout) -> None:
        order_row = QHBoxLayout()
        order_row.addWidget(QLabel(self.tr("Order"), self))
        self.order_combo = QComboBox(self)
        self.order_combo.addItem(self.tr("Lowest confidence first"), LOWEST_FIRST)
        self.order_combo.addItem(self.tr("Highest confidence first"), HIGHEST_FIRST)
        self.order_combo.currentIndexChanged.connect(
            lambda i: self.orderChanged.emit(self.order_combo.itemData(i))
        )
        order_row.addWidget(self.order_combo, 1)
        layout.addLayout(order_row)

        self.queue = QTreeWidget(self)
        self.queue.setColumnCount(3)
        self.queue.setHeaderLabels([self.tr("Status"), self.tr("Photo"), self.tr("Confidence")])
        self.queue.setRootIsDecorated(False)
        self.queue.setSelectionMode(QAbstractItemView.SingleSelection)
        self.queue.setAlternatingRowColors(True)
        self.queue.header().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.queue.header().setSectionResizeMode(1, QHeaderView.Stretch)
        self.queue.itemClicked.connect(lambda item, _c: self.photoSelected.emit(item.data(0, ROLE_ID)))
        layout.addWidget(self.queue, 1)

        self.current_label = QLabel(self)
        self.current_label.setWordWrap(True)
        self.current_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.current_label)

    def _add_decision_buttons(self, layout: QVBoxLayout) -> None:
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for col, (action, text, key) in enumerate(
            (
                ("confirm", self.tr("Confirm"), "A"),
                ("reject", self.tr("Reject"), "R"),
                ("edit", self.tr("Edit"), "E"),
            )
        ):
            grid.addWidget(self._button(action, f"{text} ({key})", key), 0, col)
        for col, (action, text, key) in enumerate(
            (("prev", self.tr("Previous"), "P"), ("next", self.tr("Next"), "N"))
        ):
            grid.addWidget(self._button(action, f"{text} ({key})", key), 1, col)
        undo_row = QHBoxLayout()
        undo_row.addWidget(self._button("undo", self.tr("Undo"), "Ctrl+Z"))
        undo_row.addWidget(self._button("redo", self.tr("Redo"), "Ctrl+Shift+Z"))
        grid.addLayout(undo_row, 1, 2)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        layout.addLayout(grid)

    def _add_candidate_buttons(self, layout: QVBoxLayout) -> None:
        cand_row = QHBoxLayout()
        cand_row.addWidget(QLabel(self.tr("Candidate"), self))
        self.candidate_buttons: list[QToolButton] = []
        for k in range(1, 10):
            button = QToolButton(self)
            button.setText(str(k))
            button.setToolTip(self.tr("Take candidate {0} as the answer (key {0})").format(k))
            button.clicked.connect(lambda _=False, k=k: self.actionRequested.emit("choose", k))
            cand_row.addWidget(button)
            self.candidate_buttons.append(button)
        cand_row.addStretch(1)
        layout.addLayout(cand_row)

    def _add_message_row(self, layout: QVBoxLayout) -> None:
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        self.retry_button = QPushButton(self.tr("Retry writing"), self)
        self.retry_button.clicked.connect(lambda: self.actionRequested.emit("retry", 0))
        self.retry_button.setVisible(False)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message_label, 1)
        message_row.addWidget(self.retry_button)
        layout.addLayout(message_row)

    def _add_adapt_rows(self, layout: QVBoxLayout) -> None:
        """Improve the index with the session's confirmations: the button, its progress and cancel,
        "adapt anyway" after the guard refused, and the way back to the previous index."""
        row = QHBoxLayout()
        self.adapt_button = QPushButton(self)
        self.adapt_button.setObjectName("adaptButton")
        self.adapt_button.clicked.connect(lambda: self.adaptRequested.emit(False))
        row.addWidget(self.adapt_button, 1)
        self.adapt_force_button = QPushButton(self.tr("Adapt anyway"), self)
        self.adapt_force_button.setToolTip(
            self.tr("Adapt although the check on your confirmed photos says it does not help them")
        )
        self.adapt_force_button.clicked.connect(lambda: self.adaptRequested.emit(True))
        self.adapt_force_button.setVisible(False)
        row.addWidget(self.adapt_force_button)
        layout.addLayout(row)
        progress_row = QHBoxLayout()
        self.adapt_progress = QProgressBar(self)
        self.adapt_progress.setRange(0, 100)
        self.adapt_progress.setTextVisible(True)
        progress_row.addWidget(self.adapt_progress, 1)
        self.adapt_cancel_button = QToolButton(self)
        self.adapt_cancel_button.setText(self.tr("Cancel"))
        self.adapt_cancel_button.setToolTip(self.tr("Stop improving the index (the index stays as it is)"))
        self.adapt_cancel_button.clicked.connect(self.adaptCancelRequested)
        progress_row.addWidget(self.adapt_cancel_button)
        layout.addLayout(progress_row)
        self.adapt_undo_button = QPushButton(self)
        self.adapt_undo_button.setObjectName("adaptUndoButton")
        self.adapt_undo_button.clicked.connect(self.adaptUndoRequested)
        layout.addWidget(self.adapt_undo_button)
        for widget in (self.adapt_progress, self.adapt_cancel_button, self.adapt_undo_button):
            widget.setVisible(False)

    def _add_bottom_row(self, layout: QVBoxLayout) -> None:
        bottom = QHBoxLayout()
        self.keys_label = QLabel(
            self.tr(
                "Keys on the map: A confirm · R reject · E edit (E/Enter save, Esc "
                "cancel) · 1-9 candidate · N/P next/previous · Ctrl+Z/Ctrl+Shift+Z "
                "undo/redo"
            ),
            self,
        )
        self.keys_label.setWordWrap(True)
        self.keys_label.setStyleSheet("color: palette(mid);")
        bottom.addWidget(self.keys_label, 1)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setToolTip(self.tr("Export confirmed and edited footprints (GeoPackage)"))
        self.export_button.clicked.connect(self.exportRequested)
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)

    def _button(self, action: str, text: str, key: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(self.tr("Key {0} when the map has focus").format(key))
        button.clicked.connect(lambda: self.actionRequested.emit(action, 0))
        self.buttons[action] = button
        return button

    # ------------------------------------------------------------------ display
    def show_session(self, path: str | None) -> None:
        if path:
            self.session_label.setText(self.tr("Session: {0}").format(path))
            self.session_label.setToolTip(path)
        else:
            self.session_label.setText(
                self.tr(
                    "No review session open: results are recorded in a new "
                    "session as they arrive, or open one."
                )
            )
        for widget in (
            *self.buttons.values(),
            *self.candidate_buttons,
            self.export_button,
            self.queue,
            self.order_combo,
        ):
            widget.setEnabled(bool(path))
        self._has_session = bool(path)
        self.show_confirmations(0)

    def show_counts(self, counts: dict[str, int]) -> None:
        parts = []
        for status in STATUSES:
            parts.append(
                f"<span style='color:{STATUS_COLOURS[status]}'>&#9632;</span> {status_heading(status)} "
                f"<b>{counts.get(status, 0)}</b>"
            )
        self.counts_label.setText("&nbsp;&nbsp;".join(parts))
        self.show_confirmations(counts.get("confirmed", 0) + counts.get("edited", 0))

    # ------------------------------------------------------------------ the index adaptation
    def show_confirmations(self, n: int) -> None:
        """The adapt button for the session's `n` confirmed and edited photos: off (saying why)
        below the engine's minimum, without a session, or while an adaptation runs."""
        self._confirmations = n
        self.adapt_button.setText(self.tr("Improve the index with {0} confirmations").format(n))
        if not self._has_session:
            why = self.tr("Open a review session first")
        elif n < ADAPT_MIN_CONFIRMATIONS:
            why = self.tr(
                "Improving the index needs at least {0} confirmed or edited photos; this session has {1}"
            ).format(ADAPT_MIN_CONFIRMATIONS, n)
        elif self._adapting:
            why = self.tr("The index is being improved")
        else:
            why = ""
        self.adapt_button.setEnabled(not why)
        self.adapt_button.setToolTip(
            why
            or self.tr(
                "Learn from the confirmed and edited footprints of this session: an adapted copy of "
                "the chosen index, which the Locate tab then uses (the current index is kept)"
            )
        )

    def set_adapting(self, running: bool) -> None:
        self._adapting = running
        self.adapt_progress.setValue(0)
        self.adapt_progress.setFormat(self.tr("Starting…"))
        self.adapt_progress.setVisible(running)
        self.adapt_cancel_button.setVisible(running)
        if running:
            self.adapt_force_button.setVisible(False)
        self.show_confirmations(self._confirmations)

    def show_adapt_progress(self, percent: float, text: str) -> None:
        self.adapt_progress.setValue(int(max(0.0, min(100.0, percent))))
        self.adapt_progress.setFormat(f"%p% {text}" if text else "%p%")

    def offer_force(self, shown: bool) -> None:
        self.adapt_force_button.setVisible(shown)

    def show_adapt_undo(self, previous: str | None) -> None:
        """The way back after an adaptation: "Undo: back to <previous index>" (None: hidden)."""
        self.adapt_undo_button.setVisible(bool(previous))
        if previous:
            self.adapt_undo_button.setText(self.tr("Undo: back to {0}").format(previous))
            self.adapt_undo_button.setToolTip(
                self.tr("Use the index before the adaptation again (the adapted one stays in the index list)")
            )

    def show_queue(self, photos: list[dict], current_id: str | None) -> None:
        self.queue.blockSignals(True)
        self.queue.clear()
        current_item = None
        for photo in photos:
            conf = photo.get("confidence")
            item = QTreeWidgetItem(
                [
                    status_label(photo["status"]),
                    photo.get("name") or "",
                    "" if conf is None else f"{conf:.2f}",
                ]
            )
            item.setData(0, ROLE_ID, photo["photo_id"])
            item.setForeground(0, QBrush(QColor(STATUS_COLOURS.get(photo["status"], "#000000"))))
            item.setTextAlignment(2, Qt.AlignRight | Qt.AlignVCenter)
            self.queue.addTopLevelItem(item)
            if photo["photo_id"] == current_id:
                current_item = item
        if current_item is not None:
            self.queue.setCurrentItem(current_item)
            self.queue.scrollToItem(current_item)
        self.queue.blockSignals(False)

    def show_current(
        self, photo: dict | None, footprint: dict | None, n_candidates: int, position: int, total: int
    ) -> None:
        for k, button in enumerate(self.candidate_buttons, start=1):
            button.setEnabled(photo is not None and k <= n_candidates)
        if photo is None:
            self.current_label.setText(self.tr("Nothing to review."))
            return
        conf = photo.get("confidence")
        lines = [
            f"<b>{photo.get('name')}</b> ({position + 1}/{total}) — {status_label(photo['status'])}",
            self.tr("confidence {0}").format("–" if conf is None else f"{conf:.2f}"),
        ]
        if footprint:
            lines.append(
                self.tr("footprint: {0}, {1:.1f} km²").format(
                    footprint.get("method") or "–", footprint.get("area_km2") or 0.0
                )
            )
        else:
            lines.append(
                self.tr("no footprint: take a candidate (1-{0}) or reject").format(min(9, n_candidates))
            )
        self.current_label.setText("<br>".join(lines))

    def show_message(self, text: str, error: bool, pending: int) -> None:
        self.message_label.setVisible(bool(text))
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c0392b;" if error else "")
        self.retry_button.setVisible(pending > 0)

    def order(self) -> str:
        """LOWEST_FIRST or HIGHEST_FIRST, as chosen in the Order list."""
        return self.order_combo.currentData()

    def message_shown(self) -> bool:
        """A message is on show that is not about decisions waiting to be written."""
        return bool(self.message_label.text()) and not self.retry_button.isVisible()

    def set_editing(self, editing: bool) -> None:
        self.buttons["edit"].setText(self.tr("Save edit (E)") if editing else self.tr("Edit (E)"))
