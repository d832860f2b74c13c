"""Photos dropped on the map canvas go to AstroLoc; georeferenced rasters stay normal layers."""
from __future__ import annotations

from collections.abc import Callable

from qgis.gui import QgsCustomDropHandler

from .photos import wants_canvas_drop


class PhotoDropHandler(QgsCustomDropHandler):
    def __init__(self, on_photos: Callable[[list[str]], None]):
        super().__init__()
        self._on_photos = on_photos

    def handleFileDrop(self, file: str) -> bool:  # noqa: N802 - QGIS override
        if not wants_canvas_drop(file):
            return False
        self._on_photos([file])
        return True
