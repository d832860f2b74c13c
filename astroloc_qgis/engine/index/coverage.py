"""The index's coverage: one generalized (Multi)Polygon per source and scale, the layer `coverage` of
tiles.gpkg, so that QGIS draws a huge index as a few polygons and its tiles only when zoomed in.

The union is computed in each source's pixel space, not by a polygon union of the tile footprints:
the tiles of a source and scale are windows of its pixel grid, so their union is a mask on the grid of
their distinct edges (a difference array, one cumulative sum), polygonized once (rasterio), then
densified, transformed to EPSG:4326 like the tiles (grid.window_polygon) and simplified. A million
tiles take seconds where a shapely union of the million polygons takes minutes (docs/scale.md).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from .. import crs as crs_mod
from ..errors import BadIndexError
from ..rasters import RasterSource
from . import table as table_mod
from .manifest import COVERAGE_LAYER, TABLE_GPKG, TILES_NPZ, read_manifest

SIMPLIFY_SHARE = 0.25  # of a tile's side: the simplification tolerance (the outline is generalized)
DENSIFY_SHARE = 0.5  # of a tile's side: outline segments before the transform (curved edges in 4326)
KM_PER_DEGREE = 111.32  # of latitude: the simplification tolerance in degrees
FIELDS = ("source", "source_path", "year", "scale", "tiles", "tile_km")


def _mask_outline(col: np.ndarray, row: np.ndarray, width: np.ndarray, height: np.ndarray):
    """The union of the pixel windows as a shapely geometry in pixel coordinates (exact)."""
    import rasterio.features
    import shapely
    from affine import Affine

    xs = np.unique(np.concatenate([col, col + width]))
    ys = np.unique(np.concatenate([row, row + height]))
    i0, i1 = np.searchsorted(xs, col), np.searchsorted(xs, col + width)
    j0, j1 = np.searchsorted(ys, row), np.searchsorted(ys, row + height)
    diff = np.zeros((len(ys), len(xs)), np.int32)
    for jj, ii, sign in ((j0, i0, 1), (j0, i1, -1), (j1, i0, -1), (j1, i1, 1)):
        np.add.at(diff, (jj, ii), sign)
    mask = (np.cumsum(np.cumsum(diff, axis=0), axis=1)[:-1, :-1] > 0).astype(np.uint8)
    parts = [
        shapely.geometry.shape(g)
        for g, _ in rasterio.features.shapes(
            mask, mask=mask.astype(bool), connectivity=4, transform=Affine.identity()
        )
    ]
    # cell indices -> pixel coordinates (the grid of distinct edges is not regular)
    return shapely.transform(
        shapely.union_all(parts),
        lambda c: np.column_stack([xs[np.rint(c[:, 0]).astype(int)], ys[np.rint(c[:, 1]).astype(int)]]),
    )


def _tile_km(src: RasterSource, col: int, row: int, size: int) -> float:
    """The side of one tile on the ground (km, geodesic, along its top edge)."""
    from pyproj import Geod

    tr = crs_mod.transformer(src.crs, crs_mod.WGS84)
    (x0, y0), (x1, y1) = src.transform @ (col, row), src.transform @ (col + size, row)
    (lon0, lon1), (lat0, lat1) = tr.transform([x0, x1], [y0, y1])
    return float(Geod(ellps="WGS84").inv(lon0, lat0, lon1, lat1)[2] / 1000.0)


def coverage_rows(tiles: dict[str, np.ndarray], sources: list[RasterSource]) -> list[dict[str, Any]]:
    """One row per (source, scale) that has tiles: its attributes and `geometry` (EPSG:4326)."""
    import shapely

    out = []
    keys = (
        np.unique(np.column_stack([tiles["source"], tiles["scale"]]), axis=0) if len(tiles["source"]) else []
    )
    for s, scale in keys:
        sel = (tiles["source"] == s) & (tiles["scale"] == scale)
        col, row = tiles["col"][sel].astype(np.int64), tiles["row"][sel].astype(np.int64)
        width, height = tiles["width"][sel].astype(np.int64), tiles["height"][sel].astype(np.int64)
        src = sources[int(s)]
        side = int(np.median(width))
        outline = shapely.segmentize(_mask_outline(col, row, width, height), max(1.0, DENSIFY_SHARE * side))
        tr = crs_mod.transformer(src.crs, crs_mod.WGS84)
        affine = src.transform

        def to_wgs84(c: np.ndarray, affine=affine, tr=tr) -> np.ndarray:
            x = affine.a * c[:, 0] + affine.b * c[:, 1] + affine.c
            y = affine.d * c[:, 0] + affine.e * c[:, 1] + affine.f
            return np.column_stack(tr.transform(x, y))

        geom = shapely.make_valid(shapely.transform(outline, to_wgs84))
        tile_km = _tile_km(src, int(col[0]), int(row[0]), side)
        geom = shapely.simplify(geom, SIMPLIFY_SHARE * tile_km / KM_PER_DEGREE, preserve_topology=True)
        parts = shapely.get_parts(geom)
        geom = shapely.MultiPolygon(list(parts[shapely.get_type_id(parts) == 3]))
        out.append(
            {
                "source": Path(src.path).name,
                "source_path": src.path,
                "year": str(src.extra.get("year") or ""),
                "scale": int(scale),
                "tiles": int(sel.sum()),
                "tile_km": round(tile_km, 3),
                "geometry": geom,
            }
        )
    return out


def write(gpkg: Path, tiles: dict[str, np.ndarray], sources: list[RasterSource]) -> int:
    """(Re)write the coverage layer into the tile GeoPackage; returns its number of rows."""
    import pyogrio.raw
    import shapely

    rows = coverage_rows(tiles, sources)
    if not rows:
        return 0
    data = [
        np.array([r["source"] for r in rows], dtype=object),
        np.array([r["source_path"] for r in rows], dtype=object),
        np.array([r["year"] for r in rows], dtype=object),
        np.array([r["scale"] for r in rows], np.int32),
        np.array([r["tiles"] for r in rows], np.int64),
        np.array([r["tile_km"] for r in rows], np.float64),
    ]
    pyogrio.raw.write(
        str(gpkg),
        shapely.to_wkb(np.array([r["geometry"] for r in rows], dtype=object)),
        data,
        list(FIELDS),
        layer=COVERAGE_LAYER,
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs="EPSG:4326",
        layer_options={"OVERWRITE": "YES"},
    )
    return len(rows)


def has_coverage(gpkg: Path) -> bool:
    """Does the GeoPackage hold the coverage layer (read with SQLite, read-only)?"""
    if not gpkg.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
        try:
            return (
                con.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (COVERAGE_LAYER,)).fetchone()
                is not None
            )
        finally:
            con.close()
    except sqlite3.Error:
        return False


def ensure(index_dir: str | os.PathLike) -> bool:
    """Write the coverage layer of an index built before it existed; True when it was (re)built."""
    path = Path(index_dir).resolve()
    gpkg = path / TABLE_GPKG
    if has_coverage(gpkg):
        return False
    manifest = read_manifest(path)
    if not gpkg.is_file():
        raise BadIndexError(f"{gpkg}: missing (the tile table for QGIS)", "rebuild the index")
    import pyogrio.errors

    tiles = table_mod.load_npz(path / TILES_NPZ)
    try:
        write(gpkg, tiles, [RasterSource.from_dict(s) for s in manifest["sources"]])
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise OSError(f"{gpkg}: {exc}") from exc  # e.g. a read-only folder
    return True
