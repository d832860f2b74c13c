"""Camera pose from photo-to-ground correspondences and the intrinsics.

Ground points (lon, lat, h=0 on the WGS84 ellipsoid) are expressed in a local tangent plane
(PROJ `topocentric` east/north/up at the footprint centre), so Earth curvature is in the 3D
points themselves: a footprint hundreds of km wide sags by kilometres below the plane and
solvePnP sees that. Orientation angles are reported in the tangent frame at the nadir.

Focal length, in order: user value; EXIF (35 mm equivalent, or FocalLength over a known
sensor width); estimated from the plane homography (orthogonality of its first two
columns), only when the view is oblique enough; else scaled so the altitude matches a prior
(ISS ~410 km, EXIF GPS altitude, a user value); else an assumed 50 deg field of view.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import cv2
import numpy as np
from pyproj import Transformer

ISS_ALTITUDE_M = (410_000.0, 10_000.0)      # ~400-420 km
ASSUMED_HFOV_DEG = 50.0
OBLIQUE_MIN_TILT_DEG = 15.0                 # below this the focal is not observable from H
FOCAL_DISAGREE = 0.2                        # relative EXIF vs estimate difference that warns
BOOTSTRAP = 16

# Sensor widths (mm) of camera bodies used for Earth photography from the ISS and aircraft.
SENSOR_WIDTH_MM = {
    "nikon d1": 23.7, "nikon d1x": 23.7, "nikon d1h": 23.7, "nikon d100": 23.7, "nikon d2x": 23.7,
    "nikon d2xs": 23.7, "nikon d200": 23.6, "nikon d300": 23.6, "nikon d300s": 23.6,
    "nikon d3": 36.0, "nikon d3s": 36.0, "nikon d3x": 35.9, "nikon d4": 36.0, "nikon d4s": 36.0,
    "nikon d5": 35.9, "nikon d6": 35.9, "nikon d800": 35.9, "nikon d800e": 35.9, "nikon d810": 35.9,
    "nikon d850": 35.9, "nikon z 9": 35.9, "nikon z9": 35.9, "kodak dcs760": 27.65,
}


@dataclass
class Intrinsics:
    focal_px: float
    source: str                  # user | exif | estimated | prior | assumed
    sigma_rel: float = 0.0       # relative 1-sigma of the focal length


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
    focal_px: float
    focal_source: str
    sigmas: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reprojection_px: float = 0.0

    def properties(self) -> dict:
        d = asdict(self)
        sig = d.pop("sigmas")
        out = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in d.items()}
        out.update({f"{k}_sigma": round(float(v), 6) for k, v in sig.items()})
        return out


# --- frames -------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def enu(lon0: float, lat0: float) -> Transformer:
    """lon/lat (deg)/h (m) <-> east/north/up (m) at (lon0, lat0, 0)."""
    return Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS84 "
        f"+step +proj=topocentric +ellps=WGS84 +lon_0={lon0:.10f} +lat_0={lat0:.10f} +h_0=0")


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
    if math.hypot(fwd[0], fwd[1]) < 1e-6:      # exactly nadir: azimuth is where image-up points
        return tilt, math.degrees(math.atan2(up[0], up[1])) % 360, 0.0
    az = math.atan2(fwd[0], fwd[1])
    t = math.radians(tilt)
    up0 = np.array([math.cos(t) * math.sin(az), math.cos(t) * math.cos(az), math.sin(t)])
    right0 = np.cross(-up0, fwd)
    roll = math.degrees(math.atan2(-float(up @ right0), float(up @ up0)))
    return tilt, math.degrees(az) % 360, roll


def _K(f: float, w: int, h: int) -> np.ndarray:
    return np.array([[f, 0, w / 2], [0, f, h / 2], [0, 0, 1]], float)


# --- focal length -------------------------------------------------------------------------
def focal_from_exif(exif: dict, width: int, height: int) -> tuple[float | None, str]:
    """Focal length in pixels of the image as loaded, and how it was derived."""
    long_side = max(width, height)
    f35 = _num(exif.get("FocalLengthIn35mmFilm"))
    if f35 and f35 > 0:
        return f35 / 36.0 * long_side, "FocalLengthIn35mmFilm"
    fmm = _num(exif.get("FocalLength"))
    if not fmm or fmm <= 0:
        return None, ""
    model = re.sub(r"\s+", " ", f"{exif.get('Make', '')} {exif.get('Model', '')}".lower()).strip()
    model = model.replace("nikon corporation ", "").replace("nikon nikon", "nikon")
    for key in sorted(SENSOR_WIDTH_MM, key=len, reverse=True):
        if model.endswith(key) or model.endswith(key.replace("nikon ", "")):
            return fmm / SENSOR_WIDTH_MM[key] * long_side, f"FocalLength and {key} sensor width"
    xres, unit = _num(exif.get("FocalPlaneXResolution")), exif.get("FocalPlaneResolutionUnit")
    full_w = _num(exif.get("ExifImageWidth")) or long_side
    mm_per_unit = {2: 25.4, 3: 10.0, 4: 1.0}.get(int(_num(unit) or 0))
    if xres and mm_per_unit:
        sensor_w = full_w / xres * mm_per_unit
        return fmm / sensor_w * long_side, "FocalLength and focal-plane resolution"
    return None, ""


def _num(v) -> float | None:
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def focal_from_homography(img_pts: np.ndarray, ground_xy: np.ndarray, w: int, h: int) -> float | None:
    """Focal (px) from the ground-plane -> image homography: r1.r2 = 0 and |r1| = |r2|."""
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


# --- pose ---------------------------------------------------------------------------------
@dataclass
class _Solution:
    lon: float
    lat: float
    h: float
    R: np.ndarray            # camera -> ENU at nadir
    rms: float


def solve(img_pts: np.ndarray, xyz: np.ndarray, origin: tuple[float, float], f: float, w: int, h: int
          ) -> _Solution | None:
    """Camera from image points and ENU ground points (tangent plane at `origin`)."""
    K = _K(f, w, h)
    obj = np.ascontiguousarray(xyz, np.float64)
    img = np.ascontiguousarray(img_pts, np.float64)
    flat = obj.copy()
    flat[:, 2] = 0
    ok, rvec, tvec = cv2.solvePnP(flat, img, K, None, flags=cv2.SOLVEPNP_IPPE)
    if not ok:
        return None
    rvec, tvec = cv2.solvePnPRefineLM(obj, img, K, None, rvec, tvec)
    R_w2c, _ = cv2.Rodrigues(rvec)
    C = (-R_w2c.T @ tvec).ravel()
    proj, _ = cv2.projectPoints(obj, rvec, tvec, K, None)
    rms = float(np.sqrt(np.mean(np.sum((proj.reshape(-1, 2) - img) ** 2, axis=1))))
    lon, lat, alt = from_enu(*origin, C[None])[0]
    if alt <= 0:
        return None
    # Re-express the camera axes in the tangent frame at the nadir (they differ by the
    # angle subtended at the Earth's centre: ~1 deg per 111 km between nadir and footprint).
    axes = np.vstack([C, C + 1000.0 * R_w2c.T[:, 0], C + 1000.0 * R_w2c.T[:, 1], C + 1000.0 * R_w2c.T[:, 2]])
    geo = from_enu(*origin, axes)
    local = to_enu(lon, lat, geo[:, 0], geo[:, 1], geo[:, 2])
    R = (local[1:] - local[0]).T / 1000.0
    u, _, vt = np.linalg.svd(R)
    return _Solution(float(lon), float(lat), float(alt), u @ vt, rms)


def _ground(img_pts: np.ndarray, lonlat: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    origin = (float(np.mean(lonlat[:, 0])), float(np.mean(lonlat[:, 1])))
    xyz = to_enu(*origin, lonlat[:, 0], lonlat[:, 1], np.zeros(len(lonlat)))
    return xyz, origin


def _fit_to_altitude(img, xyz, origin, f0, w, h, altitude):
    f, sol = f0, None
    for _ in range(6):   # altitude is ~proportional to f (exactly so at nadir): a few secant steps
        sol = solve(img, xyz, origin, f, w, h)
        if sol is None:
            return None, None
        ratio = altitude / sol.h
        f *= ratio
        if abs(ratio - 1) < 1e-4:
            break
    return f, solve(img, xyz, origin, f, w, h)


def estimate_pose(img_pts: np.ndarray, lonlat: np.ndarray, width: int, height: int, *,
                  focal_px: float | None = None, exif_focal_px: float | None = None,
                  exif_note: str = "", altitude_prior: tuple[float, float, str] | None = None,
                  seed: int = 0) -> Pose | None:
    """Pose from >= 6 correspondences (photo px at full resolution, ground lon/lat)."""
    img_pts = np.asarray(img_pts, float).reshape(-1, 2)
    lonlat = np.asarray(lonlat, float).reshape(-1, 2)
    if len(img_pts) < 6:
        return None
    xyz, origin = _ground(img_pts, lonlat)
    warnings: list[str] = []
    f_est = focal_from_homography(img_pts, xyz[:, :2], width, height)
    oblique = False
    if f_est:
        sol = solve(img_pts, xyz, origin, f_est, width, height)
        oblique = sol is not None and angles_from_rotation(sol.R)[0] >= OBLIQUE_MIN_TILT_DEG
        if oblique:
            f_est = _refine_focal(img_pts, xyz, origin, f_est, width, height)
    rng = np.random.default_rng(seed)

    def pick(img, gxyz, boot: bool) -> tuple[float, str, float] | None:
        if focal_px:
            return focal_px, "user", 0.0
        if exif_focal_px and not (oblique and _disagree(exif_focal_px, f_est)):
            return exif_focal_px, "exif", 0.02
        if oblique:
            fe = focal_from_homography(img, gxyz[:, :2], width, height) if boot else f_est
            if fe:
                return fe, "estimated", 0.0
        if altitude_prior:
            alt = altitude_prior[0] + (rng.normal() * altitude_prior[1] if boot else 0.0)
            f0 = exif_focal_px or width / (2 * math.tan(math.radians(ASSUMED_HFOV_DEG) / 2))
            fa, _ = _fit_to_altitude(img, gxyz, origin, f0, width, height, alt)
            if fa:
                return fa, "prior", altitude_prior[1] / altitude_prior[0]
        return width / (2 * math.tan(math.radians(ASSUMED_HFOV_DEG) / 2)), "assumed", 0.5

    chosen = pick(img_pts, xyz, False)
    if chosen is None:
        return None
    f, source, sigma_rel = chosen
    if exif_focal_px and oblique and f_est and _disagree(exif_focal_px, f_est):
        warnings.append(f"the EXIF focal length ({exif_focal_px:.0f} px, from {exif_note or 'EXIF'}) "
                        f"disagrees with the one measured from the ground homography ({f_est:.0f} px); "
                        "using the measured one")
    sol = solve(img_pts, xyz, origin, f, width, height)
    if sol is None:
        return None
    if exif_focal_px and source == "exif" and altitude_prior and not oblique:
        if abs(sol.h / altitude_prior[0] - 1) > max(0.3, 3 * altitude_prior[1] / altitude_prior[0]):
            warnings.append(f"with the EXIF focal length the camera would be at {sol.h / 1000:.1f} km, "
                            f"but {altitude_prior[2]} says about {altitude_prior[0] / 1000:.1f} km: the EXIF "
                            "focal length is probably wrong (cropped or resized photo?); using the prior")
            f, source, sigma_rel = _prior_only(img_pts, xyz, origin, width, height, altitude_prior,
                                               exif_focal_px)
            sol = solve(img_pts, xyz, origin, f, width, height)
            if sol is None:
                return None
    if source == "assumed":
        warnings.append("no focal length (no EXIF, too close to nadir to measure, no altitude prior): "
                        f"assumed a {ASSUMED_HFOV_DEG:.0f} deg field of view, so altitude is only a guess; "
                        "give --focal-px or --altitude-m")
    tilt, az, roll = angles_from_rotation(sol.R)
    samples = []
    n = len(img_pts)
    for _ in range(BOOTSTRAP):
        idx = rng.integers(0, n, n)
        if source == "estimated":
            fb = focal_from_homography(img_pts[idx], xyz[idx, :2], width, height)
        elif source == "prior":
            alt = altitude_prior[0] + rng.normal() * altitude_prior[1]
            fb, _ = _fit_to_altitude(img_pts[idx], xyz[idx], origin, f, width, height, alt)
        else:
            fb = f * (1 + rng.normal() * sigma_rel)
        if not fb:
            continue
        s = solve(img_pts[idx], xyz[idx], origin, fb, width, height)
        if s is not None:
            samples.append((s, fb))
    sig: dict[str, float] = {}
    if len(samples) >= 4:
        d_nadir = [_dist_m(sol.lon, sol.lat, s.lon, s.lat) for s, _ in samples]
        ang = np.array([angles_from_rotation(s.R) for s, _ in samples])
        sig = {
            "nadir_m": _rms(d_nadir),
            "altitude_m": float(np.std([s.h for s, _ in samples])),
            "tilt_deg": float(np.std(ang[:, 0])),
            "azimuth_deg": _circ_std(ang[:, 1]),
            "roll_deg": _circ_std(ang[:, 2]),
            "focal_px": float(np.std([fb for _, fb in samples])),
        }
        if source == "assumed":
            sig["altitude_m"] = max(sig["altitude_m"], 0.5 * sol.h)
            sig["focal_px"] = max(sig["focal_px"], 0.5 * f)
    hfov = 2 * math.degrees(math.atan(width / (2 * f)))
    vfov = 2 * math.degrees(math.atan(height / (2 * f)))
    return Pose(sol.lon, sol.lat, sol.h, tilt, az, roll, hfov, vfov, f, source, sig, warnings, sol.rms)


def _prior_only(img, xyz, origin, w, h, prior, f0):
    fa, _ = _fit_to_altitude(img, xyz, origin, f0, w, h, prior[0])
    return fa, "prior", prior[1] / prior[0]


def _refine_focal(img, xyz, origin, f0, w, h) -> float:
    """Golden-section search of the focal minimising reprojection with the curved ground."""
    lo, hi = math.log(f0 * 0.7), math.log(f0 * 1.4)
    g = (math.sqrt(5) - 1) / 2

    def cost(lf: float) -> float:
        s = solve(img, xyz, origin, math.exp(lf), w, h)
        return s.rms if s else float("inf")

    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    ca, cb = cost(a), cost(b)
    for _ in range(14):
        if ca < cb:
            hi, b, cb = b, a, ca
            a = hi - g * (hi - lo)
            ca = cost(a)
        else:
            lo, a, ca = a, b, cb
            b = lo + g * (hi - lo)
            cb = cost(b)
    return math.exp((lo + hi) / 2)


def _disagree(a: float | None, b: float | None) -> bool:
    return bool(a and b and abs(a / b - 1) > FOCAL_DISAGREE)


def _dist_m(lon0, lat0, lon1, lat1) -> float:
    from .crs import geodesic_distance_m

    return geodesic_distance_m(lon0, lat0, lon1, lat1)


def _rms(v) -> float:
    v = np.asarray(v, float)
    return float(np.sqrt(np.mean(v**2))) if len(v) else 0.0


def _circ_std(deg: np.ndarray) -> float:
    r = np.radians(deg)
    R = math.hypot(float(np.mean(np.cos(r))), float(np.mean(np.sin(r))))
    return math.degrees(math.sqrt(max(0.0, -2 * math.log(max(R, 1e-12)))))


def altitude_prior_for(exif: dict, photo_name: str, altitude_m: float | None) -> tuple[float, float, str] | None:
    """A user altitude, the ISS orbit for astronaut photos, or the EXIF GPS altitude."""
    if altitude_m:
        return float(altitude_m), 0.02 * float(altitude_m), "the given altitude"
    text = " ".join(str(exif.get(k, "")) for k in ("ImageDescription", "Artist", "Copyright", "UserComment"))
    if re.search(r"\bISS\d{3}-E-\d+", photo_name, re.I) or re.search(r"\b(ISS|astronaut|Expedition \d+)\b", text):
        return ISS_ALTITUDE_M[0], ISS_ALTITUDE_M[1], "the ISS orbit"
    gps_alt = _num(exif.get("GPSAltitude"))
    if gps_alt and gps_alt > 0:
        # GPS altitude is above sea level; without a DEM the ground is taken at 0 m.
        return gps_alt, max(30.0, 0.3 * gps_alt), "the EXIF GPS altitude"
    return None
