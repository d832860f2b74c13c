"""Ground photos, what is compared: the fix and the camera a ground photo's EXIF and flags give,
the photo's ground as a bird's-eye view (BEV), and the reference imagery round the fix.

The BEV: the camera `height_m` above a flat ground, its pitch and focal length; each BEV pixel
samples the photo where the ground point projects, at the photo-pyramid level of its footprint;
rays that meet the ground too near the horizon or beyond the range are masked. Both images are
locally contrast-normalised. The search over them is ground.py; docs/LOCATE.md "Ground photos".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .errors import InputError, PriorError
from .horizon import Horizon
from .photo import Photo
from .pose import focal_from_exif, from_enu, rotation_from_angles
from .priors import Prior, geodesic_circle, parse_latlon
from .rasters import RasterSource
from .reference import Reference, open_reference

HEIGHT_M = 1.6  # camera height above the ground when not given (--altitude-m)
HFOV_DEG = 65.0  # horizontal field of view without a focal length (a phone's main camera: 60-70)
EXIF_RADIUS_M = 60.0  # search radius round an EXIF GPS fix without GPSHPositioningError
EXIF_ERROR_FACTOR = 3.0  # ... with one: this many times the error, at least MIN_RADIUS_M
MIN_RADIUS_M = 20.0
MAX_RADIUS_M = 500.0  # wider is no "rough GPS fix": the search grows with the area
HEADING_SIGMA_DEG = 15.0  # a phone compass, when no --heading-sigma is given
# degrees below the horizon searched without a pitch
PITCHES = (0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0, 17.5, 20.0)
# with a horizon: its pitch +- HORIZON_SIGMAS sigma, in steps of at most HORIZON_STEP_DEG
HORIZON_SIGMAS = 2.0
HORIZON_STEP_DEG = 0.5
# a given pitch the horizon's disagrees with by more than 3 sigma and this: its roll is not used
HORIZON_AGREE_DEG = 1.0
MIN_DEPRESSION_DEG = 1.5  # rays closer than this to the horizon are not used
MAX_RANGE_M = 150.0  # farthest ground used
DEPTH_RESOLUTION = 2.0  # ... and no farther than where a photo row spans this many BEV pixels
LCN_SIGMA_M = 4.0  # local contrast normalisation scale (ground metres)
MAX_TEMPLATE_PX = 160  # BEV side at the coarse resolution
MAX_WINDOW_PX = 260  # coarse reference window side
MIN_RES_M = 0.3  # finest coarse resolution


@dataclass
class GroundPrior:
    lat: float
    lon: float
    radius_m: float
    source: str  # near | exif_gps
    description: str
    heading_deg: float | None = None
    heading_sigma_deg: float = HEADING_SIGMA_DEG
    heading_source: str = ""

    def yaws(self, step: float) -> np.ndarray:
        """Yaws (clockwise from north) searched: the heading +- 3 sigma, else all round."""
        if self.heading_deg is None or 3 * self.heading_sigma_deg >= 180:
            return np.arange(0.0, 360.0, step)
        half = 3 * self.heading_sigma_deg
        n = max(1, int(math.ceil(half / step)))
        return (self.heading_deg + np.arange(-n, n + 1) * step) % 360.0

    def region(self) -> Prior:
        return Prior(
            region=geodesic_circle(self.lat, self.lon, self.radius_m),
            source=self.source,
            radius_km=self.radius_m / 1000,
            description=self.description,
        )


@dataclass
class GroundCamera:
    height_m: float
    focal_px: float  # in pixels of the photo as loaded
    focal_source: str
    pitches: tuple[float, ...]
    pitch_source: str
    size: tuple[int, int]
    roll_deg: float = 0.0  # clockwise about the optical axis (the horizon's; else taken as 0)
    roll_source: str = "assumed 0"


@dataclass
class Bev:
    """A bird's-eye view in the camera's frame (forward up, the camera at the centre pixel)."""

    image: np.ndarray  # float32 features (locally contrast-normalised grey)
    mask: np.ndarray  # float32 0/1
    res_m: float
    pitch: float
    ground_share: float  # share of the photo's pixels whose ray was used
    ground_std: float


# ---------------------------------------------------------------- inputs


def ground_prior(
    exif: dict[str, Any],
    params: dict[str, Any] | None,
    heading_deg: float | None = None,
    heading_sigma_deg: float | None = None,
) -> GroundPrior:
    """The fix (--near/--radius-km, else the EXIF GPS) and the heading (--heading, else the EXIF
    GPSImgDirection). PriorError `bad_prior` without a fix, or with a region no ground search can use."""
    params = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
    others = sorted(set(params) - {"near", "radius_km", "altitude_m"})
    if others:
        raise PriorError(
            others[0],
            f"a ground photo's prior is a GPS fix: {', '.join(others)} cannot be used with --kind ground",
            "give --near LAT,LON --radius-km R (tens of metres), or leave the photo's EXIF GPS to it",
        )
    if "near" in params:
        if "radius_km" not in params:
            raise PriorError(
                "near", "--near and --radius-km go together", "give both: --near LAT,LON --radius-km R"
            )
        lat, lon = parse_latlon(params["near"], "--near")
        radius = _radius_m(params["radius_km"])
        source, what = "near", f"near {lat:.6f}, {lon:.6f}"
    elif "gps_lat" in exif and "gps_lon" in exif:
        lat, lon = float(exif["gps_lat"]), float(exif["gps_lon"])
        err = exif.get("gps_h_error_m")
        if isinstance(err, int | float) and err > 0:
            radius = min(max(EXIF_ERROR_FACTOR * float(err), MIN_RADIUS_M), MAX_RADIUS_M)
            source, what = "exif_gps", f"near the EXIF GPS {lat:.6f}, {lon:.6f} (error {err:g} m)"
        else:
            radius = EXIF_RADIUS_M
            source, what = "exif_gps", f"near the EXIF GPS {lat:.6f}, {lon:.6f}"
    else:
        raise PriorError(
            "near",
            "a ground photo needs a GPS fix: the photo has no EXIF GPS position",
            "give where it was taken: --near LAT,LON --radius-km R (e.g. --radius-km 0.05 for 50 m)",
        )
    prior = GroundPrior(lat, lon, radius, source, f"{what}: within {radius:.0f} m")
    if heading_deg is not None:
        prior.heading_deg, prior.heading_source = _angle(heading_deg, "--heading") % 360.0, "given"
    elif isinstance(exif.get("gps_img_direction_deg"), int | float):
        prior.heading_deg = float(exif["gps_img_direction_deg"]) % 360.0
        prior.heading_source = f"EXIF GPSImgDirection ({exif.get('gps_img_direction_ref', 'T')})"
    if heading_sigma_deg is not None:
        sigma = _angle(heading_sigma_deg, "--heading-sigma")
        if not 0 < sigma <= 180:
            raise InputError(
                f"--heading-sigma {heading_sigma_deg!r}: must be between 0 and 180 degrees",
                "give the compass's error, e.g. --heading-sigma 15",
                field="heading_sigma_deg",
            )
        prior.heading_sigma_deg = sigma
    return prior


def _radius_m(radius_km: Any) -> float:
    try:
        r = float(radius_km) * 1000
    except (TypeError, ValueError):
        r = math.nan
    if not math.isfinite(r) or r <= 0:
        raise PriorError(
            "radius_km", f"--radius-km {radius_km!r}: must be a distance above 0 km", "e.g. 0.05"
        )
    if r > MAX_RADIUS_M:
        raise PriorError(
            "radius_km",
            f"--radius-km {radius_km!r}: a ground photo is searched within {MAX_RADIUS_M / 1000:g} km "
            "of its fix",
            f"give a fix within {MAX_RADIUS_M:g} m (a phone's GPS is good to tens of metres), "
            "or use --kind aerial",
        )
    return r


def _angle(value: Any, flag: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not math.isfinite(v):
        raise InputError(
            f"{flag} {value!r}: not a number of degrees",
            "e.g. 120",
            field=flag.strip("-").replace("-", "_") + "_deg",
        )
    return v


def ground_camera(
    photo: Photo, height_m: float | None, pitch_deg: float | None, focal_px: float | None
) -> tuple[GroundCamera, list[str]]:
    """Height, focal length (given in original pixels, else the EXIF's, else HFOV_DEG) and the
    pitches to try (given, else the EXIF gimbal pitch, else PITCHES), with notes on what was assumed."""
    w, h = photo.size
    notes: list[str] = []
    if height_m is None:
        height, notes = HEIGHT_M, [f"camera height {HEIGHT_M:g} m assumed (give --altitude-m)"]
    else:
        height = float(height_m)
        if not 0.2 <= height <= 30.0:
            raise InputError(
                f"--altitude-m {height_m:g}: a ground photo's camera stands 0.2-30 m above the ground",
                "give the camera's height above the ground in metres, or use --kind drone/aerial",
                field="altitude_m",
            )
    if focal_px:
        f, fsrc = float(focal_px) * photo.scale, "user"
    else:
        exif_f, _ = focal_from_exif(photo.exif or {}, w, h)
        if exif_f:
            f, fsrc = exif_f, "exif"
        else:
            f, fsrc = max(w, h) / 2 / math.tan(math.radians(HFOV_DEG / 2)), "assumed"
            notes.append(f"no focal length in the EXIF: a {HFOV_DEG:g} degree field of view assumed")
    if pitch_deg is not None:
        p = _angle(pitch_deg, "--pitch")
        if not -90 < p < 90:
            raise InputError(
                f"--pitch {pitch_deg!r}: must be between -90 and 90 degrees", "e.g. 10", field="pitch_deg"
            )
        pitches, psrc = (p,), "given"
    elif isinstance(photo.exif.get("gimbal_pitch_deg"), int | float):
        pitches, psrc = (-float(photo.exif["gimbal_pitch_deg"]),), "EXIF gimbal pitch"
    else:
        pitches, psrc = PITCHES, "searched"
    return GroundCamera(height, f, fsrc, pitches, psrc, (w, h)), notes


def use_horizon(cam: GroundCamera, hz: Horizon) -> list[str]:
    """The horizon's pitch narrows a searched pitch to +- HORIZON_SIGMAS sigma round it (a given
    or EXIF pitch wins), and its roll replaces the assumed 0 unless it contradicts a given pitch;
    notes on what was not used."""
    if not hz.found:
        return (
            [f"no horizon found ({hz.reason}): the pitch is searched and the roll taken as 0"]
            if cam.pitch_source == "searched"
            else []
        )
    if cam.pitch_source == "searched":
        half = HORIZON_SIGMAS * hz.pitch_sigma_deg
        n = int(math.ceil(half / HORIZON_STEP_DEG - 1e-9))
        cam.pitches = tuple(round(hz.pitch_deg + float(d), 3) for d in np.linspace(-half, half, 2 * n + 1))
        cam.pitch_source = "horizon"
    elif abs(hz.pitch_deg - cam.pitches[0]) > 3 * hz.pitch_sigma_deg + HORIZON_AGREE_DEG:
        return [
            f"the horizon gives a pitch of {hz.pitch_deg:.1f} degrees, the {cam.pitch_source} one "
            f"{cam.pitches[0]:g}: its roll ({hz.roll_deg:.1f} degrees) is not used, 0 assumed"
        ]
    cam.roll_deg, cam.roll_source = round(hz.roll_deg, 3), "horizon"
    return []


# ---------------------------------------------------------------- bird's-eye view


def view_range_m(cam: GroundCamera, res_m: float) -> float:
    """How far the ground is used: where one photo row spans DEPTH_RESOLUTION BEV pixels (a row at
    ground distance d spans about d^2 / (f h)), at most MAX_RANGE_M."""
    return float(min(MAX_RANGE_M, math.sqrt(DEPTH_RESOLUTION * res_m * cam.focal_px * cam.height_m)))


def ground_rays(cam: GroundCamera, pitch: float, range_m: float) -> np.ndarray:
    """Per photo pixel (as loaded), whether its ray meets the ground within range_m and at least
    MIN_DEPRESSION_DEG below the horizon."""
    w, h = cam.size
    u, v = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    R = rotation_from_angles(90.0 - pitch, 0.0, cam.roll_deg)
    d = np.stack([(u - w / 2) / cam.focal_px, (v - h / 2) / cam.focal_px, np.ones_like(u)], axis=-1) @ R.T
    horiz = np.hypot(d[..., 0], d[..., 1])
    down = -d[..., 2]
    ok = down > horiz * math.tan(math.radians(MIN_DEPRESSION_DEG))
    dist = np.where(ok, cam.height_m * horiz / np.maximum(down, 1e-9), np.inf)
    return ok & (dist <= range_m)


def resolutions(cam: GroundCamera, ref_px: float, radius_m: float) -> tuple[float, float]:
    """The coarse stage's resolution (m/px) and the ground range used: no finer than the
    reference (MIN_RES_M at least), coarse enough that the coarse window (radius + range each
    side) stays within MAX_WINDOW_PX and the template within MAX_TEMPLATE_PX."""
    res = max(ref_px, MIN_RES_M)
    while True:
        range_m = view_range_m(cam, res)
        if 2 * (radius_m + range_m) / res <= MAX_WINDOW_PX and 2 * range_m / res <= MAX_TEMPLATE_PX:
            return res, range_m
        res *= 1.15


def make_bev(
    gray: np.ndarray, pyramid: list[np.ndarray], cam: GroundCamera, pitch: float, res_m: float, range_m: float
) -> Bev:
    """The photo's ground projected to a north-up-at-yaw-0 BEV at res_m m/px round the camera.
    Each BEV pixel samples the photo pyramid level matching its footprint (no aliasing near the
    camera, where one BEV pixel covers hundreds of photo pixels)."""
    w, h = cam.size
    half = int(math.ceil(range_m / res_m))
    n = 2 * half + 1
    jj, ii = np.mgrid[0:n, 0:n].astype(np.float64)
    x = (ii - half) * res_m  # right (east at yaw 0)
    y = (half - jj) * res_m  # forward (north at yaw 0)
    # camera -> ENU (columns right, down, forward); the roll in the projection is the photo
    # de-rolled about its centre, without resampling it or blank corners
    R = rotation_from_angles(90.0 - pitch, 0.0, cam.roll_deg)
    P = np.stack([x, y, np.full_like(x, -cam.height_m)], axis=-1)
    c = P @ R  # camera coordinates (R orthonormal: R^T P)
    z = c[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        u = w / 2 + cam.focal_px * c[..., 0] / z
        v = h / 2 + cam.focal_px * c[..., 1] / z
    dist = np.hypot(x, y)
    depression = np.degrees(np.arctan2(cam.height_m, np.maximum(dist, 1e-9)))
    valid = (
        (z > 0)
        & (u >= 0.5)
        & (u <= w - 0.5)
        & (v >= 0.5)
        & (v <= h - 0.5)
        & (dist <= range_m)
        & (depression >= MIN_DEPRESSION_DEG)
    )
    u = np.where(valid, u, -10.0).astype(np.float32)
    v = np.where(valid, v, -10.0).astype(np.float32)
    # photo px per BEV px (sqrt of the Jacobian's determinant) -> pyramid level
    du_j, du_i = np.gradient(u)
    dv_j, dv_i = np.gradient(v)
    area = np.abs(du_i * dv_j - du_j * dv_i)
    level = np.clip(np.floor(np.log2(np.sqrt(np.maximum(area, 1e-12)))), 0, len(pyramid) - 1).astype(int)
    out = np.zeros((n, n), np.float32)
    for lvl, img in enumerate(pyramid):
        sel = valid & (level == lvl)
        if not sel.any():
            continue
        s = 2.0**lvl
        # edge coordinates -> sampling coordinates of the level (pyrDown keeps centres f*k + 0.5)
        mx = ((u - 0.5) / s).astype(np.float32)
        my = ((v - 0.5) / s).astype(np.float32)
        sampled = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        out[sel] = sampled[sel]
    mask = valid.astype(np.float32)
    rays = ground_rays(cam, pitch, range_m)
    return Bev(
        lcn(out, mask, LCN_SIGMA_M / res_m), mask, res_m, pitch, float(rays.mean()), texture(gray, rays)
    )


def photo_pyramid(gray: np.ndarray, levels: int = 7) -> list[np.ndarray]:
    out = [gray.astype(np.float32)]
    while len(out) < levels and min(out[-1].shape) > 16:
        out.append(cv2.pyrDown(out[-1]))
    return out


def texture(gray: np.ndarray, rays: np.ndarray) -> float:
    """Grey-level std of the photo's detail (less a Gaussian blur of 1/80 of its long side) where
    its rays meet the ground: what a correlation can lock on. A sky gradient or a blank frame has
    none (0.2-0.4); rendered ground 1.5-15."""
    g = gray.astype(np.float32)
    detail = g - cv2.GaussianBlur(g, (0, 0), max(g.shape) / 80)
    return float(detail[rays].std()) if rays.sum() > 10 else 0.0


def lcn(img: np.ndarray, mask: np.ndarray, sigma_px: float) -> np.ndarray:
    """Local contrast normalisation within the mask: (I - local mean) / local std (masked Gaussian
    averages), so that brightness and contrast changes between photo and reference do not count."""
    sigma_px = max(float(sigma_px), 0.8)
    m = cv2.GaussianBlur(mask, (0, 0), sigma_px) + 1e-6
    mean = cv2.GaussianBlur(img * mask, (0, 0), sigma_px) / m
    d = (img - mean) * mask
    var = cv2.GaussianBlur(d * d, (0, 0), sigma_px) / m
    return (d / np.sqrt(var + 4.0)).astype(np.float32) * mask


# ---------------------------------------------------------------- reference window


def enu_to_ref_map(
    ref: Reference, lon0: float, lat0: float, half_m: float, res_m: float
) -> tuple[np.ndarray, int]:
    """The 3x3 map from pixels of a north-up window (res_m m/px, `size` px, centred on lon0, lat0)
    to reference pixels, fitted through a grid of points (exact for a projected CRS, and for
    geographic ones within a km); and the window's size."""
    size = 2 * int(math.ceil(half_m / res_m)) + 1
    c = (size - 1) / 2
    g = np.linspace(0, size - 1, 5)
    ii, jj = np.meshgrid(g, g)
    e = (ii.ravel() - c) * res_m
    nn = (c - jj.ravel()) * res_m
    ll = from_enu(lon0, lat0, np.column_stack([e, nn, np.zeros_like(e)]))[:, :2]
    px = ref.lonlat_to_pixel(ll)
    # window pixel centres i + 0.5 (edge coordinates) -> reference edge coordinates
    src = np.column_stack([ii.ravel() + 0.5, jj.ravel() + 0.5])
    A, *_ = np.linalg.lstsq(np.column_stack([src, np.ones(len(src))]), px, rcond=None)
    M = np.vstack([A.T, [0, 0, 1]])
    return M, size


def reference_window(
    sources: list[RasterSource], lon: float, lat: float, half_m: float, res_m: float
) -> tuple[np.ndarray, np.ndarray, str]:
    """The reference grey levels (float32) and valid mask north-up round (lon, lat), from the
    first index source that covers the point, else from the first the window overlaps (a camera
    standing beyond a raster's edge looks into it; pixels outside are invalid); PriorError when
    none does."""
    dlat = half_m / 111_320.0
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)

    def covers(src: RasterSource) -> bool:
        w, s, e, n = src.bounds_wgs84
        return w <= lon <= e and s <= lat <= n

    def overlaps(src: RasterSource) -> bool:
        w, s, e, n = src.bounds_wgs84
        return w <= lon + dlon and lon - dlon <= e and s <= lat + dlat and lat - dlat <= n

    for src in [x for x in sources if covers(x)] + [x for x in sources if not covers(x) and overlaps(x)]:
        ref = open_reference(src)
        M, size = enu_to_ref_map(ref, lon, lat, half_m, res_m)
        img = ref.render(M, (size, size))
        if img is None:
            continue
        valid = (img > 0).astype(np.float32)
        if not valid.any():
            continue
        return img.astype(np.float32), valid, src.path
    raise PriorError(
        "prior",
        f"no source of the index covers the fix {lat:.6f}, {lon:.6f}",
        "index imagery of the place where the photo was taken, or check the fix",
    )


def ref_pixel_m(sources: list[RasterSource], lon: float, lat: float) -> float:
    for src in sources:
        w, s, e, n = src.bounds_wgs84
        if w <= lon <= e and s <= lat <= n:
            return open_reference(src).pixel_size_m
    return 1.0
