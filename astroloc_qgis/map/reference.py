"""Reference imagery beside the photo, read by QGIS (GDAL) straight from the index's sources.

The engine names, for every candidate, the source raster and the pixel window of the tile it
was matched to (`protocol.reference_window`). Here:
- the *reference layer* of a photo's group: a VRT window of the matched candidate's source
  around the footprint (the footprint's bounding box in the source's pixels grown by `MARGIN` of
  its size on every side; without a footprint, around the best candidate's tile), so QGIS reads
  the source's own pixels and CRS and nothing is copied;
- its *frame*: the window's outline, labelled "Reference — <source> <year>";
- *thumbnails* of each candidate's tile (`THUMBNAIL_PX` long side, PNG), cached by source,
  modification time and window.
Runs in a task thread (GDAL only); a source that is gone gives no reference, not an error.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from osgeo import gdal, osr
from qgis.core import QgsApplication, QgsRasterLayer

from ..engine.protocol import CANDIDATE, FOOTPRINT, features_of_kind, matched_candidate, reference_window
from ..translate import translate

MARGIN = 0.5  # of the footprint's size, on each side: the surroundings to compare with
THUMBNAIL_PX = 56
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_DATE_KEYS = ("ACQUISITIONDATETIME", "ACQUISITION_DATE", "DATE_ACQUIRED", "TIFFTAG_DATETIME")


@dataclass
class ReferenceWindow:
    """A pixel window of one source raster, and where it lies on the ground."""

    source: str
    window: tuple[int, int, int, int]  # col, row, width, height
    corners_lonlat: list[tuple[float, float]]  # UL, UR, LR, LL
    year: str

    @property
    def label(self) -> str:
        name = Path(self.source).stem
        return f"{name} ({self.year})" if self.year else name


def source_year(dataset) -> str:
    """The capture year of a source: its acquisition/date metadata, else a year in its name."""
    metadata = dataset.GetMetadata() or {}
    for key in _DATE_KEYS:
        found = _YEAR.search(str(metadata.get(key, "")))
        if found:
            return found.group(1)
    found = _YEAR.search(Path(dataset.GetDescription()).stem)
    return found.group(1) if found else ""


class _Pixels:
    """Lon/lat <-> pixel of one raster (its geotransform and CRS)."""

    def __init__(self, dataset):
        self.forward = dataset.GetGeoTransform()
        self.inverse = gdal.InvGeoTransform(self.forward)
        raster = osr.SpatialReference(wkt=dataset.GetProjection())
        wgs84 = osr.SpatialReference()
        wgs84.ImportFromEPSG(4326)
        for srs in (raster, wgs84):
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        self.to_raster = osr.CoordinateTransformation(wgs84, raster)
        self.to_wgs84 = osr.CoordinateTransformation(raster, wgs84)

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        x, y, _z = self.to_raster.TransformPoint(lon, lat)
        return gdal.ApplyGeoTransform(self.inverse, x, y)

    def lonlat(self, col: float, row: float) -> tuple[float, float]:
        x, y = gdal.ApplyGeoTransform(self.forward, col, row)
        lon, lat, _z = self.to_wgs84.TransformPoint(x, y)
        return lon, lat


def _footprint_lonlat(collection: dict) -> list[tuple[float, float]]:
    footprint = next(iter(features_of_kind(collection, FOOTPRINT)), None)
    if footprint is None:
        return []
    corners = footprint["properties"].get("corners")
    if not corners:
        corners = footprint["geometry"]["coordinates"][0][:4]
    return [(float(lon), float(lat)) for lon, lat in corners]


def unreadable_source(collection: dict) -> str | None:
    """The matched candidate's source path when this machine cannot read it (the index was built
    elsewhere, or the file moved); None when it can, or when the result names none."""
    candidate = matched_candidate(collection)
    named = reference_window(candidate) if candidate else None
    if named is None or (Path(named[0]).is_file() and gdal.Open(named[0]) is not None):
        return None
    return named[0]


def reference_window_of(collection: dict) -> ReferenceWindow | None:
    """The reference around the footprint (around the best candidate without one); None when
    the result names no readable source."""
    candidate = matched_candidate(collection)
    named = reference_window(candidate) if candidate else None
    if named is None:
        return None
    source, (col, row, width, height) = named
    dataset = gdal.Open(source) if Path(source).is_file() else None
    if dataset is None:
        return None
    pixels = _Pixels(dataset)
    points = [pixels.pixel(lon, lat) for lon, lat in _footprint_lonlat(collection)]
    points = points or [(col, row), (col + width, row + height)]  # not placed: around the best tile
    cols, rows = [p[0] for p in points], [p[1] for p in points]
    grow_x, grow_y = MARGIN * (max(cols) - min(cols)), MARGIN * (max(rows) - min(rows))
    left = max(0, int(min(cols) - grow_x))
    top = max(0, int(min(rows) - grow_y))
    right = min(dataset.RasterXSize, int(max(cols) + grow_x + 1))
    bottom = min(dataset.RasterYSize, int(max(rows) + grow_y + 1))
    if right <= left or bottom <= top:
        return None
    corners = [pixels.lonlat(c, r) for c, r in ((left, top), (right, top), (right, bottom), (left, bottom))]
    return ReferenceWindow(source, (left, top, right - left, bottom - top), corners, source_year(dataset))


def write_reference_vrt(reference: ReferenceWindow, out_dir: str | Path, stem: str) -> str | None:
    """A VRT of the window: QGIS reads the source's pixels through it (no copy)."""
    out = Path(out_dir) / f"astroloc_reference_{stem}.vrt"
    dataset = gdal.Open(reference.source)
    if dataset is None:
        return None
    bands = [1, 2, 3] if dataset.RasterCount >= 3 else [1]
    vrt = gdal.Translate(str(out), dataset, format="VRT", srcWin=list(reference.window), bandList=bands)
    if vrt is None:
        return None
    vrt = None  # closes and writes the file
    return str(out)


def reference_layer(path: str, reference: ReferenceWindow) -> QgsRasterLayer | None:
    layer = QgsRasterLayer(path, reference_name(reference), "gdal")
    return layer if layer.isValid() else None


def reference_name(reference: ReferenceWindow) -> str:
    return translate("ResultLayers", "Reference — {}").format(reference.label)


# --- thumbnails of the candidates --------------------------------------------------------
def thumbnail_dir() -> Path:
    return Path(QgsApplication.qgisSettingsDirPath()) / "astroloc" / "thumbnails"


def candidate_thumbnails(collection: dict, folder: Path | None = None) -> dict[int, str]:
    """tile_id -> a small PNG of the candidate's tile, rendered once per source version and window."""
    folder = folder or thumbnail_dir()
    out: dict[int, str] = {}
    for candidate in features_of_kind(collection, CANDIDATE):
        named = reference_window(candidate)
        tile = candidate["properties"].get("tile_id")
        if named is None or tile is None or not Path(named[0]).is_file():
            continue
        path = _thumbnail(named[0], named[1], folder)
        if path:
            out[int(tile)] = path
    return out


def _thumbnail(source: str, window: tuple[int, int, int, int], folder: Path) -> str | None:
    stat = Path(source).stat()
    key = hashlib.sha1(
        f"{Path(source).resolve()}|{stat.st_mtime_ns}|{stat.st_size}|{window}|{THUMBNAIL_PX}".encode()
    ).hexdigest()[:20]
    out = folder / f"{key}.png"
    if out.is_file():
        return str(out)
    folder.mkdir(parents=True, exist_ok=True)
    dataset = gdal.Open(source)
    if dataset is None:
        return None
    col, row, width, height = window
    scale = THUMBNAIL_PX / max(width, height)
    bands = [1, 2, 3] if dataset.RasterCount >= 3 else [1]
    partial = folder / f"{key}.part.png"
    written = gdal.Translate(
        str(partial),
        dataset,
        format="PNG",
        srcWin=list(window),
        bandList=bands,
        width=max(1, round(width * scale)),
        height=max(1, round(height * scale)),
        resampleAlg="average",
        creationOptions=["WORLDFILE=NO"],
    )
    if written is None:
        return None
    written = None
    Path(f"{partial}.aux.xml").unlink(missing_ok=True)  # a thumbnail needs no georeferencing
    partial.replace(out)  # whole files only: a thumbnail read while written is never half a PNG
    return str(out)
