"""locate: retrieve, verify the top candidates by matching, refine the best, estimate the pose.

Returns the FeatureCollection of docs/ARCHITECTURE.md: the candidates (re-ranked by
verification, with `verified_inliers` and `confidence`) plus, when a footprint is
trustworthy, `footprint`, `camera` and `look` features. Otherwise `status: not_found`, a
`reason`, and the low-confidence candidates: never an invented footprint.
"""
from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from shapely.geometry import LineString, Point, Polygon, mapping

from . import crs as crs_mod
from . import footprint as fp
from . import pose as pose_mod
from .clouds import suppress as suppress_clouds
from .errors import AstroLocError
from .matchers import Features, Matcher, get_matcher
from .photo import Photo, load_photo
from .progress import stepper
from .reference import Reference, open_reference

ACCEPT = 0.5              # footprint confidence (~P(IoU > 0.5)) needed to report it
DEFAULT_TOP = 8           # retrieval candidates open to verification (the work budget decides how many are)
MAX_REFINE = 3            # candidates refined before giving up
# Verification budgets in units of matching work (one unit ~ one coarse LighterGlue match of
# 512 x 1024 keypoints, ~0.15 s on one 2020s CPU core), not in seconds: the same photo gets the
# same answer on any machine and under any load.
VERIFY_BUDGET_UNITS = 16  # work after which a found rotation lets verification stop
VERIFY_MAX_UNITS = 26     # ... and after which it stops anyway (~4 s; the target is 5 s per photo)
UNIT_KEYPOINTS = 1536     # a match of n0 + n1 keypoints costs (n0 + n1) / UNIT_KEYPOINTS units
GOOD_INLIERS = 40         # a coarse match this strong fixes the photo's rotation
STRONG_INLIERS = 100      # ... and this strong ends the verification
MIN_STD = 4.0             # grey-level std below which a photo has no usable texture
MIN_MEAN = 12.0           # mean grey level below which a photo is a night photo
MAX_CLOUDS = 0.85         # cloud share (clouds.cloud_mask) above which too little ground is left
MAX_ASPECT = 4.0          # wider than this is a panorama: no single homography describes it
EDGE_SEGMENTS = 8

Progress = Callable[[str, float, str], None] | None
Cancel = Callable[[], bool] | None


class MeteredMatcher:
    """A matcher that counts the matching work it does (see VERIFY_MAX_UNITS)."""

    def __init__(self, inner: Matcher):
        self.inner = inner
        self.name = inner.name
        self.units = 0.0

    def detect(self, gray: np.ndarray, max_keypoints: int | None = None) -> Features:
        return self.inner.detect(gray, max_keypoints)

    def match(self, f0: Features, f1: Features) -> tuple[np.ndarray, np.ndarray]:
        self.units += (len(f0) + len(f1)) / UNIT_KEYPOINTS
        return self.inner.match(f0, f1)


def photo_problem(gray: np.ndarray, cloud_share: float = 0.0) -> str:
    """Why a photo cannot be matched against daytime imagery ('' when it can be tried).
    `gray` is the photo with its clouds taken out (clouds.suppress), `cloud_share` their share."""
    h, w = gray.shape[:2]
    if max(w, h) / min(w, h) > MAX_ASPECT:
        return (f"the photo is a panorama ({max(w, h) / min(w, h):.1f}:1); a single camera homography cannot "
                "describe it: crop it to a normal frame")
    if cloud_share > MAX_CLOUDS:
        return f"the photo is {100 * cloud_share:.0f}% cloud: too little ground to match"
    mean, std = float(gray.mean()), float(gray.std())
    if mean < MIN_MEAN:
        return f"the photo is nearly black (mean grey {mean:.0f}/255): a night photo cannot be matched to daytime imagery"
    if std < MIN_STD:
        return f"the photo has no texture (grey std {std:.1f}): clouds, open water or a blank frame"
    return ""


def locate(photo: str | Photo, index: Any, top: int | None = None, k: int = 100, altitude_m: float | None = None,
           focal_px: float | None = None, progress: Progress = None, cancel: Cancel = None,
           matcher: str | None = None, prior: Any = None) -> dict[str, Any]:
    """The whole pipeline on a loaded TileIndex (api.locate opens it). `prior`: a priors.Prior;
    only tiles inside its region are candidates."""
    from .search import QUERY_MAX_SIDE, search

    t_start = time.perf_counter()
    timing: dict[str, float] = {}

    step = stepper(progress, cancel, "locate")

    step("photo", 0.0, "reading the photo")
    if not isinstance(photo, Photo):
        photo = load_photo(photo, max_side=QUERY_MAX_SIDE)
    timing["load_photo"] = time.perf_counter() - t_start

    def search_progress(stage: str, fraction: float, message: str = "") -> None:
        if progress:
            progress(stage, 0.05 + 0.25 * fraction, message)

    clear, cloud_share = suppress_clouds(photo.rgb)
    fc = search(photo, index, k=k, progress=search_progress, cancel=cancel, cleared=(clear, cloud_share), prior=prior)
    timing["retrieve"] = fc.get("timing", {}).get("total", 0.0)
    candidates = [f for f in fc["features"] if f["properties"].get("kind") == "candidate"]
    gray = cv2.cvtColor(clear, cv2.COLOR_RGB2GRAY)
    problem = photo_problem(gray, cloud_share) or ("" if candidates else "the index returned no candidate")
    if problem:
        return _finish(fc, candidates, [], "not_found", problem, timing, t_start)

    matcher = matcher or os.environ.get("ASTROLOC_MATCHER", "xfeat")
    m = MeteredMatcher(get_matcher(matcher))
    pf = fp.prepare_photo(gray, m)
    sources = {s.path: s for s in getattr(index, "sources", [])}

    # 1. verify the top candidates by a coarse match around each, re-rank by verification
    t = time.perf_counter()
    top = DEFAULT_TOP if top is None else top
    verified = verify_candidates(candidates[:top], pf, m, sources, photo.size, step, cancel)
    timing["verify"] = time.perf_counter() - t
    fc["verify_units"] = round(m.units, 2)
    order = sorted(range(len(verified)), key=lambda j: (-verified[j][0]["properties"]["verified_inliers"], j))
    reranked = [verified[j][0] for j in order] + candidates[len(verified):]
    for rank, cand in enumerate(reranked, start=1):
        cand["properties"]["retrieval_rank"] = cand["properties"]["rank"]
        cand["properties"]["rank"] = rank
        cand["id"] = f"candidate-{rank}"

    # 2. refine the best verified candidates until one is trustworthy
    t = time.perf_counter()
    best: tuple[float, fp.Match, Reference, dict] | None = None
    attempts: list[tuple[fp.Match, Reference]] = []
    for j in [j for j in order if verified[j][1].ok][:MAX_REFINE]:
        cand, match, ref = verified[j]
        step("refine", 0.65 if best is None else 0.8, "refining the footprint")
        refined = fp.refine(pf, ref, match, m, cancel=cancel)
        conf = fp.confidence(refined)
        attempts.append((refined, ref))
        # The candidate list shows what the analyst should believe: the refined footprint's confidence.
        cand["properties"]["confidence"] = round(conf, 4)
        if best is None or conf > best[0]:
            best = (conf, refined, ref, cand)
        if conf >= ACCEPT:
            break
    timing["refine"] = time.perf_counter() - t
    tried = [_attempt(photo, a, r) for a, r in attempts if a.ok]   # for diagnosis and calibration
    if best is None or best[0] < ACCEPT:
        reason = ("no candidate could be verified by local matching" if best is None else
                  f"the best footprint's confidence {best[0]:.2f} is below {ACCEPT}")
        out = _finish(fc, reranked, [], "not_found", reason, timing, t_start)
        if best is not None:   # what was rejected, for diagnosis and calibration; not a footprint
            conf, match, ref, cand = best
            out["rejected_footprint"] = {
                "confidence": round(conf, 4), **_quality(match), "candidate_rank": cand["properties"]["rank"],
                "corners": _corners(photo, match, ref)}
        out["attempts"] = tried
        return out

    conf, match, ref, cand = best
    step("polish", 0.85, "tightening the footprint")
    t = time.perf_counter()
    match = fp.polish(pf, ref, match, cancel=cancel)
    timing["polish"] = time.perf_counter() - t
    step("pose", 0.9, "estimating the camera pose")
    t = time.perf_counter()
    feats = footprint_features(photo, match, ref, conf, cand, altitude_m, focal_px, matcher, prior)
    timing["pose"] = time.perf_counter() - t
    step("pose", 1.0, "done")
    out = _finish(fc, reranked, feats, "ok", "", timing, t_start)
    out["attempts"] = tried
    return out


def verify_candidates(candidates: list[dict], pf: fp.PhotoFeatures, m: MeteredMatcher, sources: dict,
                      photo_size: tuple[int, int], step: Callable[[str, float, str], None],
                      cancel: Cancel) -> list[tuple[dict, fp.Match, Reference]]:
    """Coarse-match the photo around each candidate while the work budget lasts; sets each tried
    candidate's `verified_inliers` and `confidence` and returns them (a prefix of `candidates`)
    with their best match.

    Breadth first: every candidate at the retrieval's rotation and its 45-degree neighbours, then
    the other rotations, best candidates first. The photo's rotation against north-up imagery is
    the same for every candidate: once one candidate verifies strongly, the others are matched at
    that rotation (and footprint size) only.
    """
    n = len(candidates)
    refs = [open_reference(sources.get(c["properties"]["source"], c["properties"]["source"])) for c in candidates]
    best: dict[int, fp.Match] = {}
    tried: dict[int, set[int]] = {i: set() for i in range(n)}
    known_rotation: int | None = None
    known_extent: float | None = None

    def jobs():
        # A generator, so that a rotation found on the way changes what comes next.
        for group in (slice(0, 3), slice(3, None)):
            for i in range(n):
                if known_rotation is not None:
                    break
                first = (-int(candidates[i]["properties"].get("rotation", 0))) % 360  # search: counter-clockwise
                yield i, [r for r in fp.rotation_order(first)[group] if r not in tried[i]]
        for i in range(n):
            if known_rotation is not None and known_rotation not in tried[i]:
                yield i, [known_rotation]

    for i, rotations in jobs():
        if not rotations:
            continue
        step("verify", 0.3 + 0.35 * min(m.units / VERIFY_MAX_UNITS, 1.0), f"verifying candidate {i + 1}/{n}")
        p = candidates[i]["properties"]
        side = max(p["window"][2], p["window"][3])
        grows = (fp.WINDOW_GROW * known_extent / side,) if known_extent else fp.SCALE_GROWS
        match = fp.coarse_match(pf, refs[i], tuple(p["window"]), m, rotations=rotations, grows=grows,
                                good_enough=GOOD_INLIERS, cancel=cancel)
        tried[i].update(rotations)
        old = best.get(i)
        if old is None or (match.ok and (not old.ok or match.inliers > old.inliers)):
            best[i] = match
        if match.ok and match.inliers >= GOOD_INLIERS and known_rotation is None:
            known_rotation = match.rotation
            known_extent = fp.footprint_extent(match.H, *photo_size)
        if (match.ok and match.inliers >= STRONG_INLIERS) or m.units > VERIFY_MAX_UNITS or (
                m.units > VERIFY_BUDGET_UNITS and known_rotation is not None):
            break
    out = []
    for i in sorted(best):
        p = candidates[i]["properties"]
        p["verified_inliers"] = best[i].inliers if best[i].ok else 0
        p["confidence"] = round(fp.confidence(best[i]), 4)
        out.append((candidates[i], best[i], refs[i]))
    return out


def footprint_features(photo: Photo, match: fp.Match, ref: Reference, conf: float, cand: dict,
                       altitude_m: float | None, focal_px: float | None, matcher: str,
                       prior: Any = None) -> list[dict]:
    w, h = photo.size
    corners_px = fp.apply_h(match.H, fp.photo_corners(w, h))
    corners = ref.pixel_to_lonlat(corners_px)
    # Photo edges are straight on the ground plane of the source CRS, not in lon/lat: densify.
    edge = np.vstack([fp.photo_corners(w, h)[i] + (fp.photo_corners(w, h)[(i + 1) % 4] - fp.photo_corners(w, h)[i])
                      * (s / EDGE_SEGMENTS) for i in range(4) for s in range(EDGE_SEGMENTS)])
    ring = ref.pixel_to_lonlat(fp.apply_h(match.H, edge))
    poly = Polygon(ring)
    back = fp.apply_h(np.linalg.inv(match.H), match.ref_pts)
    reproj = float(np.sqrt(np.mean(np.sum((back - match.photo_pts) ** 2, axis=1)))) if len(back) else 0.0
    centre = ref.pixel_to_lonlat(fp.apply_h(match.H, np.array([[w / 2, h / 2]])))[0]
    props = {
        "kind": "footprint", "confidence": round(conf, 4), **_quality(match), "reprojection_px": round(reproj, 3),
        "method": f"{matcher}+magsac-homography (iterative, {match.iterations} refinement{'' if match.iterations == 1 else 's'})"
                  + (" + edge-layout polish" if match.polished else ""),
        "polished": match.polished,
        "corners": [[round(float(x), 7), round(float(y), 7)] for x, y in corners],
        "candidate_rank": cand["properties"]["rank"], "tile_id": cand["properties"].get("tile_id"),
        "area_km2": round(crs_mod.geodesic_area_km2(poly), 4),
        "centre": [round(float(centre[0]), 7), round(float(centre[1]), 7)],
    }
    feats = [{"type": "Feature", "id": "footprint", "geometry": _rounded(mapping(poly)), "properties": props}]
    exif = photo.exif or {}
    exif_f, note = pose_mod.focal_from_exif(_exif_for_pose(exif), w, h)
    alt_range, lens, nadir, warnings = pose_priors(prior, photo.path, altitude_m)
    camera = pose_mod.estimate_pose(match.photo_pts, ref.pixel_to_lonlat(match.ref_pts), w, h,
                                    focal_px=focal_px * photo.scale if focal_px else None,
                                    exif_focal_px=exif_f, exif_note=note,
                                    altitude_prior=pose_mod.altitude_prior_for(_exif_for_pose(exif), photo.path,
                                                                               altitude_m, alt_range),
                                    lens=lens, nadir_prior=nadir)
    if camera is not None and warnings:
        camera.warnings.extend(warnings)
    if camera is None:
        props["warnings"] = ["the camera pose could not be estimated from these matches"]
        return feats
    cam_props = {"kind": "camera", **camera.properties()}
    cam_props["focal_px"] = round(camera.focal_px / photo.scale, 3)     # in original photo pixels
    if "focal_px_sigma" in cam_props:
        cam_props["focal_px_sigma"] = round(cam_props["focal_px_sigma"] / photo.scale, 3)
    feats.append({"type": "Feature", "id": "camera",
                  "geometry": _rounded(mapping(Point(camera.lon, camera.lat))), "properties": cam_props})
    dist = crs_mod.geodesic_distance_m(camera.lon, camera.lat, float(centre[0]), float(centre[1]))
    feats.append({"type": "Feature", "id": "look",
                  "geometry": _rounded(mapping(LineString([(camera.lon, camera.lat), tuple(centre)]))),
                  "properties": {"kind": "look", "ground_distance_m": round(dist, 1),
                                 "slant_range_m": round(math.hypot(dist, camera.altitude_m), 1)}})
    return feats


def pose_priors(prior: Any, photo_path: str, altitude_m: float | None
                ) -> tuple[tuple[float, float] | None, tuple[float, str] | None,
                           tuple[float, float, float] | None, list[str]]:
    """What a search prior (priors.Prior) tells the pose: the altitude range, the catalogue's lens,
    the nadir (lon, lat, sigma m), and warnings about what could not be used."""
    if prior is None:
        return None, None, None, []
    alt_range = prior.altitude_m
    if (alt_range and altitude_m is None and "tle" not in prior.source
            and pose_mod.iss_altitude_range(photo_path)):
        # the region's ISS default; the frame's expedition tells the orbit of its time better
        alt_range = None
    lens, warnings = None, []
    if prior.focal_mm and prior.camera:
        try:
            pose_mod.sensor_size_mm(prior.camera)
            lens = (float(prior.focal_mm), str(prior.camera))
        except AstroLocError as exc:
            warnings.append(f"the catalogue's lens was not used: {exc.message}")
    nadir = (prior.nadir[1], prior.nadir[0], pose_mod.NADIR_SIGMA_ROUNDED_M) if prior.nadir else None
    return alt_range, lens, nadir, warnings


def _quality(match: fp.Match) -> dict:
    """The match statistics the confidence is computed from."""
    return {"inliers": int(match.inliers), "inlier_ratio": round(match.inlier_ratio, 4),
            "match_rms_px": round(min(match.reprojection_px, 99.0), 3), "iterations": match.iterations,
            "last_shift": round(match.last_shift, 5),
            "structure": round(match.structure.at_offset, 4) if match.structure else 0.0,
            "structure_distinct": round(match.structure.distinct, 4) if match.structure else 0.0}


def _attempt(photo: Photo, match: fp.Match, ref: Reference) -> dict:
    return {"confidence": round(fp.confidence(match), 4), **_quality(match), "corners": _corners(photo, match, ref)}


def _corners(photo: Photo, match: fp.Match, ref: Reference) -> list[list[float]]:
    c = ref.pixel_to_lonlat(fp.apply_h(match.H, fp.photo_corners(*photo.size)))
    return [[round(float(x), 7), round(float(y), 7)] for x, y in c]


def _exif_for_pose(exif: dict) -> dict:
    """photo.exif_summary names -> the EXIF tag names pose.py reads."""
    return {"FocalLength": exif.get("focal_length_mm"), "FocalLengthIn35mmFilm": exif.get("focal_length_35mm"),
            "Make": exif.get("camera_make", ""), "Model": exif.get("camera_model", ""),
            "GPSAltitude": exif.get("gps_alt_m"), "ImageDescription": exif.get("description", ""),
            "ExifImageWidth": exif.get("exif_width")}


def _rounded(geom: dict, nd: int = 7) -> dict:
    def rnd(c):
        return [round(float(v), nd) for v in c] if isinstance(c[0], (int, float)) else [rnd(x) for x in c]

    return {"type": geom["type"], "coordinates": rnd(geom["coordinates"])}


def _finish(fc: dict, candidates: list[dict], extra: list[dict], status: str, reason: str,
            timing: dict[str, float], t_start: float) -> dict:
    timing["total"] = time.perf_counter() - t_start
    out = {k: v for k, v in fc.items() if k not in ("features", "timing", "status")}
    out["status"] = status
    if reason:
        out["reason"] = reason
    warnings = [w for f in extra for w in f["properties"].get("warnings", [])]
    if warnings:
        out["warnings"] = warnings
    out["timing"] = {k: round(v, 4) for k, v in timing.items()}
    out["features"] = candidates + extra + [f for f in fc["features"] if f["properties"].get("kind") == "prior"]
    return out


def format_result(fc: dict[str, Any]) -> str:
    """A short human-readable summary of a locate result (the CLI without --geojson)."""
    photo = fc.get("photo", {})
    lines = [f"photo: {photo.get('name')} ({photo.get('width')}x{photo.get('height')})  status: {fc['status']}"]
    if fc.get("reason"):
        lines.append(f"reason: {fc['reason']}")
    by_kind: dict[str, list[dict]] = {}
    for f in fc["features"]:
        by_kind.setdefault(f["properties"]["kind"], []).append(f["properties"])
    lines.append(f"{'rank':>4} {'retr':>4} {'score':>7} {'inliers':>7} {'conf':>5}  tile  source")
    for p in by_kind.get("candidate", [])[:10]:
        lines.append(f"{p['rank']:>4} {p.get('retrieval_rank', p['rank']):>4} {p['score']:>7.4f} "
                     f"{p.get('verified_inliers', '-'):>7} {p.get('confidence', float('nan')):>5.2f}  "
                     f"{p['tile_id']:>5}  {str(p['source']).rsplit('/', 1)[-1]}")
    for p in by_kind.get("footprint", []):
        c = p["centre"]
        lines.append(f"footprint: centre {c[1]:.5f}, {c[0]:.5f}  area {p['area_km2']:.3f} km2  confidence "
                     f"{p['confidence']:.2f}  inliers {p['inliers']}  reprojection {p['reprojection_px']:.2f} px")
    for p in by_kind.get("camera", []):
        lines.append(f"camera: nadir {p['lat']:.5f}, {p['lon']:.5f}  altitude {p['altitude_m'] / 1000:.2f} km  "
                     f"tilt {p['tilt_deg']:.1f} deg  azimuth {p['azimuth_deg']:.1f} deg  roll {p['roll_deg']:.1f} deg  "
                     f"focal {p['focal_px']:.0f} px ({p['focal_source']})  hfov {p['hfov_deg']:.1f} deg")
    for w in fc.get("warnings", []):
        lines.append(f"warning: {w}")
    t = fc.get("timing", {})
    lines.append("timing: " + ", ".join(f"{k} {v:.2f}s" for k, v in t.items()))
    return "\n".join(lines)
