"""Camera pose from photo-to-ground correspondences, the intrinsics and the priors.

Ground points (lon, lat, h=0 on the WGS84 ellipsoid) are expressed in a local tangent plane
(PROJ `topocentric` east/north/up at the footprint centre), so Earth curvature is in the 3D
points themselves. Orientation angles are reported in the tangent frame at the nadir.

The camera is a pinhole with its principal point at the image centre and focal lengths fx, fy
(pixel aspect fy/fx: a 3:2 frame squeezed to a square image has 1.5). Each pixel-aspect
hypothesis (square pixels, a 3:2 or 2:3 frame squeezed to the image's size, a free aspect) is
fitted by one robust least-squares problem over the pose, the focal length (and the aspect when
free) whose terms are the reprojection errors and the priors: a known focal length (user, EXIF,
lens catalogue), the altitude range (a hard wall plus a weak pull to its middle), a nadir with
its sigma. The evidence (robust chi-square) picks the hypothesis; on a tie a fixed preference
decides (`_preference`). Uncertainties: bootstrap of the points (re-drawing the priors) plus the
spread of the competing hypotheses and local minima weighted by their evidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache

import cv2
import numpy as np
from pyproj import Transformer

from .crs import EARTH_RADIUS_M
from .errors import InputError
from .exif_names import FOCAL_PLANE_SOURCE
from .nasa_frames import ISS_ALTITUDE_BY_ERA_M, iss_altitude_range

ASSUMED_HFOV_DEG = 50.0
# A nadir given to 0.1 deg (NASA's catalogue): +-0.05 deg rounding (~3 km 1-sigma per axis) plus
# the ephemeris at a capture time good to about a second (the ISS moves 7.7 km/s).
NADIR_SIGMA_ROUNDED_M = 5_000.0
ASSUMED_LOG_SIGMA = 0.7  # weak pull of an unknown focal towards the assumed field of view
FOCAL_SIGMA_REL = {"user": 0.005, "exif": 0.02, "lens": 0.02}
FRAME_ASPECT = 1.5  # every Nikon body flown on the ISS has a 3:2 frame
# ... to within 0.4% (D5 5568 x 3712 is 1.5000, D4 4928 x 3280 1.5024, D2Xs 4288 x 2848 1.5056): the
# 1-sigma of a squeezed or lens frame's pixel aspect; a photo resized keeping its aspect is square
# only to within the rounding of its size to whole pixels (half a pixel of its short side).
FRAME_ASPECT_SIGMA_REL = 0.003
CAUCHY = 3.0  # robust loss scale, in units of the pixel noise
TIE = 6.0  # chi-square difference below which hypotheses are not separated
FREE_ASPECT_PENALTY_PER_LN_N = 1.0
# Prior odds 1:100 (2 ln 100 in chi-square) against a free aspect, and against a squeezed frame
# when the photo is not square (resizing to another shape without keeping the aspect is rare;
# real correspondences carry systematic errors that an extra aspect can absorb).
UNLIKELY_PENALTY = 2 * math.log(100)
BOOTSTRAP = 12
# The ground points are the reference's lon/lat at height 0, but a photo sees the terrain: a hill
# h high shows h tan(incidence) nearer the camera, the same way for a whole range, which no
# resample of the points shows. No elevation model ships, so the sigma adds the spread of
# RELIEF_DRAWS fits on drawn terrain: a smooth random relief of this standard deviation (at most
# RELIEF_SHARE of the camera's height). bench-pose --relief-m measures what it covers.
RELIEF_STD_M = 500.0
RELIEF_SHARE = 0.02
RELIEF_WAVES = 6
RELIEF_DRAWS = 6
FOCAL_GRID = np.geomspace(0.35, 50.0, 12)  # fx / image width: ~110 deg to ~1.1 deg field of view
MULTI_START = 3
ORBITAL_M = 100_000.0  # a hard altitude prior above this: a photo from orbit
SPACE_M = 80_000.0  # a fitted altitude above this: taken from space (aircraft and balloons stay below ~40 km)
# With the focal length a guess the altitude is one too, but not the ground width: a near-nadir
# view this wide is from space (a U-2 at 21 km with a 60-degree lens sees ~24 km).
SPACE_WIDTH_M = 40_000.0
UNOBSERVED_LOG_SIGMA = 0.25  # a focal the data fix worse than ~+-28% is 'assumed'

# Sensor widths (mm) of camera bodies used for Earth photography from the ISS and aircraft.
SENSOR_WIDTH_MM = {
    "nikon d1": 23.7,
    "nikon d1x": 23.7,
    "nikon d1h": 23.7,
    "nikon d100": 23.7,
    "nikon d2x": 23.7,
    "nikon d2xs": 23.7,
    "nikon d200": 23.6,
    "nikon d300": 23.6,
    "nikon d300s": 23.6,
    "nikon d3": 36.0,
    "nikon d3s": 36.0,
    "nikon d3x": 35.9,
    "nikon d4": 36.0,
    "nikon d4s": 36.0,
    "nikon d5": 35.9,
    "nikon d6": 35.9,
    "nikon d800": 35.9,
    "nikon d800e": 35.9,
    "nikon d810": 35.9,
    "nikon d850": 35.9,
    "nikon z 9": 35.9,
    "nikon z9": 35.9,
    "kodak dcs760": 27.65,
}


@dataclass(frozen=True)
class AltitudePrior:
    lo_m: float
    hi_m: float
    source: str
    hard: bool = True  # hard: the solution stays inside [lo, hi]; soft: a Gaussian pull only
    centre_m: float | None = None  # the pull's centre when not the range's middle

    @property
    def mid(self) -> float:
        return self.centre_m if self.centre_m is not None else 0.5 * (self.lo_m + self.hi_m)

    @property
    def pull_sigma(self) -> float:
        """The pull to the middle: decides where the data leave the altitude free. (As wide as
        the whole range it was measured slightly worse on bench-pose: 2.07 vs 1.92 km median.)"""
        return max(0.5 * (self.hi_m - self.lo_m), 1e-3 * self.mid, 1.0)


# Every ISS era: the orbit of the photos this product is for. Where the data leave the altitude
# free the pull goes to today's orbit, not the middle of all eras: most ISS frames were taken
# since the 2011 reboost (digital bodies, far more frames per expedition).
ASSUMED_ORBIT = AltitudePrior(
    min(lo for lo, _ in ISS_ALTITUDE_BY_ERA_M.values()),
    max(hi for _, hi in ISS_ALTITUDE_BY_ERA_M.values()),
    "the ISS orbit (assumed: a photo from space)",
    centre_m=0.5 * sum(ISS_ALTITUDE_BY_ERA_M["late"]),
)


@dataclass
class Pose:
    lon: float
    lat: float
    altitude_m: float
    tilt_deg: float
    azimuth_deg: float
    roll_deg: float
    hfov_deg: float
    vfov_deg: float
    focal_px: float  # fx, image x direction
    focal_source: str  # user | exif | lens | estimated | prior | assumed
    pixel_aspect: float = 1.0  # fy / fx
    pixel_aspect_model: str = "square pixels"
    pixel_aspect_decision: str = ""
    sigmas: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reprojection_px: float = 0.0
    data_altitude_sigma_m: float = math.inf  # the altitude's sigma from the points alone (not output)

    def ground_points(self, width: int, height: int, pix: np.ndarray) -> np.ndarray:
        """lon/lat seen at photo px (of the w x h image the pose was solved on); NaN off the Earth."""
        R = rotation_from_angles(self.tilt_deg, self.azimuth_deg, self.roll_deg)
        fy = self.focal_px * self.pixel_aspect
        return rays_to_ground(self.lon, self.lat, self.altitude_m, R, self.focal_px, width, height, pix, fy)

    def properties(self) -> dict:
        d = asdict(self)
        sig = d.pop("sigmas")
        d.pop("data_altitude_sigma_m")
        out = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in d.items()}
        out.update({f"{k}_sigma": round(float(v), 6) for k, v in sig.items()})
        return out


# --- frames -------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def enu(lon0: float, lat0: float) -> Transformer:
    """lon/lat (deg)/h (m) <-> east/north/up (m) at (lon0, lat0, 0)."""
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS84 "
        f"+step +proj=topocentric +ellps=WGS84 +lon_0={lon0:.10f} +lat_0={lat0:.10f} +h_0=0"
    )


def to_enu(lon0: float, lat0: float, lon, lat, h) -> np.ndarray:
    e, n, u = enu(lon0, lat0).transform(np.asarray(lon, float), np.asarray(lat, float), np.asarray(h, float))
    return np.column_stack([np.atleast_1d(e), np.atleast_1d(n), np.atleast_1d(u)])


def from_enu(lon0: float, lat0: float, xyz: np.ndarray) -> np.ndarray:
    xyz = np.asarray(xyz, float).reshape(-1, 3)
    lon, lat, h = enu(lon0, lat0).transform(xyz[:, 0], xyz[:, 1], xyz[:, 2], direction="INVERSE")
    return np.column_stack([np.atleast_1d(lon), np.atleast_1d(lat), np.atleast_1d(h)])


def rotation_from_angles(tilt_deg: float, azimuth_deg: float, roll_deg: float) -> np.ndarray:
    """Camera-to-ENU rotation (columns: image right, image down, optical axis).

    tilt 0 looks straight down with image-up towards `azimuth`; tilt > 0 pitches the optical
    axis towards `azimuth`; roll turns the camera clockwise about its optical axis.
    """
    t, a, r = (math.radians(v) for v in (tilt_deg, azimuth_deg, roll_deg))
    fwd = np.array([math.sin(t) * math.sin(a), math.sin(t) * math.cos(a), -math.cos(t)])
    up0 = np.array([math.cos(t) * math.sin(a), math.cos(t) * math.cos(a), math.sin(t)])
    right0 = np.cross(-up0, fwd)
    up = math.cos(r) * up0 - math.sin(r) * right0
    right = math.cos(r) * right0 + math.sin(r) * up0
    return np.column_stack([right, -up, fwd])


def angles_from_rotation(R: np.ndarray) -> tuple[float, float, float]:
    fwd, up = R[:, 2], -R[:, 1]
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, -fwd[2]))))
    if math.hypot(fwd[0], fwd[1]) < 1e-6:  # exactly nadir: azimuth is where image-up points
        return tilt, math.degrees(math.atan2(up[0], up[1])) % 360, 0.0
    az = math.atan2(fwd[0], fwd[1])
    t = math.radians(tilt)
    up0 = np.array([math.cos(t) * math.sin(az), math.cos(t) * math.cos(az), math.sin(t)])
    right0 = np.cross(-up0, fwd)
    roll = math.degrees(math.atan2(-float(up @ right0), float(up @ up0)))
    return tilt, math.degrees(az) % 360, roll


def rays_to_ground(
    lon: float,
    lat: float,
    alt: float,
    R: np.ndarray,
    fx: float,
    w: int,
    h: int,
    pix: np.ndarray,
    fy: float | None = None,
    height: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """lon/lat where each photo pixel's ray meets the WGS84 ellipsoid (NaN where it misses), for
    a camera `alt` m above the nadir (lon, lat) with camera-to-ENU rotation R (rotation_from_angles).

    height(lonlat) -> m: terrain above the ellipsoid instead (the lon/lat an orthorectified
    reference maps the hit to); the steps then converge while the terrain's slope is gentler
    than the ray's (bench-pose --relief-m)."""
    K_inv = np.linalg.inv(_K(fx, fy or fx, w, h))
    d = (R @ K_inv @ np.column_stack([pix, np.ones(len(pix))]).T).T
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    C = np.array([0.0, 0.0, alt])
    # start on the sphere of the Earth's mean radius (a flat-ground start overshoots oblique rays)
    r = EARTH_RADIUS_M
    b = d @ (C + [0.0, 0.0, r])
    disc = b**2 - (alt**2 + 2 * alt * r)
    t = np.where(disc >= 0, -b - np.sqrt(np.maximum(disc, 0.0)), np.nan)
    down = np.maximum(-d[:, 2], 1e-6)

    def above_ground(geo: np.ndarray) -> np.ndarray:
        return geo[:, 2] if height is None else geo[:, 2] - height(geo[:, :2])

    for _ in range(6 if height is None else 30):  # Newton on the height above the ground along the ray
        t = t + above_ground(from_enu(lon, lat, C + t[:, None] * d)) / down
    geo = from_enu(lon, lat, C + t[:, None] * d)
    bad = ~np.isfinite(t) | (t <= 0) | (np.abs(above_ground(geo)) > 1.0)
    geo[bad, :2] = np.nan
    return geo[:, :2]


def _K(fx: float, fy: float, w: int, h: int) -> np.ndarray:
    return np.array([[fx, 0, w / 2], [0, fy, h / 2], [0, 0, 1]], float)


# --- focal length -------------------------------------------------------------------------
def _sensor_key(camera: str) -> str | None:
    model = re.sub(r"\s+", " ", camera.lower()).strip()
    model = model.replace("nikon corporation ", "").replace("nikon nikon", "nikon")
    for key in sorted(SENSOR_WIDTH_MM, key=len, reverse=True):
        if model.endswith(key) or model.endswith(key.replace("nikon ", "")):
            return key
    return None


def sensor_size_mm(camera: str) -> tuple[float, float]:
    """Sensor width and height (mm) of a known camera body (3:2 frame); InputError otherwise."""
    key = _sensor_key(camera or "")
    if key is None:
        raise InputError(
            f"unknown camera {camera!r} for the lens focal length",
            "give a camera body such as 'Nikon D5' (see pose.SENSOR_WIDTH_MM) or --focal-px",
        )
    return SENSOR_WIDTH_MM[key], SENSOR_WIDTH_MM[key] / FRAME_ASPECT


def focal_from_exif(exif: dict, width: int, height: int) -> tuple[float | None, str]:
    """Focal length in pixels along the long side of the image as loaded, and how it was derived,
    from a photo's EXIF summary (`exif_names`; `photo.exif_summary` derives a missing 35 mm
    equivalent from the focal-plane resolution already)."""
    long_side = max(width, height)
    f35 = _num(exif.get("focal_length_35mm"))
    if f35 and f35 > 0:
        derived = exif.get("focal_length_35mm_source") == FOCAL_PLANE_SOURCE
        return f35 / 36.0 * long_side, (
            "FocalLength and focal-plane resolution" if derived else "FocalLengthIn35mmFilm"
        )
    fmm = _num(exif.get("focal_length_mm"))
    if not fmm or fmm <= 0:
        return None, ""
    key = _sensor_key(f"{exif.get('camera_make') or ''} {exif.get('camera_model') or ''}")
    if key:
        return fmm / SENSOR_WIDTH_MM[key] * long_side, f"FocalLength and {key} sensor width"
    return None, ""


def _num(v) -> float | None:
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def focal_from_homography(img_pts: np.ndarray, ground_xy: np.ndarray, w: int, h: int) -> float | None:
    """Focal (px, square pixels) from the ground-plane -> image homography: r1.r2 = 0, |r1| = |r2|."""
    G, _ = cv2.findHomography(ground_xy, img_pts, 0)
    if G is None:
        return None
    G = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]], float) @ G
    g1, g2 = G[:, 0], G[:, 1]
    a = np.array([g1[0] * g2[0] + g1[1] * g2[1], g1[0] ** 2 + g1[1] ** 2 - g2[0] ** 2 - g2[1] ** 2])
    b = np.array([g1[2] * g2[2], g1[2] ** 2 - g2[2] ** 2])
    inv_f2 = -float(a @ b) / float(a @ a)
    if not np.isfinite(inv_f2) or inv_f2 <= 0:
        return None
    return 1.0 / math.sqrt(inv_f2)


# --- the model ----------------------------------------------------------------------------
@dataclass
class _Hypothesis:
    name: str
    aspect: float  # fy / fx
    free_aspect: bool = False
    aspect_sigma_rel: float = 0.0  # how well the aspect is known (0: exactly); the free aspect ignores it
    fx_known: float | None = None
    focal_sigma_rel: float = 0.0
    focal_source: str = ""
    unlikely: bool = False  # a priori 1:100 against (adds UNLIKELY_PENALTY to the score)


@dataclass
class _Fit:
    hyp: _Hypothesis
    R: np.ndarray  # camera -> ENU at the origin
    C: np.ndarray  # ENU at the origin
    fx: float
    aspect: float
    score: float  # robust chi-square + prior terms (+ free-aspect penalty)
    rms: float
    focal_source: str
    lon: float = 0.0
    lat: float = 0.0
    h: float = 0.0


@dataclass
class _Problem:
    img: np.ndarray
    xyz: np.ndarray
    origin: tuple[float, float]
    w: int
    h: int
    alt: AltitudePrior | None
    nadir: tuple[float, float, float] | None
    sigma_px: float = 1.5
    f_assumed: float = 0.0
    alt_centre: float | None = None  # the pull's centre (re-drawn in the bootstrap)
    nadir_centre: tuple[float, float] | None = None
    # the planar PnP starts by (focal, aspect, inliers): they depend on the points alone, so the
    # solve inside the assumed orbit reuses the free solve's (estimate_pose shares the dict)
    pnp: dict = field(default_factory=dict)

    def geodetic(self, C: np.ndarray) -> tuple[float, float, float]:
        lon, lat, hh = from_enu(*self.origin, C[None])[0]
        return float(lon), float(lat), float(hh)


def _rodrigues(v: np.ndarray) -> np.ndarray:
    return cv2.Rodrigues(np.asarray(v, float).reshape(3, 1))[0]


def _unpack(p, start) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Parameters -> (R, C, fx, aspect). p[6] scales the camera's distance from the ground
    centroid and the focal together (the image barely changes: the weakly observed direction),
    so that it is one axis of the problem rather than a curved valley."""
    R0, C0, centre, fx0, a0, scale = start
    R = R0 @ _rodrigues(p[:3])
    C = centre + math.exp(p[6]) * (C0 - centre) + scale * p[3:6]
    return R, C, fx0 * math.exp(p[6]), a0 * math.exp(p[7])


def _residuals(prob: _Problem, hyp: _Hypothesis, start, P, img, xyz, f_known, pull_log_f) -> np.ndarray:
    """Residual vectors (one row per parameter vector in P: the Jacobian's stencil in one pass)."""
    R0, C0, centre, fx0, a0, scale = start
    Rs = np.stack([R0 @ _rodrigues(p[:3]) for p in P])
    s = np.exp(P[:, 6])
    C = centre + s[:, None] * (C0 - centre) + scale * P[:, 3:6]
    fx, a = fx0 * s, a0 * np.exp(P[:, 7])
    cam = np.einsum("nj,kji->kni", xyz, Rs) - np.einsum("kj,kji->ki", C, Rs)[:, None, :]  # (X - C) @ R
    z = np.maximum(cam[..., 2], 1e-9 * scale)
    r = (
        np.stack(
            [
                fx[:, None] * cam[..., 0] / z + prob.w / 2 - img[:, 0],
                (a * fx)[:, None] * cam[..., 1] / z + prob.h / 2 - img[:, 1],
            ],
            axis=2,
        )
        / prob.sigma_px
    )
    r[cam[..., 2] <= 0] = 1e3
    n2 = np.sum(r**2, axis=2)
    robust = np.sqrt(CAUCHY**2 * np.log1p(n2 / CAUCHY**2) / np.maximum(n2, 1e-18))  # Cauchy loss
    out = [(r * robust[..., None]).reshape(len(P), -1)]
    if f_known is not None:
        out.append(np.log(fx / f_known)[:, None] / hyp.focal_sigma_rel)
    elif pull_log_f is not None:
        out.append((np.log(fx) - pull_log_f)[:, None] / ASSUMED_LOG_SIGMA)
    if hyp.free_aspect:
        out.append(np.log(a)[:, None])  # weak: a factor e away from square costs one chi-square unit
    elif hyp.aspect_sigma_rel:
        out.append(np.log(a / hyp.aspect)[:, None] / hyp.aspect_sigma_rel)
    if prob.alt or prob.nadir:
        geo = from_enu(*prob.origin, C)
        if prob.alt:
            hh = geo[:, 2]
            mid = prob.alt_centre if prob.alt_centre is not None else prob.alt.mid
            wall = (
                np.maximum(0.0, hh - prob.alt.hi_m) + np.maximum(0.0, prob.alt.lo_m - hh)
                if prob.alt.hard
                else np.zeros_like(hh)
            )
            out.append(np.column_stack([(hh - mid) / prob.alt.pull_sigma, wall / (1e-5 * prob.alt.mid)]))
        if prob.nadir:
            c_lon, c_lat = prob.nadir_centre or prob.nadir[:2]
            out.append(to_enu(c_lon, c_lat, geo[:, 0], geo[:, 1], np.zeros(len(geo)))[:, :2] / prob.nadir[2])
    return np.hstack(out)


def _fit(
    prob: _Problem,
    hyp: _Hypothesis,
    R0,
    C0,
    fx0,
    a0,
    img=None,
    xyz=None,
    iters: int = 40,
    known: bool = True,
    pull_log_f: float | None = None,
):
    """Levenberg-Marquardt over (rotation, centre, log fx[, log aspect]); numeric Jacobian.

    Hand-written because the engine has no SciPy; the problem is 7-8 parameters."""
    img = prob.img if img is None else img
    xyz = prob.xyz if xyz is None else xyz
    scale = max(float(np.linalg.norm(C0 - xyz.mean(axis=0))), 1.0)
    start = (R0, C0, xyz.mean(axis=0), fx0, a0, scale)
    f_known = hyp.fx_known if known else None
    if f_known is None and pull_log_f is None and prob.alt is None:
        pull_log_f = math.log(prob.f_assumed)
    free = [0, 1, 2, 3, 4, 5, 6] + ([7] if hyp.free_aspect or hyp.aspect_sigma_rel else [])

    def res(p):
        return _residuals(prob, hyp, start, p[None], img, xyz, f_known, pull_log_f)[0]

    p = np.zeros(8)
    r = res(p)
    cost, lam = float(r @ r), 1e-3
    for _ in range(iters):
        stencil = p + np.eye(8)[free] * 1e-7
        J = ((_residuals(prob, hyp, start, stencil, img, xyz, f_known, pull_log_f) - r) / 1e-7).T
        A, g = J.T @ J, J.T @ r
        improved = False
        while lam < 1e10:
            step = np.linalg.solve(A + lam * np.diag(np.diag(A) + 1e-12), -g)
            p_try = p.copy()
            p_try[free] += step
            r_try = res(p_try)
            c_try = float(r_try @ r_try)
            if np.isfinite(c_try) and c_try < cost:
                done = cost - c_try < 1e-6 * cost or np.max(np.abs(step)) < 1e-9
                p, r, cost, lam, improved = p_try, r_try, c_try, max(lam / 4, 1e-9), True
                break
            lam *= 6
        if not improved or done:
            break
    return (*_unpack(p, start), cost)


def _pnp(prob: _Problem, fx: float, a: float, img=None, xyz=None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Both IPPE solutions (planar pose ambiguity), each refined on the curved points."""
    img = prob.img if img is None else img
    xyz = prob.xyz if xyz is None else xyz
    K = _K(fx, a * fx, prob.w, prob.h)
    flat = np.ascontiguousarray(xyz * [1, 1, 0], np.float64)
    try:
        n, rvecs, tvecs, _ = cv2.solvePnPGeneric(
            flat, np.ascontiguousarray(img, np.float64), K, None, flags=cv2.SOLVEPNP_IPPE
        )
    except cv2.error:
        return []
    out = []
    for rvec, tvec in zip(rvecs[:n], tvecs[:n], strict=True):
        rvec, tvec = cv2.solvePnPRefineLM(
            np.ascontiguousarray(xyz, np.float64), np.ascontiguousarray(img, np.float64), K, None, rvec, tvec
        )
        R_w2c = _rodrigues(rvec.ravel())
        C = (-R_w2c.T @ tvec).ravel()
        if C[2] > 0:
            out.append((R_w2c.T, C))
    return out


def _starts(prob: _Problem, hyp: _Hypothesis, inl: np.ndarray, known: bool) -> list[tuple]:
    """A few starting poses (R, C, fx): both IPPE solutions at the given focal, or at a grid of
    focals (and the closed-form one) each rescaled to the altitude prior's middle, ranked by
    their robust reprojection cost. One start is not enough: a strongly oblique orbital view
    and a less oblique one with another focal are separate minima."""
    img, xyz = prob.img[inl], prob.xyz[inl]
    centre = xyz.mean(axis=0)
    if known and hyp.fx_known:
        focals = [hyp.fx_known]
    else:
        sq = img.copy()
        sq[:, 1] = (sq[:, 1] - prob.h / 2) / hyp.aspect + prob.h / 2  # as if square pixels
        fh = focal_from_homography(sq, xyz[:, :2], prob.w, prob.h)
        focals = list(FOCAL_GRID * prob.w) + ([fh] if fh and 0.2 * prob.w < fh < 100 * prob.w else [])
    cands = []
    for f in focals:
        key = (float(f), float(hyp.aspect), inl.tobytes())
        if key not in prob.pnp:
            prob.pnp[key] = _pnp(prob, f, hyp.aspect, img, xyz)
        for R, C in prob.pnp[key]:
            if prob.alt and not (known and hyp.fx_known):  # distance and focal scale together
                k = prob.alt.mid / max(prob.geodetic(C)[2], 1.0)
                C, f = centre + k * (C - centre), f * k
            cam = (xyz - C) @ R
            if np.any(cam[:, 2] <= 0):
                continue
            proj = np.column_stack([f * cam[:, 0] / cam[:, 2], hyp.aspect * f * cam[:, 1] / cam[:, 2]])
            n2 = np.sum((proj + [prob.w / 2, prob.h / 2] - img) ** 2, axis=1) / prob.sigma_px**2
            cands.append((float(np.sum(np.log1p(n2 / CAUCHY**2))), R, C, f))
    cands.sort(key=lambda c: c[0])
    out: list[tuple] = []
    for _, R, C, f in cands:
        if all(np.linalg.norm(C - o[1]) > 0.02 * np.linalg.norm(C - centre) for o in out):
            out.append((R, C, f))
        if len(out) == MULTI_START:
            break
    return out


def _solve_hypothesis(prob: _Problem, hyp: _Hypothesis, inl: np.ndarray, known: bool = True) -> list[_Fit]:
    """Every distinct local solution of a hypothesis, best first."""
    fits = []
    for R0, C0, f0 in _starts(prob, hyp, inl, known):
        R, C, fx, a, cost = _fit(prob, hyp, R0, C0, f0, hyp.aspect, known=known)
        fits.append(_make_fit(prob, hyp, R, C, fx, a, cost, known))
    fits.sort(key=lambda f: f.score)
    distinct: list[_Fit] = []
    for f in fits:
        if all(np.linalg.norm(f.C - g.C) > 1e-4 * np.linalg.norm(g.C) for g in distinct):
            distinct.append(f)
    return distinct


def _refit(prob: _Problem, fit: _Fit, iters: int = 40) -> _Fit:
    """Fitted again from where it is (iters=0: only re-scored, e.g. with a new pixel noise)."""
    known = fit.focal_source == fit.hyp.focal_source
    R, C, fx, a, cost = _fit(prob, fit.hyp, fit.R, fit.C, fit.fx, fit.aspect, iters=iters, known=known)
    return _make_fit(prob, fit.hyp, R, C, fx, a, cost, known)


def _make_fit(prob, hyp, R, C, fx, a, cost, known) -> _Fit:
    cam = (prob.xyz - C) @ R
    proj = np.column_stack([fx * cam[:, 0] / cam[:, 2], a * fx * cam[:, 1] / cam[:, 2]]) + [
        prob.w / 2,
        prob.h / 2,
    ]
    err = np.linalg.norm(proj - prob.img, axis=1)
    penalty = (FREE_ASPECT_PENALTY_PER_LN_N * math.log(len(prob.img)) if hyp.free_aspect else 0.0) + (
        UNLIKELY_PENALTY if hyp.unlikely else 0.0
    )
    source = hyp.focal_source if (known and hyp.fx_known) else ("prior" if prob.alt else "estimated")
    lon, lat, hh = prob.geodetic(C)
    inl = err <= CAUCHY * 2 * prob.sigma_px
    rms = float(np.sqrt(np.mean(err[inl] ** 2))) if inl.any() else float(np.sqrt(np.mean(err**2)))
    return _Fit(hyp, R, C, fx, a, cost + penalty, rms, source, lon, lat, hh)


def _robust_sigma(prob: _Problem, fit: _Fit) -> float:
    cam = (prob.xyz - fit.C) @ fit.R
    proj = np.column_stack([fit.fx * cam[:, 0] / cam[:, 2], fit.aspect * fit.fx * cam[:, 1] / cam[:, 2]])
    err = np.linalg.norm(proj + [prob.w / 2, prob.h / 2] - prob.img, axis=1)
    return max(float(np.median(err)) / 1.1774, 0.05)  # median of a 2-D Gaussian's radius = 1.1774 sigma


def hypotheses(
    w: int,
    h: int,
    *,
    focal_px: float | None,
    exif_focal_px: float | None,
    lens: tuple[float, str] | None,
    orbital: bool = False,
) -> list[_Hypothesis]:
    """Pixel-aspect hypotheses for an image of w x h, in order of preference on a tie."""
    long_x = w >= h
    if lens:
        f_mm, camera = lens
        sw, sh = sensor_size_mm(camera)
        land = _Hypothesis(
            "3:2 frame (lens)",
            (f_mm / sh * h) / (f_mm / sw * w),
            fx_known=f_mm / sw * w,
            focal_sigma_rel=FOCAL_SIGMA_REL["lens"],
            focal_source="lens",
            aspect_sigma_rel=FRAME_ASPECT_SIGMA_REL,
        )
        port = _Hypothesis(
            "2:3 frame (lens)",
            (f_mm / sw * h) / (f_mm / sh * w),
            fx_known=f_mm / sh * w,
            focal_sigma_rel=FOCAL_SIGMA_REL["lens"],
            focal_source="lens",
            aspect_sigma_rel=FRAME_ASPECT_SIGMA_REL,
        )
        return [land, port] if long_x else [port, land]
    square_image = abs(w / h - 1) < 0.02
    cand = [
        ("square pixels", 1.0, long_x),
        ("3:2 frame squeezed", FRAME_ASPECT * h / w, True),
        ("2:3 frame squeezed", h / w / FRAME_ASPECT, False),
    ]
    # A frame is squeezed into an image of its own orientation or into a square; a portrait frame
    # squeezed into a landscape image (x2.25 for 3:2) is no delivery anyone makes, and from a
    # narrow view it would trade the tilt for the aspect (seen on the real Arizona ISS frame).
    cand = [
        c
        for i, c in enumerate(cand)
        if i == 0 or (abs(c[1] - 1) > 0.03 and (square_image or c[2] == (w > h)))
    ]
    # An exactly square photo from orbit is a resized frame (every ISS camera has a 3:2 frame);
    # elsewhere a square photo is as likely a crop, and square pixels win a tie (bench-pose).
    order = cand[1:] + cand[:1] if square_image and orbital else cand
    out = []
    for name, a, along_x in order + [("free aspect", 1.0, long_x)]:
        hyp = _Hypothesis(
            name,
            a,
            free_aspect=name == "free aspect",
            aspect_sigma_rel=0.5 / min(w, h) if name == "square pixels" else FRAME_ASPECT_SIGMA_REL,
            unlikely=name == "free aspect" or (not square_image and name != "square pixels"),
        )
        if focal_px:
            hyp.fx_known, hyp.focal_source = focal_px, "user"
        elif exif_focal_px:  # the EXIF focal is along the frame's long side
            hyp.fx_known = exif_focal_px * w / max(w, h) if along_x else exif_focal_px * h / max(w, h) / a
            hyp.focal_source = "exif"
        if hyp.fx_known:
            hyp.focal_sigma_rel = FOCAL_SIGMA_REL[hyp.focal_source]
        out.append(hyp)
    return out


def estimate_pose(
    img_pts: np.ndarray,
    lonlat: np.ndarray,
    width: int,
    height: int,
    *,
    focal_px: float | None = None,
    exif_focal_px: float | None = None,
    exif_note: str = "",
    altitude_prior: AltitudePrior | None = None,
    lens: tuple[float, str] | None = None,
    nadir_prior: tuple[float, float, float] | None = None,
    seed: int = 0,
    assume_orbit: bool = True,
) -> Pose | None:
    """Pose from >= 6 correspondences (photo px of the image as given, ground lon/lat).

    focal_px: fx in pixels (user); exif_focal_px: focal along the image's long side (EXIF);
    lens: (focal mm, camera body) from a catalogue; altitude_prior: a range (hard for orbital
    photos); nadir_prior: (lon, lat, sigma m). assume_orbit: with no altitude prior, a photo
    the ground shows was taken from space, and whose altitude the data leave open, is solved
    again inside the crewed orbit (`ASSUMED_ORBIT`), with a warning saying so."""
    kwargs = {
        "focal_px": focal_px,
        "exif_focal_px": exif_focal_px,
        "exif_note": exif_note,
        "lens": lens,
        "nadir_prior": nadir_prior,
        "seed": seed,
        "pnp": {},
    }
    pose = _estimate_pose(img_pts, lonlat, width, height, altitude_prior=altitude_prior, **kwargs)
    if not (assume_orbit and altitude_prior is None and _orbit_left_open(pose)):
        return pose
    in_orbit = _estimate_pose(img_pts, lonlat, width, height, altitude_prior=ASSUMED_ORBIT, **kwargs)
    if in_orbit is None:
        return pose
    in_orbit.warnings.append(
        f"altitude: the ground shows a photo from space ({pose.altitude_m / 1000:.0f} km fitted freely, "
        f"with too little to fix it); the ISS orbit ({ASSUMED_ORBIT.lo_m / 1000:.0f}-"
        f"{ASSUMED_ORBIT.hi_m / 1000:.0f} km) was assumed: give the altitude for another spacecraft"
    )
    return in_orbit


def _orbit_left_open(pose: Pose | None) -> bool:
    """From space, and the crewed orbit not excluded: the focal length (so the altitude) is a
    guess, or the orbit lies within three sigmas of the free fit's altitude."""
    if pose is None:
        return False
    if pose.focal_source == "assumed":
        width = 2 * pose.altitude_m * math.tan(math.radians(pose.hfov_deg / 2))
        return pose.altitude_m >= SPACE_M or width > SPACE_WIDTH_M
    if pose.altitude_m < SPACE_M:
        return False
    sigma = pose.data_altitude_sigma_m  # the points' say: the unknown terrain does not open the orbit
    low, high = pose.altitude_m - 3 * sigma, pose.altitude_m + 3 * sigma
    return low <= ASSUMED_ORBIT.hi_m and high >= ASSUMED_ORBIT.lo_m


def _estimate_pose(
    img_pts: np.ndarray,
    lonlat: np.ndarray,
    width: int,
    height: int,
    *,
    focal_px: float | None,
    exif_focal_px: float | None,
    exif_note: str,
    altitude_prior: AltitudePrior | None,
    lens: tuple[float, str] | None,
    nadir_prior: tuple[float, float, float] | None,
    seed: int,
    pnp: dict,
) -> Pose | None:
    img = np.asarray(img_pts, float).reshape(-1, 2)
    lonlat = np.asarray(lonlat, float).reshape(-1, 2)
    if len(img) < 6:
        return None
    prob = _problem(img, lonlat, width, height, altitude_prior, nadir_prior)
    prob.pnp = pnp
    # an assumed orbit shapes the solution, not the tie-break towards a squeezed 3:2 frame
    orbital = bool(
        altitude_prior
        and altitude_prior.hard
        and altitude_prior.mid > ORBITAL_M
        and altitude_prior is not ASSUMED_ORBIT
    )
    hyps = hypotheses(
        width, height, focal_px=focal_px, exif_focal_px=exif_focal_px, lens=lens, orbital=orbital
    )
    sols = _solve_hypotheses(prob, hyps, _rough_inliers(prob))
    if not any(sols.values()):
        return None
    sols = _refit_with_measured_noise(prob, sols)
    chosen, decision = _choose(hyps, sols)
    fit = sols[chosen.name][0]
    focal_source, warnings = _focal_verdict(prob, fit, exif_note)
    sig, data_altitude_sigma = _uncertainty(prob, fit, sols, seed)
    if focal_source == "assumed":
        sig["altitude_m"] = max(sig.get("altitude_m", 0.0), 0.5 * fit.h)
        sig["focal_px"] = max(sig.get("focal_px", 0.0), 0.5 * fit.fx)
    warnings += _nadir_prior_warning(fit, nadir_prior)
    return _pose(prob, fit, focal_source, decision, sig, warnings, data_altitude_sigma)


def _problem(
    img: np.ndarray,
    lonlat: np.ndarray,
    width: int,
    height: int,
    altitude_prior: AltitudePrior | None,
    nadir_prior: tuple[float, float, float] | None,
) -> _Problem:
    """The ground points in the tangent frame at their centroid, with the priors."""
    origin = (float(np.mean(lonlat[:, 0])), float(np.mean(lonlat[:, 1])))
    xyz = to_enu(*origin, lonlat[:, 0], lonlat[:, 1], np.zeros(len(lonlat)))
    return _Problem(
        img,
        xyz,
        origin,
        width,
        height,
        altitude_prior,
        nadir_prior,
        f_assumed=width / (2 * math.tan(math.radians(ASSUMED_HFOV_DEG) / 2)),
    )


def _rough_inliers(prob: _Problem) -> np.ndarray:
    """A rough inlier set for the starting poses only (the fit itself is robust)."""
    _, mask = cv2.findHomography(prob.xyz[:, :2], prob.img, cv2.RANSAC, 0.01 * max(prob.w, prob.h))
    if mask is not None and mask.sum() >= 6:
        return mask.ravel().astype(bool)
    return np.ones(len(prob.img), bool)


def _solve_hypotheses(prob: _Problem, hyps: list[_Hypothesis], inl: np.ndarray) -> dict[str, list[_Fit]]:
    """Every hypothesis's local solutions; one whose given focal the data (or the altitude range)
    contradict by more than 3 sigma is solved again with the focal free."""
    sols: dict[str, list[_Fit]] = {}
    for hyp in hyps:
        fits = _solve_hypothesis(prob, hyp, inl)
        if fits and hyp.fx_known and abs(math.log(fits[0].fx / hyp.fx_known)) > 3 * hyp.focal_sigma_rel:
            fits = _solve_hypothesis(prob, hyp, inl, known=False) or fits
        sols[hyp.name] = fits
    return sols


def _refit_with_measured_noise(prob: _Problem, sols: dict[str, list[_Fit]]) -> dict[str, list[_Fit]]:
    """Every solution again, with the pixel noise measured on the best fit freed of the priors (the
    noise is the data's; a prior that the data contradict must show up in the chi-square). The
    best of each hypothesis is refitted, the other local minima only re-scored."""
    best = min((f[0] for f in sols.values() if f), key=lambda f: f.score)
    prob.sigma_px = _robust_sigma(prob, _data_only(prob, best))
    return {
        name: sorted(
            [_refit(prob, f) for f in fits[:1]] + [_refit(prob, f, iters=0) for f in fits[1:]],
            key=lambda f: f.score,
        )
        for name, fits in sols.items()
    }


def _focal_verdict(prob: _Problem, fit: _Fit, exif_note: str) -> tuple[str, list[str]]:
    """The focal length's source as reported, and the warnings about it: a given focal the fit
    left, a focal only assumed, an altitude range the ground geometry alone disagrees with."""
    hyp, alt, warnings = fit.hyp, prob.alt, []
    given = {
        "user": "--focal-px",
        "exif": f"the EXIF focal length ({exif_note or 'EXIF'})",
        "lens": "the catalogue's lens",
    }
    if hyp.fx_known and fit.focal_source != hyp.focal_source:
        why = ("the altitude range of " + alt.source) if alt else "the ground geometry"
        warnings.append(
            f"{given[hyp.focal_source]} ({hyp.fx_known:.0f} px) disagrees with {why}: fitted "
            f"{fit.fx:.0f} px instead"
        )
    focal_source = fit.focal_source
    if focal_source == "estimated" and _focal_log_sigma(prob, fit) > UNOBSERVED_LOG_SIGMA:
        focal_source = "assumed"
        warnings.append(
            "no focal length (no EXIF, too close to nadir to measure, no altitude prior): the fit "
            f"leaned on a weak {ASSUMED_HFOV_DEG:.0f} deg field-of-view prior and found "
            f"{2 * math.degrees(math.atan(prob.w / (2 * fit.fx))):.0f} deg, so the altitude is only a "
            "guess; give --focal-px or --altitude-m"
        )
    if alt and focal_source == "prior":
        free = _free_of_altitude(prob, fit)
        # outside the range by more than 3 sigma of the data's own altitude (altitude ~ focal)
        if (
            free is not None
            and min(abs(math.log(free[1] / alt.lo_m)), abs(math.log(free[1] / alt.hi_m))) > 3 * free[2]
            and not alt.lo_m <= free[1] <= alt.hi_m
        ):
            warnings.append(
                f"the focal length measured from the ground alone ({free[0]:.0f} px) would put the "
                f"camera at {free[1] / 1000:.0f} km, outside {alt.source} "
                f"({alt.lo_m / 1000:.0f}-{alt.hi_m / 1000:.0f} km): kept the altitude range"
            )
    return focal_source, warnings


def _nadir_prior_warning(fit: _Fit, nadir_prior: tuple[float, float, float] | None) -> list[str]:
    if not nadir_prior:
        return []
    d = _dist_m(fit.lon, fit.lat, nadir_prior[0], nadir_prior[1])
    if d <= 3 * nadir_prior[2]:
        return []
    return [
        f"the camera nadir is {d / 1000:.1f} km from the given nadir (more than 3 x its "
        f"{nadir_prior[2] / 1000:.1f} km sigma): check the nadir or the match"
    ]


def _pose(
    prob: _Problem,
    fit: _Fit,
    focal_source: str,
    decision: str,
    sig: dict[str, float],
    warnings: list[str],
    data_altitude_sigma: float,
) -> Pose:
    tilt, az, roll = angles_from_rotation(_axes_at_nadir(prob, fit.C, fit.R))
    hfov = 2 * math.degrees(math.atan(prob.w / (2 * fit.fx)))
    vfov = 2 * math.degrees(math.atan(prob.h / (2 * fit.aspect * fit.fx)))
    return Pose(
        fit.lon,
        fit.lat,
        fit.h,
        tilt,
        az,
        roll,
        hfov,
        vfov,
        fit.fx,
        focal_source,
        fit.aspect,
        fit.hyp.name,
        decision,
        sig,
        warnings,
        fit.rms,
        data_altitude_sigma,
    )


def _choose(hyps: list[_Hypothesis], sols: dict[str, list[_Fit]]) -> tuple[_Hypothesis, str]:
    """The first hypothesis in the preference order within TIE of the best score, and why."""
    scored = [(h, sols[h.name][0].score) for h in hyps if sols.get(h.name)]
    best_s = min(s for _, s in scored)
    chosen, s = next((h, s) for h, s in scored if s - best_s < TIE)
    rival, rival_s = min(
        ((h, s2) for h, s2 in scored if h is not chosen), key=lambda t: t[1], default=(None, 0.0)
    )
    if rival is None:
        return chosen, "the only hypothesis"
    if rival_s - s >= TIE:
        return chosen, f"evidence: the next best ({rival.name}) is worse by {rival_s - s:.0f} chi-square"
    return chosen, (
        f"preference: the evidence does not separate it from {rival.name} "
        f"({rival_s - s:+.1f} chi-square, tie below {TIE:.0f})"
    )


def _focal_log_sigma(prob: _Problem, fit: _Fit) -> float:
    """How well the data alone fix the focal length (1-sigma of its log), read off how far the fit
    follows the weak pull when the pull's centre moves by a factor 2."""
    _, _, fx, _, _ = _fit(
        prob,
        fit.hyp,
        fit.R,
        fit.C,
        fit.fx,
        fit.aspect,
        known=False,
        pull_log_f=math.log(fit.fx) + math.log(2),
    )
    r = min(abs(math.log(fx / fit.fx)) / math.log(2), 0.999)
    return ASSUMED_LOG_SIGMA * math.sqrt(r / (1 - r))


def _data_only(prob: _Problem, fit: _Fit) -> _Fit:
    """The fit without the altitude and nadir priors or a given focal (a weak pull only)."""
    priors = prob.alt, prob.nadir
    prob.alt, prob.nadir = None, None
    try:
        R, C, fx, a, cost = _fit(
            prob, fit.hyp, fit.R, fit.C, fit.fx, fit.aspect, known=False, pull_log_f=math.log(fit.fx)
        )
        return _make_fit(prob, fit.hyp, R, C, fx, a, cost, False)
    finally:
        prob.alt, prob.nadir = priors


def _free_of_altitude(prob: _Problem, fit: _Fit) -> tuple[float, float, float] | None:
    """(focal, altitude, log-sigma of the focal) fitted without the priors; None if the data do
    not fix the focal."""
    free = _data_only(prob, fit)
    alt, prob.alt = prob.alt, None
    try:
        sigma = _focal_log_sigma(prob, free)
    finally:
        prob.alt = alt
    return (free.fx, free.h, sigma) if sigma < UNOBSERVED_LOG_SIGMA else None


def _relief(xyz: np.ndarray, camera_h: float, rng: np.random.Generator) -> np.ndarray:
    """Heights of a random smooth terrain at the points: RELIEF_WAVES plane waves with
    wavelengths of 0.2-2 times the points' extent, scaled to RELIEF_STD_M (or RELIEF_SHARE of
    the camera's height, whichever is less)."""
    p = xyz[:, :2] - xyz[:, :2].mean(axis=0)
    extent = max(float(np.ptp(p, axis=0).max()), 1.0)
    angle = rng.uniform(0, 2 * math.pi, RELIEF_WAVES)
    k = 2 * math.pi / (extent * np.exp(rng.uniform(math.log(0.2), math.log(2.0), RELIEF_WAVES)))
    waves = np.cos(
        p @ (np.stack([np.cos(angle), np.sin(angle)]) * k) + rng.uniform(0, 2 * math.pi, RELIEF_WAVES)
    )
    z = waves @ rng.normal(0, 1, RELIEF_WAVES)
    return z / max(float(z.std()), 1e-9) * min(RELIEF_STD_M, RELIEF_SHARE * max(camera_h, 0.0))


def _uncertainty(
    prob: _Problem, fit: _Fit, sols: dict[str, list[_Fit]], seed: int
) -> tuple[dict[str, float], float]:
    """Bootstrap of the points (re-drawing the prior centres), plus the spread the unknown terrain
    gives (RELIEF_DRAWS fits on drawn relief), plus the evidence-weighted spread of the other
    hypotheses and local minima. Also the altitude's sigma from the points alone."""
    rng = np.random.default_rng(seed)
    n = len(prob.img)
    samples = []
    known = fit.focal_source == fit.hyp.focal_source
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, n, n)
        if prob.alt:
            prob.alt_centre = rng.uniform(prob.alt.lo_m, prob.alt.hi_m)
        if prob.nadir:
            d = rng.normal(0, prob.nadir[2], 2)
            ll = from_enu(prob.nadir[0], prob.nadir[1], np.array([[d[0], d[1], 0.0]]))[0]
            prob.nadir_centre = (float(ll[0]), float(ll[1]))
        hyp = replace(fit.hyp, aspect=fit.hyp.aspect * math.exp(rng.normal() * fit.hyp.aspect_sigma_rel))
        if hyp.fx_known and fit.focal_source == hyp.focal_source:
            hyp = replace(hyp, fx_known=hyp.fx_known * math.exp(rng.normal() * hyp.focal_sigma_rel))
        R, C, fx, a, _ = _fit(
            prob, hyp, fit.R, fit.C, fit.fx, fit.aspect, prob.img[idx], prob.xyz[idx], iters=8, known=known
        )
        samples.append(_replicate(prob, R, C, fx))
    prob.alt_centre, prob.nadir_centre = None, None
    var = _spread(fit, np.array(samples))
    terrain = np.random.default_rng([seed, 1])
    relief = []
    for _ in range(RELIEF_DRAWS):
        xyz = prob.xyz + np.column_stack([np.zeros((n, 2)), _relief(prob.xyz, fit.h, terrain)])
        R, C, fx, a, _ = _fit(
            prob, fit.hyp, fit.R, fit.C, fit.fx, fit.aspect, prob.img, xyz, iters=8, known=known
        )
        relief.append(_replicate(prob, R, C, fx))
    terrain_var = _spread(fit, np.array(relief))
    for k, v in terrain_var.items():
        var[k] += v
    tilt = angles_from_rotation(_axes_at_nadir(prob, fit.C, fit.R))[0]
    for fits in sols.values():
        for other in fits:
            if other is fit:
                continue
            wgt = math.exp(-max(0.0, other.score - fit.score) / 2)
            if wgt < 1e-3:
                continue
            var["nadir_m"] += wgt * _dist_m(fit.lon, fit.lat, other.lon, other.lat) ** 2
            var["altitude_m"] += wgt * (other.h - fit.h) ** 2
            var["tilt_deg"] += (
                wgt * (angles_from_rotation(_axes_at_nadir(prob, other.C, other.R))[0] - tilt) ** 2
            )
            var["focal_px"] += wgt * (other.fx - fit.fx) ** 2
    return {k: math.sqrt(v) for k, v in var.items()}, math.sqrt(var["altitude_m"] - terrain_var["altitude_m"])


def _replicate(prob: _Problem, R: np.ndarray, C: np.ndarray, fx: float) -> tuple[float, ...]:
    """A replicate fit as one row of _spread: lon, lat, h, tilt, azimuth, roll, fx."""
    return (*prob.geodetic(C), *angles_from_rotation(_axes_at_nadir(prob, C, R)), fx)


def _spread(fit: _Fit, s: np.ndarray) -> dict[str, float]:
    """Variances of replicate poses (lon, lat, h, tilt, azimuth, roll, fx rows); the nadir's about
    the fit's own."""
    d_nadir = [_dist_m(fit.lon, fit.lat, lo, la) for lo, la in s[:, :2]]
    return {
        "nadir_m": float(np.mean(np.square(d_nadir))),
        "altitude_m": float(np.var(s[:, 2])),
        "tilt_deg": float(np.var(s[:, 3])),
        "azimuth_deg": _circ_std(s[:, 4]) ** 2,
        "roll_deg": _circ_std(s[:, 5]) ** 2,
        "focal_px": float(np.var(s[:, 6])),
    }


def _axes_at_nadir(prob: _Problem, C: np.ndarray, R: np.ndarray) -> np.ndarray:
    """Camera axes re-expressed in the tangent frame at the nadir (they differ from the footprint
    frame's by the angle subtended at the Earth's centre: ~1 deg per 111 km)."""
    axes = np.vstack([C, C + 1000.0 * R[:, 0], C + 1000.0 * R[:, 1], C + 1000.0 * R[:, 2]])
    geo = from_enu(*prob.origin, axes)
    local = to_enu(geo[0, 0], geo[0, 1], geo[:, 0], geo[:, 1], geo[:, 2])
    R = (local[1:] - local[0]).T / 1000.0
    u, _, vt = np.linalg.svd(R)
    return u @ vt


def _circ_std(deg: np.ndarray) -> float:
    r = np.radians(deg)
    R = math.hypot(float(np.mean(np.cos(r))), float(np.mean(np.sin(r))))
    return math.degrees(math.sqrt(max(0.0, -2 * math.log(max(R, 1e-12)))))


def _dist_m(lon0, lat0, lon1, lat1) -> float:
    from .crs import geodesic_distance_m

    return geodesic_distance_m(lon0, lat0, lon1, lat1)


def altitude_prior_for(
    exif: dict, photo_name: str, altitude_m: float | None, altitude_range_m: tuple[float, float] | None = None
) -> AltitudePrior | None:
    """A user altitude (+-2%), a given range (a search prior's), the ISS orbit for astronaut
    photos (hard constraints), or a drone's relative altitude (above take-off) or the EXIF GPS
    altitude (soft ones: neither is the height above the ground in view)."""
    if altitude_m:
        return AltitudePrior(0.98 * float(altitude_m), 1.02 * float(altitude_m), "the given altitude")
    if altitude_range_m:
        lo, hi = sorted(float(v) for v in altitude_range_m)
        return AltitudePrior(lo, hi, "the given altitude range")
    iss = iss_altitude_range(photo_name)
    text = " ".join(str(exif.get(k, "")) for k in ("description", "artist", "copyright", "user_comment"))
    if iss is None and re.search(r"\b(ISS|astronaut|Expedition \d+)\b", text):
        iss = ISS_ALTITUDE_BY_ERA_M["late"]
    if iss:
        return AltitudePrior(iss[0], iss[1], "the ISS orbit")
    relative = _num(exif.get("relative_alt_m"))
    if relative and relative > 0:  # a drone's height above its take-off point, not the ground's
        spread = max(10.0, 0.2 * relative)
        return AltitudePrior(
            relative - spread, relative + spread, "the drone's relative altitude (EXIF XMP)", hard=False
        )
    gps_alt = _num(exif.get("gps_alt_m"))
    if gps_alt and gps_alt > 0:
        spread = max(30.0, 0.3 * gps_alt)
        return AltitudePrior(gps_alt - spread, gps_alt + spread, "the EXIF GPS altitude", hard=False)
    return None
