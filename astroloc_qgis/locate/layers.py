"""Turn an engine result (GeoJSON FeatureCollection, EPSG:4326) into styled QGIS layers.

One layer-tree group per photo, top to bottom: camera (nadir), camera view (look line and
frustum rays), refined footprint, candidate footprints, the frame of the reference imagery,
the photo warped onto the map through its footprint, field-of-view wedge, the search area (the
prior's region), and the reference imagery itself (map/reference.py). Styles are the QML files
in resources/styles/; the search area and the reference frame are styled here through the
symbol API.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QThread, QVariant
from qgis.PyQt.QtGui import QColor, QFont

from ..engine.protocol import CAMERA, CANDIDATE, EXIF_POSITION, FOOTPRINT, LOOK, PRIOR, features_of_kind
from ..map import reference as reference_imagery
from ..map.canvas import WGS84, apply_style, geometry_from_geojson, zoom_to
from ..map.labels import halo_text
from ..map.overlay import overlay_layer
from ..translate import translate
from . import camera_marks

GROUP_PROPERTY = "astroloc/photo"

# (name, QVariant type) per layer; properties missing from a feature stay NULL.
CANDIDATE_FIELDS = [
    ("rank", QVariant.Int),
    ("retrieval_rank", QVariant.Int),
    ("score", QVariant.Double),
    ("confidence", QVariant.Double),
    ("verified_inliers", QVariant.Int),
    ("tile_id", QVariant.String),
    ("source", QVariant.String),
    ("scale", QVariant.String),
    ("rotation", QVariant.Double),
    ("photo", QVariant.String),
]
FOOTPRINT_FIELDS = [
    ("confidence", QVariant.Double),
    ("inliers", QVariant.Int),
    ("reprojection_px", QVariant.Double),
    ("method", QVariant.String),
    ("candidate_rank", QVariant.Int),
    ("tile_id", QVariant.String),
    ("area_km2", QVariant.Double),
    ("photo", QVariant.String),
]
CAMERA_FIELDS = [
    ("altitude_m", QVariant.Double),
    ("tilt_deg", QVariant.Double),
    ("azimuth_deg", QVariant.Double),
    ("roll_deg", QVariant.Double),
    ("hfov_deg", QVariant.Double),
    ("vfov_deg", QVariant.Double),
    ("focal_px", QVariant.Double),
    ("focal_source", QVariant.String),
    ("lat", QVariant.Double),
    ("lon", QVariant.Double),
    ("gps_check_m", QVariant.Double),
    ("gimbal_check_pitch_deg", QVariant.Double),
    ("gimbal_check_yaw_deg", QVariant.Double),
    ("photo_kind", QVariant.String),
    ("yaw_deg", QVariant.Double),
    ("yaw_sigma_deg", QVariant.Double),
    ("position_sigma_m", QVariant.Double),
    ("pitch_deg", QVariant.Double),
    ("pitch_source", QVariant.String),
    ("roll_source", QVariant.String),
    ("photo", QVariant.String),
]
VIEW_FIELDS = [("kind", QVariant.String), ("photo", QVariant.String)]
FOV_FIELDS = [("hfov_deg", QVariant.Double), ("photo", QVariant.String)]
REFERENCE_FIELDS = [
    ("label", QVariant.String),
    ("source", QVariant.String),
    ("year", QVariant.String),
    ("window", QVariant.String),
    ("photo", QVariant.String),
]
PRIOR_FIELDS = [
    ("source", QVariant.String),
    ("description", QVariant.String),
    ("tiles_in_region", QVariant.Int),
    ("photo", QVariant.String),
]


@dataclass
class ResultLayers:
    """The layers made for one photo; `vectors` maps a role to its layer."""

    photo: str
    group: QgsLayerTreeGroup
    vectors: dict[str, QgsVectorLayer] = field(default_factory=dict)
    photo_layer: QgsRasterLayer | None = None
    reference_layer: QgsRasterLayer | None = None  # the index source around the footprint
    thumbnails: dict[int, str] = field(default_factory=dict)  # tile_id -> PNG of the candidate's tile
    reference_problem: str = ""  # why there is no reference layer

    def all_layers(self) -> list[QgsMapLayer]:
        layers: list[QgsMapLayer] = list(self.vectors.values())
        return layers + [layer for layer in (self.photo_layer, self.reference_layer) if layer is not None]


def _memory_layer(geometry_type: str, name: str, schema: list[tuple[str, int]]) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{geometry_type}?crs={WGS84}", name, "memory")
    fields = QgsFields()
    for field_name, kind in schema:
        fields.append(QgsField(field_name, kind))
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    return layer


def _add_features(layer: QgsVectorLayer, items: list[tuple[QgsGeometry, dict]]) -> None:
    features = []
    for geometry, properties in items:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(geometry)
        for name in layer.fields().names():
            value = properties.get(name)
            if isinstance(value, (list, dict)):
                value = json.dumps(value)
            feature.setAttribute(name, value)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()


def _fov_wedge(camera: dict | None, footprint: dict | None) -> QgsGeometry:
    """What the camera saw, seen from above: the hull of the nadir point and the footprint."""
    if not camera or not footprint:
        return QgsGeometry()
    hull = geometry_from_geojson(footprint["geometry"]).combine(geometry_from_geojson(camera["geometry"]))
    return hull.convexHull()


def _frustum_rays(camera: dict | None, footprint: dict | None) -> list[QgsGeometry]:
    if not camera or not footprint:
        return []
    nadir = geometry_from_geojson(camera["geometry"]).asPoint()
    corners = footprint["properties"].get("corners") or []
    if not corners:
        ring = geometry_from_geojson(footprint["geometry"]).asPolygon()
        corners = [[p.x(), p.y()] for p in (ring[0][:4] if ring else [])]
    return [QgsGeometry.fromPolylineXY([nadir, QgsPointXY(lon, lat)]) for lon, lat in corners]


def _layer(
    geometry_type: str, name: str, schema: list[tuple[str, int]], items: list[tuple[QgsGeometry, dict]]
) -> QgsVectorLayer:
    layer = _memory_layer(geometry_type, name, schema)
    _add_features(layer, items)
    return layer


def _items(features: list[dict], tag: dict) -> list[tuple[QgsGeometry, dict]]:
    return [(geometry_from_geojson(f["geometry"]), {**f["properties"], **tag}) for f in features]


def build_vector_layers(collection: dict, photo_name: str) -> dict[str, QgsVectorLayer]:
    """Memory layers (EPSG:4326) for every kind of feature present in the result, by role."""
    layers: dict[str, QgsVectorLayer] = {}
    tag = {"photo": photo_name}

    candidates = sorted(features_of_kind(collection, CANDIDATE), key=lambda f: f["properties"].get("rank", 0))
    if candidates:
        layers["candidates"] = _layer(
            "Polygon", translate("ResultLayers", "Candidates"), CANDIDATE_FIELDS, _items(candidates, tag)
        )

    footprint = next(iter(features_of_kind(collection, FOOTPRINT)), None)
    if footprint:
        layers["footprint"] = _layer(
            "Polygon", translate("ResultLayers", "Footprint"), FOOTPRINT_FIELDS, _items([footprint], tag)
        )

    camera = next(iter(features_of_kind(collection, CAMERA)), None)
    if camera:
        layers["camera"] = _layer(
            "Point", translate("ResultLayers", "Camera"), CAMERA_FIELDS, _items([camera], tag)
        )

    marks, gps_check = camera_mark_layers(collection, camera, tag)
    layers.update(marks)

    view_items = [
        (geometry_from_geojson(f["geometry"]), {"kind": LOOK, **tag})
        for f in features_of_kind(collection, LOOK)
    ]
    view_items += [(ray, {"kind": "frustum", **tag}) for ray in _frustum_rays(camera, footprint)]
    view_items += gps_check
    if view_items:
        layers["view"] = _layer(
            "LineString", translate("ResultLayers", "Camera view"), VIEW_FIELDS, view_items
        )

    wedge = _fov_wedge(camera, footprint)
    if not wedge.isEmpty():
        layers["fov"] = _layer(
            "Polygon",
            translate("ResultLayers", "Field of view"),
            FOV_FIELDS,
            [(wedge, {"hfov_deg": camera["properties"].get("hfov_deg"), **tag})],
        )

    region = next(iter(features_of_kind(collection, PRIOR)), None)
    if region:
        items = _items([region], tag)
        for geometry, _properties in items:
            geometry.convertToMultiType()  # a circle is a Polygon, one cut at the antimeridian a MultiPolygon
        layers["prior"] = _layer(
            "MultiPolygon", translate("ResultLayers", "Search area"), PRIOR_FIELDS, items
        )

    for role, layer in layers.items():
        apply_style(layer, role)
    if "prior" in layers:
        style_search_area(layers["prior"])
    for role, style in camera_marks.STYLES.items():
        if role in layers:
            style(layers[role])
    return layers


def camera_mark_layers(
    collection: dict, camera: dict | None, tag: dict
) -> tuple[dict[str, QgsVectorLayer], list[tuple[QgsGeometry, dict]]]:
    """The marks beside the camera (locate/camera_marks.py), by role: the photo's EXIF GPS fix, a
    ground camera's heading wedge and uncertainty ellipse; and the GPS check's line (fix to
    camera) for the view layer."""
    layers: dict[str, QgsVectorLayer] = {}
    fix = next(iter(features_of_kind(collection, EXIF_POSITION)), None)
    if fix:
        layers["exif_position"] = _layer(
            "Point",
            translate("ResultLayers", "EXIF GPS position"),
            camera_marks.EXIF_POSITION_FIELDS,
            [camera_marks.exif_position_item(fix, camera, tag)],
        )
    for role, (name, item) in camera_marks.ground_items(camera, tag).items():
        layers[role] = _layer("Polygon", name, camera_marks.GROUND_FIELDS, [item])
    if not (camera and fix):
        return layers, []
    line = [geometry_from_geojson(g["geometry"]).asPoint() for g in (fix, camera)]
    return layers, [(QgsGeometry.fromPolylineXY(line), {"kind": "gps_check", **tag})]


def style_search_area(layer: QgsVectorLayer) -> None:
    """A dashed blue outline and a light fill: the region is seen, and the imagery through it."""
    symbol = QgsFillSymbol.createSimple(
        {
            "color": "42,122,226,28",
            "outline_color": "#2a7ae2",
            "outline_width": "0.6",
            "outline_style": "dash",
        }
    )
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def reference_frame_layer(reference: reference_imagery.ReferenceWindow, photo_name: str) -> QgsVectorLayer:
    """The outline of the reference imagery, labelled with its source and year along the edge."""
    ring = [QgsPointXY(lon, lat) for lon, lat in reference.corners_lonlat]
    properties = {
        "label": reference_imagery.reference_name(reference),
        "source": reference.source,
        "year": reference.year,
        "window": list(reference.window),
        "photo": photo_name,
    }
    layer = _layer(
        "Polygon",
        translate("ResultLayers", "Reference frame"),
        REFERENCE_FIELDS,
        [(QgsGeometry.fromPolygonXY([ring + ring[:1]]), properties)],
    )
    style_reference_frame(layer)
    return layer


def style_reference_frame(layer: QgsVectorLayer) -> None:
    """A cyan frame on a white casing (seen on dark and bright imagery), its label along the top."""
    symbol = QgsFillSymbol.createSimple(
        {"color": "0,0,0,0", "outline_color": "255,255,255,230", "outline_width": "1.4"}
    )
    edge = QgsSimpleLineSymbolLayer(QColor("#00a5c8"), 0.7)
    symbol.appendSymbolLayer(edge)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    font = QFont()
    font.setBold(True)
    text = halo_text("#00708a", 9, halo_mm=1.2, font=font)
    labels = QgsPalLayerSettings()
    labels.fieldName = "label"
    labels.placement = QgsPalLayerSettings.Line  # along the polygon's outline
    labels.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layer.setLabelsEnabled(True)


# Order of the layers inside a photo's group, top to bottom ("photo" is the warped photo,
# "reference" the index imagery around it): nothing filled lies over the photo, so its fit can be
# judged by eye; the reference lies under everything, a base map of its own.
ROLE_ORDER = (
    "camera",
    "exif_position",
    "heading",
    "uncertainty",
    "view",
    "footprint",
    "candidates",
    "reference_frame",
    "photo",
    "fov",
    "prior",
    "reference",
)


@dataclass
class PreparedLayers:
    """Layers built (in any thread) and not yet in a project."""

    vectors: dict[str, QgsVectorLayer]
    photo_layer: QgsRasterLayer | None = None
    reference_layer: QgsRasterLayer | None = None
    thumbnails: dict[int, str] = field(default_factory=dict)
    reference_problem: str = ""  # why there is no reference layer, for the panel


def prepare_layers(
    collection: dict,
    photo_path: str,
    overlay_path: str | None = None,
    opacity: float = 0.7,
    owner_thread: QThread | None = None,
) -> PreparedLayers:
    """Build and style the layers. From a task, pass the GUI thread as `owner_thread`: layers
    made in a worker thread must be handed to the GUI thread before they join the project."""
    prepared = PreparedLayers(build_vector_layers(collection, Path(photo_path).name))
    if overlay_path:
        prepared.photo_layer = overlay_layer(overlay_path, opacity)
    work_dir = Path(overlay_path).parent if overlay_path else Path(tempfile.gettempdir())
    add_reference(prepared, collection, photo_path, work_dir)
    if owner_thread is not None:
        for layer in [*prepared.vectors.values(), prepared.photo_layer, prepared.reference_layer]:
            if layer is not None:
                layer.moveToThread(owner_thread)
    return prepared


def add_reference(prepared: PreparedLayers, collection: dict, photo_path: str, work_dir: Path) -> None:
    """The reference imagery around the footprint, its frame, and the candidates' thumbnails."""
    prepared.thumbnails = reference_imagery.candidate_thumbnails(collection)
    reference = reference_imagery.reference_window_of(collection)
    if reference is None:
        missing = reference_imagery.unreadable_source(collection)
        if missing:
            prepared.reference_problem = translate(
                "ResultLayers", "No reference imagery: the index source {} cannot be read on this machine."
            ).format(missing)
        return
    stem = f"{Path(photo_path).stem}_{id(prepared)}"
    vrt = reference_imagery.write_reference_vrt(reference, work_dir, stem)
    prepared.reference_layer = reference_imagery.reference_layer(vrt, reference) if vrt else None
    if prepared.reference_layer is not None:
        prepared.vectors["reference_frame"] = reference_frame_layer(reference, Path(photo_path).name)


def add_result_to_project(
    collection: dict,
    photo_path: str,
    overlay_path: str | None = None,
    opacity: float = 0.7,
    project: QgsProject | None = None,
    prepared: PreparedLayers | None = None,
) -> ResultLayers:
    """A group named after the photo, at the top of the layer tree, with the result's layers."""
    project = project or QgsProject.instance()
    prepared = prepared or prepare_layers(collection, photo_path, overlay_path, opacity)
    group = project.layerTreeRoot().insertGroup(
        0, translate("ResultLayers", "AstroLoc — {}").format(Path(photo_path).name)
    )
    group.setCustomProperty(GROUP_PROPERTY, photo_path)
    result = ResultLayers(
        photo_path,
        group,
        prepared.vectors,
        prepared.photo_layer,
        prepared.reference_layer,
        prepared.thumbnails,
        prepared.reference_problem,
    )
    rasters = {"photo": result.photo_layer, "reference": result.reference_layer}
    for role in ROLE_ORDER:
        layer = rasters[role] if role in rasters else result.vectors.get(role)
        if layer is not None:
            project.addMapLayer(layer, False)
            group.addLayer(layer)
    group.setExpanded(True)
    return result


def set_photo_opacity(results: list[ResultLayers], opacity: float) -> None:
    for result in results:
        layer = result.photo_layer
        if layer is not None and layer.renderer() is not None:
            layer.renderer().setOpacity(opacity)
            layer.triggerRepaint()


def result_extent(result: ResultLayers) -> QgsRectangle:
    """What to zoom to (EPSG:4326): the footprint with the camera and its field of view, else
    the best candidate, else everything."""
    located = [
        result.vectors[role]
        for role in ("footprint", "camera", "fov", "exif_position", "heading", "uncertainty")
        if role in result.vectors
    ]
    extent = QgsRectangle()
    if located and "footprint" in result.vectors:
        for layer in located:
            extent.combineExtentWith(layer.extent())
        return extent
    candidates = result.vectors.get("candidates")
    if candidates is not None and candidates.featureCount():
        return next(candidates.getFeatures()).geometry().boundingBox()
    for layer in result.vectors.values():
        extent.combineExtentWith(layer.extent())
    return extent  # the search area alone when nothing was found: where it was looked for


def select_feature(canvas, layer: QgsVectorLayer, fid: int) -> None:
    layer.selectByIds([fid])
    feature = layer.getFeature(fid)
    if feature.hasGeometry():
        zoom_to(canvas, feature.geometry().boundingBox(), margin=0.6)
