"""The index coverage (index/coverage.py): one generalized polygon per source and scale in tiles.gpkg,
equal to the union of the tile footprints; written by a build, rebuilt when missing (docs/scale.md)."""

from __future__ import annotations

import shutil
import sqlite3

import numpy as np
import pyogrio.raw
import pytest
import shapely

from astroloc_qgis.engine import api, cli
from astroloc_qgis.engine.index import coverage, table
from astroloc_qgis.engine.index.manifest import COVERAGE_LAYER, TABLE_GPKG, TABLE_LAYER
from tests.helpers import synth_tiles


def _tile_unions(gpkg) -> dict[tuple[str, int], shapely.Geometry]:
    meta, _, wkb, fields = pyogrio.raw.read(str(gpkg), layer=TABLE_LAYER, columns=["source_path", "scale"])
    col = {name: values for name, values in zip(meta["fields"], fields, strict=True)}
    geoms = shapely.from_wkb(wkb)
    return {
        (path, int(scale)): shapely.union_all(geoms[(col["source_path"] == path) & (col["scale"] == scale)])
        for path, scale in {(p, int(s)) for p, s in zip(col["source_path"], col["scale"], strict=True)}
    }


def _coverage_layer(gpkg) -> dict[tuple[str, int], tuple[shapely.Geometry, int, float]]:
    meta, _, wkb, fields = pyogrio.raw.read(str(gpkg), layer=COVERAGE_LAYER)
    col = {name: values for name, values in zip(meta["fields"], fields, strict=True)}
    geoms = shapely.from_wkb(wkb)
    return {
        (path, int(scale)): (geom, int(n), float(km))
        for path, scale, geom, n, km in zip(
            col["source_path"], col["scale"], geoms, col["tiles"], col["tile_km"], strict=True
        )
    }


@pytest.mark.parametrize("share", [0.0, coverage.SIMPLIFY_SHARE])
def test_coverage_is_the_union_of_the_tiles_per_source_and_scale(tmp_path, monkeypatch, share):
    monkeypatch.setattr(coverage, "SIMPLIFY_SHARE", share)
    manifest = synth_tiles.write_index(tmp_path / "idx", 6000)
    gpkg = tmp_path / "idx" / TABLE_GPKG
    unions, layer = _tile_unions(gpkg), _coverage_layer(gpkg)
    assert set(layer) == set(unions) and len(layer) == 4 * 3  # every source at every scale
    tiles = table.load_npz(tmp_path / "idx" / "tiles.npz")
    assert sum(n for _, n, _ in layer.values()) == manifest["tiles"] == len(tiles["source"])
    for key, union in unions.items():
        geom, _, tile_km = layer[key]
        assert geom.geom_type == "MultiPolygon" and geom.is_valid
        off = shapely.symmetric_difference(geom, union).area / union.area
        # exact up to the outline's densification; simplified by a quarter tile: within a few percent
        assert off < (1e-3 if share == 0 else 0.03), (key, off)
        if share:
            assert shapely.get_num_coordinates(geom) < shapely.get_num_coordinates(union) / 20
        assert 0.5 * key[1] < tile_km / 7.68 < 1.2 * key[1]  # 256 px of 30 m (or 0.0003 deg) per scale


def test_dropped_tiles_make_holes_and_parts(tmp_path):
    """A hole (tiles left out in the middle) and two separate blocks stay a hole and two parts."""
    sources = synth_tiles.sources_for(400, count=1)
    full = synth_tiles.tile_table(sources)
    keep = np.ones(len(full["source"]), bool)
    one = full["scale"] == 1
    mid = one & (full["col"] >= 512) & (full["col"] <= 768) & (full["row"] >= 512) & (full["row"] <= 768)
    split = one & (full["col"] >= 1280) & (full["col"] < 1792)
    keep[mid | split] = False
    t = {k: v[keep] for k, v in full.items()}
    (row,) = [r for r in coverage.coverage_rows(t, sources) if r["scale"] == 1]
    union = shapely.union_all(table.polygons(t, sources, np.nonzero(t["scale"] == 1)[0]))
    geom = row["geometry"]
    assert len(geom.geoms) == len(shapely.get_parts(union)) == 2
    assert sum(len(p.interiors) for p in geom.geoms) == 1
    assert shapely.symmetric_difference(geom, union).area / union.area < 0.05


def test_a_build_writes_the_coverage_and_index_info_rebuilds_a_missing_one(built_index, tmp_path, capsys):
    gpkg = built_index / TABLE_GPKG
    layer = _coverage_layer(gpkg)
    assert {scale for _, scale in layer} == {1, 2}  # one source, scales 1 and 2
    old = tmp_path / "old"
    shutil.copytree(built_index, old)
    con = sqlite3.connect(old / TABLE_GPKG)  # an index from before the coverage layer
    con.execute(f'DROP TABLE "{COVERAGE_LAYER}"')
    con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (COVERAGE_LAYER,))
    con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name = ?", (COVERAGE_LAYER,))
    con.commit(), con.close()
    assert not coverage.has_coverage(old / TABLE_GPKG)
    assert api.index_info(str(old))["coverage"] == "written"

    rebuilt = _coverage_layer(old / TABLE_GPKG)
    assert set(rebuilt) == set(layer)
    for key, (geom, n, _) in layer.items():
        again = rebuilt[key]
        assert again[1] == n and shapely.equals_exact(again[0], geom, 1e-9)
    assert cli.main(["index", "info", str(old)]) == 0
    assert "coverage:    present" in capsys.readouterr().out
