"""Index from a tile service: a real tile server on 127.0.0.1 (tests/helpers/tile_server.py) over XYZ
tiles cut from the bundled NAIP 2009 sample; fetch, resume, failures, WMTS, WMS, two years,
and the search of the bundled photo on the result."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO, SAMPLE
from shapely.geometry import Polygon, shape

from astroloc_qgis.engine import api
from astroloc_qgis.engine.errors import Cancelled, InputError, ServiceError
from astroloc_qgis.engine.index import services, xyz
from astroloc_qgis.engine.index.fetch import Fetcher, public_url
from astroloc_qgis.engine.index.wmts import parse_capabilities
from astroloc_qgis.engine.rasters import open_source
from tests.helpers.tile_server import TileServer, make_xyz

ZOOMS = [13, 14, 15]
RASTER = SAMPLE / "naip_nd_2009.tif"


def fast_fetcher(**kw) -> Fetcher:
    return Fetcher(**{"max_per_s": 500, "timeout_s": 2.0, "backoff_s": 0.05, **kw})


def later_year(rgb: np.ndarray) -> np.ndarray:
    """Another 'year' of the same place: other brightness and colour balance."""
    return np.clip(rgb.astype(np.float32) * [0.85, 1.0, 1.15] + 12, 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def tile_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("xyz")
    make_xyz(RASTER, root / "naip2009", ZOOMS)
    make_xyz(RASTER, root / "naip2010", ZOOMS, tweak=later_year)
    return {"naip2009": root / "naip2009", "naip2010": root / "naip2010"}


@pytest.fixture
def server(tile_folders):
    with TileServer(tile_folders, zooms=range(0, 19)) as srv:
        yield srv


@pytest.fixture(scope="session")
def bbox() -> str:
    w, s, e, n = open_source(str(RASTER), checksum=False).bounds_wgs84
    return f"{w + 0.004},{s + 0.003},{e - 0.004},{n - 0.003}"


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "astroloc_qgis.engine", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=900,
    )


@pytest.fixture(scope="session")
def service_index(tile_folders, bbox, tmp_path_factory):
    """An index built from the service (year 2009), then the same place in 2010 added with `index add`."""
    out = tmp_path_factory.mktemp("svc") / "idx"
    with TileServer(tile_folders) as srv:
        spec = services.ServiceSpec(
            "xyz",
            srv.xyz_template("naip2009") + "?api_key=SECRET",
            year="2009",
            attribution="USDA FSA (NAIP)",
            licence="public domain",
        )
        services.build_from_service(
            spec, services.Area.from_args(bbox, None), ZOOMS, out, fetcher=fast_fetcher()
        )
        single = out.with_name("idx_2009_only")
        shutil.copytree(out, single)
        res = run_cli(
            "index",
            "add",
            out,
            "--xyz",
            srv.xyz_template("naip2010"),
            "--bbox",
            bbox,
            "--zooms",
            "13-15",
            "--year",
            "2010",
            "--max-requests-per-s",
            "200",
            "-q",
        )
        assert res.returncode == 0, res.stderr
    return out, single


# --- tile math and arguments (no network) ---------------------------------------------------


def test_templates_quadkeys_and_tms_rows():
    assert xyz.Tile(3, 3, 5).quadkey == "213"  # the example of Bing Maps' tile system docs
    t = xyz.Tile(3, 5, 2)
    assert t.quadkey == "121" and t.tms_y == 5
    assert xyz.fill_template("https://s/{z}/{x}/{-y}.png", t) == "https://s/3/5/5.png"
    assert xyz.fill_template("https://s/{q}.jpg", t) == "https://s/121.jpg"
    assert xyz.lonlat_to_tile(*np.mean(np.reshape(xyz.tile_lonlat_bounds(t), (2, 2)), axis=0), 3) == (5, 2)
    assert (
        public_url("https://user:pw@h/t/{z}/{x}/{y}.png?key=abc&style=x")
        == "https://h/t/{z}/{x}/{y}.png?style=x"
    )
    assert services.scales_for([9, 10, 11]) == [4, 2, 1]


@pytest.mark.parametrize(
    "args, says",
    [
        (["--xyz", "http://127.0.0.1:9/{z}/{x}.png", "--bbox", "1,2,1.1,2.1"], "needs {z}, {x} and {y}"),
        (["--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--bbox", "1,2,1,2.1"], "--bbox 1,2,1,2.1: empty"),
        (
            ["--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--bbox", "0,0,10,10", "--zooms", "10-14"],
            "add --yes",
        ),
        (
            ["--xyz", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--bbox", "1,2,1.01,2.01", "--zooms", "10"],
            "cannot reach",
        ),
    ],
)
def test_bad_service_input_one_line_exit_2(args, says, tmp_path):
    res = run_cli("index", "build", *args, "--out", tmp_path / "idx", "-q")
    assert res.returncode == 2 and says in res.stderr and res.stderr.count("\n") == 1, res.stderr
    assert not (tmp_path / "idx").exists()


# --- fetching into the cache -------------------------------------------------------------


def test_interrupted_fetch_resumes_and_asks_each_tile_once(server, bbox, tmp_path):
    spec = services.ServiceSpec("xyz", server.xyz_template("naip2009"))
    area = services.Area.from_args(bbox, None)
    cache = tmp_path / "c.mbtiles"
    calls = []
    with pytest.raises(Cancelled):
        services.fetch_to_cache(
            spec,
            area,
            ZOOMS,
            cache,
            fast_fetcher(),
            progress=lambda *a: calls.append(a),
            cancel=lambda: len(calls) > 1,
        )
    first = sum(server.requests.values())
    assert 0 < first < len(area.tiles(ZOOMS))
    report = services.fetch_to_cache(spec, area, ZOOMS, cache, fast_fetcher())
    assert report.cached_before == first and report.fetched == len(area.tiles(ZOOMS)) - first
    assert set(server.requests.values()) == {1}  # no tile asked for twice
    with sqlite3.connect(cache) as db:  # MBTiles 1.3: TMS rows, metadata
        meta = dict(db.execute("SELECT name, value FROM metadata"))
        z, x, tms = db.execute("SELECT zoom_level, tile_column, tile_row FROM tiles LIMIT 1").fetchone()
    assert meta["format"] == "png" and meta["minzoom"] == "13" and meta["maxzoom"] == "15"
    assert (tmp_path / "c.mbtiles").stat().st_size > 0 and "naip2009" in server.xyz_template("naip2009")
    assert any(("naip2009", z, x, (1 << z) - 1 - tms) == k for k in server.requests)
    assert server.user_agents == {"AstroLoc-QGIS/0.1 (QGIS plugin; index build from a tile service)"}


def test_server_errors_and_timeouts_are_retried(server, bbox, tmp_path):
    area = services.Area.from_args(bbox, None)
    tiles = area.tiles(ZOOMS)
    server.fail_first = {("naip2009", t.z, t.x, t.y): (500, 2) for t in tiles[:3]}
    server.slow = {("naip2009", tiles[4].z, tiles[4].x, tiles[4].y): (1.5, 1)}
    spec = services.ServiceSpec("xyz", server.xyz_template("naip2009"))
    report = services.fetch_to_cache(spec, area, ZOOMS, tmp_path / "c.mbtiles", fast_fetcher(timeout_s=0.5))
    assert report.fetched == len(tiles) and not report.missing
    assert all(server.requests[k] == 3 for k in server.fail_first)


def test_missing_tiles_are_reported_never_a_silent_hole(server, bbox, tmp_path, service_index):
    area = services.Area.from_args(bbox, None)
    lost = area.tiles(ZOOMS)[7]
    server.fail_first = {("naip2010", lost.z, lost.x, lost.y): (404, 99)}
    idx = tmp_path / "idx"
    shutil.copytree(service_index[1], idx)
    before = (idx / "manifest.json").read_text()
    res = run_cli(
        "index",
        "add",
        idx,
        "--xyz",
        server.xyz_template("naip2010"),
        "--bbox",
        bbox,
        "--zooms",
        "13-15",
        "--cache",
        tmp_path / "c.mbtiles",
        "--max-requests-per-s",
        "200",
        "-q",
    )
    assert res.returncode == 2 and res.stderr.count("\n") == 1
    assert (
        f"/{lost.z}/{lost.x}/{lost.y}.png: 1 of {len(area.tiles(ZOOMS))} tiles could not be fetched"
        in res.stderr
    )
    assert "HTTP 404" in res.stderr and "--allow-missing" in res.stderr
    assert (idx / "manifest.json").read_text() == before  # the index is intact
    with sqlite3.connect(tmp_path / "c.mbtiles") as db:  # and the cache keeps the rest
        assert db.execute("SELECT count(*) FROM tiles").fetchone()[0] == len(area.tiles(ZOOMS)) - 1
    report = services.fetch_to_cache(
        services.ServiceSpec("xyz", server.xyz_template("naip2010")),
        area,
        ZOOMS,
        tmp_path / "c.mbtiles",
        fast_fetcher(),
        allow_missing=True,
    )
    assert (
        report.cached_before == len(area.tiles(ZOOMS)) - 1 and len(report.missing) == 1
    )  # retried, still missing


def test_http_429_slows_down_and_says_so(server, bbox, tmp_path):
    area = services.Area.from_args(bbox, None)
    server.throttle_first = 3
    messages = []
    spec = services.ServiceSpec("xyz", server.xyz_template("naip2009"))
    fetcher = fast_fetcher(max_per_s=100)
    report = services.fetch_to_cache(
        spec, area, ZOOMS, tmp_path / "c.mbtiles", fetcher, progress=lambda s, f, m: messages.append(m)
    )
    assert report.fetched == len(area.tiles(ZOOMS)) and report.throttled == 3 and fetcher.rate < 100
    assert any("HTTP 429" in m and "slowing down" in m for m in messages)
    server.throttle_first = 10**6
    with pytest.raises(ServiceError, match="HTTP 429.*--max-requests-per-s"):
        services.fetch_to_cache(spec, area, [12], tmp_path / "c.mbtiles", fast_fetcher(attempts=2))


def test_full_disk_while_caching_is_one_line_and_keeps_the_cache(server, bbox, tmp_path):
    """A real write failure: the fetch runs with a file-size limit (RLIMIT_FSIZE) between the size of
    the first batch of 32 tiles (~58 KB each) and the whole cache (37 tiles)."""
    code = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2300000, 2300000)); "
        "from astroloc_qgis.engine.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "index",
            "build",
            "--xyz",
            server.xyz_template("naip2009"),
            "--bbox",
            bbox,
            "--zooms",
            "13-15",
            "--cache",
            tmp_path / "c.mbtiles",
            "--out",
            tmp_path / "idx",
            "--max-requests-per-s",
            "200",
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert res.returncode == 2 and res.stderr.count("\n") == 1, res.stderr
    assert "c.mbtiles" in res.stderr and ("disk full" in res.stderr or "cannot write" in res.stderr)
    with sqlite3.connect(tmp_path / "c.mbtiles") as db:
        kept = db.execute("SELECT count(*) FROM tiles").fetchone()[0]
    assert kept > 0 and not (tmp_path / "idx").exists()
    report = services.fetch_to_cache(
        services.ServiceSpec("xyz", server.xyz_template("naip2009")),
        services.Area.from_args(bbox, None),
        ZOOMS,
        tmp_path / "c.mbtiles",
        fast_fetcher(),
    )
    assert report.cached_before == kept and not report.missing


# --- WMTS and WMS ---------------------------------------------------------------------------


def cached_tiles(path) -> dict:
    with sqlite3.connect(path) as db:
        return {(z, x, y): bytes(d) for z, x, y, d in db.execute("SELECT * FROM tiles")}


@pytest.mark.parametrize("restful", [True, False])
def test_wmts_capabilities_restful_and_kvp_give_the_xyz_tiles(server, bbox, tmp_path, restful):
    server.restful = restful
    url = f"{server.base}/wmts/capabilities.xml"
    layer = parse_capabilities(server.capabilities(), "naip2009", None, url)
    assert layer.matrix_set == "GoogleMapsCompatible" and layer.matrices[15] == "L15"
    assert (layer.template is not None) == restful
    area = services.Area.from_args(bbox, None)
    for name, spec in (
        ("wmts", services.ServiceSpec("wmts", url, layer="naip2009")),
        ("xyz", services.ServiceSpec("xyz", server.xyz_template("naip2009"))),
    ):
        services.fetch_to_cache(spec, area, ZOOMS, tmp_path / f"{name}.mbtiles", fast_fetcher())
    assert cached_tiles(tmp_path / "wmts.mbtiles") == cached_tiles(tmp_path / "xyz.mbtiles")


def test_wmts_bad_layer_and_matrix_set(server):
    xml, url = server.capabilities(), f"{server.base}/wmts/capabilities.xml"
    with pytest.raises(
        InputError, match=r"--layer sentinel2: not in the capabilities .*layers there: naip2009, naip2010"
    ):
        parse_capabilities(xml, "sentinel2", None, url)
    with pytest.raises(InputError, match="UTM14: not a Web-Mercator"):
        parse_capabilities(xml, "naip2009", "UTM14", url)
    res = run_cli(
        "index", "build", "--wmts", url, "--layer", "sentinel2", "--bbox", "1,2,1.1,2.1", "--out", "/tmp/none"
    )
    assert res.returncode == 2 and "--layer sentinel2: not in the capabilities" in res.stderr


def test_wms_getmap_gives_the_xyz_tiles(server, bbox, tmp_path):
    area = services.Area.from_args(bbox, None)
    services.fetch_to_cache(
        services.ServiceSpec("wms", f"{server.base}/wms", layer="naip2009"),
        area,
        ZOOMS,
        tmp_path / "wms.mbtiles",
        fast_fetcher(),
    )
    services.fetch_to_cache(
        services.ServiceSpec("xyz", server.xyz_template("naip2009")),
        area,
        ZOOMS,
        tmp_path / "xyz.mbtiles",
        fast_fetcher(),
    )
    assert cached_tiles(tmp_path / "wms.mbtiles") == cached_tiles(tmp_path / "xyz.mbtiles")
    with pytest.raises(InputError, match="--crs EPSG:4326"):
        services.fetch_to_cache(
            services.ServiceSpec("wms", f"{server.base}/wms", layer="naip2009", crs="EPSG:4326"),
            area,
            ZOOMS,
            tmp_path / "x.mbtiles",
            fast_fetcher(),
        )


def test_aoi_fetches_only_tiles_touching_the_polygon(server, bbox, tmp_path):
    w, s, e, n = (float(v) for v in bbox.split(","))
    tri = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [w, n], [w, s]]]},
            }
        ],
    }
    (tmp_path / "aoi.geojson").write_text(json.dumps(tri))
    area = services.Area.from_args(None, str(tmp_path / "aoi.geojson"))
    assert len(area.tiles(ZOOMS)) < len(services.Area.from_args(bbox, None).tiles(ZOOMS))


# --- the index built from the service -----------------------------------------------------------


def test_service_index_records_the_service_and_years(service_index, bbox):
    import pyogrio.raw

    out, _ = service_index
    info = run_cli("index", "info", out)
    assert info.returncode == 0
    assert "api_key" not in info.stdout and "SECRET" not in info.stdout
    assert "year 2009, zooms 13-15" in info.stdout and "year 2010" in info.stdout
    assert "attribution: USDA FSA (NAIP)" in info.stdout and "licence: public domain" in info.stdout
    m = json.loads((out / "manifest.json").read_text())
    svc = m["sources"][0]["service"]
    assert (
        svc["type"] == "xyz"
        and svc["zooms"] == ZOOMS
        and svc["fetched"].endswith("Z")
        and svc["missing_tiles"] == 0
    )
    assert m["grid"]["scales"] == [1, 2, 4] and [s["year"] for s in m["sources"]] == ["2009", "2010"]
    years = pyogrio.raw.read(str(out / "tiles.gpkg"), columns=["year"], read_geometry=False)[3][0]
    assert (
        set(years) == {"2009", "2010"}
        and (years == "2009").sum() == (years == "2010").sum() == m["tiles"] // 2
    )


def test_service_index_finds_the_sample_photo_as_the_file_index_does(service_index):
    """The same checks as tests/unit/test_cli.py::test_sample_data_demo_path, on the index built
    from the service (2009 only, and with 2010 added)."""
    from astroloc_qgis.engine.locate import DEFAULT_TOP

    for idx in service_index:
        for view in ("nadir", "oblique"):
            fc = api.search(str(SAMPLE / f"photo_naip_2020_{view}.jpg"), str(idx), k=10)
            truth = Polygon(
                json.loads((SAMPLE / f"photo_naip_2020_{view}.json").read_text())["footprint_lonlat"]
            )
            feats = fc["features"][: 3 if view == "nadir" else DEFAULT_TOP]
            assert any(shape(f["geometry"]).contains(truth.centroid) for f in feats), (idx.name, view)
            assert all(f["properties"]["year"] in ("2009", "2010") for f in feats)


def test_search_and_locate_open_no_socket(service_index, server):
    """Network only when the user asked: an audit hook sees every socket.connect of this process."""
    import urllib.request

    seen: list = []
    armed = [True]

    def hook(event, args):
        if armed[0] and event in ("socket.connect", "socket.getaddrinfo", "socket.bind"):
            seen.append((event, args))

    sys.addaudithook(hook)
    try:
        urllib.request.urlopen(f"{server.base}/wmts/capabilities.xml", timeout=5).read()
        assert seen, "the hook must see a connection"  # the probe works
        seen.clear()
        photo = str(SAMPLE / "photo_naip_2020_nadir.jpg")
        api.search(photo, str(service_index[0]), k=10)
        api.locate(photo, str(service_index[0]), k=20)
    finally:
        armed[0] = False
    assert seen == []


# --- the worker's index_build_service (what the QGIS algorithm sends) -----------------------------


def test_cli_arguments_and_worker_parameters_give_the_same_build(bbox):
    from astroloc_qgis.engine.cli import build_parser

    url = "http://127.0.0.1:9/xyz/naip2009/{z}/{x}/{y}.png"
    args = build_parser().parse_args(
        ["index", "build", "--xyz", url, f"--bbox={bbox}", "--zooms", "13-15", "--year", "2009", "--out", "x"]
    )
    w, s, e, n = (float(v) for v in bbox.split(","))
    worker = {"xyz": url, "bbox": [w, s, e, n], "zooms": [13, 15], "year": 2009}
    cli_spec, cli_area, cli_zooms, cli_rate = services.service_arguments(vars(args))
    spec, area, zooms, rate = services.service_arguments(worker)
    assert (spec, zooms, rate) == (cli_spec, cli_zooms, cli_rate) == (spec, ZOOMS, services.DEFAULT_RATE)
    assert area.bbox == pytest.approx(cli_area.bbox) and spec.year == "2009"
    with pytest.raises(InputError, match="give one source"):
        services.service_arguments({**worker, "wms": "http://127.0.0.1:9/wms"})
    with pytest.raises(InputError, match="--max-requests-per-s 0: must be positive"):
        services.service_arguments({**worker, "max_requests_per_s": 0})


class _Replies:
    """The worker's stdout: protocol lines collected for the test thread."""

    def __init__(self):
        import queue

        self.lines: queue.Queue = queue.Queue()

    def write(self, text: str) -> None:
        for line in text.splitlines():
            self.lines.put(json.loads(line))

    def flush(self) -> None:
        pass

    def until(self, req_id: str, timeout: float = 60) -> tuple[list[dict], dict]:
        seen = []
        while True:
            msg = self.lines.get(timeout=timeout)
            if msg["id"] == req_id:
                seen.append(msg)
                if msg["type"] in ("result", "error"):
                    return seen, msg


@pytest.fixture
def worker():
    """The real worker loop (reader + request threads) on a pipe, in this process."""
    import os
    import threading

    from astroloc_qgis.engine.worker import Worker

    read_fd, write_fd = os.pipe()
    replies = _Replies()
    w = Worker(replies)
    with os.fdopen(read_fd) as stdin, os.fdopen(write_fd, "w", buffering=1) as send:
        threading.Thread(target=w.reader, args=(stdin,), daemon=True).start()
        threading.Thread(target=w.run_requests, daemon=True).start()
        yield send, replies
        send.write(json.dumps({"v": 1, "id": "bye", "op": "shutdown"}) + "\n")


def test_worker_estimates_then_a_cancel_stops_the_fetch_mid_batch_and_keeps_the_cache(
    worker, server, bbox, tmp_path
):
    import time

    from astroloc_qgis.engine import protocol

    send, replies = worker
    area = services.Area.from_args(bbox, None)
    tiles = area.tiles(ZOOMS)
    cache = tmp_path / "c.mbtiles"
    params = {
        "xyz": server.xyz_template("naip2009"),
        "bbox": [float(v) for v in bbox.split(",")],
        "zooms": [13, 15],
        "cache": str(cache),
        "out": str(tmp_path / "idx"),
        "max_requests_per_s": 500,
    }
    send.write(protocol.request("e", "index_build_service", dry_run=True, **params))
    _, estimate = replies.until("e")
    est = estimate["result"]
    assert (est["tiles"], est["cached"], est["to_fetch"]) == (len(tiles), 0, len(tiles))
    assert est["bytes"] == len(tiles) * services.BYTES_PER_TILE and not est["over_limit"]
    assert not server.requests and not cache.exists()  # an estimate fetches nothing

    server.slow = {("naip2009", t.z, t.x, t.y): (0.15, 1) for t in tiles}  # the whole first batch is slow
    send.write(protocol.request("b", "index_build_service", **params))
    while sum(server.requests.values()) < 6:
        time.sleep(0.01)
    t0 = time.monotonic()
    send.write(protocol.request("c", "cancel", target="b"))
    _, answer = replies.until("b")
    assert answer["type"] == "error" and answer["error"]["code"] == "cancelled", answer
    assert time.monotonic() - t0 < 2.0  # per tile, not after the batch of 32 (~1.2 s more)
    asked = sum(server.requests.values())
    assert asked < min(len(tiles), services.BATCH)
    with sqlite3.connect(cache) as db:
        kept = db.execute("SELECT count(*) FROM tiles").fetchone()[0]
    assert 0 < kept == asked  # every tile that arrived is cached
    assert not (tmp_path / "idx").exists()

    send.write(protocol.request("e2", "index_build_service", dry_run=True, **params))
    assert replies.until("e2")[1]["result"]["cached"] == kept
    report = services.fetch_to_cache(
        services.ServiceSpec("xyz", params["xyz"]), area, ZOOMS, cache, fast_fetcher()
    )
    assert report.cached_before == kept and report.fetched == len(tiles) - kept
    assert set(server.requests.values()) == {1}  # resumed: no tile asked twice
