"""`make package`: a zip that QGIS's "Install from ZIP" accepts."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
REQUIRED = (
    "name",
    "qgisMinimumVersion",
    "description",
    "about",
    "version",
    "author",
    "email",
    "repository",
    "tracker",
    "tags",
    "icon",
    "hasProcessingProvider",
    "license",
)
FORBIDDEN_SUFFIXES = (".pyc", ".so", ".dll", ".npy", ".npz", ".faiss", ".pt", ".tif", ".gpkg", ".whl", ".ts")


def _build(tmp_path: Path) -> Path:
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "package.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (zip_path,) = tmp_path.glob("astroloc_qgis-*.zip")
    return zip_path


def test_package_zip(tmp_path):
    zip_path = _build(tmp_path)
    assert zip_path.stat().st_size <= 25 * 1024 * 1024
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        assert {name.split("/")[0] for name in names} == {"astroloc_qgis"}
        assert not [
            n for n in names if "__pycache__" in n or "/sample/" in n or n.endswith(FORBIDDEN_SUFFIXES)
        ]
        metadata_info = archive.getinfo("astroloc_qgis/metadata.txt")
        assert (metadata_info.external_attr >> 16) & 0o170000 != 0o120000  # a real file, not a symlink
        metadata = configparser.ConfigParser()
        metadata.read_string(archive.read("astroloc_qgis/metadata.txt").decode("utf-8"))
        general = metadata["general"]
        for key in REQUIRED:
            assert general.get(key, "").strip(), f"metadata.txt lacks {key}"
        assert general["qgisMinimumVersion"] == "3.22"
        assert general["hasProcessingProvider"] == "yes"
        assert zip_path.name == f"astroloc_qgis-{general['version']}.zip"
        for needed in (
            "__init__.py",
            "plugin.py",
            "engine/protocol.py",
            "engine/worker.py",
            "requirements/engine.txt",
            general["icon"],
            "resources/styles/candidates.qml",
        ):
            assert f"astroloc_qgis/{needed}" in names, needed
        archive.extractall(tmp_path / "plugins")


def test_packaged_plugin_imports_from_its_folder(tmp_path):
    zip_path = _build(tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "plugins")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import astroloc_qgis.plugin as p, astroloc_qgis.paths "
        "as q;print(p.__file__); print(q.style_path('footprint')); print(q.shipped_file('requirements', "
        "'engine.txt'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "plugins")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin"},
    )
    assert done.returncode == 0, done.stderr
    for line in done.stdout.split():
        assert line.startswith(str(tmp_path / "plugins" / "astroloc_qgis")), line


def test_real_qgis_loads_the_packaged_plugin(tmp_path):
    """qgis_process (Debian's real QGIS) enables the plugin from the extracted zip and lists
    its Processing algorithms: metadata, classFactory and initProcessing all work."""
    qgis_process = Path("/usr/bin/qgis_process.bin")  # the wrapper script rejects QGIS_OPTS
    if not qgis_process.exists():
        pytest.fail("qgis_process.bin not installed: make setup-apt")
    zip_path = _build(tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "plugins")
    (tmp_path / "home").mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "QT_QPA_PLATFORM": "offscreen",
        "QGIS_PLUGINPATH": str(tmp_path / "plugins"),
    }
    enable = subprocess.run(
        [str(qgis_process), "plugins", "enable", "astroloc_qgis"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert enable.returncode == 0, enable.stdout + enable.stderr
    listed = subprocess.run([str(qgis_process), "list"], env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    if (REPO / "astroloc_qgis" / "processing" / "provider.py").is_file():
        assert "astroloc:" in listed.stdout, listed.stdout[-2000:]


def test_engine_worker_runs_from_the_packaged_plugin(tmp_path):
    """The zip carries the whole engine: a worker started from the extracted folder answers."""
    sys.path.insert(0, str(REPO))
    from astroloc_qgis.worker.client import WorkerClient
    from astroloc_qgis.worker.env import clean_environment

    engine_python = REPO / ".venv-engine" / "bin" / "python"
    assert engine_python.is_file(), "run `make setup-engine`"
    zip_path = _build(tmp_path)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "plugins")
    client = WorkerClient(
        engine_python, tmp_path / "plugins", tmp_path / "worker.log", env=clean_environment()
    )
    try:
        versions = client.ensure_started()
        assert versions["protocol"] == 1 and client.submit("ping").result() == {"pong": True}
    finally:
        client.shutdown()
