import errno
import json
import shutil

import numpy as np
import pyogrio
import pytest
import rasterio
from conftest import texture, write_raster
from PIL import Image

from astroloc_qgis.engine import api
from astroloc_qgis.engine.errors import BadIndexError, Cancelled, DiskError, InputError
from astroloc_qgis.engine.grid import window_polygon
from astroloc_qgis.engine.index import build as build_mod
from astroloc_qgis.engine.index import shards as shards_mod
from astroloc_qgis.engine.index import vectors
from astroloc_qgis.engine.index.store import TileIndex
from astroloc_qgis.engine.models import DEFAULT_MODEL


def crop_photo(raster, window, path, rot=1):
    with rasterio.open(raster) as ds:
        col, row, w, h = window
        rgb = np.moveaxis(ds.read([1, 2, 3], window=rasterio.windows.Window(col, row, w, h)), 0, -1)
    Image.fromarray(np.ascontiguousarray(np.rot90(rgb, rot))).save(path, quality=90)
    return path


def test_round_trip_manifest_table_and_gpkg(built_index, raster_a):
    info = api.index_info(str(built_index))
    assert info["format_version"] == 1 and info["model"]["name"] == DEFAULT_MODEL
    assert info["grid"]["scales"] == [1, 2] and info["grid"]["tile_px"] == 64
    assert info["faiss"]["type"] == "flat" and info["faiss"]["ntotal"] == info["tiles"]
    assert info["sources"][0]["sha256"] and info["sources"][0]["tiles"] == info["tiles"]
    # 384x320 raster, 64 px tiles at stride 32: 11 x 9; 128 px tiles at stride 64: 5 x 4
    assert info["tiles"] == 11 * 9 + 5 * 4
    meta = pyogrio.read_info(built_index / "tiles.gpkg", layer="tiles")
    assert meta["features"] == info["tiles"] and meta["crs"] == "EPSG:4326"
    assert {"tile_id", "source", "scale", "col", "row", "width", "height"} <= set(meta["fields"])
    _, _, geoms, fields = pyogrio.raw.read(built_index / "tiles.gpkg", layer="tiles", return_fids=False)
    import shapely

    idx = TileIndex.open(built_index)
    src = idx.sources[0]
    for i in (0, 50, len(geoms) - 1):
        tid = int(fields[0][i])
        col, row, w, h = idx.tile(tid)["window"]
        expected = window_polygon(col, row, w, h, src.transform, src.crs)
        assert shapely.from_wkb(geoms[i]).equals_exact(expected, 1e-9)


def test_search_finds_the_tile_of_a_rotated_crop(built_index, raster_a, tmp_path):
    photo = crop_photo(raster_a, (192, 128, 64, 64), tmp_path / "q.jpg", rot=1)
    fc = api.search(str(photo), str(built_index), k=5)
    assert fc["type"] == "FeatureCollection" and fc["status"] == "ok"
    assert set(fc["timing"]) >= {"load_photo", "embed", "search", "total"}
    assert fc["photo"]["sha256"] and fc["index"]["model"] == DEFAULT_MODEL
    top = fc["features"][0]["properties"]
    assert top["kind"] == "candidate" and top["rank"] == 1
    assert top["window"] == [192, 128, 64, 64] and top["rotation"] == 270
    assert [f["properties"]["rank"] for f in fc["features"]] == [1, 2, 3, 4, 5]
    assert fc["features"][0]["geometry"]["type"] == "Polygon"
    scores = [f["properties"]["score"] for f in fc["features"]]
    assert scores == sorted(scores, reverse=True)
    json.dumps(fc)


def test_incremental_add(tmp_path, raster_a, raster_b):
    out = tmp_path / "idx"
    m1 = api.build_index([str(raster_a)], str(out), scales=[1], tile_px=64)
    m2 = api.add_to_index(str(out), [str(raster_b)])
    assert m2["tiles"] > m1["tiles"] and len(m2["sources"]) == 2
    assert m2["model"]["state_sha256"] == m1["model"]["state_sha256"]
    assert pyogrio.read_info(out / "tiles.gpkg", layer="tiles")["features"] == m2["tiles"]
    photo = crop_photo(raster_b, (64, 96, 64, 64), tmp_path / "b.jpg", rot=2)
    top = api.search(str(photo), str(out), k=3)["features"][0]["properties"]
    assert (
        top["source"].endswith("b_3857.tif")
        and top["window"] == [64, 96, 64, 64]
        and top["tile_id"] >= m1["tiles"]
    )
    with pytest.raises(InputError, match="already in the index"):
        api.add_to_index(str(out), [str(raster_a)])


def test_index_of_another_model(built_index, tmp_path):
    with pytest.raises(BadIndexError, match=f"built with model '{DEFAULT_MODEL}'"):
        TileIndex.open(built_index, model="sift-vlad")
    copy = tmp_path / "copy"
    shutil.copytree(built_index, copy)
    m = json.loads((copy / "manifest.json").read_text())
    m["model"]["weights_hash"] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(BadIndexError, match="other weights"):
        TileIndex.open(copy)


def test_newer_format_and_not_an_index(built_index, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built_index, copy)
    m = json.loads((copy / "manifest.json").read_text())
    m["format_version"] = 99
    (copy / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(BadIndexError, match="newer") as err:
        api.index_info(str(copy))
    assert str(copy) in err.value.message and err.value.hint
    with pytest.raises(BadIndexError, match="not an AstroLoc index"):
        TileIndex.open(tmp_path)


def test_truncated_faiss_file(built_index, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built_index, copy)
    data = (copy / "tiles.faiss").read_bytes()
    (copy / "tiles.faiss").write_bytes(data[: len(data) // 2])
    with pytest.raises(BadIndexError, match="tiles.faiss: FAISS file is damaged or truncated"):
        TileIndex.open(copy)


def test_full_disk_keeps_the_old_index(built_index, tmp_path, raster_b, monkeypatch):
    out = tmp_path / "idx"
    shutil.copytree(built_index, out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}

    def full(index, path):
        path.write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(vectors, "write", full)
    with pytest.raises(DiskError, match="disk full"):
        api.build_index([str(raster_b)], str(out), scales=[1], tile_px=64)
    with pytest.raises(DiskError):
        api.add_to_index(str(out), [str(raster_b)])
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]
    monkeypatch.undo()
    assert TileIndex.open(out).manifest["tiles"] == json.loads(before["manifest.json"])["tiles"]


def test_interrupted_build_resumes(tmp_path, monkeypatch):
    raster = write_raster(tmp_path / "r.tif", texture(320, 320, 11))
    out = tmp_path / "idx"
    monkeypatch.setattr(shards_mod, "CHUNK", 16)
    partial = tmp_path / ".idx.partial"

    def cancel():  # interrupt as soon as the first chunk of embeddings is saved
        return any(partial.glob("shards/chunk_*.npz"))

    with pytest.raises(Cancelled):
        api.build_index([str(raster)], str(out), scales=[1], tile_px=64, cancel=cancel)
    assert not out.exists() and len(list(partial.glob("shards/chunk_*.npz"))) >= 1
    embedded = []
    real_embed = build_mod._embed_all

    def spy(model, readers, cands, work, *a, **kw):
        orig = model.embed
        model.embed = lambda imgs: (embedded.append(len(imgs)), orig(imgs))[1]
        return real_embed(model, readers, cands, work, *a, **kw)

    monkeypatch.setattr(build_mod, "_embed_all", spy)
    m = api.build_index([str(raster)], str(out), scales=[1], tile_px=64)
    assert m["tiles"] == 9 * 9 and sum(embedded) < m["tiles"]
    assert not partial.exists()


def test_fitting_reports_progress_records_its_recipe_and_can_be_cancelled(tmp_path):
    """Learning the codebook and whitening (tiles + photo-like views) is the longest silent part of
    a small build: it reports progress all along, stops on cancel, and the manifest says how it was
    learned."""
    raster = write_raster(tmp_path / "r.tif", texture(320, 320, 12))
    seen: list[tuple[str, float]] = []
    m = api.build_index(
        [str(raster)],
        str(tmp_path / "idx"),
        scales=[1],
        tile_px=64,
        progress=lambda stage, f, msg="": seen.append((stage, f)),
    )
    fit = [f for stage, f in seen if stage == "fit"]
    assert fit == sorted(fit) and len({round(f, 3) for f in fit if f > build_mod.READ_SHARE}) >= 5
    assert m["fit"] == {
        "max_samples": build_mod.FIT_SAMPLES,
        "views_per_sample": build_mod.VIEWS_PER_SAMPLE,
        "seed": build_mod.FIT_SEED,
        "whitening": "learned from photo-like views",
    }

    def cancel_while_learning(stage, f, msg=""):
        if stage == "fit" and f > 0.5:
            flag.append(True)

    flag: list[bool] = []
    with pytest.raises(Cancelled):
        api.build_index(
            [str(raster)],
            str(tmp_path / "idx2"),
            scales=[1],
            tile_px=64,
            progress=cancel_while_learning,
            cancel=lambda: bool(flag),
        )
    assert not (tmp_path / "idx2").exists()


def test_refuses_a_non_index_folder_and_empty_rasters(tmp_path, raster_a):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not an AstroLoc index"):
        api.build_index([str(raster_a)], str(busy))
    empty = write_raster(tmp_path / "empty.tif", np.zeros((128, 128, 3), np.uint8))
    with pytest.raises(InputError):
        api.build_index([str(empty)], str(tmp_path / "e"), scales=[1], tile_px=64)
    assert (busy / "notes.txt").read_text() == "mine"


def test_ivfpq_above_threshold():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5000, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index, params = vectors.make_index(x, threshold=1000)
    assert params["type"] == "ivfpq" and params["nlist"] >= 64 and index.ntotal == 5000
    _, ids = index.search(x[:5], 10)
    assert (ids[:, 0] == np.arange(5)).mean() >= 0.6
    flat, p2 = vectors.make_index(x[:500], threshold=1000)
    assert p2["type"] == "flat"


def test_ivfpq_file_is_memory_mapped_on_read(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((12000, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index, params = vectors.make_index(x, threshold=10000)
    vectors.write(index, tmp_path / "t.faiss")
    back = vectors.read(tmp_path / "t.faiss", params, 12000, 32)
    _, ids = back.search(x[:20], 5)
    assert (ids[:, 0] == np.arange(20)).mean() >= 0.8
    with pytest.raises(BadIndexError, match="manifest says"):
        vectors.read(tmp_path / "t.faiss", params, 999, 32)


def test_georeferenced_photo_outside_the_index(built_index, tmp_path):
    from rasterio.transform import from_origin

    far = write_raster(
        tmp_path / "far_away.tif",
        texture(96, 96, 12),
        crs="EPSG:4326",
        transform=from_origin(100.0, 10.0, 0.001, 0.001),
    )
    with pytest.raises(InputError, match="far_away.tif.*outside the index"):
        api.search(str(far), str(built_index), k=3)
    inside = write_raster(
        tmp_path / "inside.tif", texture(96, 96, 13), transform=from_origin(501000, 5199000, 10, 10)
    )
    assert api.search(str(inside), str(built_index), k=3)["status"] == "ok"


def test_worker_builds_an_index_with_progress_messages(tmp_path):
    """Processing builds through the worker protocol: progress messages per stage, then the
    manifest; the index then answers index_info."""
    import io

    from astroloc_qgis.engine import protocol
    from astroloc_qgis.engine.worker import Worker

    raster = write_raster(tmp_path / "r.tif", texture(320, 320, 5))
    out, index = io.StringIO(), tmp_path / "idx"
    worker = Worker(out)
    worker.reader(
        io.StringIO(
            protocol.request(
                "b", "index_build", sources=[str(raster)], out=str(index), tile_px=64, scales=[1]
            )
            + protocol.request("i", "index_info", index=str(index))
        )
    )
    worker.run_requests()
    replies = [json.loads(line) for line in out.getvalue().splitlines()]
    stages = [m["stage"] for m in replies if m["type"] == protocol.PROGRESS and m["id"] == "b"]
    assert {"scan", "fit", "embed", "write"} <= set(stages)
    results = {m["id"]: m["result"] for m in replies if m["type"] == protocol.RESULT}
    assert results["b"]["tiles"] == results["i"]["tiles"] == 9 * 9
