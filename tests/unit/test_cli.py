import json
import os
import shutil
import subprocess
import sys

from conftest import REPO, SAMPLE

from astroloc_qgis.engine.models import DEFAULT_MODEL


def run_cli(*args, timeout=300):
    env = {**os.environ, "ASTROLOC_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "astroloc_qgis.engine", *map(str, args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_expected_error_is_one_line_exit_2(tmp_path):
    out = run_cli("search", tmp_path / "missing.jpg", "--index", tmp_path / "noindex")
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in out.stderr
    assert out.stdout == ""


def test_raster_without_crs_error_from_cli(tmp_path):
    from conftest import texture, write_raster

    path = write_raster(tmp_path / "plain.tif", texture(64, 64, 1), crs=None)
    out = run_cli("index", "build", path, "--out", tmp_path / "idx", "-q")
    assert out.returncode == 2 and "plain.tif" in out.stderr and "no CRS" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "idx").exists()


def test_build_progress_reports_rate_and_eta(tmp_path):
    from conftest import texture, write_raster

    path = write_raster(tmp_path / "small.tif", texture(192, 192, 2))
    out = run_cli("index", "build", path, "--out", tmp_path / "idx", "--tile-px", "64", "--scales", "1")
    assert out.returncode == 0, out.stderr
    assert "tiles/s" in out.stderr and "ETA" in out.stderr and "built 25 tiles" in out.stdout
    assert (tmp_path / "idx" / "tiles.gpkg").is_file()


def test_search_geojson_stdout_is_only_json(built_index, raster_a, tmp_path):
    from test_index import crop_photo

    photo = crop_photo(raster_a, (64, 64, 64, 64), tmp_path / "p.jpg", rot=0)
    out = run_cli("search", photo, "--index", built_index, "-k", "3", "--geojson")
    assert out.returncode == 0, out.stderr
    fc = json.loads(out.stdout)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 3
    assert fc["features"][0]["properties"]["window"] == [64, 64, 64, 64]
    table = run_cli("search", photo, "--index", built_index, "-k", "2")
    assert table.returncode == 0 and "rank" in table.stdout and "a.tif" in table.stdout
    info = run_cli("index", "info", built_index)
    assert info.returncode == 0 and DEFAULT_MODEL in info.stdout and "tiles:" in info.stdout
    assert "whitening learned from photo-like views" in info.stdout


def test_index_info_tells_an_old_index_to_be_rebuilt(built_index, tmp_path):
    """An index from before the learned whitening (no `fit` in its manifest) still works; `index
    info` says that rebuilding it improves cross-year retrieval."""
    old = tmp_path / "old"
    shutil.copytree(built_index, old)
    manifest = json.loads((old / "manifest.json").read_text())
    del manifest["fit"]
    (old / "manifest.json").write_text(json.dumps(manifest))
    info = run_cli("index", "info", old)
    assert info.returncode == 0 and "PCA-whitening" in info.stdout and "rebuild" in info.stdout


def test_sample_data_demo_path(tmp_path):
    """The bundled cross-year sample: each 2020 photo's place is among the candidates `locate`
    verifies (a tile holding the footprint's centre, what the matching stage needs); the nadir
    photo's is in the top 3, one of which also overlaps its footprint with IoU > 0.25."""
    from shapely.geometry import Polygon, shape

    from astroloc_qgis.engine import api
    from astroloc_qgis.engine.locate import DEFAULT_TOP

    api.build_index([str(SAMPLE / "naip_nd_2009.tif")], str(tmp_path / "idx"))
    for view in ("nadir", "oblique"):
        fc = api.search(str(SAMPLE / f"photo_naip_2020_{view}.jpg"), str(tmp_path / "idx"), k=10)
        truth = Polygon(json.loads((SAMPLE / f"photo_naip_2020_{view}.json").read_text())["footprint_lonlat"])
        tiles = [shape(f["geometry"]) for f in fc["features"][: 3 if view == "nadir" else DEFAULT_TOP]]
        assert any(t.contains(truth.centroid) for t in tiles), view
        if view == "nadir":
            assert max(t.intersection(truth).area / t.union(truth).area for t in tiles) > 0.25
        assert fc["photo"]["exif"]["datetime"] == "2020-08-31T12:00:00"


def test_cancel_and_ctrl_c_exit_130(monkeypatch, capsys):
    from astroloc_qgis.engine import api, cli
    from astroloc_qgis.engine.errors import Cancelled

    def interrupted(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "build_index", interrupted)
    assert cli.main(["index", "build", "x.tif", "--out", "y", "-q"]) == 130
    monkeypatch.setattr(
        api, "build_index", lambda *a, **kw: (_ for _ in ()).throw(Cancelled("index build cancelled"))
    )
    assert cli.main(["index", "build", "x.tif", "--out", "y", "-q"]) == 130
    assert "error: index build cancelled" in capsys.readouterr().err
