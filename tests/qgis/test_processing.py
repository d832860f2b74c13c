"""The `astroloc` Processing provider: through `qgis_process` (a real separate QGIS), and in-process
for cancelling. The localize test runs the real engine on real imagery (NAIP, North Dakota)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from imagery import naip_source, photo_from
from osgeo import ogr
from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback
from session_data import batch

from astroloc_qgis.session import Session

REPO = Path(__file__).resolve().parents[2]
QGIS_PROCESS = (
    "/usr/bin/qgis_process.bin"  # /usr/bin/qgis_process is a wrapper that fails (ENVIRONMENT.md §6)
)
ENGINE_PYTHON = REPO / ".venv-engine" / "bin" / "python"
ALGORITHMS = (
    "astroloc:build_index",
    "astroloc:build_index_from_layer",
    "astroloc:localize_photos",
    "astroloc:export_confirmed",
)


@pytest.fixture()
def astroloc_provider(qgis_app, qgis_processing):
    """The provider in the registry for one test, then removed: a provider whose Python object
    was collected stays registered as a shell with nameless algorithms."""
    from astroloc_qgis.processing.provider import AstroLocProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("astroloc")
    added = provider is None
    if added:
        provider = AstroLocProvider()
        registry.addProvider(provider)
    yield provider
    if added:
        registry.removeProvider(provider)


@pytest.fixture(scope="module")
def qp_env(tmp_path_factory) -> dict[str, str]:
    """A throw-away QGIS profile (HOME) whose plugin path holds this checkout's plugin, enabled."""
    root = tmp_path_factory.mktemp("qgis_process")
    (root / "home").mkdir()
    (root / "plugins").mkdir()
    (root / "runtime").mkdir(mode=0o700)
    (root / "plugins" / "astroloc_qgis").symlink_to(REPO / "astroloc_qgis")
    # Debian's PATH only: with pyenv first QGIS's embedded Python crashes (ENVIRONMENT.md §6).
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root / "home"),
        "QGIS_PLUGINPATH": str(root / "plugins"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "XDG_RUNTIME_DIR": str(root / "runtime"),
    }
    out = subprocess.run(
        [QGIS_PROCESS, "plugins", "enable", "astroloc_qgis"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return env


def qgis_process(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([QGIS_PROCESS, *args], env=env, capture_output=True, text=True, timeout=timeout)


def run_json(env: dict[str, str], alg: str, **params: str) -> tuple[int, dict, str]:
    args = ["--json", "run", alg, "--", *(f"{k}={v}" for k, v in params.items())]
    out = qgis_process(env, *args)
    try:
        data = json.loads(out.stdout[out.stdout.index("{") :])
    except ValueError:
        data = {}
    return out.returncode, data, out.stdout + out.stderr


def test_provider_lists_its_documented_algorithms(qp_env):
    out = qgis_process(qp_env, "--json", "list")
    assert out.returncode == 0, out.stderr
    listing = json.loads(out.stdout[out.stdout.index("{") :])
    provider = listing["providers"]["astroloc"]
    assert provider["name"] == "AstroLoc"
    assert set(ALGORITHMS) <= set(provider["algorithms"])
    for alg in ALGORITHMS:
        help_out = qgis_process(qp_env, "--json", "help", alg)
        assert help_out.returncode == 0, help_out.stderr
        info = json.loads(help_out.stdout[help_out.stdout.index("{") :])
        assert info["algorithm_details"]["short_description"]
        text = qgis_process(qp_env, "help", alg).stdout.split("Arguments")[0]  # the help string
        for name, param in info["parameters"].items():
            # every parameter is documented in the help, by its label
            assert param["description"] in text, (alg, name)


@pytest.fixture()
def reviewed_session(tmp_path) -> Path:
    path = tmp_path / "review.gpkg"
    with Session(str(path), reviewer="ann") as s:
        ids = [s.add_result(fc) for fc in batch(5)]
        s.confirm(ids[0])
        s.choose(ids[1], 3)
        s.reject(ids[2])
    return path


def test_export_through_qgis_process(qp_env, reviewed_session, tmp_path):
    out = tmp_path / "exported.gpkg"
    rc, data, log = run_json(
        qp_env, "astroloc:export_confirmed", SESSION=str(reviewed_session), OUTPUT=str(out), GEOJSON="1"
    )
    assert rc == 0, log
    assert data["results"]["COUNT"] == 2
    ds = ogr.Open(str(out))
    lyr = ds.GetLayerByName("confirmed_footprints")
    assert lyr.GetFeatureCount() == 2 and lyr.GetSpatialRef().GetAuthorityCode(None) == "4326"
    assert sorted(f["status"] for f in lyr) == ["confirmed", "confirmed"]
    assert (tmp_path / "exported.geojson").is_file()


def test_export_to_missing_folder_fails_clearly(qp_env, reviewed_session, tmp_path):
    rc, _, log = run_json(
        qp_env,
        "astroloc:export_confirmed",
        SESSION=str(reviewed_session),
        OUTPUT=str(tmp_path / "nowhere" / "x.gpkg"),
    )
    assert rc != 0
    assert "does not exist" in log


@pytest.mark.slow
def test_build_index_and_localize_through_qgis_process(qp_env, tmp_path):
    if not ENGINE_PYTHON.is_file():
        pytest.fail("engine venv missing: make setup-engine")
    source = naip_source()
    index = tmp_path / "index"
    rc, data, log = run_json(
        qp_env,
        "astroloc:build_index",
        SOURCES=str(source),
        OUTPUT=str(index),
        ENGINE_PYTHON=str(ENGINE_PYTHON),
    )
    assert rc == 0, log
    assert data["results"]["TILES"] > 10
    assert (index / "tiles.gpkg").is_file()

    photos = tmp_path / "photos"
    photos.mkdir()
    truth = {
        "a.jpg": photo_from(source, photos / "a.jpg", (300, 200, 384, 288)),
        "b.jpg": photo_from(source, photos / "b.jpg", (500, 380, 320, 240), rotate=True),
    }
    session = tmp_path / "review.gpkg"
    t0 = time.monotonic()
    rc, data, log = run_json(
        qp_env,
        "astroloc:localize_photos",
        FOLDER=str(photos),
        INDEX=str(index),
        K="5",
        SESSION=str(session),
        REVIEWER="qp",
        ENGINE_PYTHON=str(ENGINE_PYTHON),
    )
    elapsed = time.monotonic() - t0
    assert rc == 0, log
    results = data["results"]
    assert results["LOCATED"] + results["NOT_FOUND"] == 2 and results["FAILED"] == 0, log
    print(f"localize_photos via qgis_process: 2 photos in {elapsed:.1f} s")

    with Session(str(session), reviewer="qp", create=False) as s:
        assert s.counts()["pending"] == 2
        for photo in s.photos():
            cands = s.candidates(photo["photo_id"])
            assert 1 <= len(cands) <= 5 and photo["model_id"]
            lon, lat = truth[photo["name"]]
            centre = ogr.CreateGeometryFromWkt(f"POINT ({lon} {lat})")
            hits = [
                c["rank"]
                for c in cands
                if ogr.CreateGeometryFromJson(json.dumps(c["geometry"])).Contains(centre)
            ]
            # real retrieval on real imagery: the true place is among the top candidates
            assert hits and min(hits) <= 3, (photo["name"], hits)
            fp = s.footprint(photo["photo_id"])
            if fp is not None:  # the engine's locate: the refined footprint covers the true centre
                assert ogr.CreateGeometryFromJson(json.dumps(fp["geometry"])).Contains(centre)


@pytest.mark.slow
def test_localize_cancel_in_process(astroloc_provider, tmp_path):
    if not ENGINE_PYTHON.is_file():
        pytest.fail("engine venv missing: make setup-engine")
    registry = QgsApplication.processingRegistry()
    source = naip_source()
    index = tmp_path / "index"
    built = subprocess.run(
        [
            str(ENGINE_PYTHON),
            "-m",
            "astroloc_qgis.engine",
            "index",
            "build",
            str(source),
            "--out",
            str(index),
            "-q",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(3):
        photo_from(source, photos / f"p{i}.jpg", (100 + 150 * i, 150, 384, 288))

    cancelled_at: list[float] = []

    class CancelOnFirstStage(QgsProcessingFeedback):
        def setProgressText(self, text: str) -> None:  # cancel once the engine works on photo 1
            super().setProgressText(text)
            if not cancelled_at and "Starting" not in text:
                cancelled_at.append(time.monotonic())
                self.cancel()

    feedback = CancelOnFirstStage()
    alg = registry.createAlgorithmById("astroloc:localize_photos")
    session = tmp_path / "s.gpkg"
    params = {
        "FOLDER": str(photos),
        "INDEX": str(index),
        "K": 5,
        "SESSION": str(session),
        "ENGINE_PYTHON": str(ENGINE_PYTHON),
    }
    results, ok = alg.run(params, QgsProcessingContext(), feedback)
    assert cancelled_at, "no progress was reported"
    assert time.monotonic() - cancelled_at[0] < 5.0  # the request is cancelled, the worker shut down
    assert ok and results["LOCATED"] + results["NOT_FOUND"] < 3
    with Session(str(session), create=False) as s:
        assert s.counts()["total"] == results["LOCATED"] + results["NOT_FOUND"]


@pytest.mark.slow
def test_build_index_in_process_progress_cancel_and_resume(astroloc_provider, tmp_path):
    """The build goes through the worker protocol: the engine's progress messages become the
    algorithm's progress (stage: message), cancelling cancels the request, and running the
    algorithm again resumes from what was embedded."""
    if not ENGINE_PYTHON.is_file():
        pytest.fail("engine venv missing: make setup-engine")
    from qgis.core import QgsProcessingException

    registry = QgsApplication.processingRegistry()

    class Recording(QgsProcessingFeedback):
        def __init__(self, cancel_at: str = ""):
            super().__init__()
            self.texts: list[str] = []
            self.values: list[float] = []
            self.cancel_at = cancel_at

        def setProgressText(self, text: str) -> None:  # camelCase: a Qt override
            super().setProgressText(text)
            self.texts.append(text)
            if self.cancel_at and text.startswith(self.cancel_at):
                self.cancel()

        def setProgress(self, value: float) -> None:  # camelCase: a Qt override
            super().setProgress(value)
            self.values.append(value)

    alg = registry.createAlgorithmById("astroloc:build_index")
    params = {
        "SOURCES": [str(naip_source())],
        "OUTPUT": str(tmp_path / "index"),
        "TILE_PX": 256,
        "SCALES": "1",
        "ENGINE_PYTHON": str(ENGINE_PYTHON),
    }
    first = Recording(cancel_at="embed:")
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        alg.processAlgorithm(params, QgsProcessingContext(), first)
    assert any(t.startswith("fit: ") for t in first.texts) and not (tmp_path / "index").exists()
    again = Recording()
    results, ok = alg.run(params, QgsProcessingContext(), again)
    assert ok and results["TILES"] > 10
    assert any(t.startswith("resume: ") for t in again.texts), again.texts[:5]
    assert any(t.startswith("embed: ") and "tiles/s" in t for t in again.texts)
    assert max(again.values) <= 100.0 and again.values[-1] == 100.0  # each stage fills the build's 0-95


def _pipeline_model(path: Path) -> None:
    """The model is written by a separate QGIS process (tests/qgis/make_model.py), as a user saves it
    from the modeller; the test then only handles the .model3 file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = subprocess.run(
        ["/usr/bin/python3", str(Path(__file__).with_name("make_model.py")), str(path)],
        env={**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and path.is_file(), out.stdout + out.stderr


@pytest.mark.slow
def test_modeller_pipeline_through_qgis_process(qp_env, tmp_path):
    """The three algorithms chained in a modeller model run by qgis_process (engine found without a
    parameter)."""
    if not ENGINE_PYTHON.is_file():
        pytest.fail("engine venv missing: make setup-engine")
    model = tmp_path / "pipeline.model3"
    _pipeline_model(model)
    photos = tmp_path / "photos"
    photos.mkdir()
    source = naip_source()
    photo_from(source, photos / "a.jpg", (300, 200, 384, 288))
    help_out = qgis_process(qp_env, "help", str(model))  # (`--json help` of a model crashes QGIS 3.22)
    assert help_out.returncode == 0, help_out.stdout + help_out.stderr
    session_param, export_param = "localize:session", "export:confirmed"
    assert f"{session_param}: " in help_out.stdout and f"{export_param}: " in help_out.stdout
    session, exported = tmp_path / "s.gpkg", tmp_path / "confirmed.gpkg"
    out = qgis_process(
        qp_env,
        "--json",
        "run",
        str(model),
        "--",
        f"raster={source}",
        f"photos={photos}",
        f"{session_param}={session}",
        f"{export_param}={exported}",
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    with Session(str(session), create=False) as s:
        assert s.counts()["pending"] == 1 and s.candidates(s.photo_ids()[0])
    ds = ogr.Open(str(exported))  # keep the dataset alive while its layer is used
    assert ds.GetLayerByName("confirmed_footprints").GetFeatureCount() == 0  # nothing confirmed yet
