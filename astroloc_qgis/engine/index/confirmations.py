"""The analyst's confirmed footprints, read from a review session or an export (no Qt, no OGR).

A review session (the GeoPackage astroloc_qgis/session writes) is read through a read-only
SQLite connection: photos whose status is `confirmed` or `edited`, with their footprint. An
export in the documented schema (docs/EXPORT_SCHEMA.md) is read as GeoPackage (layer
`confirmed_footprints`), GeoJSON or CSV (WKT column). Photos are then found by SHA-256: at their
recorded path when the file there still has that hash, else in the folders given.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Polygon, shape

from ..checksum import file_sha256
from ..errors import InputError

CONFIRMED_STATUSES = ("confirmed", "edited")
EXPORT_LAYER = "confirmed_footprints"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".jp2")
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_SESSION_SQL = """
    SELECT p.name, p.sha256, p.path, p.status, p.model_id, p.index_path, p.chosen_rank, f.geom
    FROM photos p JOIN footprints f ON f.photo_id = p.photo_id
    WHERE p.status IN ('confirmed', 'edited') ORDER BY p.decided_at, p.fid"""


@dataclass
class Confirmation:
    name: str
    sha256: str
    path: str
    footprint: Polygon  # EPSG:4326, exterior corners UL, UR, LR, LL of the photo
    status: str = "confirmed"
    model_id: str | None = None
    index_path: str | None = None
    candidate: bool = False  # the analyst took a retrieval candidate's tile polygon as the answer

    @property
    def corners(self) -> list[tuple[float, float]]:
        return list(self.footprint.exterior.coords)[:4]


def gpkg_geometry(blob: bytes | None) -> Any:
    """A GeoPackage geometry blob -> shapely geometry (None for NULL or empty)."""
    if not blob:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    geom = shapely.from_wkb(blob[8 + _ENVELOPE_BYTES.get((blob[3] >> 1) & 0b111, 0) :])
    return None if geom is None or geom.is_empty else geom


def _polygon(geom: Any) -> Polygon | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "MultiPolygon":
        geom = max(geom.geoms, key=lambda g: g.area)
    if geom.geom_type != "Polygon" or len(geom.exterior.coords) < 5:
        return None
    return geom


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=5.0)
        conn.execute("SELECT name FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.Error as exc:
        raise InputError(
            f"{path}: not a readable review session or export ({exc})", "give a .gpkg from AstroLoc"
        ) from exc


def _from_sqlite(path: Path) -> list[Confirmation]:
    conn = _connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if {"photos", "footprints"} <= tables:
            rows = conn.execute(_SESSION_SQL).fetchall()
            out = []
            for name, sha, p, status, model_id, index_path, chosen, blob in rows:
                poly = _polygon(gpkg_geometry(blob))
                if poly is not None:
                    out.append(
                        Confirmation(
                            name, sha or "", p or "", poly, status, model_id, index_path, bool(chosen)
                        )
                    )
            return out
        if EXPORT_LAYER in tables:
            sql = (
                f"SELECT photo_name, photo_sha256, photo_path, status, model_id, method, geom "
                f"FROM {EXPORT_LAYER}"
            )
            out = []
            for name, sha, p, status, model_id, method, blob in conn.execute(sql).fetchall():
                poly = _polygon(gpkg_geometry(blob))
                if poly is not None:
                    cand = str(method or "").startswith("candidate")
                    out.append(Confirmation(name, sha or "", p or "", poly, status, model_id, None, cand))
            return out
    except sqlite3.Error as exc:
        raise InputError(
            f"{path}: cannot read the confirmations ({exc})", "give a session or an export"
        ) from exc
    finally:
        conn.close()
    raise InputError(
        f"{path}: neither a review session (photos, footprints) nor an export ({EXPORT_LAYER})",
        "give the session GeoPackage of the Review tab or its export",
    )


def _row(props: dict[str, Any], poly: Polygon | None) -> Confirmation | None:
    if poly is None or str(props.get("status") or "confirmed") not in CONFIRMED_STATUSES:
        return None
    return Confirmation(
        str(props.get("photo_name") or ""),
        str(props.get("photo_sha256") or ""),
        str(props.get("photo_path") or ""),
        poly,
        str(props.get("status") or "confirmed"),
        props.get("model_id"),
        None,
        str(props.get("method") or "").startswith("candidate"),
    )


def _from_geojson(path: Path) -> list[Confirmation]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        feats = data["features"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a GeoJSON export ({exc})", "give the export's .geojson") from exc
    rows = [
        _row(f.get("properties") or {}, _polygon(shape(f["geometry"]))) for f in feats if f.get("geometry")
    ]
    return [r for r in rows if r is not None]


def _from_csv(path: Path) -> list[Confirmation]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = [_row(r, _polygon(shapely.from_wkt(r["WKT"]))) for r in csv.DictReader(fh)]
    except (OSError, KeyError, ValueError, shapely.errors.GEOSException) as exc:
        raise InputError(
            f"{path}: not a CSV export with a WKT column ({exc})", "give the export's .csv"
        ) from exc
    return [r for r in rows if r is not None]


def read_confirmations(path: str | os.PathLike) -> list[Confirmation]:
    """The confirmed or edited footprints of a session or an export, in decision order."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: confirmations file not found", "give a review session (.gpkg) or its export")
    suffix = p.suffix.lower()
    if suffix in (".gpkg", ".sqlite", ".db"):
        return _from_sqlite(p)
    if suffix in (".geojson", ".json"):
        return _from_geojson(p)
    if suffix == ".csv":
        return _from_csv(p)
    raise InputError(
        f"{p}: unknown confirmations format {suffix!r}",
        "give a session .gpkg or an export (.gpkg/.geojson/.csv)",
    )


def find_photos(
    confirmations: list[Confirmation], folders: list[str | os.PathLike]
) -> tuple[dict[str, str], list[Confirmation]]:
    """({sha256: path} of the photos found, the confirmations whose photo is nowhere)."""
    found: dict[str, str] = {}
    wanted = {c.sha256.lower() for c in confirmations if c.sha256}
    for c in confirmations:
        sha = c.sha256.lower()
        if sha and sha not in found and c.path and os.path.isfile(c.path) and file_sha256(c.path) == sha:
            found[sha] = c.path
    for folder in folders:
        if wanted <= found.keys():
            break
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                if not name.lower().endswith(PHOTO_SUFFIXES):
                    continue
                full = os.path.join(root, name)
                sha = file_sha256(full)
                if sha in wanted and sha not in found:
                    found[sha] = full
    missing = [c for c in confirmations if c.sha256.lower() not in found]
    return found, missing
