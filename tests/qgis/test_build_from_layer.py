"""'Build index from layer': real QGIS layers (an XYZ layer of QGIS's wms provider) pointed at the
real loopback tile server (tests/helpers/tile_server.py) over XYZ tiles cut from the bundled NAIP sample, the
real engine worker; estimate, cancel and resume, an unreachable server, the dock's action."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRasterLayer,
)

from astroloc_qgis.engine.index import xyz
from astroloc_qgis.processing.layer_source import UnsupportedLayer, service_of_layer, uri_params
from astroloc_qgis.worker.env import clean_environment
from tests.helpers.tile_server import TileServer

REPO = Path(__file__).resolve().parents[2]
ENGINE_PYTHON = REPO / ".venv-engine" / "bin" / "python"
RASTER = REPO / "resources" / "sample" / "naip_nd_2009.tif"
ALGORITHM = "astroloc:build_index_from_layer"
ZOOMS = (13, 14)
# inside the sample raster (lon/lat): the tiles at zooms 13-14 that touch it
BBOX = (-99.17, 47.01, -99.14, 47.03)
EXTENT = f"{BBOX[0]},{BBOX[2]},{BBOX[1]},{BBOX[3]} [EPSG:4326]"


@pytest.fixture(scope="module")
def tile_folder(tmp_path_factory) -> Path:
    """XYZ PNG tiles cut by the engine's Python (rasterio: not in QGIS's Python)."""
    folder = tmp_path_factory.mktemp("xyz") / "naip2009"
    code = (
        "import sys; from tests.helpers.tile_server import make_xyz; "
        f"print(make_xyz({str(RASTER)!r}, {str(folder)!r}, {list(ZOOMS)!r}))"
    )
    out = subprocess.run(
        [str(ENGINE_PYTHON), "-c", code],
        cwd=REPO,
        env=clean_environment(),  # QGIS's PROJ_DATA would break rasterio's own PROJ
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0 and int(out.stdout) > 0, out.stderr
    return folder


@pytest.fixture()
def server(tile_folder):
    with TileServer({"naip2009": tile_folder}) as srv:
        yield srv


_PROVIDERS: list = []


@pytest.fixture()
def algorithm(qgis_app, qgis_processing):
    from astroloc_qgis.processing.provider import AstroLocProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("astroloc") is None:
        _PROVIDERS.append(AstroLocProvider())  # its Python side must outlive the test
        registry.addProvider(_PROVIDERS[-1])
    alg = registry.createAlgorithmById(ALGORITHM)
    assert alg is not None
    return alg


def xyz_layer(template: str, name: str = "NAIP 2009 (XYZ)") -> QgsRasterLayer:
    """An XYZ Tiles layer as QGIS's browser makes one."""
    uri = f"type=xyz&url={urllib.parse.quote(template, safe=':/')}&zmax=19&zmin=0"
    layer = QgsRasterLayer(uri, name, "wms")
    assert layer.isValid(), uri
    QgsProject.instance().addMapLayer(layer)
    return layer


class Recording(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos: list[str] = []
        self.texts: list[str] = []

    def pushInfo(self, info: str) -> None:  # camelCase: a Qt override
        super().pushInfo(info)
        self.infos.append(info)

    def setProgressText(self, text: str) -> None:  # camelCase: a Qt override
        super().setProgressText(text)
        self.texts.append(text)


def params(layer, tmp_path, **extra) -> dict:
    return {
        "LAYER": layer.id(),
        "EXTENT": EXTENT,
        "PRESET": 2,
        "MIN_ZOOM": ZOOMS[0],
        "MAX_ZOOM": ZOOMS[-1],
        "YEAR": "2009",
        "CACHE": str(tmp_path / "naip.mbtiles"),
        "MAX_RATE": 500,
        "MODEL": "sift-vlad",
        "ENGINE_PYTHON": str(ENGINE_PYTHON),
        "OUTPUT": str(tmp_path / "index"),
        **extra,
    }


def project_context() -> QgsProcessingContext:
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())  # layer ids resolve in the project, as in QGIS
    return context


def cached(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM tiles").fetchone()[0]


# --- the layer's data source (no network) -------------------------------------------------------


def test_layer_sources_xyz_wmts_wms_file():
    xyz = "type=xyz&url=http://h/t/%7Bz%7D/%7Bx%7D/%7By%7D.png?key%3Da%26s%3D1&zmax=19&zmin=0"
    assert service_of_layer("wms", xyz) == {"xyz": "http://h/t/{z}/{x}/{y}.png?key=a&s=1"}
    wmts = (
        "contextualWMSLegend=0&crs=EPSG:3857&dpiMode=7&format=image/png&layers=s2cloudless_3857"
        "&styles=default&tileMatrixSet=GoogleMapsCompatible&url=https://tiles.maps.eox.at/wmts/1.0.0/"
        "WMTSCapabilities.xml"
    )
    assert service_of_layer("wms", wmts) == {
        "wmts": "https://tiles.maps.eox.at/wmts/1.0.0/WMTSCapabilities.xml",
        "layer": "s2cloudless_3857",
        "tile_matrix_set": "GoogleMapsCompatible",
    }
    bare = "crs=EPSG:3857&format=image/png&layers=a&styles=&tileMatrixSet=g&url=https://h/wmts?map%3Dx"
    assert (
        service_of_layer("wms", bare)["wmts"] == "https://h/wmts?map=x&SERVICE=WMTS&REQUEST=GetCapabilities"
    )
    wms = "crs=EPSG:4326&format=image/png&layers=roads&layers=fields&styles=&styles=&url=https://h/wms?x%3D1"
    assert uri_params(wms)["layers"] == ["roads", "fields"]
    assert service_of_layer("wms", wms) == {
        "wms": "https://h/wms?x=1",
        "layer": "roads,fields",
        "crs": "EPSG:3857",
    }
    assert service_of_layer("gdal", "/data/naip.tif|option:x") == {"sources": ["/data/naip.tif"]}
    for provider, source in (
        ("gdal", "/vsicurl/https://h/cog.tif"),
        ("wcs", "url=https://h"),
        ("wms", "x=1"),
    ):
        with pytest.raises(UnsupportedLayer):
            service_of_layer(provider, source)


def test_real_wmts_layer_of_the_loopback_server_is_read_right(qgis_app, server):
    """QGIS reads the server's capabilities itself; its URI then names the same service."""
    capabilities = f"{server.base}/wmts/capabilities.xml"
    uri = (
        "crs=EPSG:3857&dpiMode=7&format=image/png&layers=naip2009&styles=default"
        f"&tileMatrixSet=GoogleMapsCompatible&url={capabilities}"
    )
    layer = QgsRasterLayer(uri, "NAIP WMTS", "wms")
    assert layer.isValid(), layer.error().summary()
    assert service_of_layer(layer.providerType(), layer.source()) == {
        "wmts": capabilities,
        "layer": "naip2009",
        "tile_matrix_set": "GoogleMapsCompatible",
    }


# --- the algorithm through the worker ------------------------------------------------------------


def test_estimate_is_logged_and_a_big_area_needs_the_confirmation(algorithm, server, tmp_path):
    layer = xyz_layer(server.xyz_template("naip2009"))
    feedback = Recording()
    big = params(layer, tmp_path, EXTENT="-99.5,-99,46.8,47.2 [EPSG:4326]", PRESET=1)  # 15-17
    with pytest.raises(QgsProcessingException, match="tick 'Fetch more than 10,000 tiles'"):
        algorithm.processAlgorithm(big, project_context(), feedback)
    estimate = next(i for i in feedback.infos if i.startswith("Estimate: "))
    assert "at zooms 15-17" in estimate and "MB" in estimate and "then indexing ~" in estimate, estimate
    assert not server.requests and not (tmp_path / "index").exists()  # nothing fetched


def test_unreachable_server_is_one_clear_error(algorithm, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    layer = xyz_layer(f"http://127.0.0.1:{port}/xyz/{{z}}/{{x}}/{{y}}.png")
    one_tile = params(
        layer, tmp_path, EXTENT="-99.16,-99.159,47.02,47.021 [EPSG:4326]", MIN_ZOOM=13, MAX_ZOOM=13
    )
    with pytest.raises(QgsProcessingException) as error:
        algorithm.processAlgorithm(one_tile, project_context(), Recording())
    text = str(error.value)
    assert f"http://127.0.0.1:{port}/xyz/13/" in text and "cannot reach the server" in text, text
    assert not (tmp_path / "index").exists()


def test_build_from_xyz_layer_cancel_resume_and_the_dock_shows_it(plugin, qgis_processing, server, tmp_path):
    """Cancel mid-fetch keeps the cache; the rerun fetches only the rest, builds the index, and the
    plugin's dock chooses it and shows its coverage."""
    layer = xyz_layer(server.xyz_template("naip2009"))
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(ALGORITHM)
    run = params(layer, tmp_path)
    tiles = [t for z in range(ZOOMS[0], ZOOMS[-1] + 1) for t in xyz.tiles_in(BBOX, z)]
    server.slow = {("naip2009", t.z, t.x, t.y): (0.2, 1) for t in tiles}
    first = Recording()

    def cancel_after_three_tiles() -> None:
        deadline = time.monotonic() + 60
        while sum(server.requests.values()) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.cancel()

    threading.Thread(target=cancel_after_three_tiles, daemon=True).start()
    with pytest.raises(QgsProcessingException, match="Cancelled.*kept in the cache"):
        algorithm.processAlgorithm(run, project_context(), first)
    kept = cached(tmp_path / "naip.mbtiles")
    # the build's own requests: QGIS may fetch a tile of the layer for itself (seen: z19 at the corner)
    built = {key: n for key, n in server.requests.items() if ZOOMS[0] <= key[1] <= ZOOMS[-1]}
    assert kept == sum(built.values()) > 0  # what arrived before the cancel is kept
    assert not (tmp_path / "index").exists()

    server.slow = {}
    again = Recording()
    results, ok = algorithm.run(run, project_context(), again)
    assert ok, again.infos
    estimate = next(i for i in again.infos if i.startswith("Estimate: "))
    assert f"({kept} already cached" in estimate, estimate
    total = cached(tmp_path / "naip.mbtiles")
    assert 0 < kept < total == len(tiles) and results["FETCHED"] == total - kept and results["TILES"] > 0
    built = {key: n for key, n in server.requests.items() if ZOOMS[0] <= key[1] <= ZOOMS[-1]}
    assert set(built.values()) == {1} and len(built) == len(tiles)  # resumed: no tile asked twice
    manifest = json.loads((tmp_path / "index" / "manifest.json").read_text())
    assert manifest["sources"][0]["service"]["zooms"] == list(range(ZOOMS[0], ZOOMS[-1] + 1))
    assert manifest["sources"][0]["year"] == "2009"
    locate = plugin.dock.locate
    assert locate.current_index() == str(tmp_path / "index")
    coverage = QgsProject.instance().mapLayer(plugin.controller.coverage_layer_id or "")
    assert coverage is not None and coverage.featureCount() == results["TILES"]


def test_dock_action_opens_the_dialog_on_the_active_layer(
    plugin, qgis_processing, qgis_iface, server, monkeypatch
):
    from qgis.gui import QgsBrowserGuiModel

    browser = QgsBrowserGuiModel()  # the Processing dialog asks QGIS's iface for one; the stand-in has none
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: browser, raising=False)
    layer = xyz_layer(server.xyz_template("naip2009"))
    qgis_iface.setActiveLayer(layer)
    assert plugin.dock.build_action in plugin.actions  # in the plugin menu too
    plugin.dock.build_action.trigger()
    dialog = plugin.build_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.algorithm().id() == ALGORITHM
    chosen = dialog.mainWidget().createProcessingParameters()  # what Run would use
    assert chosen["LAYER"] in (layer.id(), layer.source(), layer) and chosen["PRESET"] == 0
    dialog.close()
