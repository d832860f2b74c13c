"""The tile table: int arrays in tiles.npz (fast to load) and the same tiles as polygons in
tiles.gpkg (EPSG:4326, for QGIS). Polygons are recomputed from the window by the one grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import crs as crs_mod
from ..grid import EDGE_SEGMENTS
from ..rasters import RasterSource
from .manifest import TABLE_LAYER

COLUMNS = ("source", "scale", "col", "row", "width", "height")


def empty() -> dict[str, np.ndarray]:
    return {**{c: np.zeros(0, np.int32) for c in COLUMNS}, "valid": np.zeros(0, np.float32)}


def concat(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([a[k], b[k]]) for k in a}


def save_npz(path: Path, table: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as fh:
        np.savez(fh, **table)


def load_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def polygons(table: dict[str, np.ndarray], sources: list[RasterSource], ids: np.ndarray) -> list:
    """The tiles' EPSG:4326 polygons (grid.window_polygon's densified outlines), computed source by
    source in one transform each (a million tiles in seconds, not a Python loop per tile)."""
    import shapely

    ids = np.asarray(ids, np.int64)
    out = np.empty(len(ids), dtype=object)
    k = np.arange(EDGE_SEGMENTS) / EDGE_SEGMENTS
    for s in np.unique(table["source"][ids]) if len(ids) else []:
        pos = np.nonzero(table["source"][ids] == s)[0]
        src, sel = sources[int(s)], ids[pos]
        col, row = table["col"][sel].astype(np.float64), table["row"][sel].astype(np.float64)
        w, h = table["width"][sel].astype(np.float64), table["height"][sel].astype(np.float64)
        # the ring UL -> UR -> LR -> LL, EDGE_SEGMENTS points per edge, closed
        cx = np.concatenate([k, np.ones_like(k), 1 - k, np.zeros_like(k), [0.0]])
        cy = np.concatenate([np.zeros_like(k), k, np.ones_like(k), 1 - k, [0.0]])
        px, py = col[:, None] + w[:, None] * cx, row[:, None] + h[:, None] * cy
        t = src.transform
        x, y = t.a * px + t.b * py + t.c, t.d * px + t.e * py + t.f
        lon, lat = crs_mod.transformer(src.crs, crs_mod.WGS84).transform(x.ravel(), y.ravel())
        out[pos] = shapely.polygons(np.stack([lon, lat], axis=1).reshape(len(sel), -1, 2))
    return list(out)


def write_gpkg(
    path: Path,
    table: dict[str, np.ndarray],
    sources: list[RasterSource],
    first_id: int = 0,
    append: bool = False,
) -> None:
    """Write (or append) tiles first_id.. of the table as polygons with their attributes."""
    import pyogrio.raw
    import shapely

    n = len(table["source"]) - first_id
    if n <= 0:
        return
    ids = np.arange(first_id, first_id + n)
    geoms = shapely.to_wkb(np.array(polygons(table, sources, ids), dtype=object))
    names = np.array([Path(sources[int(s)].path).name for s in table["source"][ids]], dtype=object)
    paths = np.array([sources[int(s)].path for s in table["source"][ids]], dtype=object)
    years = np.array(
        [str(sources[int(s)].extra.get("year") or "") for s in table["source"][ids]], dtype=object
    )
    fields = ["tile_id", "source", "source_path", "year", "scale", "col", "row", "width", "height", "valid"]
    data = (
        [ids.astype(np.int64), names, paths, years]
        + [table[c][ids].astype(np.int32) for c in COLUMNS[1:]]
        + [table["valid"][ids].astype(np.float64)]
    )
    pyogrio.raw.write(
        str(path),
        geoms,
        data,
        fields,
        layer=TABLE_LAYER,
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
        append=append,
    )
