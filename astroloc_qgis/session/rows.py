"""The session's rows: what an engine result and a review decision write (no SQL, no I/O).

Shared by the in-memory view (store.py) and the SQLite file (sql.py), so the two always agree.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Any

from ..definitions import CONFIRMED, PENDING
from ..engine.protocol import CAMERA, CANDIDATE, FOOTPRINT, LOOK
from ..exif import iso_datetime
from . import gpkg

EDIT_METHOD = "manual edit"
DECISION_ACTIONS = ("confirm", "reject", "edit", "choose")
UNDO, REDO, RESULT = "undo", "redo", "result"


def now_iso() -> str:
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


def dumps(obj: Any) -> str:
    """Canonical JSON (sorted keys, no spaces): what the log and the journal store."""
    return json.dumps(obj, separators=(",", ":"), sort_keys=True)


def norm(geom: dict[str, Any] | None) -> dict[str, Any] | None:
    """The geometry exactly as it reads back from the file (so states compare equal after reopening)."""
    return gpkg.decode(gpkg.encode(geom))


# ---------------------------------------------------------------------- decisions
def decision_changes(
    state: dict[str, Any], reviewer: str, at: str
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """What a decision's new `state` sets: the photo row's fields, and the footprint's (None:
    the photo has no footprint any more)."""
    status = state["status"]
    photo = {
        "status": status,
        "chosen_rank": state.get("chosen_rank"),
        "reviewer": reviewer,
        "decided_at": at,
    }
    geom = state.get("geometry")
    if geom is None:
        return photo, None
    footprint = {
        "geometry": geom,
        "method": state.get("method"),
        "area_km2": gpkg.area_km2(geom),
        "edited": int(state.get("method") == EDIT_METHOD),
        "status": status,
        "reviewer": reviewer,
        "decided_at": at,
    }
    return photo, footprint


def new_footprint_row(
    photo_id: str, state: dict[str, Any], changes: dict[str, Any], confidence: float | None
) -> dict[str, Any]:
    """The footprint a decision gives a photo that had none (a chosen candidate): its original
    is itself."""
    return {
        "photo_id": photo_id,
        **changes,
        "candidate_rank": state.get("chosen_rank"),
        "original_geojson": dumps(changes["geometry"]),
        "original_method": state.get("method"),
        "created_at": changes["decided_at"],
        "confidence": confidence,
    }


def candidate_status(rank: int | None, chosen_rank: int | None) -> str:
    return CONFIRMED if rank == chosen_rank else PENDING


# ---------------------------------------------------------------------- results
def photo_id_of(fc: dict[str, Any]) -> str:
    photo = fc.get("photo") or {}
    if photo.get("sha256"):
        return str(photo["sha256"])
    key = str(photo.get("path") or photo.get("name") or dumps(fc)[:2000])
    return "path-" + hashlib.sha256(key.encode()).hexdigest()


def _num(v: Any) -> float | None:
    try:
        return None if v is None else float(v)
    except (TypeError, ValueError):
        return None


def _int(v: Any) -> int | None:
    try:
        return None if v is None else int(v)
    except (TypeError, ValueError):
        return None


def _model_id(model: Any) -> str | None:
    if isinstance(model, dict):
        return str(model.get("id") or model.get("name") or dumps(model))
    return None if model is None else str(model)


def rows_from_result(fc: dict[str, Any], reviewer: str, index_path: str | None = None) -> dict[str, Any]:
    """Turn the engine's FeatureCollection into session rows (see docs/ARCHITECTURE.md)."""
    pid = photo_id_of(fc)
    photo = fc.get("photo") or {}
    exif = photo.get("exif") or {}
    index = fc.get("index") or {}
    at = now_iso()
    base = {"photo_id": pid, "status": PENDING, "reviewer": None, "created_at": at, "decided_at": None}
    feats = fc.get("features") or []
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for f in feats:
        by_kind.setdefault((f.get("properties") or {}).get("kind", ""), []).append(f)
    candidates = []
    for f in sorted(by_kind.get(CANDIDATE, []), key=lambda f: f["properties"].get("rank") or 0):
        p = f["properties"]
        candidates.append(
            {
                **base,
                "geometry": norm(f.get("geometry")),
                "rank": _int(p.get("rank")),
                "score": _num(p.get("score")),
                "confidence": _num(p.get("confidence")),
                "verified_inliers": _int(p.get("verified_inliers")),
                "tile_id": None if p.get("tile_id") is None else str(p.get("tile_id")),
                "source": p.get("source"),
                "scale": None if p.get("scale") is None else str(p["scale"]),
                "rotation": _num(p.get("rotation")),
            }
        )
    footprint = camera = look = None
    if by_kind.get(FOOTPRINT):
        f = by_kind[FOOTPRINT][0]
        p = f["properties"]
        fp_geom = norm(f.get("geometry"))
        footprint = {
            **base,
            "geometry": fp_geom,
            "confidence": _num(p.get("confidence")),
            "method": p.get("method"),
            "inliers": _int(p.get("inliers")),
            "reprojection_px": _num(p.get("reprojection_px")),
            "candidate_rank": _int(p.get("candidate_rank")),
            "area_km2": _num(p.get("area_km2")) or gpkg.area_km2(fp_geom),
            "edited": 0,
            "original_geojson": dumps(fp_geom),
            "original_method": p.get("method"),
            "corners_json": dumps(p["corners"]) if p.get("corners") else None,
        }
    if by_kind.get(CAMERA):
        f = by_kind[CAMERA][0]
        p = f["properties"]
        camera = {
            **base,
            "geometry": norm(f.get("geometry")),
            "pose_json": dumps(p),
            "confidence": _num(p.get("confidence")) or (footprint or {}).get("confidence"),
            "focal_source": p.get("focal_source"),
            **{
                k: _num(p.get(k))
                for k in (
                    "lat",
                    "lon",
                    "altitude_m",
                    "tilt_deg",
                    "azimuth_deg",
                    "roll_deg",
                    "hfov_deg",
                    "vfov_deg",
                    "focal_px",
                )
            },
        }
    if by_kind.get(LOOK):
        f = by_kind[LOOK][0]
        look = {
            **base,
            "geometry": norm(f.get("geometry")),
            "confidence": (footprint or {}).get("confidence"),
        }
    if fc.get("status") == "not_found":
        confidence = 0.0  # the engine found no verified match: review these first
    elif footprint:
        confidence = footprint["confidence"]
    elif candidates:
        confidence = (
            candidates[0]["confidence"] if candidates[0]["confidence"] is not None else candidates[0]["score"]
        )
    else:
        confidence = 0.0
    photo_row = {
        **base,
        "path": photo.get("path"),
        "name": photo.get("name") or os.path.basename(str(photo.get("path", ""))),
        "sha256": photo.get("sha256"),
        "width": _int(photo.get("width")),
        "height": _int(photo.get("height")),
        "captured_at": iso_datetime(exif.get("datetime") or photo.get("datetime")),
        "result_status": fc.get("status", "ok"),
        "confidence": _num(confidence),
        "chosen_rank": None,
        "index_path": index.get("path") or index_path,
        "model_id": _model_id(index.get("model")),
        "photo_json": dumps(photo),
    }
    return {
        "photo": photo_row,
        "candidates": candidates,
        "footprint": footprint,
        "camera": camera,
        "look": look,
    }
