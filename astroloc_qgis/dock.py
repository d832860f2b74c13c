"""The AstroLoc dock: its two tabs, Locate (locate/panel.py) and Review (review/panel.py).

Photos dropped anywhere on the dock (from the file manager) go to the Locate tab.
"""

from __future__ import annotations

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent, QIcon
from qgis.PyQt.QtWidgets import QAction, QTabWidget, QWidget

from .locate.panel import LocatePanel
from .paths import icon_path
from .review.panel import ReviewPanel


def local_paths(event: QDropEvent) -> list[str]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class AstroLocDock(QgsDockWidget):
    tabChanged = pyqtSignal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("AstroLoc"))
        self.setObjectName("AstroLocDock")
        self.setAcceptDrops(True)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("AstroLocTabs")
        self.locate = LocatePanel(self.tabs)
        self.review = ReviewPanel(self.tabs)
        self.tabs.addTab(self.locate, self.tr("Locate"))
        self.tabs.addTab(self.review, self.tr("Review"))
        self.tabs.currentChanged.connect(lambda _index: self.tabChanged.emit())
        self.setWidget(self.tabs)
        self._add_coverage_action()
        self._add_build_action()

    def _add_coverage_action(self) -> None:
        """Show or hide the chosen index's coverage layer (its tile table), from the index row."""
        self.coverage_action = QAction(QIcon(icon_path("coverage")), self.tr("Index coverage"), self)
        self.coverage_action.setCheckable(True)
        self.coverage_action.setToolTip(
            self.tr("Show the tiles of the chosen index on the map (layer 'Index coverage')")
        )
        self.locate.add_index_action(self.coverage_action)

    def _add_build_action(self) -> None:
        """Build an index from a raster layer of the project (the Processing algorithm's dialog)."""
        self.build_action = QAction(QIcon(icon_path("build_index")), self.tr("Build index from layer…"), self)
        self.build_action.setToolTip(
            self.tr("Build a tile index from an XYZ, WMTS, WMS or file layer over an area")
        )
        self.locate.add_index_action(self.build_action)

    # --- the Review tab -------------------------------------------------------------------
    def review_shown(self) -> bool:
        """The Review tab is the current one and on screen."""
        return self.tabs.currentWidget() is self.review and self.review.isVisible()

    def set_review_title(self, text: str) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.review), text)

    # --- drag and drop from the file manager --------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if local_paths(event):
            self.locate.set_drop_highlight(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # Qt override
        self.locate.set_drop_highlight(False)

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        self.locate.set_drop_highlight(False)
        paths = local_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.locate.photosDropped.emit(paths)
