"""The horizon of a ground photo: the camera's pitch (the optical axis's angle below the horizon)
and roll from the line where the sky meets the ground, or why none was found.

Per column, the sky is the smooth run from the top of the photo down to its first sharp colour
edge (sub-pixel: the peak of the colour derivative); a straight line is fitted through those
edges by RANSAC with a physical prior: on flat ground everything standing on it (buildings,
trees, hills) hides sky *above* the true horizon and nothing hides it from below, so a candidate
line is rewarded for the edges on it and penalised for edges below it; the lowest straight edge
that many columns share wins, not a roofline. Pinhole camera, principal point at the centre, up
the ground's normal: the horizon is the line sin(r) X - cos(r) Y = f tan(p) (X, Y from the
centre, y down), so its slope gives the roll r and its offset the pitch p. docs/LOCATE.md
"Ground photos".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

WORK_WIDTH = 640  # wider photos are reduced to this first (the thresholds below are its pixels)
BLUR_SIGMA_PX = 1.0  # before the edge map (JPEG noise)
ROUGH = 6.0  # colour derivative (grey levels per pixel, any channel) where the sky ends
MIN_SKY_SHARE = 0.03  # a column's smooth top run must be this share of the height to be sky
MAX_ROLL_DEG = 25.0  # lines steeper than this are no horizon of a photo held by hand
TOL_PX = 1.5  # inlier distance (pixels at WORK_WIDTH)
REFINE_TOL_PX = 0.7  # ... at least, when refining
BELOW_PENALTY = 2.0  # an edge below a candidate line counts against it this many times
MIN_INLIER_SHARE = 0.15  # of the photo's columns on the line
MIN_EXTENT_SHARE = 0.35  # ... spanning this share of its width
# a straight sky edge whose inliers run below it over stretches is no horizon (nothing hides the
# true one from below; a line through a wavy tree line or ridge has parts of it below): the RMS of
# the positive part of the inliers' residuals averaged over SAG_COLUMNS neighbours, at most
# MAX_SAG_PX (rendered views: true horizons 0.02-0.19 px, tree lines and ridges 0.22-0.40 px)
SAG_COLUMNS = 15
MAX_SAG_PX = 0.2
MAX_BELOW_SHARE = 0.25  # edges below the fitted line (a sky as dark as the far ground), of its inliers
RANSAC_PAIRS = 400
# the fit's spread understates the error: neighbouring columns' edges are not independent (with
# this and the focal length's share, all 81 horizons found on 120 rendered views lay within 2 sigma)
CORRELATED_COLUMNS = 6.0
MIN_SIGMA_DEG = 0.1  # pixel quantisation of the edge and the flat-ground model
SKY_GROUND_RATIO = 0.8  # the sky just above the horizon at least this bright, of the ground below
FOCAL_REL_SIGMA = {"user": 0.01, "exif": 0.03, "assumed": 0.15}


@dataclass
class Horizon:
    found: bool
    reason: str = ""  # why not, when not found
    pitch_deg: float = math.nan  # the optical axis below the horizon
    pitch_sigma_deg: float = math.nan
    roll_deg: float = math.nan  # the camera turned clockwise about its optical axis
    roll_sigma_deg: float = math.nan
    inlier_share: float = 0.0  # of the columns on the line
    extent_share: float = 0.0  # the inliers' span, of the width
    rms_px: float = math.nan  # the inliers' distance to the line
    sag_px: float = math.nan  # ... where they run below it (MAX_SAG_PX)
    line: tuple[float, float] = (math.nan, math.nan)  # y = a x + b (the photo's pixel edge coordinates)

    def summary(self) -> dict:
        if not self.found:
            return {"found": False, "reason": self.reason}
        return {
            "found": True,
            "pitch_deg": round(self.pitch_deg, 3),
            "pitch_sigma_deg": round(self.pitch_sigma_deg, 3),
            "roll_deg": round(self.roll_deg, 3),
            "roll_sigma_deg": round(self.roll_sigma_deg, 3),
            "inlier_share": round(self.inlier_share, 3),
            "extent_share": round(self.extent_share, 3),
            "rms_px": round(self.rms_px, 3),
            "sag_px": round(self.sag_px, 3),
        }


def sky_edges(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(column centres, sub-pixel rows of the first sharp edge below a smooth top run), both in
    pixel edge coordinates, for the columns whose top run is long enough to be sky."""
    h, w = rgb.shape[:2]
    img = cv2.GaussianBlur(rgb.astype(np.float32), (0, 0), BLUR_SIGMA_PX)
    gx = np.abs(cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3)) / 8
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3) / 8
    rough = (np.maximum(gx, np.abs(gy)).max(axis=2) > ROUGH * 0.5).astype(np.uint8)
    rough[:2] = 0  # the frame's own border
    any_rough = rough.any(axis=0)
    first = np.argmax(rough, axis=0)
    ok = any_rough & (first >= max(4, int(MIN_SKY_SHARE * h)))
    cols = np.nonzero(ok)[0]
    if not len(cols):
        return np.zeros(0), np.zeros(0)
    # the colour derivative along the column (central differences), peak within a few rows
    d = np.linalg.norm(img[2:] - img[:-2], axis=2) / 2  # row k of d is the derivative at row k + 1
    rows = np.empty(len(cols))
    keep = np.zeros(len(cols), bool)
    for n, i in enumerate(cols):
        lo, hi = int(first[i]), min(int(first[i]) + 5, h - 2)
        seg = d[lo - 1 : hi - 1, i]  # derivatives at rows lo..hi-1
        if not len(seg):
            continue
        k = int(np.argmax(seg))
        if seg[k] < ROUGH:
            continue  # texture starting, not an edge
        off = 0.0
        if 0 < k < len(seg) - 1:
            a, b, c = float(seg[k - 1]), float(seg[k]), float(seg[k + 1])
            den = a - 2 * b + c
            off = float(np.clip(0.5 * (a - c) / den, -0.5, 0.5)) if den < 0 else 0.0
        # a peak at row index r (its centre) lies at edge coordinate r + 0.5
        rows[n] = lo + k + off + 0.5
        keep[n] = True
    return cols[keep] + 0.5, rows[keep]


def detect_horizon(rgb: np.ndarray, focal_px: float, focal_source: str = "exif") -> Horizon:
    """The horizon line in the photo (RGB uint8 as loaded; focal_px in its pixels) and the pitch
    and roll it gives, with 1-sigma uncertainties; found False with the reason when there is no
    usable horizon (no sky at the top, the horizon hidden or out of frame)."""
    if rgb.shape[1] > WORK_WIDTH:  # the pixel thresholds hold at this width
        scale = WORK_WIDTH / rgb.shape[1]
        size = (WORK_WIDTH, max(1, round(rgb.shape[0] * scale)))
        hz = detect_horizon(
            cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), focal_px * scale, focal_source
        )
        hz.line = (hz.line[0], hz.line[1] / scale)
        return hz
    h, w = rgb.shape[:2]
    u, v = sky_edges(rgb)
    if len(u) < MIN_INLIER_SHARE * w:
        return Horizon(
            False,
            f"no sky at the top of the photo: {len(u)} of {w} columns start with a smooth run "
            "ending in an edge (a photo looking down, or the sky hidden)",
        )
    x, y = u - w / 2, v - h / 2  # from the principal point (the centre)
    line = _ransac(x, y, w)
    if line is None:
        return Horizon(False, "no straight sky/ground edge across the photo")
    a, b = line
    # refined by least squares within a window tighter than TOL_PX: objects just above the
    # horizon (a low hill, a distant fence) must not pull the line up
    for _ in range(3):
        res = (y - (a * x + b)) / math.hypot(1.0, a)
        near = res[np.abs(res) <= TOL_PX]
        if len(near) < 3:
            break
        mad = float(np.median(np.abs(near - np.median(near))))
        inl = np.abs(res) <= min(TOL_PX, max(REFINE_TOL_PX, 2.5 * 1.4826 * mad))
        if inl.sum() < 3:
            break
        a, b = np.polyfit(x[inl], y[inl], 1)
    res = (y - (a * x + b)) / math.hypot(1.0, a)
    inl = np.abs(res) <= TOL_PX
    below = int((res > TOL_PX).sum())
    n = int(inl.sum())
    extent = float(x[inl].max() - x[inl].min()) / w if n else 0.0
    share = n / w
    if share < MIN_INLIER_SHARE or extent < MIN_EXTENT_SHARE:
        return Horizon(
            False,
            f"the horizon is hidden: the longest straight sky edge covers {100 * share:.0f}% of the "
            f"columns over {100 * extent:.0f}% of the width (at least {100 * MIN_INLIER_SHARE:.0f}% over "
            f"{100 * MIN_EXTENT_SHARE:.0f}%)",
        )
    rms = float(np.sqrt(np.mean(res[inl] ** 2)))
    sag = _sag(res[inl])
    if sag > MAX_SAG_PX:
        return Horizon(
            False,
            f"the horizon is hidden: the best sky edge is not straight (it sags {sag:.2f} px below its line "
            f"over stretches, at most {MAX_SAG_PX:g}: a tree line, hills or buildings)",
        )
    if below > MAX_BELOW_SHARE * n:
        return Horizon(False, f"no consistent horizon: {below} sky edges lie below the best line ({n} on it)")
    if not _sky_brighter(rgb, u[inl].astype(int), v[inl]):
        return Horizon(
            False, "the smooth region above the edge is much darker than the ground below it: no sky"
        )
    roll = math.atan(a)
    tan_p = -b * math.cos(roll) / focal_px
    pitch = math.atan(tan_p)
    # the fit's uncertainty (residuals, columns not independent) and the focal length's
    s2 = max(float(np.var(res[inl])), 1.0 / 12) * CORRELATED_COLUMNS
    xm = float(x[inl].mean())
    sxx = float(((x[inl] - xm) ** 2).sum())
    var_b = s2 * (1.0 / n + xm * xm / sxx)
    var_a = s2 / sxx
    dp_db = math.cos(roll) / focal_px * math.cos(pitch) ** 2
    rel_f = FOCAL_REL_SIGMA.get(focal_source, FOCAL_REL_SIGMA["assumed"])
    var_p = dp_db**2 * var_b + (rel_f * math.sin(pitch) * math.cos(pitch)) ** 2
    sig_p = math.hypot(math.degrees(math.sqrt(var_p)), MIN_SIGMA_DEG)
    sig_r = math.hypot(math.degrees(math.sqrt(var_a) / (1 + a * a)), MIN_SIGMA_DEG)
    return Horizon(
        True,
        pitch_deg=math.degrees(pitch),
        pitch_sigma_deg=sig_p,
        roll_deg=math.degrees(roll),
        roll_sigma_deg=sig_r,
        inlier_share=share,
        extent_share=extent,
        rms_px=rms,
        sag_px=sag,
        line=(float(a), float(b + h / 2 - a * w / 2)),
    )


def _ransac(x: np.ndarray, y: np.ndarray, w: int) -> tuple[float, float] | None:
    """The line y = a x + b through two edges that scores best: edges on it (weighed by their
    distance), less BELOW_PENALTY for each edge below it (deterministic: a fixed seed)."""
    rng = np.random.default_rng(0)
    i = rng.integers(0, len(x), RANSAC_PAIRS)
    j = rng.integers(0, len(x), RANSAC_PAIRS)
    dx = x[j] - x[i]
    ok = np.abs(dx) >= 0.1 * w
    if not ok.any():
        return None
    i, j, dx = i[ok], j[ok], dx[ok]
    a = (y[j] - y[i]) / dx
    steep = np.abs(a) <= math.tan(math.radians(MAX_ROLL_DEG))
    if not steep.any():
        return None
    i, a = i[steep], a[steep]
    b = y[i] - a * x[i]
    res = (y[None, :] - (a[:, None] * x[None, :] + b[:, None])) / np.hypot(1.0, a)[:, None]
    # MSAC: an edge counts the more the closer it is (a tight line beats a loose compromise
    # between the horizon and a low hill above it)
    score = np.clip(1 - (res / TOL_PX) ** 2, 0, None).sum(axis=1) - BELOW_PENALTY * (res > TOL_PX).sum(axis=1)
    k = int(np.argmax(score))
    return float(a[k]), float(b[k])


def _sag(res: np.ndarray) -> float:
    """The RMS of the positive part (below the line) of the residuals, in column order, averaged
    over SAG_COLUMNS neighbours: noise averages out, a stretch running below the line does not."""
    if len(res) > SAG_COLUMNS:
        res = np.convolve(res, np.ones(SAG_COLUMNS) / SAG_COLUMNS, mode="valid")
    return float(np.sqrt(np.mean(np.maximum(res, 0.0) ** 2)))


def _sky_brighter(rgb: np.ndarray, cols: np.ndarray, rows: np.ndarray) -> bool:
    """In the columns on the horizon (their edge at `rows`), a band of sky above it about as
    bright as a band of ground below it or brighter (daylight; a dark smooth wall or shadow is
    no sky)."""
    h = rgb.shape[0]
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    band = 0.05 * h  # the sky near the horizon, its brightest part in daylight
    vv = np.arange(h)[:, None] + 0.5
    d = vv - rows[None, :]
    sub = gray[:, cols]
    sky = sub[(d < -3) & (d > -3 - band)]
    ground = sub[(d > 3) & (d < 3 + band)]
    if sky.size < 50 or ground.size < 50:
        return True  # too little of either to tell
    return float(sky.mean()) >= SKY_GROUND_RATIO * float(ground.mean())
