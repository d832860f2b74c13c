"""Export confirmed and edited footprints with a stable schema (docs/EXPORT_SCHEMA.md).

The session is opened read-only: exporting can never change it. Files are written under a
temporary name in the target folder and renamed at the end, so a failed export leaves no
half-written file behind.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from osgeo import gdal, ogr, osr

from ..translate import translate
from . import gpkg

SCHEMA_VERSION = 1
LAYER_NAME = "confirmed_footprints"
EXPORT_STATUSES = ("confirmed", "edited")

_S, _I, _R = ogr.OFTString, ogr.OFTInteger, ogr.OFTReal
# The stable export schema: names, order and types never change within a SCHEMA_VERSION.
EXPORT_FIELDS: list[tuple[str, int]] = [
    ("photo_name", _S),
    ("photo_sha256", _S),
    ("photo_path", _S),
    ("captured_at", _S),
    ("area_km2", _R),
    ("nadir_lat", _R),
    ("nadir_lon", _R),
    ("altitude_m", _R),
    ("tilt_deg", _R),
    ("azimuth_deg", _R),
    ("confidence", _R),
    ("method", _S),
    ("model_id", _S),
    ("status", _S),
    ("edited", _I),
    ("candidate_rank", _I),
    ("reviewer", _S),
    ("decided_at", _S),
    ("schema_version", _I),
]
FORMATS = {"gpkg": ("GPKG", ".gpkg"), "geojson": ("GeoJSON", ".geojson"), "csv": ("CSV", ".csv")}


class ExportError(Exception):
    """The export could not be written (message is meant for the user)."""


@dataclass
class ExportResult:
    count: int
    files: dict[str, str] = field(default_factory=dict)


def confirmed_rows(session_path: str) -> list[dict[str, Any]]:
    """Rows of the export, read from the session through a read-only connection."""
    if not os.path.exists(session_path):
        raise ExportError(translate("Export", "Session file not found: {0}").format(session_path))
    uri = "file:" + os.path.abspath(session_path) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise ExportError(
            translate("Export", "Cannot read the session {0}: {1}").format(session_path, exc)
        ) from exc
    conn.row_factory = sqlite3.Row
    marks = ",".join("?" * len(EXPORT_STATUSES))
    sql = f"""
        SELECT p.name AS photo_name, p.sha256 AS photo_sha256, p.path AS photo_path,
               p.captured_at, p.model_id, p.status, p.reviewer, p.decided_at, p.chosen_rank,
               f.geom, f.area_km2, f.method, f.edited, f.candidate_rank, f.confidence AS fp_conf,
               p.confidence AS photo_conf, c.lat, c.lon, c.altitude_m, c.tilt_deg, c.azimuth_deg
        FROM photos p JOIN footprints f ON f.photo_id = p.photo_id
        LEFT JOIN cameras c ON c.photo_id = p.photo_id
        WHERE p.status IN ({marks}) ORDER BY p.decided_at, p.fid"""
    try:
        rows = conn.execute(sql, EXPORT_STATUSES).fetchall()
    except sqlite3.Error as exc:
        raise ExportError(
            translate("Export", "Cannot read the session {0}: {1}").format(session_path, exc)
        ) from exc
    finally:
        conn.close()
    out = []
    for r in rows:
        geom = gpkg.decode(r["geom"])
        if geom is None:
            continue
        chosen = r["chosen_rank"]
        out.append(
            {
                "geometry": geom,
                "photo_name": r["photo_name"],
                "photo_sha256": r["photo_sha256"],
                "photo_path": r["photo_path"],
                "captured_at": r["captured_at"],
                "area_km2": r["area_km2"] if r["area_km2"] is not None else gpkg.area_km2(geom),
                # A chosen retrieval candidate carries no pose: the nadir/altitude of the refined
                # footprint would describe a different place.
                "nadir_lat": None if chosen else r["lat"],
                "nadir_lon": None if chosen else r["lon"],
                "altitude_m": None if chosen else r["altitude_m"],
                "tilt_deg": None if chosen else r["tilt_deg"],
                "azimuth_deg": None if chosen else r["azimuth_deg"],
                "confidence": r["fp_conf"] if r["fp_conf"] is not None else r["photo_conf"],
                "method": r["method"],
                "model_id": r["model_id"],
                "status": r["status"],
                "edited": int(r["edited"] or 0),
                "candidate_rank": chosen if chosen else r["candidate_rank"],
                "reviewer": r["reviewer"],
                "decided_at": r["decided_at"],
                "schema_version": SCHEMA_VERSION,
            }
        )
    return out


def export_confirmed(
    session_path: str, out_path: str, formats: Iterable[str] = ("gpkg",), overwrite: bool = True
) -> ExportResult:
    """Write the confirmed/edited footprints to `out_path` (extension replaced per format)."""
    formats = [f.lower() for f in formats]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ExportError(
            translate("Export", "Unknown export format(s): {0}").format(", ".join(unknown) or "-")
        )
    folder = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(folder):
        raise ExportError(translate("Export", "Cannot export: the folder {0} does not exist").format(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(translate("Export", "Cannot export: the folder {0} is not writable").format(folder))
    stem = os.path.splitext(os.path.abspath(out_path))[0]
    targets = {f: stem + FORMATS[f][1] for f in formats}
    if os.path.abspath(session_path) in {os.path.abspath(t) for t in targets.values()}:
        raise ExportError(translate("Export", "Cannot export over the session file itself"))
    for t in targets.values():
        if os.path.exists(t) and not overwrite:
            raise ExportError(translate("Export", "Cannot export: {0} already exists").format(t))
    rows = confirmed_rows(session_path)
    result = ExportResult(count=len(rows))
    for fmt, target in targets.items():
        _write(rows, fmt, target)
        result.files[fmt] = target
    return result


def _write(rows: list[dict[str, Any]], fmt: str, target: str) -> None:
    driver_name, ext = FORMATS[fmt]
    tmp = target + ".partial" + ext
    drv = ogr.GetDriverByName(driver_name)
    if os.path.exists(tmp):
        drv.DeleteDataSource(tmp)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        ds = drv.CreateDataSource(tmp)
        if ds is None:
            raise ExportError(
                translate("Export", "Cannot write {0}: {1}").format(target, gdal.GetLastErrorMsg())
            )
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        opts = {
            "csv": ["GEOMETRY=AS_WKT", "CREATE_CSVT=YES"],
            "geojson": ["RFC7946=YES"],
            "gpkg": ["FID=fid", "GEOMETRY_NAME=geom"],
        }[fmt]
        # CSV cannot carry a CRS (it would leave a .prj beside the temporary name): WKT is EPSG:4326.
        lyr = ds.CreateLayer(LAYER_NAME, None if fmt == "csv" else srs, ogr.wkbPolygon, options=opts)
        for name, ftype in EXPORT_FIELDS:
            lyr.CreateField(ogr.FieldDefn(name, ftype))
        defn = lyr.GetLayerDefn()
        if fmt == "gpkg":
            ds.StartTransaction()
        for row in rows:
            if lyr.CreateFeature(_feature(defn, row)) != 0:
                raise ExportError(
                    translate("Export", "Cannot write {0}: {1}").format(target, gdal.GetLastErrorMsg())
                )
        if fmt == "gpkg":
            ds.CommitTransaction()
        ds = None  # flush and close
        if fmt == "csv" and os.path.exists(os.path.splitext(tmp)[0] + ".csvt"):
            os.replace(os.path.splitext(tmp)[0] + ".csvt", os.path.splitext(target)[0] + ".csvt")
        os.replace(tmp, target)
    except (OSError, RuntimeError) as exc:
        raise ExportError(translate("Export", "Cannot write {0}: {1}").format(target, exc)) from exc
    finally:
        gdal.PopErrorHandler()
        if os.path.exists(tmp):
            try:
                drv.DeleteDataSource(tmp)
            except RuntimeError:
                pass


def _feature(defn: ogr.FeatureDefn, row: dict[str, Any]) -> ogr.Feature:
    """One export row as a feature: its footprint as a polygon, the export fields it has set."""
    feat = ogr.Feature(defn)
    geom = ogr.CreateGeometryFromJson(json.dumps(row["geometry"]))
    if geom.GetGeometryType() != ogr.wkbPolygon:
        geom = ogr.ForceToPolygon(geom)
    feat.SetGeometry(geom)
    for name, _ in EXPORT_FIELDS:
        if row.get(name) is not None:
            feat.SetField(name, row[name])
    return feat
