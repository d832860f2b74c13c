"""Runs INSIDE the real QGIS (`qgis --code tools/qgis_drive_batch.py`, tools/screenshot_batch.sh):
drops a folder of photos on the AstroLoc dock, lets the batch queue run until ASTROLOC_SHOOT_AFTER
photos are done, saves a screenshot of the window and quits.

Environment: ASTROLOC_SAMPLE (JSON from tests/helpers/qgis_sample.py), ASTROLOC_FOLDER (the photos),
ASTROLOC_SCREENSHOT (PNG path), ASTROLOC_DRIVE_LOG, ASTROLOC_SHOOT_AFTER (default 3), ASTROLOC_TIMEOUT.
"""

import json
import os
import time
import traceback

from qgis.core import QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from qgis.PyQt.QtGui import QDropEvent
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface

SAMPLE = json.loads(os.environ["ASTROLOC_SAMPLE"])
FOLDER = os.environ["ASTROLOC_FOLDER"]
SCREENSHOT = os.environ["ASTROLOC_SCREENSHOT"]
SHOOT_AFTER = int(os.environ.get("ASTROLOC_SHOOT_AFTER", "3"))
TIMEOUT = float(os.environ.get("ASTROLOC_TIMEOUT", "400"))
LOG = open(os.environ.get("ASTROLOC_DRIVE_LOG", "/tmp/astroloc-drive-batch.log"), "a", buffering=1)
STARTED = time.monotonic()
state = {}


def log(text: str) -> None:
    LOG.write(f"{time.monotonic() - STARTED:7.1f}s {text}\n")


def finish(code: int) -> None:
    log(f"exit {code}")
    LOG.close()
    os._exit(code)


def start() -> None:
    try:
        import qgis.utils

        window = iface.mainWindow()
        window.resize(1600, 1000)
        window.showMaximized()
        state["plugin"] = instance = qgis.utils.plugins["astroloc_qgis"]
        basemap = QgsRasterLayer(SAMPLE["basemap"], "Index imagery (base map)")
        if basemap.isValid():
            QgsProject.instance().addMapLayer(basemap)
        instance.dock.show()
        instance.dock.raise_()
        instance.dock.locate.choose_index(SAMPLE["index"])
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(FOLDER)])  # a folder dropped from the file manager
        drop = QDropEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
        instance.dock.dropEvent(drop)
        log(f"dropped the folder {FOLDER} on the dock")
        poll()
    except Exception:
        log("start failed:\n" + traceback.format_exc())
        finish(2)


def poll() -> None:
    batch = state["plugin"].controller.batch
    counts = batch.counts()
    if counts["done"] >= SHOOT_AFTER or time.monotonic() - STARTED > TIMEOUT:
        log(f"counts {counts}, messages {state['plugin'].controller.messages[-3:]}")
        QTimer.singleShot(500, save)
        return
    QTimer.singleShot(250, poll)


def save() -> None:
    image = iface.mainWindow().grab()
    ok = image.save(SCREENSHOT)
    log(f"saved {SCREENSHOT}: {ok} {image.width()}x{image.height()}")
    state["plugin"].controller.shutdown()  # stops the batch: the rest stays queued in the session
    finish(0 if ok and state["plugin"].controller.batch.counts()["done"] >= SHOOT_AFTER else 4)


QApplication.instance().processEvents()
QTimer.singleShot(2000, start)
