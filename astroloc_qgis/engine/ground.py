"""Ground photos (3-DoF): x, y and yaw of a camera standing on the ground, from a rough GPS fix.

The photo's ground plane is projected to a bird's-eye view (BEV: the camera `height_m` above a
flat ground, its pitch, focal length; rays that do not meet the ground within `range` are
masked), and the BEV is correlated, turned through the yaw range, with the reference imagery
round the fix (masked, zero-mean normalised cross-correlation of locally contrast-normalised
grey levels, cv2.matchTemplate). Coarse (all pitches, 3-degree yaw steps) then fine (around the
best hypotheses, 0.5-degree steps); the uncertainty comes from the shape of the score surface.
The pitch searched is narrowed, and the roll given, by the horizon when one is found (horizon.py).
docs/LOCATE.md "Ground photos".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from shapely.geometry import Point, Polygon, mapping

from . import crs as crs_mod
from .errors import Cancelled, PriorError
from .ground_view import (
    LCN_SIGMA_M,
    Bev,
    GroundCamera,
    GroundPrior,
    ground_camera,
    ground_prior,
    make_bev,
    photo_pyramid,
    ref_pixel_m,
    reference_window,
    resolutions,
    use_horizon,
)
from .horizon import Horizon, detect_horizon
from .photo import Photo, load_photo
from .pose import from_enu
from .progress import Cancel, Progress, stepper
from .protocol import CAMERA, rounded_geometry
from .rasters import RasterSource

MIN_GROUND_SHARE = 0.08  # share of the photo that must see usable ground
# std of the ground's fine detail (grey levels, ground_view.texture) below which it has none
MIN_GROUND_STD = 1.0
MIN_SCORE = 0.55  # best correlation needed to report a position (right ones: 0.59-0.89 on rendered views)
# ... and its lead over the best clearly different hypothesis (right: 0.05-0.5, wrong: < 0.09)
MIN_MARGIN = 0.1
COARSE_YAW_STEP = 3.0
FINE_YAW_STEP = 0.5
FINE_PITCH_STEPS = (-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0)
HYPOTHESES = 4  # coarse peaks refined
# the coarse stage uses the near ground only, which a pitch off by half a PITCHES step distorts
# least: up to this many camera heights (and at least COARSE_RANGE_PX coarse pixels)
COARSE_RANGE_HEIGHTS = 12.0
COARSE_RANGE_PX = 8
# uncertainty calibration: the score surface's spread times these, fitted on 14 rendered views of
# the made-up 0.3 m ground (bench_modes_ground views, seed 23; errors of the answered ones were
# 0.1-2.4x the raw position sigma, mostly from the 0.5-degree pitch steps; yaw errors 0.1-2.5x)
POSITION_SIGMA_SCALE = 1.5
YAW_SIGMA_SCALE = 1.0
MIN_TEMPLATE_PX = 24  # BEV pixels of ground needed
APART_M = 8.0  # a hypothesis this far from the winner (or APART_DEG off) is a different one
APART_DEG = 10.0
FINE_REACH = 4  # the fine stage searches this many coarse pixels round each hypothesis


@dataclass
class Scored:
    score: float
    x: float  # east of the fix, m
    y: float  # north
    yaw: float
    pitch: float
    maps: dict = field(default_factory=dict)  # yaw -> score map at the best pitch (fine stage)
    cx: float = 0.0  # where the maps are centred (east, north of the fix, m)
    cy: float = 0.0


# ---------------------------------------------------------------- correlation


def masked_ncc(window: np.ndarray, wvalid: np.ndarray, templ: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Zero-mean NCC of the template (within its mask) at every offset of the window; -1 where
    the template would cover reference nodata."""
    n = float(mask.sum())
    if n < 10:
        return np.full(
            (window.shape[0] - templ.shape[0] + 1, window.shape[1] - templ.shape[1] + 1), -1.0, np.float32
        )
    tz = (templ - float((templ * mask).sum()) / n) * mask
    tnorm = math.sqrt(float((tz * tz).sum())) + 1e-9
    num = cv2.matchTemplate(window, tz, cv2.TM_CCORR)
    s1 = cv2.matchTemplate(window, mask, cv2.TM_CCORR)
    s2 = cv2.matchTemplate(window * window, mask, cv2.TM_CCORR)
    var = np.maximum(s2 - s1 * s1 / n, 1e-6)
    ncc = num / (tnorm * np.sqrt(var))
    holes = cv2.matchTemplate(1.0 - wvalid, mask, cv2.TM_CCORR)
    ncc[holes > 0.02 * n] = -1.0
    return ncc.astype(np.float32)


def rotated(bev: Bev, yaw: float) -> tuple[np.ndarray, np.ndarray]:
    """The BEV and its mask turned so that the camera's forward points at `yaw` (clockwise from
    north) in a north-up image."""
    n = bev.image.shape[0]
    c = (n - 1) / 2
    A = cv2.getRotationMatrix2D((c, c), -yaw, 1.0)  # OpenCV: positive angles turn counter-clockwise
    img = cv2.warpAffine(bev.image, A, (n, n), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpAffine(bev.mask, A, (n, n), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = (mask > 0.99).astype(np.float32)
    return img * mask, mask


def score_maps(
    bevs: list[Bev],
    window: np.ndarray,
    wvalid: np.ndarray,
    yaws: np.ndarray,
    radius_px: float,
    cancel: Cancel | None = None,
) -> list[tuple[float, float, np.ndarray]]:
    """(pitch, yaw, score map) per hypothesis; the map's centre is the window's centre, positions
    beyond radius_px from it are -1."""
    out = []
    for bev in bevs:
        for yaw in yaws:
            if cancel and cancel():
                raise Cancelled()
            t, m = rotated(bev, float(yaw))
            s = masked_ncc(window, wvalid, t, m)
            out.append((bev.pitch, float(yaw), _in_circle(s, radius_px)))
    return out


def _in_circle(s: np.ndarray, radius_px: float) -> np.ndarray:
    h, w = s.shape
    jj, ii = np.mgrid[0:h, 0:w]
    far = np.hypot(ii - (w - 1) / 2, jj - (h - 1) / 2) > radius_px + 0.5
    s[far] = -1.0
    return s


def peaks(
    maps: list[tuple[float, float, np.ndarray]], res_m: float, count: int, apart_m: float, apart_deg: float
) -> list[Scored]:
    """The `count` best (score, position, yaw, pitch), each clearly apart from the better ones."""
    cands = []
    for pitch, yaw, s in maps:
        h, w = s.shape
        # local maxima of each map
        dil = cv2.dilate(s, np.ones((3, 3), np.uint8))
        jj, ii = np.nonzero((s >= dil) & (s > -0.5))
        order = np.argsort(-s[jj, ii])[:6]
        for k in order:
            j, i = int(jj[k]), int(ii[k])
            cands.append(
                Scored(float(s[j, i]), (i - (w - 1) / 2) * res_m, ((h - 1) / 2 - j) * res_m, yaw, pitch)
            )
    cands.sort(key=lambda c: -c.score)
    out: list[Scored] = []
    for c in cands:
        if all(not _same(c, o, apart_m, apart_deg) for o in out):
            out.append(c)
            if len(out) == count:
                break
    return out


def _same(a: Scored, b: Scored, apart_m: float, apart_deg: float) -> bool:
    return math.hypot(a.x - b.x, a.y - b.y) < apart_m and _yaw_diff(a.yaw, b.yaw) < apart_deg


def _yaw_diff(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def subpixel(s: np.ndarray, j: int, i: int) -> tuple[float, float]:
    """Parabolic peak offset (di, dj) in a 3x3 neighbourhood."""

    def one(a: float, b: float, c: float) -> float:
        den = a - 2 * b + c
        return 0.0 if den >= 0 else float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))

    h, w = s.shape
    di = one(s[j, i - 1], s[j, i], s[j, i + 1]) if 0 < i < w - 1 else 0.0
    dj = one(s[j - 1, i], s[j, i], s[j + 1, i]) if 0 < j < h - 1 else 0.0
    return di, dj


# ---------------------------------------------------------------- the whole search


def locate_ground(
    photo: str | Photo,
    sources: list[RasterSource],
    prior_params: dict[str, Any] | None = None,
    *,
    heading_deg: float | None = None,
    heading_sigma_deg: float | None = None,
    pitch_deg: float | None = None,
    height_m: float | None = None,
    focal_px: float | None = None,
    requested: str = "ground",
    horizon: bool = True,
    index_info: dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """x, y and yaw of a ground photo: the result FeatureCollection (docs/LOCATE.md "Ground
    photos"). A fix (the photo's EXIF GPS or --near) is required: PriorError otherwise.
    `horizon` False: no pitch or roll from the horizon (the benchmark's comparison)."""
    t0 = time.perf_counter()
    timing: dict[str, float] = {}
    step = stepper(progress, cancel, "locate")
    step("photo", 0.0, "reading the photo")
    if not isinstance(photo, Photo):
        photo = load_photo(photo, max_side=1024)
    # the prior first: a photo without a fix is refused before anything is computed
    prior = ground_prior(photo.exif or {}, prior_params, heading_deg, heading_sigma_deg)
    cam, notes = ground_camera(photo, height_m, pitch_deg, focal_px)
    t = time.perf_counter()
    if horizon:
        hz = detect_horizon(photo.rgb, cam.focal_px, cam.focal_source)
        notes += use_horizon(cam, hz)
    else:
        hz = Horizon(False, "not looked for")
    notes = list(photo.exif.get("exif_warnings", [])) + notes
    if prior.heading_source.startswith("EXIF") and "(M)" in prior.heading_source:
        notes.append("the EXIF heading is magnetic: taken as true north (declination not corrected)")
    timing["horizon"] = time.perf_counter() - t
    timing["load_photo"] = t - t0
    gray = cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2GRAY)
    pyramid = photo_pyramid(gray)
    base = {
        "type": "FeatureCollection",
        "photo": {**photo.summary(), "cloud_share": 0.0},
        "index": index_info or {},
        "photo_kind": {"kind": "ground", "requested": requested, "reason": "given"},
        "prior": {
            **prior.region().summary(),
            "heading_deg": prior.heading_deg,
            "heading_sigma_deg": prior.heading_sigma_deg if prior.heading_deg is not None else None,
            "heading_source": prior.heading_source or None,
        },
    }

    ref_px = ref_pixel_m(sources, prior.lon, prior.lat)
    coarse_res, range_m = resolutions(cam, ref_px, prior.radius_m)
    fine_res = coarse_res / 2

    # is there ground to match? (the most favourable pitch searched)
    step("bev", 0.05, "projecting the photo's ground")
    t = time.perf_counter()
    coarse_range = min(range_m, max(COARSE_RANGE_HEIGHTS * cam.height_m, COARSE_RANGE_PX * coarse_res))
    coarse_bevs = [make_bev(gray, pyramid, cam, p, coarse_res, coarse_range) for p in cam.pitches]
    timing["bev"] = time.perf_counter() - t
    best_share = max(coarse_bevs, key=lambda b: b.ground_share)
    best_texture = max(coarse_bevs, key=lambda b: b.ground_std)
    ground = {
        "height_m": cam.height_m,
        "focal_px": round(cam.focal_px / photo.scale, 2),
        "focal_source": cam.focal_source,
        "hfov_deg": round(math.degrees(2 * math.atan(cam.size[0] / 2 / cam.focal_px)), 2),
        "pitches_deg": list(cam.pitches),
        "pitch_source": cam.pitch_source,
        "roll_deg": cam.roll_deg,
        "roll_source": cam.roll_source,
        "horizon": hz.summary(),
        "range_m": round(range_m, 1),
        "resolution_m": round(fine_res, 3),
        "reference_pixel_m": round(ref_px, 3),
        "ground_share": round(best_share.ground_share, 4),
        "ground_std": round(best_texture.ground_std, 2),
    }
    problem = ""
    if best_share.ground_share < MIN_GROUND_SHARE:
        problem = (
            f"too little visible ground: {100 * best_share.ground_share:.0f}% of the photo sees the ground "
            f"within {ground['range_m']:.0f} m (pitch {best_share.pitch:g} deg below the horizon; at least "
            f"{100 * MIN_GROUND_SHARE:.0f}% needed)"
        )
    elif best_texture.ground_std < MIN_GROUND_STD or int(best_share.mask.sum()) < MIN_TEMPLATE_PX:
        problem = (
            f"too little visible ground: the ground in the photo has no texture (detail std "
            f"{best_texture.ground_std:.2f} grey levels, at least {MIN_GROUND_STD:g}; sky, fog, water or "
            "a blank frame)"
        )
    if problem:
        return _finish(base, ground, "not_found", problem, [], photo, prior, notes, timing, t0, 0.0)

    # coarse: every pitch, the whole yaw range, the whole radius
    step("correlate", 0.15, "correlating the bird's-eye view with the reference")
    t = time.perf_counter()
    window, wvalid, ref_path = reference_window(
        sources, prior.lon, prior.lat, prior.radius_m + range_m + coarse_res, coarse_res
    )
    yaws = prior.yaws(COARSE_YAW_STEP)
    coarse = score_maps(coarse_bevs, window, wvalid, yaws, prior.radius_m / coarse_res, cancel)
    hyps = peaks(coarse, coarse_res, HYPOTHESES, apart_m=4 * coarse_res, apart_deg=10.0)
    timing["coarse"] = time.perf_counter() - t

    # fine: round each hypothesis, finer yaw (and pitch when searched) and position
    step("correlate", 0.6, "refining the best hypotheses")
    t = time.perf_counter()
    results, all_fine, fine_bevs = fine_stage(
        hyps, gray, pyramid, cam, sources, prior, coarse_res, range_m, cancel
    )
    timing["fine"] = time.perf_counter() - t
    results.sort(key=lambda r: -r.score)
    if not results or results[0].score <= -0.5:  # -1: no position where the imagery meets the view
        return _finish(
            base,
            ground,
            "not_found",
            "no position could be scored: the index imagery does not reach the ground the photo shows "
            "round the fix",
            [],
            photo,
            prior,
            notes,
            timing,
            t0,
            0.0,
        )
    win = results[0]
    win.yaw = _refine_yaw(win)
    # the best clearly different hypothesis (coarse and fine maps): the ambiguity
    second = _second_best(win, all_fine, fine_res)
    margin = win.score - second
    ellipse, yaw_sigma, pos_sigma = uncertainty(win, fine_res, fine_bevs[win.pitch], second)
    confidence = float(np.clip(margin / (2 * MIN_MARGIN), 0.0, 1.0)) if win.score >= MIN_SCORE else 0.0
    ground.update(
        {
            "pitch_deg": round(win.pitch, 2),
            "score": round(win.score, 4),
            "second_score": round(second, 4),
            "margin": round(margin, 4),
            "yaws_searched_deg": [round(float(yaws[0]), 2), round(float(yaws[-1]), 2), len(yaws)],
            "reference": ref_path,
            "hypotheses": [
                {
                    "score": round(r.score, 4),
                    "east_m": round(r.x, 2),
                    "north_m": round(r.y, 2),
                    "yaw_deg": round(r.yaw % 360, 2),
                    "pitch_deg": r.pitch,
                }
                for r in results
            ],
        }
    )
    lonlat = from_enu(prior.lon, prior.lat, np.array([[win.x, win.y, 0.0]]))[0]
    camera = camera_feature(
        float(lonlat[0]), float(lonlat[1]), win, ellipse, yaw_sigma, pos_sigma, cam, photo
    )
    ground["visible_ground"] = rounded_geometry(mapping(visible_polygon(fine_bevs[win.pitch], prior, win)))
    if win.score < MIN_SCORE:
        reason = f"no match: the best correlation {win.score:.2f} is below {MIN_SCORE}"
    elif margin < MIN_MARGIN:
        reason = (
            f"ambiguous: the best position (correlation {win.score:.2f}) leads a clearly different one "
            f"by {margin:.3f} (at least {MIN_MARGIN} needed)"
        )
    else:
        reason = ""
    if reason:
        base["rejected_camera"] = camera["properties"] | {
            "lon": camera["geometry"]["coordinates"][0],
            "lat": camera["geometry"]["coordinates"][1],
        }
        return _finish(base, ground, "not_found", reason, [], photo, prior, notes, timing, t0, confidence)
    return _finish(base, ground, "ok", "", [camera], photo, prior, notes, timing, t0, confidence)


def fine_stage(
    hyps: list[Scored],
    gray: np.ndarray,
    pyramid: list[np.ndarray],
    cam: GroundCamera,
    sources: list[RasterSource],
    prior: GroundPrior,
    coarse_res: float,
    range_m: float,
    cancel: Cancel | None,
) -> tuple[list[Scored], list, dict[float, Bev]]:
    """Round each coarse hypothesis: yaw in FINE_YAW_STEP steps, pitch in FINE_PITCH_STEPS (when
    searched), position within FINE_REACH coarse pixels, at half the coarse resolution. (the
    refined hypotheses, every fine score map with its centre, the fine BEVs by pitch)."""
    fine_res = coarse_res / 2
    fine_bevs: dict[float, Bev] = {}
    reach = FINE_REACH * coarse_res
    results: list[Scored] = []
    all_fine: list[tuple[float, float, np.ndarray, float, float]] = []
    for h in hyps:
        pitches = (
            sorted(
                {float(np.clip(h.pitch + d, min(cam.pitches), max(cam.pitches))) for d in FINE_PITCH_STEPS}
            )
            if len(cam.pitches) > 1
            else [h.pitch]
        )
        for p in pitches:
            if p not in fine_bevs:
                fine_bevs[p] = make_bev(gray, pyramid, cam, p, fine_res, range_m)
        hlon, hlat = from_enu(prior.lon, prior.lat, np.array([[h.x, h.y, 0.0]]))[0, :2]
        try:
            fwin, fvalid, _ = reference_window(
                sources, float(hlon), float(hlat), range_m + reach + fine_res, fine_res
            )
        except PriorError:  # a hypothesis beyond the imagery, where the fix's circle leaves it
            continue
        fyaws = (h.yaw + np.arange(-COARSE_YAW_STEP, COARSE_YAW_STEP + 1e-9, FINE_YAW_STEP)) % 360.0
        maps = score_maps([fine_bevs[p] for p in pitches], fwin, fvalid, fyaws, reach / fine_res, cancel)
        all_fine += [(p, yw, m, h.x, h.y) for p, yw, m in maps]
        best = max(maps, key=lambda m: float(m[2].max()))
        s = best[2]
        j, i = np.unravel_index(int(np.argmax(s)), s.shape)
        di, dj = subpixel(s, int(j), int(i))
        hh, ww = s.shape
        sc = Scored(
            float(s[j, i]),
            h.x + (i + di - (ww - 1) / 2) * fine_res,
            h.y + ((hh - 1) / 2 - (j + dj)) * fine_res,
            best[1],
            best[0],
            maps={yw: m for p, yw, m in maps if p == best[0]},
            cx=h.x,
            cy=h.y,
        )
        results.append(sc)
    return results, all_fine, fine_bevs


def _refine_yaw(win: Scored) -> float:
    """Parabolic yaw peak over the fine yaw profile (best score per yaw at the winning pitch)."""
    ys = sorted(win.maps)
    prof = [float(win.maps[y].max()) for y in ys]
    k = int(np.argmax(prof))
    if 0 < k < len(prof) - 1:
        a, b, c = prof[k - 1], prof[k], prof[k + 1]
        den = a - 2 * b + c
        if den < 0:
            return (ys[k] + float(np.clip(0.5 * (a - c) / den, -0.5, 0.5)) * FINE_YAW_STEP) % 360.0
    return ys[k] % 360.0


def _second_best(win: Scored, fine, res: float) -> float:
    """The best score (fine stage, so at the winner's resolution) of a hypothesis clearly apart
    from the winner: more than APART_M away, or more than APART_DEG of yaw off."""
    best = -1.0
    for _, yaw, s, cx, cy in fine:
        h, w = s.shape
        if _yaw_diff(yaw, win.yaw) >= APART_DEG:
            far = np.ones_like(s, bool)
        else:
            jj, ii = np.mgrid[0:h, 0:w]
            far = (
                np.hypot(cx + (ii - (w - 1) / 2) * res - win.x, cy + ((h - 1) / 2 - jj) * res - win.y)
                > APART_M
            )
        if far.any():
            best = max(best, float(s[far].max()))
    return best


def uncertainty(win: Scored, res: float, bev: Bev, second: float) -> tuple[dict, float, float]:
    """The 1-sigma position ellipse and yaw sigma from the score surface round the peak: the
    scores as a log-likelihood, N_eff (S - S_max) / (1 - S_max^2) with N_eff the BEV's independent
    samples (its masked pixels over the normalisation's correlation area), weighed over the map
    (a near second peak widens it) and over the yaw profile; *_SIGMA_SCALE calibrate them."""
    s = win.maps[min(win.maps, key=lambda y: _yaw_diff(y, win.yaw))]
    n_eff = max(float(bev.mask.sum()) / max((2 * LCN_SIGMA_M / res) ** 2, 1.0), 4.0)
    smax = float(s.max())
    tau = max(1.0 - smax * smax, 0.05) / n_eff
    h, w = s.shape
    jj, ii = np.mgrid[0:h, 0:w]
    x = win.cx + (ii - (w - 1) / 2) * res
    y = win.cy + ((h - 1) / 2 - jj) * res
    wgt = np.where(s > -0.5, np.exp(np.clip((s - smax) / tau, -50, 0)), 0.0)
    wsum = float(wgt.sum())
    mx, my = float((wgt * x).sum() / wsum), float((wgt * y).sum() / wsum)
    cxx = float((wgt * (x - mx) ** 2).sum() / wsum) + (res**2) / 12
    cyy = float((wgt * (y - my) ** 2).sum() / wsum) + (res**2) / 12
    cxy = float((wgt * (x - mx) * (y - my)).sum() / wsum)
    cov = POSITION_SIGMA_SCALE**2 * np.array([[cxx, cxy], [cxy, cyy]])
    vals, vecs = np.linalg.eigh(cov)
    major = vecs[:, 1]
    angle = math.degrees(math.atan2(major[0], major[1])) % 180.0  # clockwise from north
    ellipse = {
        "semi_major_m": round(math.sqrt(max(vals[1], 0.0)), 2),
        "semi_minor_m": round(math.sqrt(max(vals[0], 0.0)), 2),
        "angle_deg": round(angle, 1),
    }
    ys = sorted(win.maps)
    prof = np.array([float(win.maps[yy].max()) for yy in ys])
    d = np.array([((yy - win.yaw + 180) % 360) - 180 for yy in ys])
    wy = np.exp(np.clip((prof - prof.max()) / tau, -50, 0))
    yaw_sigma = YAW_SIGMA_SCALE * math.sqrt(float((wy * d**2).sum() / wy.sum()) + FINE_YAW_STEP**2 / 12)
    pos_sigma = math.sqrt(max(vals[0], 0.0) + max(vals[1], 0.0))
    return ellipse, round(yaw_sigma, 2), round(pos_sigma, 2)


def visible_polygon(bev: Bev, prior: GroundPrior, win: Scored) -> Polygon:
    """The ground the photo shows (the BEV mask's outline) at the found pose, in lon/lat."""
    mask = (bev.mask > 0).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pts = max(contours, key=cv2.contourArea).reshape(-1, 2).astype(float)
    pts = cv2.approxPolyDP(pts.astype(np.float32), 1.0, True).reshape(-1, 2).astype(float)
    c = (bev.mask.shape[0] - 1) / 2
    xr, yf = (pts[:, 0] - c) * bev.res_m, (c - pts[:, 1]) * bev.res_m
    a = math.radians(win.yaw)
    e = win.x + xr * math.cos(a) + yf * math.sin(a)
    n = win.y - xr * math.sin(a) + yf * math.cos(a)
    ll = from_enu(prior.lon, prior.lat, np.column_stack([e, n, np.zeros_like(e)]))[:, :2]
    return Polygon(ll).buffer(0)


def camera_feature(
    lon: float,
    lat: float,
    win: Scored,
    ellipse: dict,
    yaw_sigma: float,
    pos_sigma: float,
    cam: GroundCamera,
    photo: Photo,
) -> dict:
    """The CAMERA feature of a ground photo (the contract the QGIS side draws)."""
    props: dict[str, Any] = {
        "kind": CAMERA,
        "photo_kind": "ground",
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "yaw_deg": round(win.yaw % 360.0, 2),
        "yaw_sigma_deg": yaw_sigma,
        "ellipse": ellipse,
        "position_sigma_m": pos_sigma,
        "score": round(win.score, 4),
        "pitch_deg": round(win.pitch, 2),
        "pitch_source": cam.pitch_source,
        "roll_deg": cam.roll_deg,
        "roll_source": cam.roll_source,
        "height_m": cam.height_m,
        "focal_px": round(cam.focal_px / photo.scale, 2),
        "focal_source": cam.focal_source,
        "hfov_deg": round(math.degrees(2 * math.atan(cam.size[0] / 2 / cam.focal_px)), 2),
    }
    exif = photo.exif or {}
    if "gps_lat" in exif and "gps_lon" in exif:
        props["gps_check_m"] = round(
            crs_mod.geodesic_distance_m(float(exif["gps_lon"]), float(exif["gps_lat"]), lon, lat), 1
        )
    return {
        "type": "Feature",
        "id": "camera",
        "geometry": rounded_geometry(mapping(Point(lon, lat))),
        "properties": props,
    }


def _finish(
    base: dict,
    ground: dict,
    status: str,
    reason: str,
    feats: list[dict],
    photo: Photo,
    prior: GroundPrior,
    notes: list[str],
    timing: dict[str, float],
    t0: float,
    confidence: float,
) -> dict:
    from .locate import exif_position_feature

    out = dict(base)
    out["status"] = status
    out["confidence"] = round(confidence, 4)
    if reason:
        out["reason"] = reason
    out["ground"] = ground
    if notes:
        out["warnings"] = notes
    timing["total"] = time.perf_counter() - t0
    out["timing"] = {k: round(v, 4) for k, v in timing.items()}
    region = prior.region()
    features = list(feats) + [region.feature(0)]  # no tiles: the reference is read round the fix
    camera = feats[0] if feats else None
    if (pos := exif_position_feature(photo.exif or {}, camera)) is not None:
        features.append(pos)
    out["features"] = features
    return out
