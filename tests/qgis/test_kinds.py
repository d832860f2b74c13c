"""Kinds of photo in the plugin (issue 19): the Locate tab's selector and Processing's parameter
send the request's "kind"; the EXIF GPS fix of a drone photo is drawn beside the estimated camera
with the GPS check; a ground camera gets its heading wedge and uncertainty ellipse."""

from __future__ import annotations

import math

import pytest
from conftest import wait_for_queue
from qgis.core import (
    QgsDistanceArea,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsPointXY,
    QgsProcessingContext,
    QgsProject,
    QgsWkbTypes,
)

from astroloc_qgis import settings
from astroloc_qgis.definitions import photo_kind_label
from astroloc_qgis.engine.protocol import KINDS
from astroloc_qgis.locate import layers
from astroloc_qgis.locate.panel import LocatePanel
from astroloc_qgis.processing.alg_localize import LocalizePhotosAlgorithm

CAMERA_LON, CAMERA_LAT = -99.15, 47.02


def _point(kind: str, lon: float, lat: float, **properties) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"kind": kind, **properties},
    }


def _footprint(lon: float, lat: float, d: float = 0.002) -> dict:
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"kind": "footprint", "confidence": 0.9, "corners": ring[:4]},
    }


def _distance_m(a: QgsPointXY, b: QgsPointXY) -> float:
    area = QgsDistanceArea()
    area.setEllipsoid("WGS84")
    return area.measureLine(a, b)


def _label_of(layer, feature) -> str:
    """The label text the layer's labelling gives a feature (its expression or field)."""
    settings_ = layer.labeling().settings()
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)
    text = settings_.fieldName if settings_.isExpression else f'"{settings_.fieldName}"'
    return QgsExpression(text).evaluate(context)


def test_the_kind_selector_is_saved_and_sent_with_the_request(configured, qtbot, sample_photo):
    panel = configured.dock.locate
    combo = panel.kind_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(KINDS)
    assert [combo.itemText(i) for i in range(combo.count())] == [photo_kind_label(k) for k in KINDS]
    assert all(combo.itemText(i) != combo.itemData(i) for i in range(combo.count()))  # words, not ids
    assert panel.photo_kind() == "auto"  # nothing saved yet
    combo.setCurrentIndex(combo.findData("satellite"))
    assert settings.get_str(settings.PHOTO_KIND) == "satellite"
    assert LocatePanel().photo_kind() == "satellite"  # a new panel starts from the saved kind
    settings.set_value(settings.PHOTO_KIND, "no-such-kind")
    assert settings.photo_kind() == "auto"
    combo.setCurrentIndex(combo.findData("satellite"))

    controller = configured.controller
    [task] = controller.localize([str(sample_photo)])
    assert task.kind == "satellite" and task.prior == {}
    wait_for_queue(qtbot, controller, 120)
    result = controller.results[-1]
    # the engine took it as a satellite image: the footprint, and no camera pose
    assert "footprint" in result.vectors, controller.messages
    assert "camera" not in result.vectors and "fov" not in result.vectors


def test_processing_has_the_kind_parameter(qgis_app):
    alg = LocalizePhotosAlgorithm()
    alg.initAlgorithm()
    parameter = alg.parameterDefinition(alg.KIND)
    assert parameter.options() == [photo_kind_label(k) for k in KINDS]
    assert parameter.defaultValue() == 0
    context = QgsProcessingContext()
    assert alg.photo_kind({}, context) == "auto"
    assert alg.photo_kind({alg.KIND: KINDS.index("historical")}, context) == "historical"


def test_the_exif_gps_fix_is_drawn_beside_the_camera(qgis_app, qgis_new_project):
    fix_lat = CAMERA_LAT + 41.0 / 111_200
    collection = {
        "type": "FeatureCollection",
        "status": "ok",
        "features": [
            _footprint(CAMERA_LON, CAMERA_LAT),
            _point("camera", CAMERA_LON, CAMERA_LAT, altitude_m=120.0, tilt_deg=2.0, gps_check_m=41.0),
            _point("exif_position", CAMERA_LON, fix_lat, source="EXIF GPS", distance_to_camera_m=41.0),
        ],
    }
    result = layers.add_result_to_project(collection, "/photos/DJI_0001.JPG", project=QgsProject.instance())
    fix = result.vectors["exif_position"]
    assert fix.geometryType() == QgsWkbTypes.PointGeometry and fix.name() == "EXIF GPS position"
    [feature] = list(fix.getFeatures())
    assert feature["distance_to_camera_m"] == 41.0 and feature["photo"] == "DJI_0001.JPG"
    assert fix.labelsEnabled() and _label_of(fix, feature) == "EXIF GPS: 41 m from the camera"
    [camera] = list(result.vectors["camera"].getFeatures())
    assert _label_of(result.vectors["camera"], camera) == "camera 120 m, tilt 2°"  # a drone's height in m
    # in the photo's group, just under the camera
    names = [node.layer().id() for node in result.group.findLayers()]
    assert names.index(fix.id()) == names.index(result.vectors["camera"].id()) + 1
    # the GPS check's line runs from the fix to the camera, styled by the view layer's rule
    [line] = [f for f in result.vectors["view"].getFeatures() if f["kind"] == "gps_check"]
    ends = line.geometry().asPolyline()
    assert _distance_m(ends[0], ends[1]) == pytest.approx(41.0, abs=0.5)
    rules = [r.filterExpression() for r in result.vectors["view"].renderer().rootRule().children()]
    assert "\"kind\" = 'gps_check'" in rules
    assert layers.result_extent(result).contains(feature.geometry().asPoint())


def test_a_ground_camera_gets_a_heading_wedge_and_an_uncertainty_ellipse(qgis_app, qgis_new_project):
    ellipse = {"semi_major_m": 20.0, "semi_minor_m": 8.0, "angle_deg": 30.0}
    camera = _point(
        "camera",
        CAMERA_LON,
        CAMERA_LAT,
        photo_kind="ground",
        yaw_deg=60.0,
        yaw_sigma_deg=10.0,
        ellipse=ellipse,
        position_sigma_m=12.0,
    )
    collection = {"type": "FeatureCollection", "status": "ok", "features": [camera]}
    result = layers.add_result_to_project(collection, "/photos/street.jpg", project=QgsProject.instance())
    apex = QgsPointXY(CAMERA_LON, CAMERA_LAT)

    [wedge] = list(result.vectors["heading"].getFeatures())
    ring = wedge.geometry().asPolygon()[0]
    assert ring[0] == apex
    arc = ring[1:-1]
    length = max(layers.camera_marks.WEDGE_MIN_M, layers.camera_marks.WEDGE_ELLIPSES * 20.0)  # 60 m
    area = QgsDistanceArea()
    area.setEllipsoid("WGS84")
    for point in arc:
        assert _distance_m(apex, point) == pytest.approx(length, rel=0.01)
    bearings = [math.degrees(area.bearing(apex, point)) % 360 for point in arc]
    assert min(bearings) == pytest.approx(50.0, abs=0.3)
    assert max(bearings) == pytest.approx(70.0, abs=0.3)

    [outline] = list(result.vectors["uncertainty"].getFeatures())
    assert area.measureArea(outline.geometry()) == pytest.approx(math.pi * 20 * 8, rel=0.02)
    points = outline.geometry().asPolygon()[0]
    far = max(points, key=lambda p: _distance_m(apex, p))
    assert _distance_m(apex, far) == pytest.approx(20.0, rel=0.01)
    assert math.degrees(area.bearing(apex, far)) % 180 == pytest.approx(30.0, abs=1.0)
    assert outline["semi_minor_m"] == 8.0 and outline["yaw_deg"] == 60.0

    [point] = list(result.vectors["camera"].getFeatures())
    assert _label_of(result.vectors["camera"], point) == "camera, heading 60° ± 10°, ± 12 m"
    order = [node.layer().id() for node in result.group.findLayers()]
    assert order[:3] == [result.vectors[r].id() for r in ("camera", "heading", "uncertainty")]
    # an aerial camera gets neither
    aerial = {**collection, "features": [_point("camera", CAMERA_LON, CAMERA_LAT, altitude_m=9000.0)]}
    assert not {"heading", "uncertainty"} & set(layers.build_vector_layers(aerial, "a.jpg"))
