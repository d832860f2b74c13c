"""Opening an AstroLoc algorithm's Processing dialog from the plugin's GUI (the dock's actions)."""

from __future__ import annotations

from qgis.core import QgsRasterLayer
from qgis.gui import QgsMapCanvas

BUILD_FROM_LAYER = "astroloc:build_index_from_layer"


def build_from_layer_defaults(iface) -> dict:
    """The active raster layer and the canvas extent (pytest-qgis's iface may answer Mocks: checked)."""
    params: dict = {}
    layer = iface.activeLayer() if iface is not None else None
    if isinstance(layer, QgsRasterLayer):
        params["LAYER"] = layer.id()
    canvas = iface.mapCanvas() if iface is not None else None
    if isinstance(canvas, QgsMapCanvas) and not canvas.extent().isEmpty():
        box, crs = canvas.extent(), canvas.mapSettings().destinationCrs().authid()
        extent = f"{box.xMinimum()},{box.xMaximum()},{box.yMinimum()},{box.yMaximum()}"
        params["EXTENT"] = f"{extent} [{crs}]" if crs else extent
    return params


def open_build_from_layer(iface):
    """The 'Build index from layer' dialog, shown (not modal, as the toolbox opens it); None when
    Processing is not loaded."""
    try:
        from processing import createAlgorithmDialog
    except ImportError:
        return None
    dialog = createAlgorithmDialog(BUILD_FROM_LAYER, build_from_layer_defaults(iface))
    if dialog is not None:
        dialog.show()
    return dialog
