"""Export of confirmed/edited footprints: stable schema read back with OGR, ogrinfo and QGIS."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from osgeo import ogr
from qgis.core import QgsVectorLayer
from session_data import batch

from astroloc_qgis.session import Session
from astroloc_qgis.session.export import EXPORT_FIELDS, LAYER_NAME, ExportError, export_confirmed

EXPECTED = [  # docs/EXPORT_SCHEMA.md, in order
    ("photo_name", "String"),
    ("photo_sha256", "String"),
    ("photo_path", "String"),
    ("captured_at", "String"),
    ("area_km2", "Real"),
    ("nadir_lat", "Real"),
    ("nadir_lon", "Real"),
    ("altitude_m", "Real"),
    ("tilt_deg", "Real"),
    ("azimuth_deg", "Real"),
    ("confidence", "Real"),
    ("method", "String"),
    ("model_id", "String"),
    ("status", "String"),
    ("edited", "Integer"),
    ("candidate_rank", "Integer"),
    ("reviewer", "String"),
    ("decided_at", "String"),
    ("schema_version", "Integer"),
]
EDITED = {
    "type": "Polygon",
    "coordinates": [[[-99.3, 47.25], [-99.1, 47.25], [-99.1, 47.05], [-99.3, 47.05], [-99.3, 47.25]]],
}


@pytest.fixture()
def reviewed(tmp_path):
    path = tmp_path / "review.gpkg"
    with Session(str(path), reviewer="ann") as s:
        ids = [s.add_result(fc) for fc in batch(6)]
        s.confirm(ids[0])
        s.reject(ids[1])
        s.choose(ids[2], 2)
        s.edit(ids[4], EDITED)
        # ids[3], ids[5] stay pending
    return path, ids


def _digest(path: Path) -> str:
    """The session's data: the database file and its WAL (a missing WAL equals an empty one;
    the -shm file is only SQLite's index of the WAL and is rebuilt by any reader)."""
    wal = Path(str(path) + "-wal")
    return hashlib.sha256(path.read_bytes() + b"|" + (wal.read_bytes() if wal.exists() else b"")).hexdigest()


def test_schema_read_back_with_ogr(reviewed, tmp_path):
    session, ids = reviewed
    out = tmp_path / "out" / "confirmed.gpkg"
    out.parent.mkdir()
    before = _digest(session)
    res = export_confirmed(str(session), str(out))
    assert res.count == 3 and res.files == {"gpkg": str(out)}
    assert _digest(session) == before  # exporting never changes the session

    ds = ogr.Open(str(out))
    lyr = ds.GetLayerByName(LAYER_NAME)
    defn = lyr.GetLayerDefn()
    got = [
        (defn.GetFieldDefn(i).GetName(), defn.GetFieldDefn(i).GetTypeName())
        for i in range(defn.GetFieldCount())
    ]
    assert got == EXPECTED == [(n, ogr.GetFieldTypeName(t)) for n, t in EXPORT_FIELDS]
    assert lyr.GetSpatialRef().GetAuthorityCode(None) == "4326"
    assert lyr.GetGeomType() == ogr.wkbPolygon
    feats = {f["photo_name"]: f for f in lyr}
    assert set(feats) == {"photo_00.jpg", "photo_02.jpg", "photo_04.jpg"}
    f0, f2, f4 = feats["photo_00.jpg"], feats["photo_02.jpg"], feats["photo_04.jpg"]
    assert f0["status"] == "confirmed" and f0["edited"] == 0 and f0["reviewer"] == "ann"
    assert f0["photo_sha256"] == ids[0] and len(f0["photo_sha256"]) == 64
    assert f0["captured_at"] == "2024-05-06T07:08:09"
    assert f0["altitude_m"] == 408000 and f0["tilt_deg"] == 12.5 and f0["azimuth_deg"] == 45
    assert f0["nadir_lat"] == pytest.approx(46.99) and f0["nadir_lon"] == pytest.approx(-100.01)
    assert f0["area_km2"] == pytest.approx(14.9, rel=0.02)  # 0.042° x 0.042° at 47°N
    assert f0["model_id"] == "xfeat-global-v1" and f0["confidence"] == 0.5 and f0["schema_version"] == 1
    assert f0["decided_at"].endswith("Z")
    assert f2["method"] == "candidate 2" and f2["candidate_rank"] == 2 and f2.IsFieldNull("altitude_m")
    assert f4["status"] == "edited" and f4["edited"] == 1 and f4["method"] == "manual edit"
    env = f4.GetGeometryRef().GetEnvelope()
    assert env == pytest.approx((-99.3, -99.1, 47.05, 47.25))
    ds = None

    info = subprocess.run(
        ["ogrinfo", "-so", str(out), LAYER_NAME], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 3" in info.stdout and "Geometry: Polygon" in info.stdout
    assert 'ID["EPSG",4326]' in info.stdout
    for name, typ in EXPECTED:
        assert f"{name}: {typ}" in info.stdout

    lyr = QgsVectorLayer(f"{out}|layername={LAYER_NAME}", "x", "ogr")
    assert lyr.isValid() and lyr.crs().authid() == "EPSG:4326" and lyr.featureCount() == 3
    del lyr


def test_geojson_and_csv(reviewed, tmp_path):
    session, _ = reviewed
    res = export_confirmed(str(session), str(tmp_path / "fp.gpkg"), formats=["gpkg", "geojson", "csv"])
    assert set(res.files) == {"gpkg", "geojson", "csv"}
    gj = json.loads(Path(res.files["geojson"]).read_text())
    assert len(gj["features"]) == 3 and gj["features"][0]["geometry"]["type"] == "Polygon"
    assert list(gj["features"][0]["properties"]) == [n for n, _ in EXPECTED]
    with open(res.files["csv"], newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 and rows[0]["WKT"].startswith("POLYGON") and rows[0]["status"] == "confirmed"
    written = sorted(n for n in os.listdir(tmp_path) if not n.startswith("review.gpkg"))
    assert written == ["fp.csv", "fp.csvt", "fp.geojson", "fp.gpkg"]  # no temporary files left


def test_missing_folder_is_a_clear_error(reviewed, tmp_path):
    session, _ = reviewed
    before = _digest(session)
    with pytest.raises(ExportError, match="does not exist"):
        export_confirmed(str(session), str(tmp_path / "missing" / "out.gpkg"))
    assert _digest(session) == before


def test_not_writable_folder_is_a_clear_error(reviewed, request):
    session, _ = reviewed
    folder = Path(tempfile.mkdtemp(prefix="astroloc-ro-out-"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    shutil.copy(session, folder / "review.gpkg")
    target = folder / "locked"
    target.mkdir(mode=0o555)
    os.chmod(folder, 0o755)
    before = _digest(folder / "review.gpkg")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from astroloc_qgis.session.export import export_confirmed, ExportError\n"
        "try:\n export_confirmed(sys.argv[2], sys.argv[3]); print('written')\n"
        "except ExportError as e:\n print('ExportError:', e)\n"
    )
    cmd = [
        "/usr/bin/python3",
        "-c",
        code,
        str(Path(__file__).parents[2]),
        str(folder / "review.gpkg"),
        str(target / "out.gpkg"),
    ]
    if os.geteuid() == 0:  # root may write anywhere: run the export as `nobody`
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = subprocess.run(cmd, capture_output=True, text=True, env={**env, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "ExportError: Cannot export: the folder" in out.stdout and "is not writable" in out.stdout, out
    assert list(target.iterdir()) == []
    assert _digest(folder / "review.gpkg") == before


def test_export_of_empty_session(tmp_path):
    with Session(str(tmp_path / "s.gpkg"), reviewer="ann") as s:
        s.add_result(batch(1)[0])
    res = export_confirmed(str(tmp_path / "s.gpkg"), str(tmp_path / "e.gpkg"))
    assert res.count == 0
    ds = ogr.Open(str(tmp_path / "e.gpkg"))
    assert ds.GetLayerByName(LAYER_NAME).GetFeatureCount() == 0
