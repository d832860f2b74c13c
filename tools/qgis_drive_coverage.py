"""Runs INSIDE the real QGIS (`qgis --code tools/qgis_drive_coverage.py`, tools/screenshot_coverage.sh):
choose a large index in the AstroLoc panel, save the window zoomed out (the generalized coverage) and
zoomed in (the tiles), then quit.

Environment: ASTROLOC_SAMPLE (JSON with "index"), ASTROLOC_SCREENSHOT (PNG of the zoomed-out view;
the zoomed-in one beside it, *_zoomed.png), ASTROLOC_DRIVE_LOG (progress log).
"""

import json
import os
import time
import traceback

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.utils import iface  # in --code scripts iface is not a global

INDEX = json.loads(os.environ["ASTROLOC_SAMPLE"])["index"]
SHOT = os.environ["ASTROLOC_SCREENSHOT"]
LOG = open(os.environ.get("ASTROLOC_DRIVE_LOG", "/tmp/astroloc-drive.log"), "a", buffering=1)
STARTED = time.monotonic()


def log(text: str) -> None:
    LOG.write(f"{time.monotonic() - STARTED:7.1f}s {text}\n")


def finish(code: int) -> None:
    log(f"exit {code}")
    LOG.close()
    os._exit(code)


def start() -> None:
    try:
        import qgis.utils

        if "astroloc_qgis" not in qgis.utils.plugins:
            qgis.utils.loadPlugin("astroloc_qgis") and qgis.utils.startPlugin("astroloc_qgis")
        plugin = qgis.utils.plugins["astroloc_qgis"]
        iface.mainWindow().resize(1600, 1000)
        iface.mainWindow().showMaximized()
        plugin.dock.show()
        t = time.monotonic()
        plugin.dock.locate.choose_index(INDEX)
        tiles = QgsProject.instance().mapLayer(plugin.controller.coverage_layer_id or "")
        outline = QgsProject.instance().mapLayer(plugin.controller.coverage_outline_id or "")
        log(
            f"index chosen in {time.monotonic() - t:.2f} s: tiles {tiles.featureCount()}, coverage "
            f"{outline and outline.featureCount()}, tiles below 1:{tiles.minimumScale():.0f}"
        )
        iface.mapCanvas().setExtent(tiles.extent())
        iface.mapCanvas().refresh()
        QTimer.singleShot(3000, lambda: shoot(SHOT, zoom_in))
    except Exception:
        log(traceback.format_exc())
        finish(1)


def shoot(path: str, then) -> None:
    ok = iface.mainWindow().grab().save(path)
    log(f"saved {path} ({ok}) at 1:{iface.mapCanvas().scale():.0f}")
    then()


def zoom_in() -> None:
    canvas = iface.mapCanvas()
    extent = canvas.extent()
    extent.scale(1 / 25)
    canvas.setExtent(extent)
    canvas.refresh()
    QTimer.singleShot(3000, lambda: shoot(SHOT.replace(".png", "_zoomed.png"), lambda: finish(0)))


QTimer.singleShot(1500, start)
