"""Fixtures for the plugin tests: real QGIS (pytest-qgis, offscreen) and the real engine worker.

The sample index is built once per session with the engine command line, from
resources/sample (tests never read ../shared: CI runs from a bare clone).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from qgis.core import QgsProject, QgsSettings
from qgis.PyQt.QtCore import Qt

from tests.helpers import qgis_sample

REPO = qgis_sample.REPO
ENGINE_PYTHON = qgis_sample.ENGINE_PYTHON
TEST_DATA = qgis_sample.TEST_DATA
SAMPLE = qgis_sample.SAMPLE
ASTROLOC_KEYS = (
    "engine_python",
    "engine_env",
    "index_path",
    "session_path",
    "reviewer",
    "candidates",
    "recent_indexes",
    "photo_opacity",
    "last_photo_folder",
    "wheel_folder",
    "prior_mode",
    "prior_nadir",
    "prior_altitude_km",
    "prior_max_tilt",
    "prior_near",
    "prior_radius_km",
    "prior_near_gps",
    "prior_tle",
    "catalogue_path",
    "photo_kind",
)


@pytest.fixture(scope="session")
def engine_python() -> Path:
    if not ENGINE_PYTHON.is_file():
        pytest.fail(f"{ENGINE_PYTHON} missing: run `make setup-engine`")
    return ENGINE_PYTHON


@pytest.fixture(scope="session")
def sample_index(engine_python, tmp_path_factory) -> Path:
    """Built once per session with the engine CLI (tests/helpers/qgis_sample.py: the one recipe)."""
    return qgis_sample.build_index(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def sample_photo(tmp_path_factory) -> Path:
    """A nadir JPEG cut from the sample imagery: these tests are about the plugin's plumbing."""
    return qgis_sample.nadir_photo(tmp_path_factory.mktemp("photo"))


@pytest.fixture()
def astroloc_settings():
    """Set astroloc/ keys for one test and restore the previous values afterwards."""
    store = QgsSettings()
    saved = {key: store.value(f"astroloc/{key}") for key in ASTROLOC_KEYS}
    for key in ASTROLOC_KEYS:
        store.remove(f"astroloc/{key}")
    yield store
    for key, value in saved.items():
        if value is None:
            store.remove(f"astroloc/{key}")
        else:
            store.setValue(f"astroloc/{key}", value)


@pytest.fixture()
def plugin(qgis_app, qgis_iface, qgis_new_project, astroloc_settings, qtbot):
    """The plugin as QGIS starts it (classFactory + initGui), its dock in the main window."""
    import astroloc_qgis

    instance = astroloc_qgis.classFactory(qgis_iface)
    instance.initGui()
    window = qgis_iface.mainWindow()
    window.addDockWidget(Qt.RightDockWidgetArea, instance.dock)  # the mock's addDockWidget is a no-op
    window.show()
    instance.dock.show()
    qtbot.waitExposed(instance.dock)
    qgis_iface.messageBar().clear_messages()
    yield instance
    instance.unload()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


@pytest.fixture()
def configured(plugin, astroloc_settings, engine_python, sample_index):
    """The plugin pointed at the real engine and the sample index."""
    astroloc_settings.setValue("astroloc/engine_python", str(engine_python))
    astroloc_settings.setValue("astroloc/candidates", 5)
    plugin.dock.locate.choose_index(str(sample_index))
    return plugin


def wait_for_queue(qtbot, controller, timeout_s: float = 240) -> None:
    """Wait (processing events) until no photo is running or waiting."""
    qtbot.waitUntil(
        lambda: controller.queue.current is None and not controller.queue.waiting(),
        timeout=int(timeout_s * 1000),
    )


def copy_photo(photo: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copy(photo, target)
    return target
