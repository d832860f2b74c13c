"""The search area of a locate request: the panel's and Processing's inputs -> the engine's prior keys.

The engine checks every prior again (engine/priors.py, docs/PRIORS.md); this side checks what a
user typed, so the message stands next to the field before the engine is even asked.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..engine.nasa_frames import ISS_ALTITUDE_M, frame_id
from ..translate import translate

# The modes of the panel's "Search area" section, in the order shown.
ANYWHERE, NADIR, NEAR, CANVAS, LAYER, TLE, CATALOGUE = (
    "anywhere",
    "nadir",
    "near",
    "canvas",
    "layer",
    "tle",
    "catalogue",
)
MODES = (ANYWHERE, NADIR, NEAR, CANVAS, LAYER, TLE, CATALOGUE)
ISS_ALTITUDE_KM = "-".join(f"{m / 1000:g}" for m in ISS_ALTITUDE_M)  # "400-420"
DEFAULT_RADIUS_KM = "5"
WGS84 = "EPSG:4326"
# The engine's error code for a refused search prior (engine/errors.py PriorError; its `field` is the
# prior key): shown in the Search area section (docs/PRIORS.md, "Bad input").
PRIOR_REFUSAL = "bad_prior"


def is_prior_refusal(code: str) -> bool:
    """The engine refused the search area: told by the error's code (a message is not read)."""
    return code == PRIOR_REFUSAL


def is_shared_prior_refusal(code: str, field: str) -> bool:
    """A refusal that concerns every photo of a batch alike: all but the catalogue's (one photo's frame)."""
    return code == PRIOR_REFUSAL and field != "catalogue"


class PriorError(ValueError):
    """A search-area input that cannot be used: `field` names the input (a panel field or a
    Processing parameter), the message says what is wrong and what to do."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name
        self.message = message


def is_frame_name(photo: str) -> bool:
    """Named like a NASA frame (ISS062-E-150758): the catalogue applies to it."""
    return frame_id(photo) is not None


def parse_lat_lon(text: str, field_name: str) -> list[float]:
    """'47.04, -99.15' (comma, semicolon or spaces) -> [lat, lon], inside [-90, 90] x [-180, 180]."""
    parts = [p for p in re.split(r"[,;\s]+", (text or "").strip()) if p]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise PriorError(
            field_name,
            translate("SearchArea", "'{}' is not a latitude, longitude pair: type e.g. 47.04, -99.15").format(
                text
            ),
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PriorError(
            field_name,
            translate(
                "SearchArea",
                "{}, {} is outside [-90, 90] x [-180, 180]: latitude first, then longitude, in degrees",
            ).format(lat, lon),
        )
    return [lat, lon]


def parse_number(text: str, field_name: str, low: float = 0.0, high: float | None = None) -> float:
    """A number above `low` (and below `high`)."""
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        raise PriorError(field_name, translate("SearchArea", "'{}' is not a number").format(text)) from None
    if value <= low or (high is not None and value >= high):
        bounds = (
            translate("SearchArea", "above {}").format(f"{low:g}")
            if high is None
            else translate("SearchArea", "between {} and {}").format(f"{low:g}", f"{high:g}")
        )
        raise PriorError(field_name, translate("SearchArea", "{} must be {}").format(f"{value:g}", bounds))
    return value


def parse_altitude_km(text: str, field_name: str) -> float | list[float]:
    """'400' or '400-420' (km) -> metres, or [lowest, highest] metres, for the engine."""
    match = re.fullmatch(r"\s*(\S+?)\s*(?:(?:-|–|to)\s*(\S+))?\s*", text or "")
    if match is None:
        raise PriorError(
            field_name,
            translate("SearchArea", "'{}' is not an altitude: type km, e.g. 410 or 400-420").format(text),
        )
    parts = [p for p in match.groups() if p]
    values = sorted(1000.0 * parse_number(p, field_name) for p in parts)
    return values[0] if len(values) == 1 else values


def existing_file(path: str, field_name: str, what: str) -> str:
    if not (path or "").strip():
        raise PriorError(field_name, translate("SearchArea", "choose the {} file").format(what))
    if not Path(path).is_file():
        raise PriorError(
            field_name, translate("SearchArea", "{} does not exist: choose the {} file").format(path, what)
        )
    return str(Path(path))


def _write_polygons(
    geometries: list[QgsGeometry], crs: QgsCoordinateReferenceSystem, out_dir: str | None, field_name: str
) -> str:
    """The geometries, transformed to EPSG:4326, as a GeoJSON file the engine reads (--aoi)."""
    polygons = [
        g
        for g in geometries
        if not g.isEmpty() and QgsWkbTypes.geometryType(g.wkbType()) == QgsWkbTypes.PolygonGeometry
    ]
    if not polygons:
        raise PriorError(
            field_name, translate("SearchArea", "no polygon to search in: select polygons of a polygon layer")
        )
    target = QgsCoordinateReferenceSystem(WGS84)
    transform = QgsCoordinateTransform(crs, target, QgsProject.instance())
    layer = QgsVectorLayer(f"MultiPolygon?crs={WGS84}", "aoi", "memory")
    features = []
    for geometry in polygons:
        geometry = QgsGeometry(geometry)
        geometry.densifyByCount(16)  # a long straight edge stays near its great-circle course
        geometry.transform(transform)
        feature = QgsFeature(QgsFields())
        feature.setGeometry(geometry)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    folder = Path(out_dir or tempfile.gettempdir())
    path = Path(tempfile.mkstemp(prefix="astroloc_aoi_", suffix=".geojson", dir=folder)[1])
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GeoJSON"
    options.fileEncoding = "UTF-8"
    error, message, *_ = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(path), QgsCoordinateTransformContext(), options
    )
    if error != QgsVectorFileWriter.NoError:
        raise PriorError(
            field_name,
            translate("SearchArea", "cannot write the search area to {}: {}").format(path, message),
        )
    return str(path)


def extent_aoi(
    extent: QgsRectangle,
    crs: QgsCoordinateReferenceSystem,
    out_dir: str | None = None,
    field_name: str = "canvas",
) -> str:
    """The map canvas extent as an AOI file."""
    if extent.isEmpty():
        raise PriorError(
            field_name, translate("SearchArea", "the map shows nothing yet: zoom to the area to search")
        )
    return _write_polygons([QgsGeometry.fromRect(extent)], crs, out_dir, field_name)


def layer_aoi(
    layer: QgsVectorLayer | None, selected_only: bool, out_dir: str | None = None, field_name: str = "layer"
) -> str:
    """The polygons of a layer (its selected ones when `selected_only`) as an AOI file."""
    if layer is None or not layer.isValid() or layer.geometryType() != QgsWkbTypes.PolygonGeometry:
        raise PriorError(field_name, translate("SearchArea", "choose a polygon layer"))
    features = layer.getSelectedFeatures() if selected_only else layer.getFeatures()
    geometries = [f.geometry() for f in features if f.hasGeometry()]
    if selected_only and not geometries:
        raise PriorError(
            field_name,
            translate(
                "SearchArea", "no polygon of {} is selected: select the area's polygons on the map"
            ).format(layer.name()),
        )
    return _write_polygons(geometries, layer.crs(), out_dir, field_name)


@dataclass
class SearchAreaInputs:
    """What the panel (or Processing) holds, as typed. The canvas and layer modes carry the
    AOI file already written (the panel writes it on the GUI thread)."""

    mode: str = ANYWHERE
    nadir: str = ""
    altitude_km: str = ISS_ALTITUDE_KM
    max_tilt: str = ""
    near: str = ""
    radius_km: str = DEFAULT_RADIUS_KM
    near_from_gps: bool = True
    aoi: str = ""
    tle: str = ""
    capture_time: str = ""
    catalogue: str = ""


def prior_for(inputs: SearchAreaInputs, photo: str, gps: tuple[float, float] | None = None) -> dict:
    """The engine's prior keys for one photo (an empty dict searches everywhere). `gps` is the
    photo's EXIF position; in the "near" mode it fills in the point when asked to."""
    mode = inputs.mode
    if mode == ANYWHERE:
        return {}
    if mode == NADIR:
        prior: dict = {
            "nadir": parse_lat_lon(inputs.nadir, "nadir"),
            "altitude_m": parse_altitude_km(inputs.altitude_km or ISS_ALTITUDE_KM, "altitude_km"),
        }
        if (inputs.max_tilt or "").strip():
            prior["max_tilt_deg"] = parse_number(inputs.max_tilt, "max_tilt", 0.0, 90.0)
        return prior
    if mode == NEAR:
        point = [float(gps[0]), float(gps[1])] if inputs.near_from_gps and gps else None
        if point is None:
            if not (inputs.near or "").strip():
                raise PriorError(
                    "near",
                    translate(
                        "SearchArea", "type the point (latitude, longitude), or drop a photo with EXIF GPS"
                    ),
                )
            point = parse_lat_lon(inputs.near, "near")
        return {"near": point, "radius_km": parse_number(inputs.radius_km, "radius_km")}
    if mode in (CANVAS, LAYER):
        return {"aoi": existing_file(inputs.aoi, mode, translate("SearchArea", "area"))}
    if mode == TLE:
        prior = {"tle": existing_file(inputs.tle, "tle", translate("SearchArea", "two-line element (TLE)"))}
        if (inputs.capture_time or "").strip():
            prior["capture_time"] = parse_capture_time(inputs.capture_time, "capture_time")
        return prior
    if mode == CATALOGUE:
        path = existing_file(inputs.catalogue, "catalogue", translate("SearchArea", "catalogue CSV"))
        return {"catalogue": path} if is_frame_name(photo) else {}
    raise PriorError("mode", translate("SearchArea", "unknown search area {}").format(mode))


def parse_capture_time(text: str, field_name: str) -> str:
    """ISO 8601 ('2020-02-14T10:32:05', a space for the T, an optional zone); UTC when no zone."""
    value = text.strip().replace(" ", "T", 1)
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise PriorError(
            field_name,
            translate(
                "SearchArea", "'{}' is not a date and time: type e.g. 2020-02-14 10:32:05 (UTC)"
            ).format(text),
        ) from None
    return value
