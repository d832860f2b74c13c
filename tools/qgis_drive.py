"""Runs INSIDE the real QGIS (`qgis --code tools/qgis_drive.py`): drop the sample photo on the
window, wait for the real localization, then save a screenshot and quit (screenshot mode) or
leave QGIS open for the user (demo mode).

Environment: ASTROLOC_SAMPLE (JSON from tests/helpers/qgis_sample.py), ASTROLOC_SCREENSHOT (PNG path;
screenshot mode), ASTROLOC_DRIVE_LOG (progress log), ASTROLOC_TIMEOUT (seconds, default 300),
ASTROLOC_PRIOR (optional JSON: the panel's search area, e.g. {"mode": "near", "near": "47.04, -99.15",
"radius_km": "3"}), ASTROLOC_COMPARE (optional: "swipe" turns the panel's swipe on before the
screenshot, at the photo's centre, and leaves out the base map: the group's reference shows),
ASTROLOC_KIND (optional: the panel's kind of photo, protocol.KINDS).
"""

import json
import os
import time
import traceback

from qgis.core import QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent
from qgis.PyQt.QtWidgets import QApplication, QDialog, QMessageBox
from qgis.utils import iface  # in --code scripts iface is not a global

SAMPLE = json.loads(os.environ["ASTROLOC_SAMPLE"])
SCREENSHOT = os.environ.get("ASTROLOC_SCREENSHOT", "")
COMPARE = os.environ.get("ASTROLOC_COMPARE", "")
TIMEOUT = float(os.environ.get("ASTROLOC_TIMEOUT", "300"))
LOG = open(os.environ.get("ASTROLOC_DRIVE_LOG", "/tmp/astroloc-drive.log"), "a", buffering=1)
STARTED = time.monotonic()
state = {"plugin": None, "dropped_at": None, "done": False}


def log(text: str) -> None:
    LOG.write(f"{time.monotonic() - STARTED:7.1f}s {text}\n")


def finish(code: int) -> None:
    log(f"exit {code}")
    LOG.close()
    if SCREENSHOT:
        os._exit(code)


def close_modal_dialogs() -> None:
    """A modal dialog would block this script: record it and close it."""
    widget = QApplication.activeModalWidget()
    if widget is not None:
        text = widget.text() if isinstance(widget, QMessageBox) else ""
        log(f"closing modal dialog {widget.windowTitle()!r} {text[:300]!r}")
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
    if SCREENSHOT and time.monotonic() - STARTED > TIMEOUT + 60:
        log("watchdog: overall timeout")
        finish(3)


def plugin():
    import qgis.utils

    if "astroloc_qgis" not in qgis.utils.plugins:
        log(f"plugin not active (available: {'astroloc_qgis' in qgis.utils.available_plugins}); starting it")
        if not (qgis.utils.loadPlugin("astroloc_qgis") and qgis.utils.startPlugin("astroloc_qgis")):
            raise RuntimeError("the AstroLoc plugin could not be started")
    return qgis.utils.plugins["astroloc_qgis"]


def start() -> None:
    try:
        window = iface.mainWindow()
        window.resize(1600, 1000)
        window.showMaximized()
        state["plugin"] = instance = plugin()
        basemap = QgsRasterLayer(SAMPLE["basemap"], "Index imagery (base map)")
        if basemap.isValid() and not COMPARE:
            QgsProject.instance().addMapLayer(basemap)
        instance.dock.show()
        instance.dock.raise_()
        instance.dock.locate.choose_index(SAMPLE["index"])
        if os.environ.get("ASTROLOC_KIND"):
            combo = instance.dock.locate.kind_combo
            combo.setCurrentIndex(combo.findData(os.environ["ASTROLOC_KIND"]))
            log(f"kind of photo: {instance.dock.locate.photo_kind()}")
        if os.environ.get("ASTROLOC_PRIOR"):
            area = json.loads(os.environ["ASTROLOC_PRIOR"])
            instance.dock.locate.set_search_area(area.pop("mode"), **area)
            log(f"search area: {instance.dock.locate.search_area_mode()} {area}")
        # A real drop on the main window: QGIS hands the file to the registered drop handlers.
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(SAMPLE["photo"])])
        viewport = iface.mapCanvas().viewport()
        where = QPoint(viewport.width() // 2, viewport.height() // 2)
        enter = QDragEnterEvent(where, Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        QApplication.sendEvent(viewport, enter)
        drop = QDropEvent(QPointF(where), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        QApplication.sendEvent(viewport, drop)
        state["dropped_at"] = time.monotonic()
        log(
            f"dropped {SAMPLE['photo']} on the map canvas (enter accepted={enter.isAccepted()}, "
            f"drop accepted={drop.isAccepted()})"
        )
        QTimer.singleShot(3000, ensure_started)
        poll()
    except Exception:
        log("start failed:\n" + traceback.format_exc())
        finish(2)


def ensure_started() -> None:
    controller = state["plugin"].controller
    if controller.queue.current is None and not controller.results:
        log("the canvas drop did not start a task; using the panel instead")
        state["plugin"].dock.locate.photosDropped.emit([SAMPLE["photo"]])


def poll() -> None:
    controller = state["plugin"].controller
    if controller.results:
        result = controller.results[-1]
        log(f"localized: {[layer.name() for layer in result.all_layers()]}")
        tree = state["plugin"].dock.locate.results
        log(f"result list: {tree.topLevelItemCount()} rows")
        QTimer.singleShot(2500, shoot)
        return
    failed = [text for _level, text in controller.messages if "Could not locate" in text]
    if failed or time.monotonic() - STARTED > TIMEOUT:
        log(f"no result: {failed or 'timeout'}; messages: {controller.messages}")
        if SCREENSHOT:
            shoot()
        return
    QTimer.singleShot(250, poll)


def shoot() -> None:
    if not SCREENSHOT:
        watchdog.stop()  # from now on the dialogs belong to the user
        log("demo mode: QGIS stays open")
        return
    result = state["plugin"].controller.results[-1] if state["plugin"].controller.results else None
    if os.environ.get("ASTROLOC_PRIOR") and result is not None and "prior" in result.vectors:
        from astroloc_qgis.map.canvas import zoom_to

        zoom_to(iface.mapCanvas(), result.vectors["prior"].extent(), margin=0.1)  # the whole search area
    iface.mapCanvas().refresh()
    if COMPARE == "swipe" and result is not None:
        panel = state["plugin"].dock.locate
        panel.swipe_slider.setValue(50)
        panel.swipe_button.setChecked(True)
        log(f"swipe on: {state['plugin'].compare.swipe_item is not None}")
    QTimer.singleShot(2500 if COMPARE else 1500, save)


def save() -> None:
    if state["plugin"].controller.results:
        result = state["plugin"].controller.results[-1]
        view = iface.layerTreeView()
        log(f"at save: group expanded in the layer tree: {view.isExpanded(view.node2index(result.group))}")
    image = iface.mainWindow().grab()
    ok = image.save(SCREENSHOT)
    log(f"saved {SCREENSHOT}: {ok} {image.width()}x{image.height()}")
    if state["plugin"] is not None and state["plugin"].controller.worker is not None:
        state["plugin"].controller.worker.shutdown()
    finish(0 if ok and state["plugin"].controller.results else 4)


watchdog = QTimer()
watchdog.setInterval(500)
watchdog.timeout.connect(close_modal_dialogs)
watchdog.start()
QTimer.singleShot(1500, start)
