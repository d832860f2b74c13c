"""Is this file a photo AstroLoc can use? And photos dropped on the map canvas go to AstroLoc,
while georeferenced rasters stay normal layers. (Qt image readers, else GDAL; no numpy.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from osgeo import gdal
from qgis.gui import QgsCustomDropHandler
from qgis.PyQt.QtGui import QImageReader

from ..definitions import PLAIN_PHOTO_SUFFIXES, TIFF_SUFFIXES


def _open_raster(path: str):
    """GDAL dataset or None, whether or not another plugin turned on gdal.UseExceptions()."""
    try:
        return gdal.OpenEx(path, gdal.OF_RASTER)
    except RuntimeError:
        return None


def is_readable_image(path: str) -> bool:
    return QImageReader(path).canRead() or _open_raster(path) is not None


def is_plain_image(path: str) -> bool:
    """Readable by GDAL and without georeferencing (no CRS, no GCPs)."""
    dataset = _open_raster(path)
    if dataset is None:
        return False
    return not dataset.GetProjection() and dataset.GetGCPCount() == 0


def wants_canvas_drop(path: str) -> bool:
    """Photos dropped on the map are ours; georeferenced rasters keep QGIS's default (add layer)."""
    suffix = Path(path).suffix.lower()
    if suffix in PLAIN_PHOTO_SUFFIXES:
        return True
    return suffix in TIFF_SUFFIXES and is_plain_image(path)


class PhotoDropHandler(QgsCustomDropHandler):
    def __init__(self, on_photos: Callable[[list[str]], None]):
        super().__init__()
        self._on_photos = on_photos

    def handleFileDrop(self, file: str) -> bool:  # QGIS override
        if not wants_canvas_drop(file):
            return False
        self._on_photos([file])
        return True
