"""GeoJSON (EPSG:4326) to QGIS geometry, zooming the canvas to it, and the shipped layer styles."""

from __future__ import annotations

import json

from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsMapLayer,
    QgsProject,
    QgsRectangle,
)

from ..paths import style_path

WGS84 = "EPSG:4326"


def geometry_from_geojson(geometry: dict | None) -> QgsGeometry:
    if not geometry:
        return QgsGeometry()
    ogr_geometry = ogr.CreateGeometryFromJson(json.dumps(geometry))
    return QgsGeometry.fromWkt(ogr_geometry.ExportToWkt()) if ogr_geometry else QgsGeometry()


def apply_style(layer: QgsMapLayer, name: str) -> None:
    """resources/styles/<name>.qml, when the plugin ships it."""
    path = style_path(name)
    if path:
        layer.loadNamedStyle(path)


def zoom_to(canvas, extent_wgs84: QgsRectangle, margin: float = 0.4) -> None:
    if canvas is None or extent_wgs84.isEmpty():
        return
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem(WGS84), canvas.mapSettings().destinationCrs(), QgsProject.instance()
    )
    extent = transform.transformBoundingBox(extent_wgs84)
    extent.scale(1 + margin)
    canvas.setExtent(extent)
    canvas.refresh()
