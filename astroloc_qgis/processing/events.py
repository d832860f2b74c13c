"""Signals of the Processing algorithms for the plugin's GUI (the dock), emitted in the main thread."""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, pyqtSignal


class IndexEvents(QObject):
    indexBuilt = pyqtSignal(str)  # the index folder an algorithm has just built or extended


index_events = IndexEvents()
