"""What is drawn beside the estimated camera: the photo's own EXIF GPS fix (labelled with its
distance to the camera, the GPS check) and, for a ground photo (`photo_kind` "ground"), the
heading wedge (yaw +- its sigma) and the position's uncertainty ellipse. Geometries, fields and
styles; locate/layers.py makes the layers of a photo's group from them.
"""

from __future__ import annotations

import math

from qgis.core import (
    QgsFillSymbol,
    QgsGeometry,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QVariant

from ..map.canvas import geometry_from_geojson
from ..map.labels import halo_text
from ..translate import translate

EXIF_POSITION_FIELDS = [
    ("label", QVariant.String),
    ("source", QVariant.String),
    ("distance_to_camera_m", QVariant.Double),
    ("altitude_m", QVariant.Double),
    ("relative_altitude_m", QVariant.Double),
    ("gimbal_pitch_deg", QVariant.Double),
    ("gimbal_yaw_deg", QVariant.Double),
    ("photo", QVariant.String),
]
GROUND_FIELDS = [
    ("yaw_deg", QVariant.Double),
    ("yaw_sigma_deg", QVariant.Double),
    ("semi_major_m", QVariant.Double),
    ("semi_minor_m", QVariant.Double),
    ("angle_deg", QVariant.Double),
    ("photo", QVariant.String),
]


def exif_position_item(feature: dict, camera: dict | None, tag: dict) -> tuple[QgsGeometry, dict]:
    """The photo's EXIF GPS fix, labelled with its distance to the estimated camera (the GPS
    check: the pose never uses the fix, so each checks the other)."""
    properties = {**feature["properties"], **tag}
    distance = properties.get("distance_to_camera_m")
    if distance is None and camera is not None:
        distance = camera["properties"].get("gps_check_m")
    properties["distance_to_camera_m"] = distance
    properties["label"] = (
        translate("ResultLayers", "EXIF GPS")
        if distance is None
        else translate("ResultLayers", "EXIF GPS: {} m from the camera").format(f"{float(distance):.0f}")
    )
    return geometry_from_geojson(feature["geometry"]), properties


# A ground camera's heading wedge: at least this long (m), else WEDGE_ELLIPSES x the ellipse's
# semi-major axis, so the wedge reaches beyond the uncertainty it starts in
WEDGE_MIN_M = 40.0
WEDGE_ELLIPSES = 3.0
WEDGE_MIN_HALF_DEG = 1.0  # a wedge narrower than this would draw as a line
ARC_STEPS = 24


def _offset(lon: float, lat: float, east_m: float, north_m: float) -> QgsPointXY:
    """The point east_m, north_m metres from (lon, lat) (local sphere: fine over a few km)."""
    metres_per_degree = math.pi * 6378137.0 / 180.0
    return QgsPointXY(
        lon + east_m / (metres_per_degree * max(math.cos(math.radians(lat)), 1e-6)),
        lat + north_m / metres_per_degree,
    )


def heading_wedge(lon: float, lat: float, yaw_deg: float, sigma_deg: float, length_m: float) -> QgsGeometry:
    """The sector yaw +- sigma (clockwise from north) of radius length_m from the camera."""
    half = max(abs(sigma_deg), WEDGE_MIN_HALF_DEG)
    steps = max(2, round(ARC_STEPS * min(half, 180.0) / 90.0))
    ring = [QgsPointXY(lon, lat)]
    for i in range(steps + 1):
        a = math.radians(yaw_deg - half + 2 * half * i / steps)
        ring.append(_offset(lon, lat, length_m * math.sin(a), length_m * math.cos(a)))
    return QgsGeometry.fromPolygonXY([ring + ring[:1]])


def uncertainty_ellipse(
    lon: float, lat: float, semi_major_m: float, semi_minor_m: float, angle_deg: float
) -> QgsGeometry:
    """The position's uncertainty ellipse, its major axis angle_deg clockwise from north."""
    t = math.radians(angle_deg)
    ring = []
    for i in range(2 * ARC_STEPS):
        u = 2 * math.pi * i / (2 * ARC_STEPS)
        a, b = semi_major_m * math.cos(u), semi_minor_m * math.sin(u)
        ring.append(_offset(lon, lat, a * math.sin(t) + b * math.cos(t), a * math.cos(t) - b * math.sin(t)))
    return QgsGeometry.fromPolygonXY([ring + ring[:1]])


def ground_items(camera: dict | None, tag: dict) -> dict[str, tuple[str, tuple[QgsGeometry, dict]]]:
    """A ground camera's heading wedge and uncertainty ellipse, by role: (layer name, (geometry,
    attributes)); nothing for another camera."""
    if not camera or camera["properties"].get("photo_kind") != "ground":
        return {}
    p = camera["properties"]
    lon, lat = camera["geometry"]["coordinates"][:2]
    ellipse = p.get("ellipse") or {}
    sigma = float(p.get("position_sigma_m") or 0.0)
    major = float(ellipse.get("semi_major_m") or sigma)
    minor = float(ellipse.get("semi_minor_m") or major)
    angle = float(ellipse.get("angle_deg") or 0.0)
    attributes = {
        "yaw_deg": p.get("yaw_deg"),
        "yaw_sigma_deg": p.get("yaw_sigma_deg"),
        "semi_major_m": major,
        "semi_minor_m": minor,
        "angle_deg": angle,
        **tag,
    }
    out = {}
    if p.get("yaw_deg") is not None:
        length = max(WEDGE_MIN_M, WEDGE_ELLIPSES * major)
        wedge = heading_wedge(lon, lat, float(p["yaw_deg"]), float(p.get("yaw_sigma_deg") or 0.0), length)
        out["heading"] = (translate("ResultLayers", "Heading"), (wedge, attributes))
    if major > 0:
        geometry = uncertainty_ellipse(lon, lat, major, minor, angle)
        out["uncertainty"] = (translate("ResultLayers", "Position uncertainty"), (geometry, attributes))
    return out


def style_exif_position(layer: QgsVectorLayer) -> None:
    """A hollow blue diamond on a white casing (the GPS's claim, beside the red estimated camera),
    labelled above it (the camera's label goes to the right: the two never cover each other)."""
    casing = {"name": "diamond", "color": "0,0,0,0", "size": "5.2", "outline_color": "white"}
    symbol = QgsMarkerSymbol.createSimple({**casing, "outline_width": "1.4"})
    edge = QgsMarkerSymbol.createSimple({**casing, "outline_color": "#1f5fa8", "outline_width": "0.7"})
    symbol.appendSymbolLayer(edge.symbolLayer(0).clone())
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    labels = _label(layer, "label", "#1f5fa8", QgsPalLayerSettings.OrderedPositionsAroundPoint)
    labels.dist = 3.2  # mm from the point: clear of the 5.2 mm diamond
    labels.predefinedPositionOrder = [
        QgsPalLayerSettings.TopMiddle,
        QgsPalLayerSettings.TopLeft,
        QgsPalLayerSettings.MiddleLeft,
        QgsPalLayerSettings.BottomLeft,
        QgsPalLayerSettings.BottomMiddle,
    ]
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))


def style_heading(layer: QgsVectorLayer) -> None:
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple(
                {"color": "192,57,43,60", "outline_color": "#c0392b", "outline_width": "0.5"}
            )
        )
    )


def style_uncertainty(layer: QgsVectorLayer) -> None:
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple(
                {
                    "color": "192,57,43,25",
                    "outline_color": "#8e1b10",
                    "outline_width": "0.4",
                    "outline_style": "dash",
                }
            )
        )
    )


def _label(layer: QgsVectorLayer, field_name: str, colour: str, placement) -> QgsPalLayerSettings:
    """Label the layer with a field, in `colour` on a white buffer; the settings, to adjust."""
    text = halo_text(colour, 8.5)
    labels = QgsPalLayerSettings()
    labels.fieldName = field_name
    labels.placement = placement
    labels.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)
    return labels


STYLES = {"exif_position": style_exif_position, "heading": style_heading, "uncertainty": style_uncertainty}
