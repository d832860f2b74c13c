"""Pieces of the plugin shell: settings dialog, engine environment, EXIF, photo overlay, errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import TEST_DATA, wait_for_queue
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtWidgets import QApplication

DRONE = TEST_DATA / "IMG_9355_1600x1200.jpg"


def test_settings_dialog_saves_every_key(qgis_app, astroloc_settings, tmp_path):
    from astroloc_qgis import settings
    from astroloc_qgis.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    dialog.python.setFilePath("/opt/engine/bin/python")
    dialog.env_dir.setFilePath(str(tmp_path / "env"))
    dialog.index.setFilePath(str(tmp_path / "index"))
    dialog.session.setFilePath(str(tmp_path / "review.gpkg"))
    dialog.reviewer.setText("ann")
    dialog.candidates.setValue(42)
    dialog.accept()
    assert settings.get_str(settings.ENGINE_PYTHON) == "/opt/engine/bin/python"
    assert settings.get_str(settings.ENGINE_ENV) == str(tmp_path / "env")
    assert settings.get_str(settings.INDEX_PATH) == str(tmp_path / "index")
    assert settings.recent_indexes()[0] == str(tmp_path / "index")
    assert settings.get_str(settings.SESSION_PATH) == str(tmp_path / "review.gpkg")
    assert settings.get_str(settings.REVIEWER) == "ann"
    assert settings.candidates() == 42
    assert astroloc_settings.value("astroloc/reviewer") == "ann"  # the documented key


def test_test_engine_button_shows_versions(qgis_app, astroloc_settings, engine_python, qtbot):
    from astroloc_qgis.settings_dialog import SettingsDialog

    dialog = SettingsDialog()
    dialog.python.setFilePath(str(engine_python))
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=120_000)
    text = dialog.output.toPlainText()
    versions = json.loads(text[text.index("{") :])
    assert versions["torch"].startswith("2.13.0") and versions["protocol"] == 1


def test_engine_python_lookup_order(qgis_app, astroloc_settings, tmp_path):
    from astroloc_qgis.worker import env as engine_env

    assert engine_env.find_engine_python().source == "development checkout"
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    astroloc_settings.setValue("astroloc/engine_python", str(fake))
    assert engine_env.find_engine_python().python == fake
    assert "profiles" not in str(
        engine_env.user_env_dir().relative_to(Path(QgsApplication.qgisSettingsDirPath()).parent.parent)
    )


def test_clean_environment_drops_qgis_variables(monkeypatch):
    from astroloc_qgis.worker.env import clean_environment

    for name in ("PYTHONPATH", "LD_LIBRARY_PATH", "QT_PLUGIN_PATH", "GDAL_DATA", "PROJ_LIB"):
        monkeypatch.setenv(name, "/somewhere")
    env = clean_environment()
    assert not {"PYTHONPATH", "LD_LIBRARY_PATH", "QT_PLUGIN_PATH", "GDAL_DATA", "PROJ_LIB"} & set(env)
    assert env["PATH"] == os.environ["PATH"]


def test_environment_setup_from_an_offline_wheel_folder(qgis_app, astroloc_settings, tmp_path, qtbot):
    """The real venv + pip steps, offline, with a requirements file that needs nothing."""
    from astroloc_qgis.worker.env import venv_python
    from astroloc_qgis.worker.setup import EnvSetupTask

    wheels = tmp_path / "wheels"
    wheels.mkdir()
    requirements = tmp_path / "engine.txt"
    requirements.write_text("# nothing to install\n")
    task = EnvSetupTask(tmp_path / "env", str(wheels), requirements)
    lines: list[str] = []
    task.logLine.connect(lines.append)
    assert _run(task, qtbot) == "completed", (task.error, lines)
    assert venv_python(tmp_path / "env").is_file()
    assert any("--no-index" in line and "--find-links" in line for line in lines)
    assert astroloc_settings.value("astroloc/engine_env") == str(tmp_path / "env")

    missing = tmp_path / "missing.txt"
    missing.write_text("surely-not-a-package-astroloc==1.0\n")
    failing = EnvSetupTask(tmp_path / "env2", str(wheels), missing)
    assert _run(failing, qtbot) == "terminated" and "failed" in failing.error


def _run(task, qtbot) -> str:
    """Run a QgsTask to its end; the task manager deletes the C++ object afterwards."""
    ended: list[str] = []
    task.taskCompleted.connect(lambda: ended.append("completed"))
    task.taskTerminated.connect(lambda: ended.append("terminated"))
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: bool(ended), timeout=120_000)
    return ended[0]


def test_exif_summary_of_a_drone_photo():
    from astroloc_qgis.exif import read_exif
    from astroloc_qgis.locate.panel import exif_summary_lines

    exif = read_exif(DRONE)
    assert exif["camera_make"] == "Canon" and exif["datetime"] == "2014-10-19T13:20:53"  # the engine's names
    assert exif["gps_lat"] == pytest.approx(30.17115) and exif["gps_lon"] == pytest.approx(-98.089868)
    lines = exif_summary_lines(exif, 1600, 1200)
    assert lines[0] == "1600 × 1200 px" and "2014-10-19 13:20:53" in lines
    assert read_exif(Path(__file__)) == {}


def test_photo_overlay_lands_on_its_footprint(qgis_app, tmp_path):
    from osgeo import gdal
    from qgis.PyQt.QtGui import QColor, QImage

    from astroloc_qgis.map.overlay import apply, homography, warp_photo

    corners = [[-99.16, 47.03], [-99.14, 47.031], [-99.141, 47.015], [-99.162, 47.014]]
    h = homography([(0, 0), (400, 0), (400, 300), (0, 300)], [tuple(c) for c in corners])
    for (x, y), corner in zip([(0, 0), (400, 0), (400, 300), (0, 300)], corners, strict=True):
        assert apply(h, x, y) == pytest.approx(tuple(corner), abs=1e-9)
    image = QImage(400, 300, QImage.Format_RGB32)
    image.fill(QColor("orange"))
    photo = tmp_path / "photo.png"
    image.save(str(photo))
    out = warp_photo(str(photo), corners, tmp_path / "warped.tif")
    dataset = gdal.Open(out)
    x0, dx, _, y0, _, dy = dataset.GetGeoTransform()
    west, north = x0, y0
    east, south = x0 + dx * dataset.RasterXSize, y0 + dy * dataset.RasterYSize
    assert (west, south, east, north) == pytest.approx((-99.162, 47.014, -99.14, 47.031), abs=2 * abs(dx))
    assert dataset.RasterCount == 4  # RGB + alpha outside the footprint


def test_incompatible_index_ends_as_a_message(configured, qtbot, sample_photo, tmp_path):
    bogus = tmp_path / "not-an-index"
    bogus.mkdir()
    (bogus / "manifest.json").write_text('{"format": 999}')
    configured.dock.locate.choose_index(str(bogus))
    controller = configured.controller
    assert controller.messages and "tiles.gpkg" in controller.messages[-1][1]  # the picker warns
    tasks = controller.localize([str(sample_photo)])
    wait_for_queue(qtbot, controller, 300)
    assert tasks[0].error is not None and tasks[0].error.code != "internal", tasks[0].error
    level, text = controller.messages[-1]
    assert level == Qgis.Critical and text.startswith("Could not locate") and "(" in text  # message (hint)


def test_worker_exits_when_the_plugin_unloads(configured, qtbot, sample_photo):
    controller = configured.controller
    controller.localize([str(sample_photo)])
    wait_for_queue(qtbot, controller, 300)
    process = controller.worker._connection.process
    assert process.poll() is None
    configured.unload()
    QApplication.processEvents()
    assert process.poll() is not None
    configured.unload()  # the fixture unloads again: must be harmless


def test_engine_that_cannot_start_says_what_to_do(configured, astroloc_settings, qtbot, sample_photo):
    """A Python without the engine's packages: the worker dies before `ready`."""
    astroloc_settings.setValue("astroloc/engine_python", "/usr/bin/python3")
    controller = configured.controller
    tasks = controller.localize([str(sample_photo)])
    wait_for_queue(qtbot, controller, 120)
    assert tasks[0].error is not None and tasks[0].error.code == "engine_env", tasks[0].error
    level, text = controller.messages[-1]
    assert level == Qgis.Critical and "lacks" in text and "Create environment" in text
    assert not controller.worker.is_running()


def test_engine_python_that_does_not_exist(tmp_path):
    from astroloc_qgis.worker.client import WorkerClient, WorkerError

    client = WorkerClient(tmp_path / "no-python", tmp_path, tmp_path / "worker.log")
    with pytest.raises(WorkerError) as caught:
        client.submit("hello")
    assert caught.value.code == "worker_start" and "settings" in caught.value.hint


def test_replies_are_routed_to_their_requests(engine_python, tmp_path):
    from astroloc_qgis.worker.client import WorkerClient
    from astroloc_qgis.worker.env import clean_environment, package_parent

    client = WorkerClient(engine_python, package_parent(), tmp_path / "worker.log", env=clean_environment())
    try:
        pending = [client.submit(op) for op in ("ping", "hello", "ping")]
        results = [request.result() for request in reversed(pending)]
        assert results[0] == {"pong": True} and results[2] == {"pong": True}
        assert results[1]["protocol"] == 1 and "torch" in results[1]
        assert len({request.id for request in pending}) == 3
    finally:
        client.shutdown()
    assert not client.is_running()


def test_panel_shows_the_photo_and_its_exif(plugin, qtbot):
    from tests.helpers.qgis_sample import SAMPLE

    photos = sorted(SAMPLE.glob("*.jpg"))
    plugin.dock.locate.show_photo(str(photos[0]))
    assert photos[0].name in plugin.dock.locate.photo_info.text()  # at once; the rest comes from a task
    qtbot.waitUntil(lambda: " px" in plugin.dock.locate.photo_info.text(), timeout=10_000)
    assert not plugin.dock.locate.thumbnail.pixmap().isNull()
