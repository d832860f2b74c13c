"""index adapt: learning from the analyst's confirmed footprints (engine/index/adapt.py).

All on the shared `built_index` (default model over raster_a); photos are crops of raster_a in
another "photo domain" (a colour cast and haze: PHOTO_DOMAIN), confirmations as an export GeoJSON
or a session GeoPackage written by GDAL (pyogrio) with the session's tables and columns.
"""

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import rasterio
import shapely
from PIL import Image
from shapely.geometry import Point

from astroloc_qgis.engine import cli, protocol
from astroloc_qgis.engine.checksum import file_sha256
from astroloc_qgis.engine.crs import to_wgs84
from astroloc_qgis.engine.errors import Cancelled, InputError
from astroloc_qgis.engine.index.adapt import MIN_CONFIRMATIONS, PhotoPair, adapt_index, place_folds
from astroloc_qgis.engine.index.store import TileIndex
from astroloc_qgis.engine.models.adapted import CONTRASTIVE, REWEIGHT, AdaptedModel
from astroloc_qgis.engine.search import query_image, search
from astroloc_qgis.engine.worker import Worker

HAZE_TRANSMISSION, HAZE_AIRLIGHT = 0.35, 0.55
N_CONFIRMED, N_HELD_OUT = 25, 20


def photo_domain(rgb: np.ndarray) -> np.ndarray:
    """The known difference between the photos and the tiles: a thick haze (contrast x 0.35 over a
    bright airlight), uniform over the whole raster."""
    x = rgb.astype(np.float32) / 255 * HAZE_TRANSMISSION + HAZE_AIRLIGHT
    return (np.clip(x, 0, 1) * 255).astype(np.uint8)


def make_photos(raster, folder, n_west: int, n_east: int, seed: int = 0) -> tuple[list[dict], list[dict]]:
    """Crops of the raster in the photo domain: (centres in its western part, in its eastern part)."""
    folder.mkdir(parents=True, exist_ok=True)
    with rasterio.open(raster) as ds:
        img, transform, crs = np.moveaxis(ds.read([1, 2, 3]), 0, -1), ds.transform, ds.crs
    to_ll = to_wgs84(crs.to_string())
    h, w = img.shape[:2]
    rng = np.random.default_rng(seed)
    west, east = [], []
    for i in range(n_west + n_east):
        left = i < n_west
        cx = rng.uniform(40, w / 2 - 40) if left else rng.uniform(w / 2 + 40, w - 40)
        cy, side = rng.uniform(40, h - 40), rng.uniform(66, 80)
        c0, r0 = int(cx - side / 2), int(cy - side / 2)
        c1, r1 = min(int(c0 + side), w), min(int(r0 + side), h)
        path = folder / f"photo{i:02d}.jpg"
        Image.fromarray(photo_domain(img[r0:r1, c0:c1])).save(path, quality=90)
        corners = [to_ll.transform(*(transform @ xy)) for xy in [(c0, r0), (c1, r0), (c1, r1), (c0, r1)]]
        centre = to_ll.transform(*(transform @ (cx, cy)))
        (west if left else east).append({"path": path, "corners": corners, "centre": centre})
    return west, east


def write_export(photos: list[dict], path, **props) -> str:
    feats = []
    for p in photos:
        ring = [list(c) for c in p["corners"]]
        properties = {
            "photo_name": p["path"].name,
            "photo_sha256": file_sha256(p["path"]),
            "photo_path": str(p["path"]),
            "status": "confirmed",
            "schema_version": 1,
        }
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]},
                "properties": {**properties, **props},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return str(path)


def write_session(photos: list[dict], path, index_path: str, model_id: str, status="confirmed") -> str:
    """A review session's photos and footprints tables (session/gpkg.py SCHEMA columns that adapt reads)."""
    n = len(photos)
    ids = np.array([f"p{i}" for i in range(n)], dtype=object)
    text = lambda values: np.array(values, dtype=object)  # noqa: E731
    photo_fields = {
        "photo_id": ids,
        "path": text([str(p["path"]) for p in photos]),
        "name": text([p["path"].name for p in photos]),
        "sha256": text([file_sha256(p["path"]) for p in photos]),
        "index_path": text([index_path] * n),
        "model_id": text([model_id] * n),
        "chosen_rank": np.zeros(n, np.int32),
        "status": text([status] * n),
        "decided_at": text([f"2026-12-03T10:00:{i:02d}.000Z" for i in range(n)]),
    }
    pyogrio.raw.write(
        str(path),
        None,
        list(photo_fields.values()),
        list(photo_fields),
        layer="photos",
        driver="GPKG",
        geometry_type=None,
    )
    rings = [shapely.Polygon(p["corners"]) for p in photos]
    fp_fields = {"photo_id": ids, "status": text([status] * n)}
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(rings),
        list(fp_fields.values()),
        list(fp_fields),
        layer="footprints",
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
        append=True,
    )
    return str(path)


@pytest.fixture(scope="module")
def photos(tmp_path_factory, raster_a):
    return make_photos(raster_a, tmp_path_factory.mktemp("photos"), N_CONFIRMED, N_HELD_OUT)


@pytest.fixture(scope="module")
def confirmed(photos):
    return photos[0]


@pytest.fixture(scope="module")
def held_out(photos):
    return photos[1]


@pytest.fixture(scope="module")
def adapted(tmp_path_factory, built_index, confirmed):
    folder = tmp_path_factory.mktemp("adapted")
    export = write_export(confirmed, folder / "confirmed.geojson")
    manifest, report = adapt_index(built_index, export, out_dir=folder / "index", force=True)
    return folder / "index", manifest, report


def test_round_trip_lineage_and_search_path(adapted, built_index, confirmed):
    out, manifest, report = adapted
    assert report.counts() == {
        "used": N_CONFIRMED,
        "photo_not_found": 0,
        "outside_coverage": 0,
        "unreadable": 0,
    }
    base = TileIndex.open(built_index)
    lineage = manifest["adaptation"]
    assert (
        lineage["version"] == 1
        and lineage["confirmed_pairs"] == N_CONFIRMED
        and lineage["pairs"] == N_CONFIRMED
    )
    assert lineage["base_model"]["name"] == base.model_name and lineage["base_views"] == base.manifest["fit"]
    assert lineage["date"] and lineage["from"] == str(base.path) and lineage["history"] == []
    check = lineage["validation"]  # the guard's numbers: the new photos, each region held out in turn
    assert check["photos"] == N_CONFIRMED and 0 <= check["r1_before"] <= 1 and 0 <= check["r1_after"] <= 1
    # the method is the one the cross-validation by place preferred
    assert set(check["methods"]) == {REWEIGHT, CONTRASTIVE} and lineage["method"] == check["method"]
    assert check["r1_after"] == max(check["methods"].values())
    idx = TileIndex.open(out)
    assert isinstance(idx.model, AdaptedModel) and idx.manifest["adaptation"] == lineage
    # Both methods keep each pair's photo and tiles (a next adaptation retrains on them).
    kept = idx.model.adaptation
    assert lineage["method"] == kept.method
    assert kept.photos.shape == kept.diffs.shape and len(kept.right) == len(kept.diffs)
    assert (kept.right[:, 0] >= 0).all()
    assert idx.manifest["model"]["weights_hash"] == base.manifest["model"]["weights_hash"]
    assert idx.manifest["model"]["state_sha256"] != base.manifest["model"]["state_sha256"]
    stored, base_emb = np.asarray(idx.embeddings(), np.float32), np.asarray(base.embeddings(), np.float32)
    assert np.abs(stored - idx.model.adaptation.apply(base_emb)).max() < 5e-3
    assert np.abs(idx.model.adaptation.invert(stored) - base_emb).max() < 2e-2
    # The search path embeds the query through the same adaptation as the tiles.
    photo = np.asarray(Image.open(confirmed[0]["path"]).convert("RGB"))
    q = query_image(photo, idx.model.input_size)
    assert np.allclose(idx.model.embed([q]), idx.model.adaptation.apply(base.model.embed([q])), atol=1e-5)
    assert search(str(confirmed[0]["path"]), idx, k=5)["features"]
    assert (out / "versions").exists() is False


def test_in_place_keeps_the_previous_version(tmp_path, built_index, confirmed, capfd):
    index = tmp_path / "index"
    shutil.copytree(built_index, index)
    export = write_export(confirmed[:6], tmp_path / "c.geojson")
    assert cli.main(["index", "adapt", str(index), "--confirmed", export, "--force", "-q"]) == 0
    assert "adapted fused-vlad to 6 confirmed photos" in capfd.readouterr().out
    v0 = TileIndex.open(index / "versions" / "v0")
    assert "adaptation" not in v0.manifest and not isinstance(v0.model, AdaptedModel)
    assert np.array_equal(np.asarray(v0.embeddings()), np.load(built_index / "embeddings.f16.npy"))
    # A second adaptation starts from the base model and keeps the first's pairs.
    more = write_export(confirmed[6:11], tmp_path / "more.geojson")
    manifest, _ = adapt_index(index, more, force=True)
    assert manifest["adaptation"]["version"] == 2
    second = TileIndex.open(index).model.adaptation  # retrained on the first's photos and the new ones
    assert second.method in (REWEIGHT, CONTRASTIVE) and len(set(second.keys.tolist())) == 11
    assert second.photos.shape[0] == len(second.right) == len(second.diffs)
    assert manifest["adaptation"]["confirmed_pairs"] == 11
    assert [v["version"] for v in manifest["versions"]] == [0, 1]
    assert cli.main(["index", "info", str(index)]) == 0
    info = capfd.readouterr().out
    assert "adapted:     version 2" in info and "11 confirmed photos" in info and "versions/v1" in info


def test_session_gpkg_and_its_origin(tmp_path, built_index, confirmed):
    idx = TileIndex.open(built_index)
    session = write_session(confirmed[:6], tmp_path / "s.gpkg", str(idx.path), idx.model_name)
    manifest, report = adapt_index(built_index, session, out_dir=tmp_path / "out", force=True)
    assert len(report.used) == 6 and manifest["adaptation"]["confirmed_pairs"] == 6
    other = write_session(confirmed[:6], tmp_path / "m.gpkg", str(idx.path), "sift-vlad")
    with pytest.raises(InputError, match="found with model sift-vlad"):
        adapt_index(built_index, other, out_dir=tmp_path / "o1")
    elsewhere = write_session(confirmed[:6], tmp_path / "e.gpkg", str(tmp_path / "another"), idx.model_name)
    with pytest.raises(InputError, match="located in another index"):
        adapt_index(built_index, elsewhere, out_dir=tmp_path / "o2")
    _, report = adapt_index(built_index, elsewhere, out_dir=tmp_path / "o3", other_index=True, force=True)
    assert len(report.used) == 6
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()


def test_refusals_leave_the_index_untouched(tmp_path, built_index, confirmed, capsys):
    index = tmp_path / "index"
    shutil.copytree(built_index, index)
    before = {f.name: f.read_bytes() for f in index.iterdir()}
    export = write_export(confirmed[:4], tmp_path / "c.geojson")
    data = json.loads((tmp_path / "c.geojson").read_text())
    for f in data["features"]:  # the photos were moved since they were localized
        f["properties"]["photo_path"] = str(tmp_path / "gone" / f["properties"]["photo_name"])
    far = [{**confirmed[4], "corners": [(lon + 30, lat) for lon, lat in confirmed[4]["corners"]]}]
    data["features"] += json.loads(Path(write_export(far, tmp_path / "far.geojson")).read_text())["features"]
    (tmp_path / "c.geojson").write_text(json.dumps(data))
    # Nothing usable: 4 photos not found, 1 footprint outside the index.
    rc = cli.main(["index", "adapt", str(index), "--confirmed", export, "-q"])
    err = capsys.readouterr().err
    assert rc == 2 and f"0 usable confirmations, the adaptation needs at least {MIN_CONFIRMATIONS}" in err
    assert "4 photos not found, 1 outside the index" in err and len(err.strip().splitlines()) == 1
    # The worker's refusal names them (the Review tab lists them).
    out = io.StringIO()
    worker = Worker(out)
    worker.reader(io.StringIO(protocol.request("r", "index_adapt", index=str(index), confirmed=export)))
    worker.run_requests()
    refusal = next(json.loads(line)["error"] for line in out.getvalue().splitlines() if '"error"' in line)
    assert refusal["details"]["used"] == 0
    assert refusal["details"]["skipped"]["photo_not_found"] == [p["path"].name for p in confirmed[:4]]
    assert refusal["details"]["skipped"]["outside_coverage"] == [confirmed[4]["path"].name]
    # Found in a folder by SHA-256, but still fewer than the method needs.
    need = f"4 usable confirmations, the adaptation needs at least {MIN_CONFIRMATIONS}"
    with pytest.raises(InputError, match=need):
        adapt_index(index, export, photo_folders=[str(confirmed[0]["path"].parent)])
    with pytest.raises(InputError, match="no confirmed or edited footprint"):
        adapt_index(index, write_export(confirmed[:3], tmp_path / "r.geojson", status="rejected"))
    assert {f.name: f.read_bytes() for f in index.iterdir()} == before


def test_worker_op_with_progress_and_cancel(tmp_path, built_index, confirmed):
    export = write_export(confirmed[:6], tmp_path / "c.geojson")
    out = io.StringIO()
    worker = Worker(out)
    request = protocol.request(
        "a", "index_adapt", index=str(built_index), confirmed=export, out=str(tmp_path / "x"), force=True
    )
    worker.reader(io.StringIO(request))
    worker.run_requests()
    replies = [json.loads(line) for line in out.getvalue().splitlines()]
    stages = {m["stage"] for m in replies if m["type"] == protocol.PROGRESS}
    assert {"read", "references", "embed", "write"} <= stages
    result = next(m["result"] for m in replies if m["type"] == protocol.RESULT)
    assert result["used"] == 6 and result["manifest"]["adaptation"]["confirmed_pairs"] == 6
    # Cancelled while the references are cut: raises Cancelled, nothing is written.
    seen: list[str] = []
    with pytest.raises(Cancelled):
        adapt_index(
            built_index,
            export,
            out_dir=tmp_path / "y",
            progress=lambda stage, fraction, message="": seen.append(stage),
            cancel=lambda: "references" in seen,
            force=True,
        )
    assert not (tmp_path / "y").exists()


def r_at_1(index_dir, photos) -> float:
    idx = TileIndex.open(index_dir)
    hits = []
    for p in photos:
        q = query_image(np.asarray(Image.open(p["path"]).convert("RGB")), idx.model.input_size)
        _, ids = idx.search(idx.model.embed([q]), 1)
        hits.append(idx.tile_polygon(int(ids[0][0])).contains(Point(p["centre"])))
    return float(np.mean(hits))


def test_held_out_places_gain(adapted, built_index, held_out):
    """Places never confirmed (the raster's east; confirmations were all in the west) are found
    better once the index has learned the photo domain; without the adaptation they are not."""
    out, _, _ = adapted
    before, after = r_at_1(built_index, held_out), r_at_1(out, held_out)
    print(f"held-out R@1 {before:.2f} -> {after:.2f}")
    assert after >= before + 0.1, (before, after)


def test_place_folds_hold_out_whole_regions():
    """The guard's folds are regions (k-means of the footprints' centres): two far-apart clusters of
    places never share a fold. (Folds by touching footprints, the first try, made one group of the
    haze case's 25 photos: nothing was held out by place.)"""
    box = lambda x, y: shapely.box(x, y, x + 1.5, y + 1.5)  # noqa: E731
    spots = [(0, 0), (1, 0), (0, 1), (1, 1), (20, 20), (21, 20), (20, 21), (21, 21)]
    pairs = [
        PhotoPair(f"p{i}", np.zeros((1, 1, 3)), [], [], footprint=box(*xy)) for i, xy in enumerate(spots)
    ]
    fold = place_folds(pairs, folds=2)
    assert len(set(fold[:4])) == 1 and len(set(fold[4:])) == 1 and fold[0] != fold[4]
