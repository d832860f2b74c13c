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
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import cv2
import numpy as np
from shapely.geometry import LineString, Point, Polygon, mapping

from . import crs as crs_mod
from . import film
from . import footprint as fp
from . import pose as pose_mod
from .clouds import suppress as suppress_clouds
from .errors import AstroLocError, InputError
from .matchers import Features, Matcher, get_matcher
from .nasa_frames import iss_altitude_range
from .photo import Photo, load_photo
from .priors import from_drone_exif, photo_kind
from .progress import Cancel, Progress, raise_if_cancelled, stepper
from .protocol import CAMERA, CANDIDATE, EXIF_POSITION, FOOTPRINT, LOOK, PRIOR, rounded_geometry
from .reference import Reference, open_reference
from .screen import ContextScreen, centre_of

ACCEPT = 0.5  # footprint confidence (~P(IoU > 0.5)) needed to report it
# ... from stage 3, among more wrong candidates: its own threshold so it can be raised where a real
# set shows deep wrong footprints above ACCEPT; the same today (docs/LOCATE.md, "Cascade")
ACCEPT_DEEP = 0.5
DEFAULT_TOP = 8  # retrieval candidates open to verification (the work budget decides how many are)
MAX_REFINE = 3  # candidates refined before giving up
# Verification budgets in units of matching work (one unit ~ one coarse LighterGlue match of
# 512 x 1024 keypoints, ~0.15 s on one 2020s CPU core), not in seconds: the same photo gets the
# same answer on any machine and under any load.
VERIFY_BUDGET_UNITS = 16  # work after which a found rotation lets verification stop
VERIFY_MAX_UNITS = 26  # ... and after which it stops anyway (~4 s; the target is 5 s per photo)
UNIT_KEYPOINTS = 1536  # a match of n0 + n1 keypoints costs (n0 + n1) / UNIT_KEYPOINTS units
# The cascade (docs/LOCATE.md, "Cascade"): when stage 1 (the top candidates, verified and refined)
# accepts nothing, stage 2 screens the top DEFAULT_DEPTH with a rotation- and scale-invariant
# match (screen.py) and stage 3 refines the few places the screen found, as stage 1 does.
DEFAULT_DEPTH = 64  # deepest retrieval rank the cascade screens
DEFAULT_MAX_UNITS = 90  # all matching work of one locate, stages 1-3 with their refinements
STAGE2_UNITS = 30  # stage 2's share
SCREEN_UNITS = 0.5  # one screened window (render, RootSIFT, match, RANSAC): CPU seconds / a unit's
SCREEN_MIN_INLIERS = 12  # a screened candidate below this goes no further (wrong screens: <= 12)
SURVIVOR_MIN_INLIERS = 10  # a screen this strong goes on to stage 3 (which still has to accept it)
SCREEN_CONFIDENT = 60  # a screen this strong ends the screening (no wrong one came near it)
# The screen's score: a logistic over [1, log(1 + inliers), inlier ratio, 10 x edge-layout agreement at
# the screened footprint, 10 x its distinctness] (~P(the candidate holds the photo's centre)), fitted
# by `python -m tools.bench_locate --fit-screen TAG...` on the screened candidates of saved runs
SCREEN_W = (0.0, 1.0, 0.0, 0.0, 0.0)
SURVIVORS = 3  # stage 3 refines this many screened places
STAGE3_RESERVE = 22  # units kept from stage 2 for stage 3 (the survivors' refinements)
GOOD_INLIERS = 40  # a coarse match this strong fixes the photo's rotation
STRONG_INLIERS = 100  # ... and this strong ends the verification
# an orbital footprint is drawn through the camera when it fits the matches (RMS, reference px)
# within this factor (+ 0.5 px) of the homography's
CAMERA_FOOTPRINT_SLACK = 1.25
MIN_STD = 4.0  # grey-level std below which a photo has no usable texture
MIN_MEAN = 12.0  # mean grey level below which a photo is a night photo
MAX_CLOUDS = 0.85  # cloud share (clouds.cloud_mask) above which too little ground is left
MAX_ASPECT = 4.0  # wider than this is a panorama: no single homography describes it
EDGE_SEGMENTS = 8
# --kind satellite: a nadir crop of unknown rotation is embedded at every 45 degrees (search's
# 90-degree steps leave up to 45 degrees between the photo and its tile); verification tries all
# eight rotations as for any photo (docs/LOCATE.md, "Historical and satellite images")
SATELLITE_ROTATIONS = (0, 45, 90, 135, 180, 225, 270, 315)


class BudgetSpent(Exception):
    """A match would take the work past `MeteredMatcher.limit`."""


class MeteredMatcher:
    """A matcher that counts the matching work it does (see VERIFY_MAX_UNITS) and refuses a
    match that would take it past `limit` (BudgetSpent)."""

    def __init__(self, inner: Matcher, limit: float = math.inf):
        self.inner = inner
        self.name = inner.name
        self.units = 0.0
        self.limit = limit

    def detect(self, gray: np.ndarray, max_keypoints: int | None = None) -> Features:
        return self.inner.detect(gray, max_keypoints)

    def charge(self, cost: float) -> None:
        """Count `cost` units of work about to be done; BudgetSpent if it would pass the limit."""
        if self.units + cost > self.limit + 1e-9:
            raise BudgetSpent
        self.units += cost

    def match(self, f0: Features, f1: Features) -> tuple[np.ndarray, np.ndarray]:
        self.charge((len(f0) + len(f1)) / UNIT_KEYPOINTS)
        return self.inner.match(f0, f1)


# (a refined footprint, its reference) -> does an orbital camera draw its outline?
CameraCheck = Callable[[fp.Match, Reference], bool]


def photo_problem(gray: np.ndarray, cloud_share: float = 0.0) -> str:
    """Why a photo cannot be matched against daytime imagery ('' when it can be tried).
    `gray` is the photo with its clouds taken out (clouds.suppress), `cloud_share` their share."""
    h, w = gray.shape[:2]
    if max(w, h) / min(w, h) > MAX_ASPECT:
        return (
            f"the photo is a panorama ({max(w, h) / min(w, h):.1f}:1); a single camera homography cannot "
            "describe it: crop it to a normal frame"
        )
    if cloud_share > MAX_CLOUDS:
        return f"the photo is {100 * cloud_share:.0f}% cloud: too little ground to match"
    mean, std = float(gray.mean()), float(gray.std())
    if mean < MIN_MEAN:
        return (
            f"the photo is nearly black (mean grey {mean:.0f}/255): "
            "a night photo cannot be matched to daytime imagery"
        )
    if std < MIN_STD:
        return f"the photo has no texture (grey std {std:.1f}): clouds, open water or a blank frame"
    return ""


def locate(
    photo: str | Photo,
    index: Any,
    top: int | None = None,
    k: int = 100,
    altitude_m: float | None = None,
    focal_px: float | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    matcher: str | None = None,
    prior: Any = None,
    depth: int | None = None,
    max_units: float | None = None,
    nprobe: int | None = None,
    kind: str | None = None,
) -> dict[str, Any]:
    """The whole pipeline on a loaded TileIndex (api.locate opens it). `prior`: a priors.Prior;
    only tiles inside its region are candidates. `kind`: protocol.KINDS (None: auto); a drone
    photo without a prior is searched round its EXIF GPS fix. `top`: candidates stage 1
    verifies; `depth`: the deepest retrieval rank stages 2-3 screen when stage 1 accepts nothing
    (<= top: no cascade); `max_units`: cap on all matching work (MeteredMatcher units)."""
    from .search import DEFAULT_ROTATIONS, QUERY_MAX_SIDE, search

    t_start = time.perf_counter()
    timing: dict[str, float] = {}
    max_units = DEFAULT_MAX_UNITS if max_units is None else float(max_units)
    if not max_units > 0:
        raise InputError(
            f"max_units {max_units:g}: the work budget must be positive",
            f"give a number of work units above 0 (default {DEFAULT_MAX_UNITS})",
        )

    step = stepper(progress, cancel, "locate")

    step("photo", 0.0, "reading the photo")
    if not isinstance(photo, Photo):
        photo = load_photo(photo, max_side=QUERY_MAX_SIDE)
    timing["load_photo"] = time.perf_counter() - t_start
    requested = kind or "auto"
    photo, kind, kind_reason, prior, notes = _for_kind(photo, requested, index, prior)

    def search_progress(stage: str, fraction: float, message: str = "") -> None:
        if progress:
            progress(stage, 0.05 + 0.25 * fraction, message)

    clear, cloud_share = suppress_clouds(photo.rgb)
    fc = search(
        photo,
        index,
        k=k,
        progress=search_progress,
        cancel=cancel,
        cleared=(clear, cloud_share),
        prior=prior,
        nprobe=nprobe,
        rotations=SATELLITE_ROTATIONS if kind == "satellite" else DEFAULT_ROTATIONS,
    )
    timing["retrieve"] = fc.get("timing", {}).get("total", 0.0)
    fc["photo_kind"] = {"kind": kind, "requested": requested, "reason": kind_reason}
    candidates = [f for f in fc["features"] if f["properties"].get("kind") == CANDIDATE]
    if kind == "historical" and film.RESTORE_STEPS:  # retrieval saw the plain grey; matching the restored
        photo = replace(photo, rgb=film.restore(photo.rgb, film.RESTORE_STEPS))
        clear, _ = suppress_clouds(photo.rgb)
    gray = cv2.cvtColor(clear, cv2.COLOR_RGB2GRAY)
    problem = photo_problem(gray, cloud_share) or ("" if candidates else "the index returned no candidate")
    if problem:
        fc["cascade"] = {"stage": None, "max_units": max_units, "units": 0.0, "stages": []}
        out = _finish(fc, candidates, [], "not_found", problem, timing, t_start)
        return with_exif_position(out, photo, notes)

    matcher = matcher or os.environ.get("ASTROLOC_MATCHER", "xfeat")
    m = MeteredMatcher(get_matcher(matcher), limit=max_units)
    pf = fp.prepare_photo(gray, m)
    sources = {s.path: s for s in getattr(index, "sources", [])}
    top = DEFAULT_TOP if top is None else top
    depth = DEFAULT_DEPTH if depth is None else depth
    attempts: list[tuple[fp.Match, Reference, int]] = []

    orbital_outline = orbital_outline_check(photo, altitude_m, focal_px, prior, kind)
    best, verified, cascade = stage1(
        candidates[:top],
        pf,
        m,
        sources,
        photo.size,
        step,
        cancel,
        attempts,
        timing,
        gimbal_rotation(photo.exif) if kind == "drone" else None,
        orbital_outline,
    )
    fc["verify_units"] = round(m.units, 2)
    if (best is None or best[0] < ACCEPT) and depth > len(verified):
        # stage 1's candidates too: the screen sees rotations and scales its matcher does not
        found, deep_records = deep_stages(
            candidates,
            candidates[:depth],
            pf,
            m,
            sources,
            step,
            cancel,
            attempts,
            timing,
            max_units,
            orbital_outline,
        )
        cascade += deep_records
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    threshold = None if best is None else (ACCEPT if best[3]["properties"]["stage"] == 1 else ACCEPT_DEEP)
    accepted = best is not None and best[0] >= threshold
    reranked = _rerank(candidates, best[3] if accepted else None)
    fc["cascade"] = {
        "stage": best[3]["properties"]["stage"] if accepted else None,
        "max_units": max_units,
        "units": round(m.units, 2),
        "stages": cascade,
    }
    tried_fps = [
        {**_attempt(photo, a, r), "stage": st} for a, r, st in attempts if a.ok
    ]  # for diagnosis and calibration
    if not accepted:
        out = _not_found(fc, reranked, photo, best, threshold, timing, t_start)
    else:
        out = _placed(
            fc,
            reranked,
            photo,
            pf,
            best,
            (altitude_m, focal_px, matcher, prior, kind),
            step,
            cancel,
            timing,
            t_start,
        )
    out["attempts"] = tried_fps
    return with_exif_position(out, photo, notes)


def orbital_outline_check(
    photo: Photo, altitude_m: float | None, focal_px: float | None, prior: Any, kind: str
) -> CameraCheck | None:
    """For this photo: does a camera held to the orbit draw a footprint's outline (as
    `footprint_features` would), so that the homography's own corners do not matter? None for a
    satellite image, which has no camera."""
    if kind == "satellite":
        return None

    def check(match: fp.Match, ref: Reference) -> bool:
        camera = solve_camera(photo, match, ref, altitude_m, focal_px, prior, kind)
        if camera is None or camera.altitude_m <= pose_mod.ORBITAL_M:
            return False
        return camera_footprint(camera, match, ref, photo.size, fp.photo_corners(*photo.size)) is not None

    return check


def prepare_for_kind(photo: Photo, kind: str, requested: str, model: Any) -> tuple[Photo, list[str]]:
    """The photo as its kind is searched, and notes: a historical photo in grey (its restoration,
    film.RESTORE_STEPS, is for matching only: locate); a grey photo against a colour model refused
    (film.check_model); under auto, a grey photo only noted as a possible historical one."""
    grey = film.is_grayscale(photo.rgb)
    film.check_model(model, grey, kind)
    if kind == "historical":
        return replace(photo, rgb=film.restore(photo.rgb, ())), []
    if grey and requested == "auto":
        return photo, [
            "the photo is grayscale: if it is a film scan, say --kind historical (searched and matched "
            "in grey; film restoration steps can be switched on: docs/LOCATE.md)"
        ]
    return photo, []


def _for_kind(photo: Photo, requested: str, index: Any, prior: Any) -> tuple[Photo, str, str, Any, list[str]]:
    """The photo's kind (protocol.KINDS) and what it changes before the search: a drone photo
    without a prior is searched round its EXIF GPS fix; (photo, kind, why, prior, notes)."""
    kind, kind_reason = photo_kind(photo.exif, requested)
    if kind == "ground":
        raise InputError(
            "a ground photo is located by api.locate(kind='ground') / ground.locate_ground",
            "call those: a ground photo is not searched through the retrieval index",
            field="kind",
        )
    notes = list(photo.exif.get("exif_warnings", []))
    if kind == "drone" and prior is None:
        prior = from_drone_exif(photo.exif)
        if prior is None:
            notes.append("a drone photo without an EXIF GPS fix: the whole index was searched")
    photo, kind_notes = prepare_for_kind(photo, kind, requested, index.model)
    return photo, kind, kind_reason, prior, notes + kind_notes


def stage1(
    candidates: list[dict],
    pf: fp.PhotoFeatures,
    m: MeteredMatcher,
    sources: dict,
    photo_size: tuple[int, int],
    step: Progress,
    cancel: Cancel | None,
    attempts: list[tuple[fp.Match, Reference, int]],
    timing: dict[str, float],
    first_rotation: int | None = None,
    camera_check: CameraCheck | None = None,
) -> tuple[tuple[float, fp.Match, Reference, dict] | None, list, list[dict]]:
    """Stage 1: verify the top candidates by a coarse match around each, re-rank them by verified
    inliers and refine the best until one is trustworthy. (best, verified, [the stage's record]).
    `first_rotation` (a drone's gimbal yaw) is tried first instead of each candidate's retrieval
    rotation; `camera_check` as in `refine_candidates`."""
    t, c = time.perf_counter(), time.process_time()
    verified = verify_candidates(candidates, pf, m, sources, photo_size, step, cancel, first_rotation)
    timing["verify"] = time.perf_counter() - t
    for cand, _, _ in verified:
        cand["properties"]["stage"] = 1
    order = sorted(range(len(verified)), key=lambda j: (-verified[j][0]["properties"]["verified_inliers"], j))
    t = time.perf_counter()
    best = refine_candidates(
        [verified[j] for j in order if verified[j][1].ok][:MAX_REFINE],
        pf,
        m,
        step,
        cancel,
        attempts,
        stage=1,
        camera_check=camera_check,
    )
    timing["refine"] = time.perf_counter() - t
    record = {
        "stage": 1,
        "candidates": len(verified),
        "units": round(m.units, 2),
        "seconds": round(timing["verify"] + timing["refine"], 4),
        "cpu_seconds": round(time.process_time() - c, 4),
    }
    return best, verified, [record]


def deep_stages(
    candidates: list[dict],
    pool: list[dict],
    pf: fp.PhotoFeatures,
    m: MeteredMatcher,
    sources: dict,
    step: Progress,
    cancel: Cancel | None,
    attempts: list[tuple[fp.Match, Reference, int]],
    timing: dict[str, float],
    max_units: float,
    camera_check: CameraCheck | None = None,
) -> tuple[tuple[float, fp.Match, Reference, dict] | None, list[dict]]:
    """Stages 2 and 3 (stage 1 accepted nothing): screen the pool, mark the candidate that holds
    the place the strongest screen found, then refine the best screened places as stage 1 refines
    its verified ones. (best, [the two stages' records])."""
    t, u, c = time.perf_counter(), m.units, time.process_time()
    screened = screen_candidates(
        pool,
        pf,
        m,
        sources,
        step,
        cancel,
        stop_at=min(m.units + STAGE2_UNITS, max_units - STAGE3_RESERVE),
    )
    mark_located(candidates, screened, pf.size)
    timing["screen"] = time.perf_counter() - t
    records = [
        {
            "stage": 2,
            "candidates": len(screened),
            "units": round(m.units - u, 2),
            "seconds": round(timing["screen"], 4),
            "cpu_seconds": round(time.process_time() - c, 4),
        }
    ]
    t, u, c = time.perf_counter(), m.units, time.process_time()
    deep = survivors(screened, pf.size)
    for cand, _, _ in deep:
        cand["properties"]["stage"] = 3
    found = refine_candidates(
        deep, pf, m, step, cancel, attempts, stage=3, accept=ACCEPT_DEEP, camera_check=camera_check
    )
    timing["deep"] = time.perf_counter() - t
    records.append(
        {
            "stage": 3,
            "candidates": len(deep),
            "units": round(m.units - u, 2),
            "seconds": round(timing["deep"], 4),
            "cpu_seconds": round(time.process_time() - c, 4),
        }
    )
    return found, records


def survivors(
    screened: list[tuple[dict, fp.Match, Reference]], size: tuple[int, int]
) -> list[tuple[dict, fp.Match, Reference]]:
    """The SURVIVORS strongest screens with >= SURVIVOR_MIN_INLIERS, one per place: a screen whose
    photo centre falls inside a stronger one's footprint (neighbour tiles of one place) is left out."""
    out: list[tuple[dict, fp.Match, Reference]] = []
    for x in sorted(
        (x for x in screened if x[1].ok and x[1].inliers >= SURVIVOR_MIN_INLIERS),
        key=lambda x: -x[0]["properties"]["screen_score"],
    ):
        centre = Point(*centre_of(x[1], size))
        if any(
            y[2].path == x[2].path and Polygon(fp.apply_h(y[1].H, fp.photo_corners(*size))).contains(centre)
            for y in out
        ):
            continue
        out.append(x)
        if len(out) == SURVIVORS:
            break
    return out


def mark_located(
    candidates: list[dict], screened: list[tuple[dict, fp.Match, Reference]], size: tuple[int, int]
) -> None:
    """`screen_located` (its inliers) on the best-ranked candidate whose tile holds the photo
    centre the strongest screen found: what comes first when nothing is accepted (the screen
    often matches a neighbour of that tile)."""
    strong = [x for x in screened if x[1].ok and x[1].inliers >= SCREEN_MIN_INLIERS]
    if not strong:
        return
    _, match, ref = max(strong, key=lambda x: x[1].inliers)
    cx, cy = centre_of(match, size)
    for cand in candidates:
        p = cand["properties"]
        col, row, w, h = p["window"]
        if ref.path == p["source"] and col <= cx <= col + w and row <= cy <= row + h:
            p["screen_located"] = match.inliers
            return


def _not_found(
    fc: dict,
    reranked: list[dict],
    photo: Photo,
    best: tuple | None,
    threshold: float | None,
    timing: dict[str, float],
    t_start: float,
) -> dict:
    reason = (
        "no candidate could be verified by local matching"
        if best is None
        else f"the best footprint's confidence {best[0]:.2f} is below {threshold}"
    )
    if best is not None and best[1].extrapolated:
        reason += (
            f" (its matches span {100 * (best[1].cover or 0.0):.0f}% of the photo: the corners beyond them,"
            " through a strong perspective, are a guess)"
        )
    out = _finish(fc, reranked, [], "not_found", reason, timing, t_start)
    if best is not None:  # what was rejected, for diagnosis and calibration; not a footprint
        conf, match, ref, cand = best
        out["rejected_footprint"] = {
            "confidence": round(conf, 4),
            **_quality(match),
            "candidate_rank": cand["properties"]["rank"],
            "stage": cand["properties"]["stage"],
            "corners": _corners(photo, match, ref),
        }
    return out


def _placed(
    fc: dict,
    reranked: list[dict],
    photo: Photo,
    pf: fp.PhotoFeatures,
    best: tuple,
    pose_inputs: tuple[float | None, float | None, str, Any, str],
    step: Progress,
    cancel: Cancel | None,
    timing: dict[str, float],
    t_start: float,
) -> dict:
    """The accepted footprint polished, its camera pose, and the result. pose_inputs: (altitude_m,
    focal_px, matcher, prior, kind)."""
    conf, match, ref, cand = best
    step("polish", 0.85, "tightening the footprint")
    t = time.perf_counter()
    match = fp.polish(pf, ref, match, cancel=cancel)
    timing["polish"] = time.perf_counter() - t
    step("pose", 0.9, "estimating the camera pose")
    t = time.perf_counter()
    feats = footprint_features(photo, match, ref, conf, cand, *pose_inputs)
    feats[0]["properties"]["stage"] = cand["properties"]["stage"]
    timing["pose"] = time.perf_counter() - t
    step("pose", 1.0, "done")
    return _finish(fc, reranked, feats, "ok", "", timing, t_start)


def verify_candidates(
    candidates: list[dict],
    pf: fp.PhotoFeatures,
    m: MeteredMatcher,
    sources: dict,
    photo_size: tuple[int, int],
    step: Progress,
    cancel: Cancel | None,
    first_rotation: int | None = None,
) -> list[tuple[dict, fp.Match, Reference]]:
    """Coarse-match the photo around each candidate while the work budget lasts; sets each tried
    candidate's `verified_inliers` and `confidence` and returns them (a prefix of `candidates`)
    with their best match.

    Breadth first: every candidate at the retrieval's rotation (or `first_rotation`, when the
    photo says how it is turned) and its 45-degree neighbours, then the other rotations, best
    candidates first. The photo's rotation against north-up imagery is the same for every
    candidate: once one candidate verifies strongly, the others are matched at that rotation (and
    footprint size) only.
    """
    n = len(candidates)
    refs = [
        open_reference(sources.get(c["properties"]["source"], c["properties"]["source"])) for c in candidates
    ]
    best: dict[int, fp.Match] = {}
    tried: dict[int, set[int]] = {i: set() for i in range(n)}
    known_rotation: int | None = None
    known_extent: float | None = None
    windows: dict = {}  # a candidate's window is rendered and detected once for all its rotations

    def jobs():
        # A generator, so that a rotation found on the way changes what comes next.
        for group in (slice(0, 3), slice(3, None)):
            for i in range(n):
                if known_rotation is not None:
                    break
                first = (
                    first_rotation
                    if first_rotation is not None
                    else -int(candidates[i]["properties"].get("rotation", 0))
                    % 360  # search: counter-clockwise
                )
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
        try:
            match = fp.coarse_match(
                pf,
                refs[i],
                tuple(p["window"]),
                m,
                rotations=rotations,
                grows=grows,
                good_enough=GOOD_INLIERS,
                cancel=cancel,
                windows=windows,
            )
        except BudgetSpent:
            break
        tried[i].update(rotations)
        _keep_better(best, i, match)
        if match.ok and match.inliers >= GOOD_INLIERS and known_rotation is None:
            known_rotation = match.rotation
            known_extent = fp.footprint_extent(match.H, *photo_size)
        if (
            (match.ok and match.inliers >= STRONG_INLIERS)
            or m.units > VERIFY_MAX_UNITS
            or (m.units > VERIFY_BUDGET_UNITS and known_rotation is not None)
        ):
            break
    return _mark_verified(candidates, best, refs)


def _keep_better(best: dict[int, fp.Match], i: int, match: fp.Match) -> None:
    old = best.get(i)
    if old is None or (match.ok and (not old.ok or match.inliers > old.inliers)):
        best[i] = match


def _mark_verified(
    candidates: list[dict], best: dict[int, fp.Match], refs: list[Reference]
) -> list[tuple[dict, fp.Match, Reference]]:
    """Sets `verified_inliers` and `confidence` of each tried candidate; those with their best match."""
    out = []
    for i in sorted(best):
        p = candidates[i]["properties"]
        p["verified_inliers"] = best[i].inliers if best[i].ok else 0
        p["confidence"] = round(fp.confidence(best[i]), 4)
        out.append((candidates[i], best[i], refs[i]))
    return out


def refine_candidates(
    items: list[tuple[dict, fp.Match, Reference]],
    pf: fp.PhotoFeatures,
    m: MeteredMatcher,
    step: Progress,
    cancel: Cancel | None,
    attempts: list[tuple[fp.Match, Reference, int]],
    stage: int,
    accept: float = ACCEPT,
    camera_check: CameraCheck | None = None,
) -> tuple[float, fp.Match, Reference, dict] | None:
    """Refine these verified candidates in turn until one reaches `accept` (or the work budget is
    spent); each refined candidate's `confidence` becomes its footprint's. The best as
    (confidence, footprint, reference, candidate), or None. A footprint whose corners the
    homography extrapolates (footprint.extrapolated) is trusted only when `camera_check` says an
    orbital camera draws it instead."""
    best = None
    for cand, match, ref in items:
        step("refine", 0.65 if stage == 1 else 0.82, "refining the footprint")
        try:
            refined = fp.refine(pf, ref, match, m, cancel=cancel)
        except BudgetSpent:
            break
        count_support(pf, ref, refined)
        refined.cover = fp.inlier_cover(refined.photo_pts, pf.size)
        refined.scale_ratio = fp.scale_ratio(refined.H, pf.size) if refined.ok else None
        if camera_check is not None and refined.extrapolated:
            refined.through_camera = camera_check(refined, ref)
        conf = fp.confidence(refined)
        attempts.append((refined, ref, stage))
        # The candidate list shows what the analyst should believe: the refined footprint's confidence.
        cand["properties"]["confidence"] = round(conf, 4)
        if best is None or conf > best[0]:
            best = (conf, refined, ref, cand)
        if conf >= accept:
            break
    return best


def _grows(cand: dict, known: tuple[int, float] | None) -> tuple[float, ...]:
    side = max(cand["properties"]["window"][2], cand["properties"]["window"][3])
    return (fp.WINDOW_GROW * known[1] / side,) if known else fp.SCALE_GROWS


def screen_candidates(
    pool: list[dict],
    pf: fp.PhotoFeatures,
    m: MeteredMatcher,
    sources: dict,
    step: Progress,
    cancel: Cancel | None,
    stop_at: float,
) -> list[tuple[dict, fp.Match, Reference]]:
    """Stage 2: screen.ContextScreen's match of each candidate in retrieval order (SCREEN_UNITS
    each) until the work reaches `stop_at` or a screen reaches SCREEN_CONFIDENT. Sets
    `screen_inliers` and the rest of screen_evidence."""
    screen = screen_of(pf)
    out = []
    for n, cand in enumerate(pool):
        raise_if_cancelled(cancel, "locate")
        if m.units + SCREEN_UNITS > stop_at:
            break
        step("screen", 0.55 + 0.25 * n / max(len(pool), 1), f"screening candidate {n + 1}/{len(pool)}")
        p = cand["properties"]
        ref = open_reference(sources.get(p["source"], p["source"]))
        try:
            m.charge(SCREEN_UNITS)
        except BudgetSpent:
            break
        match = screen.match(ref, tuple(p["window"]))
        p.setdefault("stage", 2)
        p.update(screen_evidence(pf, ref, match))
        out.append((cand, match, ref))
        if match.ok and match.inliers >= SCREEN_CONFIDENT:
            break
    return out


_SCREENS: weakref.WeakKeyDictionary[fp.PhotoFeatures, ContextScreen] = weakref.WeakKeyDictionary()


def screen_of(pf: fp.PhotoFeatures) -> ContextScreen:
    """The photo's ContextScreen (its RootSIFT features), made once per photo: stage 2 screens
    with it, and a footprint with few XFeat inliers is counted again by it (frame_support)."""
    if pf not in _SCREENS:
        _SCREENS[pf] = ContextScreen(pf.full)
    return _SCREENS[pf]


def count_support(pf: fp.PhotoFeatures, ref: Reference, match: fp.Match) -> None:
    """Sets a refined footprint's `support` when XFeat found fewer inliers than the confidence
    trusts (MIN_TRUSTED_INLIERS): RootSIFT's count of the matches that agree with it."""
    if match.ok and match.inliers < fp.MIN_TRUSTED_INLIERS:
        match.support = screen_of(pf).frame_support(ref, match.H)


def screen_evidence(pf: fp.PhotoFeatures, ref: Reference, match: fp.Match) -> dict:
    """What a screened coarse match says: its robust-homography inliers and their share of the
    matches, and the edge-layout agreement (structure.py) of the footprint it gives."""
    if not match.ok:
        return {
            "screen_inliers": 0,
            "screen_ratio": 0.0,
            "screen_layout": 0.0,
            "screen_distinct": 0.0,
            "screen_score": 0.0,
        }
    agr = fp.structural_agreement(pf, ref, match.H)
    out = {
        "screen_inliers": match.inliers,
        "screen_ratio": round(match.inlier_ratio, 4),
        "screen_layout": round(agr.at_offset, 4) if agr else 0.0,
        "screen_distinct": round(agr.distinct, 4) if agr else 0.0,
    }
    return {**out, "screen_score": round(screen_score(out), 4)}


def screen_features(evidence: dict) -> np.ndarray:
    """The screen score's features (SCREEN_W) from a candidate's screen evidence."""
    return np.array(
        [
            1.0,
            math.log1p(evidence["screen_inliers"]),
            evidence["screen_ratio"],
            10 * evidence["screen_layout"],
            10 * evidence["screen_distinct"],
        ]
    )


def screen_score(evidence: dict) -> float:
    """~P(a screened candidate holds the photo's centre) from its screen evidence."""
    z = float(np.dot(SCREEN_W, screen_features(evidence)))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def _rerank(candidates: list[dict], accepted: dict | None) -> list[dict]:
    """The accepted footprint's candidate first; with none accepted, the candidate holding the
    place the strongest screen found (`screen_located`); then stage 1's verified candidates by
    verified inliers, then the screened ones by screened inliers (those below SCREEN_MIN_INLIERS
    in retrieval order), then the rest in retrieval order. The retrieval rank stays in `retrieval_rank`."""

    def key(j_cand: tuple[int, dict]) -> tuple:
        j, c = j_cand
        p = c["properties"]
        if c is accepted:
            return (0, 0, j)
        if accepted is None and "screen_located" in p:
            return (1, 0, j)
        if "verified_inliers" in p:
            return (2, -p["verified_inliers"], j)
        if "screen_inliers" in p:  # below SCREEN_MIN_INLIERS a screen is noise: retrieval order
            n = p["screen_inliers"]
            return (3, -n if n >= SCREEN_MIN_INLIERS else 0, j)
        return (4, 0, j)

    out = [c for _, c in sorted(enumerate(candidates), key=key)]
    for rank, cand in enumerate(out, start=1):
        cand["properties"]["retrieval_rank"] = cand["properties"]["rank"]
        cand["properties"]["rank"] = rank
        cand["id"] = f"candidate-{rank}"
    return out


def footprint_features(
    photo: Photo,
    match: fp.Match,
    ref: Reference,
    conf: float,
    cand: dict,
    altitude_m: float | None,
    focal_px: float | None,
    matcher: str,
    prior: Any = None,
    kind: str = "aerial",
) -> list[dict]:
    w, h = photo.size
    camera = None
    if kind != "satellite":
        camera = solve_camera(photo, match, ref, altitude_m, focal_px, prior, kind)
    # Photo edges are straight on the ground plane of the source CRS, not in lon/lat: densify.
    corners_px = fp.photo_corners(w, h)
    edge = np.vstack(
        [
            corners_px[i] + (corners_px[(i + 1) % 4] - corners_px[i]) * (s / EDGE_SEGMENTS)
            for i in range(4)
            for s in range(EDGE_SEGMENTS)
        ]
    )
    centre_px = np.array([[w / 2, h / 2]])
    homography_corners = ref.pixel_to_lonlat(fp.apply_h(match.H, corners_px))
    corners, ring, centre, source = homography_corners, None, None, "homography"
    if camera is not None and camera.altitude_m > pose_mod.ORBITAL_M:
        # From orbit the ground curves away under the photo, which no homography follows, and
        # clouds or sea often leave matches on part of it only: the camera, held to the orbit,
        # draws the footprint (docs/LOCATE.md "Footprint through the camera").
        outline = np.vstack([corners_px, edge, centre_px])
        rays = camera_footprint(camera, match, ref, (w, h), outline)
        if rays is not None:
            corners, ring, centre, source = rays[:4], rays[4:-1], rays[-1], "camera"
    if ring is None:
        ring = ref.pixel_to_lonlat(fp.apply_h(match.H, edge))
        centre = ref.pixel_to_lonlat(fp.apply_h(match.H, centre_px))[0]
    poly = Polygon(ring)
    back = fp.apply_h(np.linalg.inv(match.H), match.ref_pts)
    reproj = float(np.sqrt(np.mean(np.sum((back - match.photo_pts) ** 2, axis=1)))) if len(back) else 0.0
    props = {
        "kind": FOOTPRINT,
        "confidence": round(conf, 4),
        **_quality(match),
        "reprojection_px": round(reproj, 3),
        "method": f"{matcher}+magsac-homography (iterative, {match.iterations} "
        f"refinement{'' if match.iterations == 1 else 's'})"
        + (" + edge-layout polish" if match.polished else "")
        + (" + drawn through the camera" if source == "camera" else ""),
        "polished": match.polished,
        "footprint_source": source,
        "corners": _rounded_points(corners),
        "candidate_rank": cand["properties"]["rank"],
        "tile_id": cand["properties"].get("tile_id"),
        "area_km2": round(crs_mod.geodesic_area_km2(poly), 4),
        "centre": [round(float(centre[0]), 7), round(float(centre[1]), 7)],
    }
    if source == "camera":
        props["homography_corners"] = _rounded_points(homography_corners)
    feats = [
        {
            "type": "Feature",
            "id": "footprint",
            "geometry": rounded_geometry(mapping(poly)),
            "properties": props,
        }
    ]
    if kind == "satellite":  # a nadir image from orbit of unknown origin: the footprint is the answer
        props["photo_kind"] = kind
        props["warnings"] = ["a satellite image: the footprint only, no camera pose"]
        return feats
    if camera is None:
        props["warnings"] = ["the camera pose could not be estimated from these matches"]
        return feats
    exif = photo.exif or {}
    cam_props = {"kind": CAMERA, **camera.properties()}
    cam_props["focal_px"] = round(camera.focal_px / photo.scale, 3)  # in original photo pixels
    if "focal_px_sigma" in cam_props:
        cam_props["focal_px_sigma"] = round(cam_props["focal_px_sigma"] / photo.scale, 3)
    if (check := gps_check_m(exif, camera.lon, camera.lat)) is not None:
        cam_props["gps_check_m"] = check
    cam_props.update(gimbal_check(exif, camera))
    feats.append(
        {
            "type": "Feature",
            "id": "camera",
            "geometry": rounded_geometry(mapping(Point(camera.lon, camera.lat))),
            "properties": cam_props,
        }
    )
    dist = crs_mod.geodesic_distance_m(camera.lon, camera.lat, float(centre[0]), float(centre[1]))
    feats.append(
        {
            "type": "Feature",
            "id": "look",
            "geometry": rounded_geometry(mapping(LineString([(camera.lon, camera.lat), tuple(centre)]))),
            "properties": {
                "kind": LOOK,
                "ground_distance_m": round(dist, 1),
                "slant_range_m": round(math.hypot(dist, camera.altitude_m), 1),
            },
        }
    )
    return feats


def solve_camera(
    photo: Photo,
    match: fp.Match,
    ref: Reference,
    altitude_m: float | None,
    focal_px: float | None,
    prior: Any,
    kind: str,
) -> pose_mod.Pose | None:
    """The camera pose from the match's pose correspondences, with every prior the photo has."""
    w, h = photo.size
    exif = photo.exif or {}
    exif_f, note = pose_mod.focal_from_exif(exif, w, h)
    alt_range, lens, nadir, warnings = pose_priors(prior, photo.path, altitude_m)
    pose_pts, pose_ref, _ = fp.pose_correspondences(cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2GRAY), ref, match)
    camera = pose_mod.estimate_pose(
        pose_pts,
        ref.pixel_to_lonlat(pose_ref),
        w,
        h,
        focal_px=focal_px * photo.scale if focal_px else None,
        exif_focal_px=exif_f,
        exif_note=note,
        altitude_prior=pose_mod.altitude_prior_for(exif, photo.path, altitude_m, alt_range),
        lens=lens,
        nadir_prior=nadir,
        assume_orbit=kind != "drone",
    )
    if camera is not None and warnings:
        camera.warnings.extend(warnings)
    return camera


def camera_footprint(
    camera: pose_mod.Pose, match: fp.Match, ref: Reference, size: tuple[int, int], pix: np.ndarray
) -> np.ndarray | None:
    """lon/lat of photo px through the camera, tied to the matched ground by an affine map (the
    camera sees the ellipsoid, the matches lie on the terrain: a plateau 2 km up shifts an oblique
    view's ground by kilometres); None when the camera misses the Earth or explains the matches
    worse than the homography does (a reference that is no true map, a failed pose)."""
    if len(match.photo_pts) < 6:
        return None
    seen = camera.ground_points(*size, np.vstack([pix, match.photo_pts]))
    if not np.all(np.isfinite(seen)):
        return None
    lon0, lat0 = (float(v) for v in np.mean(seen[len(pix) :], axis=0))

    def local(lonlat: np.ndarray) -> np.ndarray:
        return pose_mod.to_enu(lon0, lat0, lonlat[:, 0], lonlat[:, 1], np.zeros(len(lonlat)))[:, :2]

    cam_xy, true_xy = local(seen), local(ref.pixel_to_lonlat(match.ref_pts))
    A = np.linalg.lstsq(np.c_[cam_xy[len(pix) :], np.ones(len(true_xy))], true_xy, rcond=None)[0]
    tied = np.c_[cam_xy, np.ones(len(cam_xy))] @ A
    back = pose_mod.from_enu(lon0, lat0, np.c_[tied, np.zeros(len(tied))])[:, :2]
    err_cam = ref.lonlat_to_pixel(back[len(pix) :]) - match.ref_pts
    err_h = fp.apply_h(match.H, match.photo_pts) - match.ref_pts
    rms_cam, rms_h = (float(np.sqrt(np.mean(np.sum(e**2, axis=1)))) for e in (err_cam, err_h))
    if rms_cam > CAMERA_FOOTPRINT_SLACK * rms_h + 0.5:
        return None
    return back[: len(pix)]


def _rounded_points(lonlat: np.ndarray) -> list[list[float]]:
    return [[round(float(x), 7), round(float(y), 7)] for x, y in lonlat]


def gimbal_rotation(exif: dict) -> int | None:
    """The clockwise photo rotation (a multiple of 45 degrees) that turns a drone photo north-up,
    from its gimbal yaw (DJI GimbalYawDegree: where the top of the frame points, clockwise from
    true north); None without one."""
    yaw = exif.get("gimbal_yaw_deg")
    if not isinstance(yaw, int | float):
        return None
    return int(round(float(yaw) / 45.0) * 45) % 360  # top to the east: turn it 90 clockwise


def gimbal_check(exif: dict, camera: pose_mod.Pose) -> dict[str, float]:
    """The estimated camera's pitch and yaw minus the EXIF gimbal's (degrees; pitch in the
    gimbal's convention, -90 looking straight down; yaw: where the top of the frame points,
    wrapped to [-180, 180)): a check of the pose beside the GPS one, for the angles the EXIF gives."""
    out = {}
    if isinstance(pitch := exif.get("gimbal_pitch_deg"), int | float):
        out["gimbal_check_pitch_deg"] = round(camera.tilt_deg - 90.0 - float(pitch), 2)
    if isinstance(yaw := exif.get("gimbal_yaw_deg"), int | float):
        # where the top of the frame points: the tilt's azimuth is no heading near nadir
        up = -pose_mod.rotation_from_angles(camera.tilt_deg, camera.azimuth_deg, camera.roll_deg)[:, 1]
        heading = (
            math.degrees(math.atan2(up[0], up[1])) if math.hypot(up[0], up[1]) > 0.2 else camera.azimuth_deg
        )
        out["gimbal_check_yaw_deg"] = round((heading - float(yaw) + 180.0) % 360.0 - 180.0, 2)
    return out


def gps_check_m(exif: dict, lon: float, lat: float) -> float | None:
    """The ground distance (m) from the photo's EXIF GPS fix to a camera position; None without a
    fix. The pose does not use the fix (it only bounds the search), so this checks one by the other."""
    if "gps_lat" not in exif or "gps_lon" not in exif:
        return None
    return round(crs_mod.geodesic_distance_m(float(exif["gps_lon"]), float(exif["gps_lat"]), lon, lat), 1)


EXIF_POSITION_KEYS = (
    ("gps_alt_m", "altitude_m"),
    ("relative_alt_m", "relative_altitude_m"),
    ("gimbal_pitch_deg", "gimbal_pitch_deg"),
    ("gimbal_yaw_deg", "gimbal_yaw_deg"),
    ("gimbal_roll_deg", "gimbal_roll_deg"),
    ("flight_yaw_deg", "flight_yaw_deg"),
    ("gps_img_direction_deg", "gps_img_direction_deg"),
)


def exif_position_feature(exif: dict, camera: dict | None) -> dict | None:
    """The camera position the photo's EXIF GPS gives (kind `exif_position`), with the altitudes
    and angles the EXIF holds and, when a camera was estimated, its distance to it."""
    if "gps_lat" not in exif or "gps_lon" not in exif:
        return None
    props: dict[str, Any] = {"kind": EXIF_POSITION, "source": "EXIF GPS"}
    props.update({out: exif[key] for key, out in EXIF_POSITION_KEYS if key in exif})
    if camera is not None:
        lon, lat = camera["geometry"]["coordinates"][:2]
        props["distance_to_camera_m"] = gps_check_m(exif, lon, lat)
    return {
        "type": "Feature",
        "id": "exif_position",
        "geometry": rounded_geometry(mapping(Point(float(exif["gps_lon"]), float(exif["gps_lat"])))),
        "properties": props,
    }


def with_exif_position(out: dict, photo: Photo, notes: list[str]) -> dict:
    """The result with the EXIF position feature (after the others) and the notes on the photo's
    EXIF and kind among its warnings."""
    camera = next((f for f in out["features"] if f["properties"].get("kind") == CAMERA), None)
    if (feature := exif_position_feature(photo.exif or {}, camera)) is not None:
        out["features"].append(feature)
    if notes:
        out["warnings"] = [*out.get("warnings", []), *notes]
    return out


def pose_priors(
    prior: Any, photo_path: str, altitude_m: float | None
) -> tuple[
    tuple[float, float] | None, tuple[float, str] | None, tuple[float, float, float] | None, list[str]
]:
    """What a search prior (priors.Prior) tells the pose: the altitude range, the catalogue's lens,
    the nadir (lon, lat, sigma m), and warnings about what could not be used."""
    if prior is None:
        return None, None, None, []
    alt_range = prior.altitude_m
    if alt_range and altitude_m is None and "tle" not in prior.source and iss_altitude_range(photo_path):
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
    return {
        "inliers": int(match.inliers),
        "inlier_ratio": round(match.inlier_ratio, 4),
        "match_rms_px": round(min(match.reprojection_px, 99.0), 3),
        "iterations": match.iterations,
        "last_shift": round(match.last_shift, 5),
        "structure": round(match.structure.at_offset, 4) if match.structure else 0.0,
        "structure_distinct": round(match.structure.distinct, 4) if match.structure else 0.0,
        "support": int(match.support),
        "cover": round(match.cover, 4) if match.cover is not None else None,
        "scale_ratio": round(match.scale_ratio, 3) if match.scale_ratio is not None else None,
        "through_camera": match.through_camera,
    }


def _attempt(photo: Photo, match: fp.Match, ref: Reference) -> dict:
    return {
        "confidence": round(fp.confidence(match), 4),
        **_quality(match),
        "corners": _corners(photo, match, ref),
    }


def _corners(photo: Photo, match: fp.Match, ref: Reference) -> list[list[float]]:
    c = ref.pixel_to_lonlat(fp.apply_h(match.H, fp.photo_corners(*photo.size)))
    return [[round(float(x), 7), round(float(y), 7)] for x, y in c]


def _finish(
    fc: dict,
    candidates: list[dict],
    extra: list[dict],
    status: str,
    reason: str,
    timing: dict[str, float],
    t_start: float,
) -> dict:
    timing["total"] = time.perf_counter() - t_start
    out = {k: v for k, v in fc.items() if k not in ("features", "timing", "status")}
    out["status"] = status
    if reason:
        out["reason"] = reason
    warnings = [w for f in extra for w in f["properties"].get("warnings", [])]
    if warnings:
        out["warnings"] = warnings
    out["timing"] = {k: round(v, 4) for k, v in timing.items()}
    out["features"] = candidates + extra + [f for f in fc["features"] if f["properties"].get("kind") == PRIOR]
    return out


def format_result(fc: dict[str, Any]) -> str:
    """A short human-readable summary of a locate result (the CLI without --geojson)."""
    photo = fc.get("photo", {})
    lines = [
        f"photo: {photo.get('name')} ({photo.get('width')}x{photo.get('height')})  status: {fc['status']}"
    ]
    if fc.get("reason"):
        lines.append(f"reason: {fc['reason']}")
    by_kind: dict[str, list[dict]] = {}
    for f in fc["features"]:
        by_kind.setdefault(f["properties"]["kind"], []).append(f["properties"])
    if by_kind.get(CANDIDATE):
        lines.append(f"{'rank':>4} {'retr':>4} {'score':>7} {'inliers':>7} {'conf':>5}  tile  source")
    for p in by_kind.get(CANDIDATE, [])[:10]:
        lines.append(
            f"{p['rank']:>4} {p.get('retrieval_rank', p['rank']):>4} {p['score']:>7.4f} "
            f"{p.get('verified_inliers', '-'):>7} {p.get('confidence', float('nan')):>5.2f}  "
            f"{p['tile_id']:>5}  {str(p['source']).rsplit('/', 1)[-1]}"
        )
    for p in by_kind.get(FOOTPRINT, []):
        c = p["centre"]
        lines.append(
            f"footprint: centre {c[1]:.5f}, {c[0]:.5f}  area {p['area_km2']:.3f} km2  confidence "
            f"{p['confidence']:.2f}  inliers {p['inliers']}  reprojection {p['reprojection_px']:.2f} px"
        )
    for p in by_kind.get(CAMERA, []):
        if p.get("photo_kind") == "ground":
            e = p["ellipse"]
            lines.append(
                f"camera (ground): {p['lat']:.6f}, {p['lon']:.6f}  yaw {p['yaw_deg']:.1f} +- "
                f"{p['yaw_sigma_deg']:.1f} deg  position +- {p['position_sigma_m']:.1f} m (ellipse "
                f"{e['semi_major_m']:.1f} x {e['semi_minor_m']:.1f} m at {e['angle_deg']:.0f} deg)  "
                f"pitch {p['pitch_deg']:.1f} deg ({p.get('pitch_source', '?')})  roll "
                f"{p.get('roll_deg') or 0.0:.1f} deg ({p.get('roll_source', '?')})  score {p['score']:.2f}"
            )
            continue
        lines.append(
            f"camera: nadir {p['lat']:.5f}, {p['lon']:.5f}  altitude {p['altitude_m'] / 1000:.2f} km  "
            f"tilt {p['tilt_deg']:.1f} deg  azimuth {p['azimuth_deg']:.1f} deg  "
            f"roll {p['roll_deg']:.1f} deg  focal {p['focal_px']:.0f} px ({p['focal_source']})  "
            f"hfov {p['hfov_deg']:.1f} deg"
        )
    lines += _exif_check_lines(fc)
    if kind := fc.get("photo_kind"):
        lines.append(f"kind: {kind['kind']} ({kind['reason']})")
    for w in fc.get("warnings", []):
        lines.append(f"warning: {w}")
    t = fc.get("timing", {})
    lines.append("timing: " + ", ".join(f"{k} {v:.2f}s" for k, v in t.items()))
    return "\n".join(lines)


def _exif_check_lines(fc: dict[str, Any]) -> list[str]:
    """The summary's lines on the EXIF GPS fix and gimbal angles beside the estimated camera."""
    lines: list[str] = []
    for f in fc["features"]:
        if f["properties"]["kind"] == EXIF_POSITION:
            lon, lat = f["geometry"]["coordinates"][:2]
            check = f["properties"].get("distance_to_camera_m")
            lines.append(
                f"EXIF GPS: {lat:.6f}, {lon:.6f}"
                + (f"  {check:.0f} m from the estimated camera" if check is not None else "")
            )
    for f in fc["features"]:
        p = f["properties"]
        if p["kind"] == CAMERA and ("gimbal_check_pitch_deg" in p or "gimbal_check_yaw_deg" in p):
            lines.append(
                "EXIF gimbal: the estimated camera is "
                + ", ".join(
                    f"{name} {p[key]:+.1f} deg"
                    for name, key in (("pitch", "gimbal_check_pitch_deg"), ("yaw", "gimbal_check_yaw_deg"))
                    if key in p
                )
                + " from it"
            )
    return lines
