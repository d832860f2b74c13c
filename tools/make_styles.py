"""Regenerate resources/styles/*.qml with the QGIS API (run with QGIS's Python, offscreen).

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tools/make_styles.py [camera view ...]

The QML files are committed; the plugin only loads them. Edit the styles here, or in QGIS
(Layer Properties > Style > Save Style) and commit the file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: the plugin beside it

from qgis.core import (
    QgsApplication,
    QgsArrowSymbolLayer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from astroloc_qgis.map.labels import halo_text

OUT = Path(__file__).resolve().parent.parent / "resources" / "styles"


def labels(
    expression: str,
    colour: str = "#202020",
    size: float = 8.0,
    placement=QgsPalLayerSettings.OverPoint,
    dist: float = 0.0,
) -> QgsVectorLayerSimpleLabeling:
    text = halo_text(colour, size, font=QFont("Sans Serif"))
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.placement = placement
    settings.dist = dist  # mm from the point (clear of its marker)
    settings.setFormat(text)
    return QgsVectorLayerSimpleLabeling(settings)


def outline(colour: str, width: float, fill: str = "0,0,0,0", style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple(
        {
            "color": fill,
            "outline_color": colour,
            "outline_width": str(width),
            "outline_style": style,
            "joinstyle": "round",
        }
    )


def candidates(layer: QgsVectorLayer) -> None:
    root = QgsRuleBasedRenderer.Rule(None)
    for label, expression, symbol in (
        ("rank > 5", '"rank" > 5', outline("#7f8c8d", 0.3, style="dash")),
        ("rank 2-5", '"rank" > 1 AND "rank" <= 5', outline("#f1c232", 0.55)),
        ("rank 1", '"rank" = 1', outline("#e67e22", 0.9)),
    ):
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    # rank after verification and its inliers (the retrieval score is in the panel's list)
    layer.setLabeling(
        labels(
            'CASE WHEN "rank" <= 5 THEN \'#\' || "rank" || CASE WHEN '
            "\"verified_inliers\" > 0 THEN '  ' || \"verified_inliers\" || ' inliers' "
            "ELSE '' END END",
            "#7a4a00",
        )
    )
    layer.setLabelsEnabled(True)


def footprint(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(outline("#c0392b", 1.0)))  # no fill: the photo shows through
    # anywhere inside the footprint clear of other marks: its centre is often the camera's nadir
    layer.setLabeling(
        labels(
            "'footprint ' || format_number(\"confidence\", 2)", "#8e1b10", 9.0, QgsPalLayerSettings.Horizontal
        )
    )
    layer.setLabelsEnabled(True)


def camera(layer: QgsVectorLayer) -> None:
    symbol = QgsMarkerSymbol.createSimple(
        {
            "name": "circle",
            "color": "#c0392b",
            "size": "4.2",
            "outline_color": "white",
            "outline_width": "0.6",
        }
    )
    dot = QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "white", "size": "1.4", "outline_style": "no"}
    )
    symbol.appendSymbolLayer(dot.symbolLayer(0).clone())  # keep `dot` alive while cloning
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(
        labels(
            # a ground camera (locate/camera_marks.py): its heading and how well it is known
            "CASE WHEN \"photo_kind\" = 'ground' THEN 'camera, heading ' || "
            "format_number(\"yaw_deg\", 0) || '° ± ' || format_number(\"yaw_sigma_deg\", 0) || '°' || "
            "CASE WHEN \"position_sigma_m\" IS NOT NULL THEN ', ± ' || "
            "format_number(\"position_sigma_m\", 0) || ' m' ELSE '' END "
            # a drone's few hundred metres in metres, an aircraft's or a spacecraft's in km
            "ELSE 'camera' || CASE WHEN \"altitude_m\" < 5000 THEN ' ' || "
            "format_number(\"altitude_m\", 0) || ' m' "
            "WHEN \"altitude_m\" IS NOT NULL THEN ' ' || "
            "format_number(\"altitude_m\" / 1000, 1) || ' km' ELSE '' END || "
            "CASE WHEN \"tilt_deg\" IS NOT NULL THEN ', tilt ' || "
            "format_number(\"tilt_deg\", 0) || '°' ELSE '' END END",
            "#8e1b10",
            8.5,
            QgsPalLayerSettings.AroundPoint,
            dist=2.4,
        )
    )
    layer.setLabelsEnabled(True)


def view(layer: QgsVectorLayer) -> None:
    root = QgsRuleBasedRenderer.Rule(None)
    rays = QgsLineSymbol.createSimple(
        {"line_color": "192,57,43,160", "line_width": "0.25", "line_style": "dash", "capstyle": "round"}
    )
    arrow = QgsArrowSymbolLayer()
    arrow.setArrowWidth(0.6)
    arrow.setArrowStartWidth(0.6)
    arrow.setHeadLength(2.5)
    arrow.setHeadThickness(1.6)
    arrow.setIsCurved(False)
    arrow.subSymbol().symbolLayer(0).setColor(QColor("#8e1b10"))
    arrow.subSymbol().symbolLayer(0).setStrokeColor(QColor("#8e1b10"))
    look = QgsLineSymbol()
    look.changeSymbolLayer(0, arrow)
    root.appendChild(QgsRuleBasedRenderer.Rule(rays, 0, 0, "\"kind\" = 'frustum'", "frustum rays"))
    root.appendChild(QgsRuleBasedRenderer.Rule(look, 0, 0, "\"kind\" = 'look'", "look direction"))
    gps = QgsLineSymbol.createSimple(
        {"line_color": "#1f5fa8", "line_width": "0.35", "line_style": "dash", "capstyle": "round"}
    )
    root.appendChild(QgsRuleBasedRenderer.Rule(gps, 0, 0, "\"kind\" = 'gps_check'", "EXIF GPS to camera"))
    layer.setRenderer(QgsRuleBasedRenderer(root))


def fov(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(outline("#c0392b", 0.25, fill="192,57,43,28", style="dot")))


def coverage(layer: QgsVectorLayer) -> None:
    symbol = outline("#5d6d7e", 0.2, fill="93,109,126,18")
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setOpacity(0.8)


STYLES = {
    "candidates": ("Polygon", candidates),
    "footprint": ("Polygon", footprint),
    "camera": ("Point", camera),
    "view": ("LineString", view),
    "fov": ("Polygon", fov),
    "coverage": ("Polygon", coverage),
}


def main() -> int:
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = sys.argv[1:] or list(STYLES)  # the styles named on the command line, else all
    for name, (geometry, style) in STYLES.items():
        if name not in wanted:
            continue
        layer = QgsVectorLayer(
            f"{geometry}?crs=EPSG:4326&field=rank:integer&field=score:double"
            "&field=confidence:double&field=kind:string&field=altitude_m:double"
            "&field=tilt_deg:double&field=verified_inliers:integer",
            name,
            "memory",
        )
        style(layer)
        message, ok = layer.saveNamedStyle(str(OUT / f"{name}.qml"))
        print(name, "ok" if ok else message)
        del layer
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
