"""Index sources: open georeferenced rasters (GeoTIFF/COG, folders, VRT, MBTiles) and read windows.

Reads are resampled by GDAL (rasterio out_shape), never by hand. RGB comes from the first three
bands (one band is repeated as grey); non-8-bit data is stretched per source between the 2nd and
98th percentile of valid pixels, computed once from a decimated read.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError
from rasterio.windows import Window
from rasterio.windows import from_bounds as window_from_bounds

from . import crs as crs_mod
from .checksum import file_sha256
from .errors import InputError

EXTRA_KEYS = (
    "year",
    "service",
)  # a source's label and the tile service it was fetched from (index/services.py)
RASTER_SUFFIXES = (".tif", ".tiff", ".vrt", ".mbtiles", ".jp2", ".img", ".gpkg")


@dataclass
class RasterSource:
    path: str
    crs: str
    transform: Affine
    width: int
    height: int
    count: int
    dtype: str
    nodata: float | None
    bounds_wgs84: tuple[float, float, float, float]
    stretch: list[tuple[float, float]] | None = None
    sha256: str = ""
    size_bytes: int = 0
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "crs": self.crs,
            "transform": list(self.transform)[:6],
            "width": self.width,
            "height": self.height,
            "count": self.count,
            "dtype": self.dtype,
            "nodata": self.nodata,
            "bounds_wgs84": list(self.bounds_wgs84),
            "stretch": [list(s) for s in self.stretch] if self.stretch else None,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            **self.extra,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RasterSource:
        return cls(
            path=d["path"],
            crs=d["crs"],
            transform=Affine(*d["transform"]),
            width=d["width"],
            height=d["height"],
            count=d["count"],
            dtype=d["dtype"],
            nodata=d["nodata"],
            bounds_wgs84=tuple(d["bounds_wgs84"]),
            stretch=[tuple(s) for s in d["stretch"]] if d.get("stretch") else None,
            sha256=d.get("sha256", ""),
            size_bytes=d.get("size_bytes", 0),
            extra={k: d[k] for k in EXTRA_KEYS if k in d},
        )


def expand_sources(paths: list[str | os.PathLike]) -> list[str]:
    """Files as given; folders expanded to the rasters they contain (sorted, recursive)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                str(f.resolve())
                for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in RASTER_SUFFIXES
            )
            if not found:
                raise InputError(
                    f"{path}: no rasters found in this folder",
                    f"expected files ending in {', '.join(RASTER_SUFFIXES)}",
                )
            out.extend(found)
        elif path.is_file():
            out.append(str(path.resolve()))
        else:
            raise InputError(f"{path}: no such file or folder", "check the path")
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def _open(path: str):
    try:
        return rasterio.open(path)
    except (RasterioIOError, OSError) as exc:
        raise InputError(
            f"{path}: not a readable raster ({str(exc).splitlines()[0][:160]})",
            "give a GeoTIFF/COG, VRT or MBTiles file",
        ) from exc


def open_source(path: str, checksum: bool = True) -> RasterSource:
    """Validate a raster for indexing; InputError naming the file when it cannot be used."""
    with _open(path) as ds:
        if ds.crs is None or not ds.crs.to_wkt():
            raise InputError(
                f"{path}: raster has no CRS (coordinate reference system)",
                "georeference it first, e.g. gdal_translate -a_srs EPSG:xxxx or QGIS Georeferencer",
            )
        if ds.transform == Affine.identity():
            raise InputError(
                f"{path}: raster has no geotransform (GCP-only rasters are not supported)",
                "warp it to a map CRS first, e.g. gdalwarp",
            )
        if ds.count < 1 or ds.width < 8 or ds.height < 8:
            raise InputError(f"{path}: raster is empty or too small ({ds.width}x{ds.height})", "")
        crs_key = crs_mod.crs_key(ds.crs)
        try:
            west, south, east, north = _wgs84_bounds(ds.width, ds.height, ds.transform, crs_key)
        except Exception as exc:
            raise InputError(
                f"{path}: its extent cannot be transformed to longitude/latitude", "check the raster's CRS"
            ) from exc
        if not (-180.5 <= west <= east <= 180.5 and -90.5 <= south <= north <= 90.5) or not all(
            map(math.isfinite, (west, south, east, north))
        ):
            raise InputError(
                f"{path}: raster lies outside the Earth's longitude/latitude range "
                f"({west:.3f}, {south:.3f}, {east:.3f}, {north:.3f})",
                "its CRS is probably wrong; fix the georeference",
            )
        src = RasterSource(
            path=str(path),
            crs=crs_key,
            transform=ds.transform,
            width=ds.width,
            height=ds.height,
            count=ds.count,
            dtype=ds.dtypes[0],
            nodata=ds.nodata,
            bounds_wgs84=(west, south, east, north),
        )
        if src.dtype != "uint8":
            src.stretch = _percentile_stretch(ds)
    if checksum:
        src.sha256 = file_sha256(path)
        src.size_bytes = os.path.getsize(path)
    return src


def _wgs84_bounds(
    width: int, height: int, transform: Affine, crs_key: str
) -> tuple[float, float, float, float]:
    from .grid import window_polygon

    return tuple(window_polygon(0, 0, width, height, transform, crs_key, segments=16).bounds)


def _bands(count: int) -> list[int]:
    return [1, 2, 3] if count >= 3 else [1, 1, 1]


def _percentile_stretch(ds) -> list[tuple[float, float]]:
    scale = max(1.0, max(ds.width, ds.height) / 1024)
    shape = (max(1, int(ds.height / scale)), max(1, int(ds.width / scale)))
    limits = []
    for b in _bands(ds.count):
        band = ds.read(b, out_shape=shape, resampling=Resampling.nearest, masked=True)
        vals = band.compressed().astype(np.float64)
        vals = vals[np.isfinite(vals)]
        if vals.size == 0:
            limits.append((0.0, 1.0))
            continue
        lo, hi = np.percentile(vals, [2, 98])
        limits.append((float(lo), float(hi if hi > lo else lo + 1)))
    return limits


def to_uint8(data: np.ndarray, stretch: list[tuple[float, float]] | None) -> np.ndarray:
    """(3, H, W) band data -> (H, W, 3) uint8."""
    if data.dtype == np.uint8 and not stretch:
        return np.ascontiguousarray(np.moveaxis(data, 0, -1))
    out = np.empty(data.shape[1:] + (3,), np.uint8)
    for i in range(3):
        lo, hi = stretch[i] if stretch else (float(np.nanmin(data[i])), float(np.nanmax(data[i])) + 1e-9)
        band = (data[i].astype(np.float32) - lo) * (255.0 / max(hi - lo, 1e-9))
        out[..., i] = np.clip(np.nan_to_num(band), 0, 255).astype(np.uint8)
    return out


class SourceReader:
    """Keeps one raster open for many window reads."""

    def __init__(self, source: RasterSource):
        self.source = source
        self.ds = _open(source.path)

    def close(self) -> None:
        self.ds.close()

    def __enter__(self) -> SourceReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def read(
        self,
        col: float,
        row: float,
        width: float,
        height: float,
        out_w: int,
        out_h: int,
        resampling: Resampling = Resampling.average,
    ) -> tuple[np.ndarray, float]:
        """RGB uint8 (out_h, out_w, 3) of a window (may extend beyond the raster) and its valid fraction."""
        ds, src = self.ds, self.source
        window = Window(col, row, width, height)
        inside = col >= 0 and row >= 0 and col + width <= src.width and row + height <= src.height
        kwargs: dict[str, Any] = {"window": window, "out_shape": (3, out_h, out_w), "resampling": resampling}
        if not inside:
            kwargs.update(boundless=True, fill_value=src.nodata if src.nodata is not None else 0)
        data = ds.read(_bands(src.count), **kwargs)
        mask_kwargs = {k: v for k, v in kwargs.items() if k not in ("out_shape", "fill_value")}
        mask = ds.read_masks(1, out_shape=(out_h, out_w), **mask_kwargs)
        valid = float(np.count_nonzero(mask)) / mask.size
        rgb = to_uint8(data, src.stretch)
        if valid < 1.0:
            rgb[mask == 0] = 0
        return rgb, valid


def read_tile(
    reader: SourceReader, window: list[int] | tuple[int, int, int, int], size: int
) -> tuple[np.ndarray, float]:
    col, row, w, h = window
    return reader.read(col, row, w, h, size, size)


def read_region(
    source: RasterSource | str,
    bounds: tuple[float, float, float, float] | None = None,
    window: tuple[float, float, float, float] | None = None,
    resolution: float | None = None,
    max_side: int = 2048,
) -> tuple[np.ndarray, Affine, str]:
    """Read any region of a source (crossing tile borders, beyond the raster edge) for matching.

    Give either `bounds` (xmin, ymin, xmax, ymax in the source CRS) or a pixel `window`
    (col, row, width, height). `resolution` is the wanted ground size of an output pixel in
    source CRS units (default: native), capped so the longer side is at most `max_side`.
    Returns (rgb uint8 HxWx3, affine from array pixel to source CRS, source CRS).
    """
    src = source if isinstance(source, RasterSource) else open_source(source, checksum=False)
    if window is None:
        if bounds is None:
            raise ValueError("give bounds or window")
        w = window_from_bounds(*bounds, transform=src.transform)
        window = (w.col_off, w.row_off, w.width, w.height)
    col, row, width, height = (float(v) for v in window)
    native = math.hypot(src.transform.a, src.transform.d)
    factor = (resolution / native) if resolution else 1.0
    out_w, out_h = max(1, round(width / factor)), max(1, round(height / factor))
    shrink = max(out_w, out_h) / max_side
    if shrink > 1:
        out_w, out_h = max(1, round(out_w / shrink)), max(1, round(out_h / shrink))
    with SourceReader(src) as reader:
        rgb, _ = reader.read(col, row, width, height, out_w, out_h, Resampling.bilinear)
    transform = src.transform @ Affine.translation(col, row) @ Affine.scale(width / out_w, height / out_h)
    return rgb, transform, src.crs
