"""Runs INSIDE the real QGIS (`qgis --code tools/qgis_drive_review.py`): opens a review session in
the AstroLoc panel's Review tab, takes a few decisions with the canvas keys, saves a screenshot, quits.

Environment: ASTROLOC_SESSION, ASTROLOC_BASEMAP, ASTROLOC_SCREENSHOT, ASTROLOC_DRIVE_LOG.
"""

import os
import time
import traceback

from qgis.core import QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QDialog
from qgis.utils import iface  # in --code scripts iface is not a global

SESSION = os.environ["ASTROLOC_SESSION"]
SHOT = os.environ["ASTROLOC_SCREENSHOT"]
LOG = open(os.environ.get("ASTROLOC_DRIVE_LOG", "/tmp/astroloc-review-drive.log"), "a", buffering=1)
STARTED = time.monotonic()
state = {}


def log(text: str) -> None:
    LOG.write(f"{time.monotonic() - STARTED:6.1f}s {text}\n")


def finish(code: int) -> None:
    log(f"exit {code}")
    LOG.close()
    os._exit(code)


def watchdog() -> None:
    widget = QApplication.activeModalWidget()
    if isinstance(widget, QDialog):
        log(f"closing modal dialog {widget.windowTitle()!r}")
        widget.reject()
    if time.monotonic() - STARTED > 240:
        log("watchdog: timeout")
        finish(3)


def start() -> None:
    try:
        import qgis.utils

        if "astroloc_qgis" not in qgis.utils.plugins:
            qgis.utils.loadPlugin("astroloc_qgis")
            qgis.utils.startPlugin("astroloc_qgis")
        plugin = qgis.utils.plugins["astroloc_qgis"]
        window = iface.mainWindow()
        window.resize(1600, 1000)
        window.showMaximized()
        basemap = QgsRasterLayer(os.environ["ASTROLOC_BASEMAP"], "Index imagery (base map)")
        if basemap.isValid():
            QgsProject.instance().addMapLayer(basemap)
        plugin.dock.show()
        plugin.dock.raise_()
        review = plugin.review
        if not review.open_session(SESSION, create=False):
            raise RuntimeError(f"cannot open {SESSION}: {review.panel.message_label.text()}")
        review.dock.tabs.setCurrentWidget(review.panel)
        state["review"] = review
        log(f"session open: {review.session.counts()}")
        QTimer.singleShot(1000, decide)
    except Exception:
        log("start failed:\n" + traceback.format_exc())
        finish(2)


def decide() -> None:
    try:
        review, canvas = state["review"], iface.mapCanvas()
        canvas.setFocus()
        ctl = review.controller
        with_footprint = [p for p in ctl.queue() if review.session.footprint(p["photo_id"])]
        keys = [Qt.Key_R, Qt.Key_A, Qt.Key_A]  # reject the first (least confident), confirm two
        for k in keys:
            current = ctl.current()
            QTest.keyClick(canvas, k)
            log(
                f"key {QTest.__name__}:{k} on {current['name'] if current else None} -> "
                f"{review.session.counts()}"
            )
        pending = [p for p in with_footprint if review.session.photo(p["photo_id"])["status"] == "pending"]
        if pending:  # E: edit a footprint with QGIS's vertex tool, E again saves it
            ctl.select(pending[0]["photo_id"])
            QTest.keyClick(canvas, Qt.Key_E)
            layer = review.map.edit_layer
            tool = canvas.mapTool()
            log(
                f"editing: {layer is not None and layer.isEditable()}, map tool: "
                f"{type(tool).__name__ if tool else None}"
            )
            feature = next(layer.getFeatures())
            geometry = feature.geometry()
            vertex = geometry.vertexAt(0)
            extent = geometry.boundingBox()
            geometry.moveVertex(vertex.x() - extent.width() * 0.15, vertex.y() + extent.height() * 0.15, 0)
            layer.changeGeometry(feature.id(), geometry)  # what dragging the vertex does
            QTest.keyClick(canvas, Qt.Key_E)
            log(
                f"after edit: {review.session.photo(pending[0]['photo_id'])['status']}, counts "
                f"{review.session.counts()}"
            )
        if with_footprint:  # then stop on a located photo, as an analyst would look at it
            ctl.select(with_footprint[-1]["photo_id"])
        log(f"decisions: {[e['action'] for e in review.session.decisions() if e['action'] != 'result']}")
        QTimer.singleShot(2500, save)
    except Exception:
        log("decide failed:\n" + traceback.format_exc())
        finish(2)


def save() -> None:
    iface.mapCanvas().refresh()
    QTimer.singleShot(1500, grab)


def grab() -> None:
    image = iface.mainWindow().grab()
    ok = image.save(SHOT)
    log(f"saved {SHOT}: {ok} {image.width()}x{image.height()}")
    finish(0 if ok else 4)


timer = QTimer()
timer.setInterval(500)
timer.timeout.connect(watchdog)
timer.start()
QTimer.singleShot(1500, start)
