"""The worker protocol: JSON lines over stdin/stdout. Stdlib only: imported by the plugin too.

Requests (client -> worker), one JSON object per line:
    {"v": 1, "id": "r1", "op": "<op>", "params": {...}}
    ops: hello, ping, index_build, index_build_service, index_info, index_adapt, search, locate,
        cancel, shutdown
    index_build: {"sources": [paths], "out": dir, "model", "tile_px", "scales"} -> the manifest
    index_build_service (SERVICE_KEYS; the CLI's `index build/add --xyz/--wmts/--wms` flags):
        {"out": dir, one of "xyz": URL template | "wmts": capabilities URL | "wms": endpoint,
         "layer", "tile_matrix_set", "crs", "bbox": [W, S, E, N] degrees or "aoi": polygon file,
         "zooms": [low, high] or "9-11", "cache": MBTiles file, "year", "attribution", "licence",
         "max_requests_per_s", "yes" (above services.MAX_TILES tiles), "allow_missing", "model",
         "add": add to the index "out"} -> the manifest with a "fetch" report;
        with "dry_run": true -> the estimate, nothing fetched: {"tiles", "cached", "to_fetch",
        "bytes", "fetch_s", "index_tiles", "index_s", "max_tiles", "over_limit", "zooms", "cache"}.
        Progress: stage "fetch" (fraction of the tiles), then the index build's stages. A cancel
        stops the fetch before the next tile request; the cache keeps what arrived (a rerun resumes).
    index_calibrate: {"index": dir, "session": review session} -> {"decisions", "confirmed",
    "rejected", "a", "b"} (the confidence recalibrated on the analyst's decisions, stored with the
    index; code CALIBRATION_REFUSED when there are too few; docs/adapt.md "Confidence")
    index_adapt: {"index": dir, "confirmed": session or export, "photos": [folders], "out": dir or
    null (a new version of "index"), "other_index": false} -> {"manifest": ..., "skipped": {"photo_not_found":
    [names], "outside_coverage": [...], "unreadable": [...]}, "used": n} (docs/adapt.md);
    a refusal's error carries "details": {"used": n, "skipped": {...the same lists}} when photos
    were skipped (too few usable), and the guard's refusal has code ADAPT_GUARD
    cancel: {"op": "cancel", "params": {"target": "<id of the request to cancel>"}}
    search: {"photo": path, "index": dir, "k": 100, <prior keys>}
    locate: {"photo": path, "index": dir, "top", "k", "altitude_m", "focal_px", "max_units", "kind",
        <prior keys>}; "kind": one of KINDS (default "auto": a drone photo when its EXIF says so;
        a drone photo's EXIF GPS is then its search region unless a prior is given; docs/PRIORS.md;
        "historical" and "satellite": docs/LOCATE.md);
        "kind": "ground" (never chosen by auto): x, y, yaw round the EXIF GPS or "near"/"radius_km",
        with the optional GROUND_KEYS and "altitude_m" as the camera's height above the ground;
        the camera feature then has "photo_kind": "ground" (docs/LOCATE.md "Ground photos")
    prior keys (all optional; docs/PRIORS.md): "nadir": [lat, lon], "altitude_m": metres or
    [lowest, highest], "max_tilt_deg", "near": [lat, lon] with "radius_km", "aoi": polygon file,
    "tle": TLE file (+ "capture_time": ISO UTC when the photo has no EXIF time), "catalogue": CSV.
    With a region the result holds a top-level "prior" and a feature of kind "prior"; a bad prior
    is an error of code "bad_prior", never a silent global search.

Replies (worker -> client), each tagged with the request id:
    {"v": 1, "id": "r1", "type": "progress", "stage": "retrieve", "fraction": 0.4, "message": "..."}
    {"v": 1, "id": "r1", "type": "result", "result": {...}}
    {"v": 1, "id": "r1", "type": "error",
     "error": {"code": "...", "message": "...", "hint": "...", "field": "..."}}
    "field": the request input refused ("" when none); a refused search prior has code "bad_prior"
    and the prior key as its field ("prior" for the region as a whole).
The worker sends {"v": 1, "id": null, "type": "ready", "result": {...versions...}} once at start.
A request of a newer protocol version is refused with code "protocol".
"""

from __future__ import annotations

import json
from typing import Any

VERSION = 1

OPS = (
    "hello",
    "ping",
    "index_build",
    "index_build_service",
    "index_info",
    "index_adapt",
    "index_calibrate",
    "search",
    "locate",
    "cancel",
    "shutdown",
)
SERVICE_KEYS = (
    "out",
    "xyz",
    "wmts",
    "wms",
    "layer",
    "tile_matrix_set",
    "crs",
    "bbox",
    "aoi",
    "zooms",
    "cache",
    "year",
    "attribution",
    "licence",
    "max_requests_per_s",
    "yes",
    "allow_missing",
    "model",
    "add",
    "dry_run",
)
PRIOR_KEYS = (
    "nadir",
    "altitude_m",
    "max_tilt_deg",
    "near",
    "radius_km",
    "aoi",
    "tle",
    "catalogue",
    "capture_time",
)
# The kinds of photo `locate` knows (`--kind`); auto: from the EXIF (priors.photo_kind). historical:
# a grey film scan, searched and matched in grey (engine/film.py); satellite: a nadir image from orbit
# with no metadata, any rotation, the footprint only (docs/LOCATE.md, "Historical and satellite images").
KINDS = ("auto", "aerial", "drone", "ground", "historical", "satellite")
# A ground photo's locate keys (docs/LOCATE.md "Ground photos"): the compass heading (clockwise
# from north) and its error, the camera's pitch below the horizon; its height is "altitude_m".
GROUND_KEYS = ("heading_deg", "heading_sigma_deg", "pitch_deg")
PROGRESS, RESULT, ERROR, READY = "progress", "result", "error", "ready"
# The kinds of feature in a result (`properties.kind`; docs/ARCHITECTURE.md, "Result format");
# PRIOR is the search area of a prior (docs/PRIORS.md, "Result"); EXIF_POSITION the camera
# position the photo's EXIF GPS gives, to draw beside the estimated camera.
CANDIDATE, FOOTPRINT, CAMERA, LOOK, PRIOR = "candidate", "footprint", "camera", "look", "prior"
EXIF_POSITION = "exif_position"
# index_adapt: usable confirmations below which the engine refuses (index/adapt.py uses this one
# number; the Review tab's "Improve the index" button is off below it), and the code of the
# guard's refusal (the adaptation would lower retrieval of places it has not seen: adapt.validate).
ADAPT_MIN_CONFIRMATIONS = 5
ADAPT_GUARD = "adapt_guard"
# index_calibrate: the footprint confidence refitted on a session's decisions (calibration.py)
# needs this many decided footprints, with this many confirmed and this many rejected.
CALIBRATION_MIN_DECISIONS = 20
CALIBRATION_MIN_PER_CLASS = 5
CALIBRATION_REFUSED = "too_few_decisions"
# The index folder as QGIS reads it: the tiles and the coverage (one generalized polygon per source
# and scale, engine/index/coverage.py) are two layers of one GeoPackage.
INDEX_GPKG, TILES_LAYER, COVERAGE_LAYER = "tiles.gpkg", "tiles", "coverage"


def request(req_id: str, op: str, **params: Any) -> str:
    return json.dumps({"v": VERSION, "id": req_id, "op": op, "params": params}) + "\n"


def progress(req_id: str | None, stage: str, fraction: float, message: str = "") -> dict:
    return {
        "v": VERSION,
        "id": req_id,
        "type": PROGRESS,
        "stage": stage,
        "fraction": round(float(fraction), 4),
        "message": message,
    }


def result(req_id: str | None, payload: dict) -> dict:
    return {"v": VERSION, "id": req_id, "type": RESULT, "result": payload}


def error(
    req_id: str | None, code: str, message: str, hint: str = "", field: str = "", details: dict | None = None
) -> dict:
    body: dict[str, Any] = {"code": code, "message": message, "hint": hint, "field": field}
    if details:
        body["details"] = details  # structured facts behind the message (index_adapt's skipped photos)
    return {"v": VERSION, "id": req_id, "type": ERROR, "error": body}


def ready(payload: dict) -> dict:
    return {"v": VERSION, "id": None, "type": READY, "result": payload}


def features_of_kind(collection: dict, kind: str) -> list[dict]:
    """The features of one kind in a result FeatureCollection, in their order."""
    return [f for f in collection.get("features") or [] if (f.get("properties") or {}).get("kind") == kind]


def reference_window(candidate: dict) -> tuple[str, tuple[int, int, int, int]] | None:
    """Where a candidate's reference imagery is: the index source raster's path (the raster
    carries its own CRS) and the pixel window [col, row, width, height] of the tile it was
    matched to, at the source's full resolution. None when the feature lacks them."""
    properties = candidate.get("properties") or {}
    source, window = properties.get("source"), properties.get("window")
    if not source or not isinstance(window, (list, tuple)) or len(window) != 4:
        return None
    col, row, width, height = (int(v) for v in window)
    return str(source), (col, row, width, height)


def matched_candidate(collection: dict) -> dict | None:
    """The candidate the footprint was refined from (the footprint's `tile_id`); without a
    footprint, the first candidate (after `locate` the located or best verified one)."""
    candidates = features_of_kind(collection, CANDIDATE)
    footprint = next(iter(features_of_kind(collection, FOOTPRINT)), None)
    tile = (footprint.get("properties") or {}).get("tile_id") if footprint else None
    for candidate in candidates:
        if tile is not None and candidate["properties"].get("tile_id") == tile:
            return candidate
    return candidates[0] if candidates else None


def rounded_geometry(geometry: dict, digits: int = 7) -> dict:
    """A GeoJSON geometry with its coordinates rounded (7 decimal degrees: about a centimetre)."""

    def rounded(c: list) -> list:
        return (
            [round(float(v), digits) for v in c]
            if isinstance(c[0], (int, float))
            else [rounded(x) for x in c]
        )

    return {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])}


def encode(message: dict) -> str:
    return json.dumps(message, separators=(",", ":")) + "\n"


def decode(line: str | bytes) -> dict:
    """Parse one line; raises ValueError on anything that is not a protocol message."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", "replace")
    msg = json.loads(line)
    if not isinstance(msg, dict) or "v" not in msg:
        raise ValueError(f"not a protocol message: {line[:80]!r}")
    if int(msg["v"]) > VERSION:
        raise ValueError(f"protocol version {msg['v']} is newer than {VERSION}")
    return msg
