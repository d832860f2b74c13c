"""GeoPackage plumbing for the review session: schema creation (OGR) and geometry blobs.

The session is created once with OGR (so the GeoPackage metadata tables are exactly what
GDAL/QGIS expect) and then read and written with sqlite3, which gives us explicit
transactions, WAL journaling and a busy timeout.
"""

from __future__ import annotations

import json
import math
import struct
from typing import Any

from osgeo import ogr, osr

SRS_ID = 4326
FORMAT_VERSION = 1

_S, _I, _R = ogr.OFTString, ogr.OFTInteger, ogr.OFTReal
_STATUS_FIELDS = [("status", _S), ("reviewer", _S), ("created_at", _S), ("decided_at", _S)]

# table -> (geometry type or None, [(field, OGR type)])
SCHEMA: dict[str, tuple[int | None, list[tuple[str, int]]]] = {
    "photos": (
        None,
        [
            ("photo_id", _S),
            ("path", _S),
            ("name", _S),
            ("sha256", _S),
            ("width", _I),
            ("height", _I),
            ("captured_at", _S),
            ("result_status", _S),
            ("confidence", _R),
            ("chosen_rank", _I),
            ("index_path", _S),
            ("model_id", _S),
            ("photo_json", _S),
            *_STATUS_FIELDS,
        ],
    ),
    "candidates": (
        ogr.wkbPolygon,
        [
            ("photo_id", _S),
            ("rank", _I),
            ("score", _R),
            ("confidence", _R),
            ("verified_inliers", _I),
            ("tile_id", _S),
            ("source", _S),
            ("scale", _S),
            ("rotation", _R),
            *_STATUS_FIELDS,
        ],
    ),
    "footprints": (
        ogr.wkbPolygon,
        [
            ("photo_id", _S),
            ("confidence", _R),
            ("method", _S),
            ("inliers", _I),
            ("reprojection_px", _R),
            ("candidate_rank", _I),
            ("area_km2", _R),
            ("edited", _I),
            ("original_geojson", _S),
            ("original_method", _S),
            ("corners_json", _S),
            *_STATUS_FIELDS,
        ],
    ),
    "cameras": (
        ogr.wkbPoint,
        [
            ("photo_id", _S),
            ("lat", _R),
            ("lon", _R),
            ("altitude_m", _R),
            ("tilt_deg", _R),
            ("azimuth_deg", _R),
            ("roll_deg", _R),
            ("hfov_deg", _R),
            ("vfov_deg", _R),
            ("focal_px", _R),
            ("focal_source", _S),
            ("confidence", _R),
            ("pose_json", _S),
            *_STATUS_FIELDS,
        ],
    ),
    "camera_looks": (ogr.wkbLineString, [("photo_id", _S), ("confidence", _R), *_STATUS_FIELDS]),
    "decisions": (
        None,
        [
            ("journal_id", _S),
            ("decided_at", _S),
            ("photo_id", _S),
            ("action", _S),
            ("reviewer", _S),
            ("reverts", _S),
            ("before_json", _S),
            ("after_json", _S),
            ("instance", _S),
        ],
    ),
    "session_info": (None, [("key", _S), ("value", _S)]),
}
GEOMETRY_TABLES = [t for t, (g, _) in SCHEMA.items() if g is not None]
FIELDS = {t: [f for f, _ in fields] for t, (_, fields) in SCHEMA.items()}


def create(path: str) -> None:
    """Create an empty session GeoPackage at `path` (which must not exist)."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path, options=["ADD_GPKG_OGR_CONTENTS=NO"])
    if ds is None:
        raise OSError(f"cannot create GeoPackage {path}")
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(SRS_ID)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    for table, (gtype, fields) in SCHEMA.items():
        # No R-tree: its triggers call SpatiaLite-style SQL functions that plain sqlite3 lacks.
        opts = ["SPATIAL_INDEX=NO", "FID=fid", "GEOMETRY_NAME=geom"]
        if gtype is None:
            lyr = ds.CreateLayer(table, None, ogr.wkbNone, options=["FID=fid"])
        else:
            lyr = ds.CreateLayer(table, srs, gtype, options=opts)
        for name, ftype in fields:
            lyr.CreateField(ogr.FieldDefn(name, ftype))
    ds = None  # closes and flushes the dataset


def post_create_sql() -> list[str]:
    return [
        "CREATE UNIQUE INDEX IF NOT EXISTS decisions_journal_id ON decisions(journal_id)",
        "CREATE INDEX IF NOT EXISTS candidates_photo ON candidates(photo_id)",
        "CREATE UNIQUE INDEX IF NOT EXISTS photos_photo_id ON photos(photo_id)",
        f"INSERT INTO session_info(key, value) VALUES ('format_version', '{FORMAT_VERSION}')",
        "INSERT INTO session_info(key, value) VALUES ('application', 'AstroLoc for QGIS review session')",
    ]


def encode(geojson: dict[str, Any] | None) -> bytes | None:
    """GeoJSON geometry -> GeoPackage geometry blob (little endian, XY envelope, EPSG:4326)."""
    if not geojson:
        return None
    geom = ogr.CreateGeometryFromJson(json.dumps(geojson))
    if geom is None:
        raise ValueError(f"invalid geometry: {str(geojson)[:80]}")
    geom.FlattenTo2D()
    wkb = bytes(geom.ExportToIsoWkb(ogr.wkbNDR))
    if geom.IsEmpty():
        return b"GP" + struct.pack("<BBi", 0, 0b10001, SRS_ID) + wkb
    minx, maxx, miny, maxy = geom.GetEnvelope()
    header = b"GP" + struct.pack("<BBi", 0, 0b00000011, SRS_ID) + struct.pack("<4d", minx, maxx, miny, maxy)
    return header + wkb


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def decode(blob: bytes | None) -> dict[str, Any] | None:
    """GeoPackage geometry blob -> GeoJSON geometry dict (None for NULL/empty)."""
    if not blob:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    env = _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0)
    geom = ogr.CreateGeometryFromWkb(blob[8 + env :])
    if geom is None or geom.IsEmpty():
        return None
    return json.loads(geom.ExportToJson())


EARTH_RADIUS_KM = 6371.0088


def area_km2(geojson: dict[str, Any] | None) -> float | None:
    """Area of a lon/lat (Multi)Polygon on the mean Earth sphere, in km².

    Spherical rather than ellipsoidal: the difference (< 0.5 %) does not matter for a
    photo footprint, and it keeps the session free of pyproj.
    """
    if not geojson or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        return None
    polys = [geojson["coordinates"]] if geojson["type"] == "Polygon" else geojson["coordinates"]
    total = 0.0
    for rings in polys:
        for i, ring in enumerate(rings):
            a = abs(_ring_area(ring))
            total += a if i == 0 else -a
    return total


def _ring_area(ring: list[list[float]]) -> float:
    s = 0.0
    for (lon1, lat1, *_), (lon2, lat2, *_) in zip(ring, ring[1:] + ring[:1], strict=True):
        s += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return s * EARTH_RADIUS_KM**2 / 2.0
