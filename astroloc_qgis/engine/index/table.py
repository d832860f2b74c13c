"""The tile table: int arrays in tiles.npz (fast to load) and the same tiles as polygons in
tiles.gpkg (EPSG:4326, for QGIS). Polygons are recomputed from the window by the one grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..grid import window_polygon
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


def polygons(table: dict[str, np.ndarray], sources: list[RasterSource], ids: np.ndarray):
    out = []
    for i in ids:
        src = sources[int(table["source"][i])]
        out.append(
            window_polygon(
                int(table["col"][i]),
                int(table["row"][i]),
                int(table["width"][i]),
                int(table["height"][i]),
                src.transform,
                src.crs,
            )
        )
    return out


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
