"""Drop a photo, the REAL engine worker runs on a real sample index, layers appear.

Also: cancel, a worker killed mid-task, several photos queued, and the longest stall of
the GUI thread during a localization (printed; run pytest with -s to see it).
"""

from __future__ import annotations

import os
import signal
import time

from conftest import SAMPLE, copy_photo, wait_for_queue
from qgis.core import Qgis, QgsProject, QgsWkbTypes
from qgis.PyQt.QtCore import QElapsedTimer, QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent
from qgis.PyQt.QtWidgets import QApplication

TIMEOUT_S = 300


def drop_on_panel(dock, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(dock, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(dock, drop)
    assert drop.isAccepted()


def group_layers(result) -> dict[str, object]:
    return {layer.layer().name(): layer.layer() for layer in result.group.findLayers()}


def test_panel_drop_runs_the_real_worker_and_adds_layers(configured, qgis_iface, qtbot, sample_photo):
    controller = configured.controller
    drop_on_panel(configured.dock, [sample_photo])
    assert controller.queue.current is not None, controller.messages
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert controller.results, controller.messages
    result = controller.results[-1]
    assert result.group.name().endswith(sample_photo.name)
    assert QgsProject.instance().layerTreeRoot().children()[0] is result.group

    candidates = result.vectors["candidates"]
    assert candidates.crs().authid() == "EPSG:4326"
    assert candidates.geometryType() == QgsWkbTypes.PolygonGeometry
    assert 1 <= candidates.featureCount() <= 5
    ranks = [f["rank"] for f in candidates.getFeatures()]
    assert ranks == sorted(ranks) and ranks[0] == 1
    first = next(candidates.getFeatures())
    assert isinstance(first["score"], float) and first["tile_id"] is not None
    coverage = QgsProject.instance().mapLayer(controller.coverage_layer_id)
    assert coverage is not None and coverage.isValid()  # the index picker showed tiles.gpkg
    covered = coverage.extent()
    covered.grow(1e-6)
    assert covered.contains(candidates.extent())
    assert candidates.renderer().type() == "RuleRenderer" and candidates.labelsEnabled()

    # locate: refined footprint, camera, view, field of view, and the photo warped onto the map
    assert {"footprint", "camera", "view", "fov"} <= set(result.vectors), (
        result.vectors,
        controller.messages,
    )
    footprint = result.vectors["footprint"]
    assert footprint.featureCount() == 1 and footprint.crs().authid() == "EPSG:4326"
    outline = next(footprint.getFeatures())
    assert outline.geometry().isGeosValid() and outline.geometry().area() > 0
    assert 0.0 <= outline["confidence"] <= 1.0 and outline["method"]
    assert covered.contains(outline.geometry().boundingBox())
    camera = next(result.vectors["camera"].getFeatures())
    assert result.vectors["camera"].geometryType() == QgsWkbTypes.PointGeometry
    assert camera["altitude_m"] > 0 and camera["photo"] == sample_photo.name
    assert outline.geometry().buffer(0.01, 4).contains(camera.geometry())  # nadir: near the photo
    kinds = sorted(f["kind"] for f in result.vectors["view"].getFeatures())
    assert kinds == ["frustum"] * 4 + ["look"]
    photo_layer = result.photo_layer
    assert photo_layer is not None and photo_layer.isValid() and photo_layer.crs().authid() == "EPSG:4326"
    assert photo_layer.extent().intersects(outline.geometry().boundingBox())
    assert abs(photo_layer.extent().area() / outline.geometry().boundingBox().area() - 1) < 0.05
    # the panel lists the result; selecting a row selects the feature on the map
    tree = configured.dock.locate.results
    assert tree.topLevelItemCount() >= candidates.featureCount()
    header = tree.headerItem()
    assert [header.text(c) for c in range(tree.columnCount())] == [
        "#",
        "Result",
        "Confidence",
        "Inliers",
        "Retrieval",
    ]
    assert all(header.toolTip(c) for c in range(tree.columnCount()))  # each column explains itself
    first = tree.topLevelItem(0)
    assert first.data(0, Qt.UserRole)[0] == "footprint" and first.text(1).startswith("Footprint")
    assert float(first.text(2)) == round(outline["confidence"], 2)
    ranks = [tree.topLevelItem(i).text(0) for i in range(1, tree.topLevelItemCount())]
    assert ranks == [str(i) for i in range(1, len(ranks) + 1)]  # rank after verification, in order
    tree.setCurrentItem(first)
    assert footprint.selectedFeatureIds() == [outline.id()]
    tree.setCurrentItem(tree.topLevelItem(tree.topLevelItemCount() - 1))
    role, fid = tree.topLevelItem(tree.topLevelItemCount() - 1).data(0, Qt.UserRole)
    assert result.vectors[role].selectedFeatureIds() == [fid]
    assert "Located" in configured.dock.locate.stage_label.text()


def test_canvas_drop_handler_starts_a_task(configured, qgis_iface, qtbot, sample_photo, tmp_path):
    handler = configured.drop_handler
    qgis_iface.registerCustomDropHandler.assert_called_with(handler)
    georeferenced = next(iter(sorted(SAMPLE.glob("*.tif"))))
    assert handler.handleFileDrop(str(georeferenced)) is False  # a GeoTIFF stays a normal layer drop
    photo = copy_photo(sample_photo, tmp_path, "dropped_on_canvas.jpg")
    assert handler.handleFileDrop(str(photo)) is True
    controller = configured.controller
    assert controller.queue.current is not None
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert controller.results and controller.results[-1].photo == str(photo), controller.messages


def test_several_photos_are_queued(configured, qtbot, sample_photo, tmp_path):
    photos = [copy_photo(sample_photo, tmp_path, f"queued_{i}.jpg") for i in range(3)]
    drop_on_panel(configured.dock, photos)
    controller = configured.controller
    assert controller.queue.current is not None and controller.queue.waiting() == 2
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert [r.photo for r in controller.results] == [str(p) for p in photos], controller.messages


def test_cancel_takes_effect_within_a_second(configured, qtbot, sample_photo):
    controller = configured.controller
    cancelled_at: list[float] = []

    def cancel_on_first_progress(*_):
        if not cancelled_at:
            cancelled_at.append(time.monotonic())
            configured.dock.locate.cancel_button.click()

    tasks = controller.localize([str(sample_photo)])
    tasks[0].stageChanged.connect(cancel_on_first_progress)
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    ended_at = time.monotonic()
    assert cancelled_at
    assert tasks[0].error is not None and tasks[0].error.code == "cancelled"
    assert ended_at - cancelled_at[0] < 1.0
    assert not controller.results
    assert "Cancelled" in configured.dock.locate.stage_label.text()


def test_killed_worker_fails_the_task_and_the_next_photo_works(configured, qtbot, sample_photo, tmp_path):
    controller = configured.controller
    # warm the worker up so that the kill lands in the middle of a request
    controller.localize([str(sample_photo)])
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    worker = controller.worker
    pid = worker.pid
    assert pid

    def kill_on_first_progress(stage: str, _message: str) -> None:
        if stage != "start" and worker.pid == pid:
            os.kill(pid, signal.SIGKILL)

    victim = controller.localize([str(copy_photo(sample_photo, tmp_path, "victim.jpg"))])[0]
    victim.stageChanged.connect(kill_on_first_progress)
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert victim.error is not None and victim.error.code == "worker_crashed", victim.error
    level, text = controller.messages[-1]
    assert level == Qgis.Critical and "stopped unexpectedly" in text and "restarts" in text

    survivor = copy_photo(sample_photo, tmp_path, "survivor.jpg")
    controller.localize([str(survivor)])
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert controller.results[-1].photo == str(survivor), controller.messages
    assert worker.pid not in (None, pid)


STALL_FLOOR_MS = 100


def _run_delay_ms() -> float:
    """Time the calling thread has spent runnable but waiting for a CPU (Linux schedstat)."""
    with open("/proc/thread-self/schedstat") as fh:
        return int(fh.read().split()[1]) / 1e6


def probe_stall(dock, controller, qtbot, photo) -> dict[str, float]:
    """Localize `photo` while a 10 ms QTimer ticks on the GUI thread; the longest gap between
    two ticks, minus the interval, is the stall. `wall` is that gap as measured; `gui` is the
    longest gap minus the time the GUI thread sat in the OS run queue during it (another
    process or our worker had the CPU): what remains is our code running or blocking there."""
    clock = QElapsedTimer()
    clock.start()
    longest = {"wall": 0.0, "gui": 0.0}
    last = {"t": clock.nsecsElapsed() / 1e6, "delay": _run_delay_ms()}

    def tick() -> None:
        now, delay = clock.nsecsElapsed() / 1e6, _run_delay_ms()
        gap = now - last["t"]
        longest["wall"] = max(longest["wall"], gap)
        longest["gui"] = max(longest["gui"], gap - (delay - last["delay"]))
        last["t"], last["delay"] = now, delay

    probe = QTimer()
    probe.setInterval(10)
    probe.timeout.connect(tick)
    probe.start()
    last["t"], last["delay"] = clock.nsecsElapsed() / 1e6, _run_delay_ms()
    drop_on_panel(dock, [photo])
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    qtbot.wait(300)  # include the canvas refresh after zooming to the result
    probe.stop()
    assert controller.results and controller.results[-1].photo == str(photo), controller.messages
    return {key: round(value - 10, 1) for key, value in longest.items()}


def test_gui_thread_never_stalls(configured, qtbot, sample_photo, tmp_path, astroloc_settings):
    """The first photo of a fresh session (worker cold start, first result written into a new
    session) and then a photo with a warm worker; both printed (pytest -s).

    The warm run is held to the floor as measured. The first run shares the 2 CPUs with the
    worker starting up (torch import, index load), which preempts the GUI thread: the floor is
    held on its GUI work, the stall without the time the GUI thread waited for a CPU."""
    controller, review = configured.controller, configured.review
    review.close_session()
    astroloc_settings.setValue("astroloc/session_path", str(tmp_path / "fresh-session.gpkg"))
    review.restore()  # as at plugin load: a missing session is created in a task
    qtbot.waitUntil(lambda: review.session is not None, timeout=20000)
    assert review.session.counts()["total"] == 0
    assert controller.worker is None or not controller.worker.is_running()
    first = probe_stall(configured.dock, controller, qtbot, copy_photo(sample_photo, tmp_path, "first.jpg"))
    warm = probe_stall(configured.dock, controller, qtbot, copy_photo(sample_photo, tmp_path, "warm.jpg"))
    print(
        f"\nlongest GUI-thread stall (10 ms QTimer probe), wall / without run-queue wait: "
        f"first photo of a fresh session (worker cold start) {first['wall']} / {first['gui']} ms; "
        f"warm worker {warm['wall']} / {warm['gui']} ms; "
        f"{len(controller.results[-1].all_layers())} layers added per photo"
    )
    assert review.wait_written()
    assert review.session.pending_count == 0  # both results are in the file (same photo: one row)
    assert [e["action"] for e in review.session.decisions()] == ["result", "result"]
    assert first["gui"] <= STALL_FLOOR_MS, f"first photo: the GUI thread was busy {first} ms (floor 100 ms)"
    assert warm["wall"] <= STALL_FLOOR_MS, f"warm worker: the GUI thread stalled {warm} ms (floor 100 ms)"


def test_outcome_text_says_why_and_how_cloudy():
    from astroloc_qgis.locate.controller import outcome_text

    assert outcome_text({"status": "ok", "photo": {"cloud_share": 0.0}}, "a.jpg") == "Located a.jpg."
    refused = outcome_text(
        {
            "status": "not_found",
            "reason": "the photo is 92% cloud: too little ground to match",
            "photo": {"cloud_share": 0.92},
        },
        "b.jpg",
    )
    assert refused.startswith("No trustworthy footprint for b.jpg: the photo is 92% cloud")
    assert "92% of the photo is cloud" in refused
    assert "30% of the photo is cloud" in outcome_text(
        {"status": "ok", "photo": {"cloud_share": 0.3}}, "c.jpg"
    )
