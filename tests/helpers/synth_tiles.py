"""A synthetic tile table of any size: the files of an index folder that QGIS and the coverage read
(manifest.json, tiles.npz, tiles.gpkg), without rasters, embeddings or FAISS. Used by
tests/unit/test_coverage.py, tests/qgis/test_coverage_layer.py and tools/bench_scale.py.

Sources are UTM strips of 30 m pixels side by side (and one in EPSG:4326), each tiled by the one grid
(grid.windows) with a share of tiles dropped at random, like nodata tiles left out of a real build.

    python -m tests.helpers.synth_tiles OUT_DIR --tiles 25000   (engine venv; prints OUT_DIR)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from affine import Affine

from astroloc_qgis.engine.grid import GridSpec, windows
from astroloc_qgis.engine.index import table
from astroloc_qgis.engine.index.manifest import MANIFEST, TABLE_GPKG, TILES_NPZ
from astroloc_qgis.engine.rasters import RasterSource

GRID = GridSpec(tile_px=256, scales=(1, 2, 4))
DROP = 0.05  # share of tiles left out (holes and ragged edges in the coverage)


def sources_for(tiles: int, count: int = 4) -> list[RasterSource]:
    """`count` sources of about `tiles` tiles in all: count-1 UTM 18N squares and one EPSG:4326."""
    per = tiles / count
    # tiles of a side-s raster: sum over scales of (2 s / (256 k))^2 = 4 (s/256)^2 (1 + 1/4 + 1/16)
    side = int(256 * np.sqrt(per / (4 * (1 + 1 / 4 + 1 / 16))))
    out = []
    for i in range(count):
        if i < count - 1:
            x0, y0, res, crs = 300_000 + i * side * 30 * 1.1, 5_200_000.0, 30.0, "EPSG:32618"
            transform = Affine(res, 0, x0, 0, -res, y0)
        else:
            transform, crs = Affine(0.0003, 0, -70.0, 0, -0.0003, 44.0), "EPSG:4326"
        out.append(
            RasterSource(
                path=f"/synthetic/source_{i}.tif",
                crs=crs,
                transform=transform,
                width=side,
                height=side,
                count=3,
                dtype="uint8",
                nodata=0,
                bounds_wgs84=(-80.0, 40.0, -60.0, 50.0),
                sha256=f"synthetic-{i}",
            )
        )
    return out


def tile_table(sources: list[RasterSource], seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    rows = [
        (i, w.scale, w.col, w.row, w.width, w.height)
        for i, src in enumerate(sources)
        for w in windows(src.width, src.height, GRID)
    ]
    arr = np.array(rows, np.int32)
    arr = arr[rng.random(len(arr)) >= DROP]
    out = {c: arr[:, j].copy() for j, c in enumerate(table.COLUMNS)}
    out["valid"] = np.ones(len(arr), np.float32)
    return out


def write_index(folder: Path, tiles: int, seed: int = 0, coverage: bool = True) -> dict:
    """The index folder's table files; `coverage`: with the coverage layer (as a build writes it)."""
    from astroloc_qgis.engine.index import coverage as coverage_mod

    folder.mkdir(parents=True, exist_ok=True)
    sources = sources_for(tiles)
    t = tile_table(sources, seed)
    table.save_npz(folder / TILES_NPZ, t)
    table.write_gpkg(folder / TABLE_GPKG, t, sources)
    if coverage:
        coverage_mod.write(folder / TABLE_GPKG, t, sources)
    manifest = {
        "format_version": 1,
        "kind": "astroloc-index",
        "grid": GRID.to_dict(),
        "tiles": int(len(t["source"])),
        "sources": [{**s.to_dict(), "tiles": int((t["source"] == i).sum())} for i, s in enumerate(sources)],
        "synthetic": True,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest))
    return manifest


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tiles", type=int, default=25_000)
    ap.add_argument("--no-coverage", action="store_true")
    a = ap.parse_args()
    write_index(Path(a.out), a.tiles, coverage=not a.no_coverage)
    print(a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
