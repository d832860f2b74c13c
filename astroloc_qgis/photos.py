"""Is this file a photo AstroLoc can use? (Qt image readers, else GDAL; no numpy.)"""
from __future__ import annotations

from pathlib import Path

from osgeo import gdal
from qgis.PyQt.QtGui import QImageReader

# Formats a user drops as a *photo*; a georeferenced GeoTIFF dropped on the canvas stays a layer.
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".heic", ".heif", ".jp2"}
TIFF_SUFFIXES = {".tif", ".tiff"}


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
    if suffix in PHOTO_SUFFIXES:
        return True
    return suffix in TIFF_SUFFIXES and is_plain_image(path)
