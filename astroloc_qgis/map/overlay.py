"""Warp the photo onto the map through its footprint (GDAL from QGIS; no numpy needed).

The four footprint corners (UL, UR, LR, LL in lon/lat) define a homography from photo
pixels to the ground. GDAL's GCP warping is polynomial or thin-plate spline, not
projective, so a 7 x 7 grid of GCPs is sampled from that homography and warped with TPS:
exact at the GCPs and within a fraction of a pixel between them. Runs in a task thread.
"""

from __future__ import annotations

from pathlib import Path

from osgeo import gdal
from qgis.core import QgsRasterLayer

from ..translate import translate

# No gdal.UseExceptions(): it is process-wide and other plugins in QGIS rely on the default.

MAX_SIDE = 1600  # the overlay is for judging the fit by eye; keep it light
GRID = 7


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8 x 8)."""
    size = len(rhs)
    rows = [row[:] + [value] for row, value in zip(matrix, rhs, strict=True)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-15:
            raise ValueError("degenerate footprint corners")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(size):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def homography(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """The 3x3 homography (row-major, h33 = 1) that maps 4 source points onto 4 targets."""
    matrix, rhs = [], []
    for (x, y), (u, v) in zip(source, target, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    return [*_solve(matrix, rhs), 1.0]


def apply(h: list[float], x: float, y: float) -> tuple[float, float]:
    w = h[6] * x + h[7] * y + h[8]
    return (h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w


def warp_photo(photo: str, corners: list[list[float]], out_path: str | Path) -> str:
    """Write an RGBA GeoTIFF (EPSG:4326) of `photo` placed on `corners` (UL, UR, LR, LL)."""
    source = gdal.Open(str(photo))
    if source is None:
        raise ValueError(f"GDAL cannot read {photo}")
    width, height = source.RasterXSize, source.RasterYSize
    scale = min(1.0, MAX_SIDE / max(width, height))
    out_w, out_h = max(1, round(width * scale)), max(1, round(height * scale))
    pixel_corners = [(0, 0), (out_w, 0), (out_w, out_h), (0, out_h)]
    h = homography(pixel_corners, [(float(c[0]), float(c[1])) for c in corners])
    gcps = []
    for i in range(GRID):
        for j in range(GRID):
            px, py = out_w * j / (GRID - 1), out_h * i / (GRID - 1)
            lon, lat = apply(h, px, py)
            gcps.append(gdal.GCP(lon, lat, 0.0, px, py))
    bands = [1, 2, 3] if source.RasterCount >= 3 else [1]
    memory = f"/vsimem/astroloc_{Path(out_path).stem}.vrt"
    vrt = gdal.Translate(
        memory,
        source,
        format="VRT",
        width=out_w,
        height=out_h,
        bandList=bands,
        GCPs=gcps,
        outputSRS="EPSG:4326",
    )
    if vrt is None:
        raise ValueError(f"GDAL cannot place {photo}: {gdal.GetLastErrorMsg()}")
    try:
        warped = gdal.Warp(
            str(out_path),
            vrt,
            format="GTiff",
            dstSRS="EPSG:4326",
            tps=True,
            dstAlpha=True,
            resampleAlg="bilinear",
            creationOptions=["COMPRESS=DEFLATE", "TILED=YES"],
        )
        if warped is None:
            raise ValueError(f"GDAL cannot warp {photo}: {gdal.GetLastErrorMsg()}")
        warped = None  # closes and flushes the file
    finally:
        vrt = None
        gdal.Unlink(memory)
    return str(out_path)


def try_warp_photo(photo: str, corners: list[list[float]] | None, out_path: str | Path) -> str | None:
    """`warp_photo`, or None when there are no 4 corners or GDAL cannot place the photo: the
    vector result is still worth showing without it."""
    if not corners or len(corners) != 4:
        return None
    try:
        return warp_photo(photo, corners, out_path)
    except (ValueError, RuntimeError):
        return None


def overlay_layer(path: str, opacity: float) -> QgsRasterLayer | None:
    """The warped photo as a raster layer; None when QGIS cannot read it."""
    layer = QgsRasterLayer(path, translate("ResultLayers", "Photo (warped)"), "gdal")
    if not layer.isValid():
        return None
    layer.renderer().setOpacity(opacity)
    return layer
