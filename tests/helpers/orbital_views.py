"""Rendered astronaut photos: what a hand-held Nikon on the ISS gives, from the shared rasters.

Geometry is exact (camera_views.py: every pixel's ray meets the WGS84 ellipsoid): a camera
400-420 km up, a full-frame (FX, 36 x 24 mm) or DX (23.5 x 15.6 mm) body, 50-100 mm lenses for
the large footprints and longer ones (180-1150 mm) for small ones, 0-50 degrees off nadir, any
roll. The 3:2 frame is then degraded the way real frames are (docs/bench_orbital.md):

- clouds (cumulus blobs and thin streaky cirrus) are in the scene, under the atmosphere, 2-4x
  brighter than bright ground, so they mostly clip in the camera;
- atmosphere: per-channel transmission exp(-tau k_c m) with an Angstrom exponent (aerosol ~1 to
  Rayleigh 4: blue is lost and scattered most) and the per-pixel air mass m = 1 / cos(zenith) of
  the pixel's ray, plus a bluish path radiance; so contrast falls and blue rises with tilt;
- vignetting (cos^p of the off-axis angle);
- camera colour: white balance (temperature and tint), exposure, saturation, gamma, a tone curve;
- blur and sensor noise, then the frame is resized to 1024 x 1024 *without keeping its aspect*
  (as NASA's distributed frames in issue 13) and saved as JPEG.

Every parameter is drawn from a broad range; none was fitted to the two real frames in
../shared/data/iss_pairs. The engine's training views (astroloc_qgis/engine/models/views.py)
share no code and no parameter draws with this renderer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from pyproj import Geod

from astroloc_qgis.engine.pose import rotation_from_angles
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import View, camera_for_target, render

SENSORS_MM = {"FX": (36.0, 24.0), "DX": (23.5, 15.6)}
WIDE_LENSES_MM = (50.0, 58.0, 80.0, 85.0, 100.0)
LONG_LENSES_MM = (180.0, 200.0, 300.0, 400.0, 500.0, 800.0, 1150.0)
ISS_ALTITUDE_M = (400e3, 420e3)
MAX_TILT_DEG = 50.0
FRAME_PX = (1536, 1024)  # 3:2 rendering, before the square resize
OUT_PX = 1024
WAVELENGTH_NM = np.array([620.0, 550.0, 460.0])  # R, G, B
_GEOD = Geod(ellps="WGS84")


@dataclass
class OrbitalView:
    image: np.ndarray  # OUT_PX x OUT_PX x 3 uint8, JPEG-decoded
    jpeg: bytes
    view: View  # geometry (image there is the clean 3:2 frame)
    sensor: str
    focal_mm: float
    area_km2: float
    cloud_cover: float
    cloud_alpha: np.ndarray  # OUT_PX x OUT_PX float32 cloud opacity (0-1): the clouds' ground truth


def footprint_area_km2(corners_lonlat: np.ndarray) -> float:
    area, _ = _GEOD.polygon_area_perimeter(corners_lonlat[:, 0], corners_lonlat[:, 1])
    return abs(area) / 1e6


def nadir_footprint_km(altitude_m: float, focal_mm: float, sensor: str) -> tuple[float, float]:
    w, h = SENSORS_MM[sensor]
    return altitude_m * w / focal_mm / 1000, altitude_m * h / focal_mm / 1000


def lenses_for(short_side_km: float, sensor: str, altitude_m: float = 410e3) -> list[float]:
    """Lenses whose nadir footprint's long side is 20-85% of the raster's shorter side (a view
    must lie inside the raster; tilt enlarges it)."""
    out = []
    for f in WIDE_LENSES_MM + LONG_LENSES_MM:
        long_km = nadir_footprint_km(altitude_m, f, sensor)[0]
        if 0.2 * short_side_km <= long_km <= 0.85 * short_side_km:
            out.append(f)
    return out


def ray_angles(R: np.ndarray, f_px: float, w: int, h: int, grid: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """(cos of each pixel's ray from the local vertical, cos of its angle from the optical axis),
    on a coarse grid resized to w x h. The vertical is the nadir's (Earth curvature adds ~2
    degrees at the far edge of a 250 km frame: negligible for haze)."""
    gx, gy = np.meshgrid(np.linspace(0, w, grid), np.linspace(0, h, grid))
    cam = np.stack([(gx - w / 2) / f_px, (gy - h / 2) / f_px, np.ones_like(gx)], axis=-1)
    cam /= np.linalg.norm(cam, axis=-1, keepdims=True)
    down = np.clip(-(cam @ R.T)[..., 2], 0.05, 1.0)
    off_axis = cam[..., 2]
    size = (w, h)
    return (
        cv2.resize(down.astype(np.float32), size, interpolation=cv2.INTER_LINEAR),
        cv2.resize(off_axis.astype(np.float32), size, interpolation=cv2.INTER_LINEAR),
    )


def add_scene_clouds(img: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, float, np.ndarray]:
    """Cumulus blobs (some frames) and streaky cirrus (others); float RGB in [0, 1].
    Returns (image, cover: share with opacity > 0.5, opacity per pixel)."""
    h, w = img.shape[:2]
    alpha = np.zeros((h, w), np.float32)
    if rng.random() < 0.4:
        cover = rng.uniform(0.02, 0.25)
        small = (h // 4, w // 4)
        field = cv2.GaussianBlur(
            rng.normal(0, 1, small).astype(np.float32), (0, 0), rng.uniform(0.004, 0.03) * w / 4
        )
        field = (field - field.mean()) / (field.std() + 1e-9)
        a = np.clip((field - np.quantile(field, 1 - cover)) * rng.uniform(1.5, 4) + 0.3, 0, 1)
        texture = cv2.GaussianBlur(rng.normal(0, 1, small).astype(np.float32), (0, 0), 1.5)
        a = np.clip(a * (0.75 + 0.5 * texture / (texture.std() + 1e-9) * 0.5), 0, 1)
        alpha = np.maximum(alpha, cv2.resize(a, (w, h)))
    if rng.random() < 0.25:
        # Cirrus: noise blurred along one direction (then turned), translucent, in patches.
        small = (h // 8, w // 8)
        streak = cv2.GaussianBlur(
            rng.normal(0, 1, small).astype(np.float32),
            (0, 0),
            sigmaX=rng.uniform(8, 30),
            sigmaY=rng.uniform(2, 6),
        )
        turn = cv2.getRotationMatrix2D((w / 16, h / 16), rng.uniform(0, 180), 1.0)
        streak = cv2.warpAffine(streak, turn, (w // 8, h // 8), borderMode=cv2.BORDER_REFLECT)
        streak = (streak - streak.mean()) / (streak.std() + 1e-9)
        patch = cv2.GaussianBlur(rng.normal(0, 1, small).astype(np.float32), (0, 0), w / 40)
        patch = np.clip(patch / (patch.std() + 1e-9) + 0.5, 0, 1)
        a = np.clip(streak * 0.5 + 0.3, 0, 1) * patch * rng.uniform(0.2, 0.6)
        alpha = np.maximum(alpha, cv2.resize(a, (w, h)))
    if not alpha.any():
        return img, 0.0, alpha
    # The rasters are stretched so that bright ground is ~1: a cloud reflects 2-4x more than
    # ground, so it is brighter than 1 here and mostly clips in the camera (as in real frames).
    white = rng.uniform(1.2, 2.0) - 0.15 * cv2.GaussianBlur(alpha, (0, 0), 3)[..., None]
    out = img * (1 - alpha[..., None]) + white * alpha[..., None]
    return out, float((alpha > 0.5).mean()), alpha


def atmosphere(img: np.ndarray, down: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    tau = rng.uniform(0.05, 0.6)  # optical depth at 550 nm
    angstrom = rng.uniform(0.5, 4.0)
    k = (550.0 / WAVELENGTH_NM) ** angstrom
    airmass = 1.0 / down
    trans = np.exp(-tau * k[None, None, :] * airmass[..., None])
    sky = rng.uniform(0.5, 1.0) * np.array([0.75, 0.85, 1.0]) * rng.uniform(0.9, 1.1, 3)
    return img * trans + sky * (1 - trans)


def camera_colour(img: np.ndarray, off_axis: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    img = img * off_axis[..., None] ** rng.uniform(0, 4)  # vignetting
    temp, tint = rng.normal(0, 0.12), rng.normal(0, 0.05)
    img = img * np.array([1 + temp, 1 + tint, 1 - temp]) * rng.uniform(0.7, 1.4)
    luma = img @ np.array([0.299, 0.587, 0.114])
    img = luma[..., None] + rng.uniform(0.3, 1.3) * (img - luma[..., None])
    img = np.clip(img, 0, 1) ** rng.uniform(0.7, 1.5)
    strength = rng.uniform(-0.3, 0.6)  # < 0 flattens, > 0 an S-curve
    return img + strength * img * (1 - img) * (2 * img - 1)


def finish(img: np.ndarray, rng: np.random.Generator, out_px: int = OUT_PX) -> tuple[np.ndarray, bytes]:
    sigma = rng.uniform(0, 1.5)
    if sigma > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    img = img + rng.normal(0, rng.uniform(0, 0.015), img.shape)
    img8 = np.clip(img * 255, 0, 255).astype(np.uint8)
    square = cv2.resize(img8, (out_px, out_px), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(
        ".jpg", cv2.cvtColor(square, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(60, 96))]
    )
    assert ok
    decoded = cv2.cvtColor(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return decoded, jpeg.tobytes()


def degrade(
    frame: np.ndarray, R: np.ndarray, f_px: float, rng: np.random.Generator, out_px: int = OUT_PX
) -> tuple[np.ndarray, bytes, float, np.ndarray]:
    """The clean 3:2 frame (RGB uint8) as a real orbital photo: (image, JPEG bytes, cloud cover,
    cloud opacity resized as the image was)."""
    h, w = frame.shape[:2]
    down, off_axis = ray_angles(R, f_px, w, h)
    img, cover, alpha = add_scene_clouds(frame.astype(np.float32) / 255.0, rng)
    img = camera_colour(atmosphere(img, down, rng), off_axis, rng)
    image, jpeg = finish(img, rng, out_px)
    return image, jpeg, cover, cv2.resize(alpha, (out_px, out_px), interpolation=cv2.INTER_AREA)


def random_orbital_view(
    ref: Reference,
    rgb: np.ndarray,
    rng: np.random.Generator,
    gsd_m: float,
    region_px: tuple[float, float, float, float] | None = None,
    tries: int = 200,
) -> OrbitalView | None:
    """A view of `ref` (its RGB pixels `rgb`, ground sample distance `gsd_m`) whose footprint lies
    inside the raster; its centre inside `region_px` (x0, y0, x1, y1 in pixels) when given."""
    short_km = min(ref.width, ref.height) * gsd_m / 1000
    w, h = FRAME_PX
    for _ in range(tries):
        sensor = "FX" if rng.random() < 0.6 else "DX"
        lenses = lenses_for(short_km, sensor)
        if not lenses:
            return None
        # The widest lenses that fit are the most likely: the large footprints are the hard case.
        weights = 1.0 / np.asarray(lenses) ** 2
        focal_mm = float(rng.choice(lenses, p=weights / weights.sum()))
        alt = rng.uniform(*ISS_ALTITUDE_M)
        tilt = MAX_TILT_DEG * math.sqrt(rng.uniform(0, 1))  # more oblique frames than nadir ones
        az, roll = rng.uniform(0, 360), rng.uniform(-180, 180)
        f_px = focal_mm / SENSORS_MM[sensor][0] * w
        x0, y0, x1, y1 = region_px or (0.2 * ref.width, 0.2 * ref.height, 0.8 * ref.width, 0.8 * ref.height)
        c = ref.pixel_to_lonlat(np.array([[rng.uniform(x0, x1), rng.uniform(y0, y1)]]))[0]
        lon, lat = camera_for_target(c[0], c[1], alt, tilt, az)
        v = render(ref, rgb, lon, lat, alt, tilt, az, roll, f_px, w, h)
        if v is None:
            continue
        image, jpeg, cover, alpha = degrade(v.image, rotation_from_angles(tilt, az, roll), f_px, rng)
        return OrbitalView(
            image, jpeg, v, sensor, focal_mm, footprint_area_km2(v.corners_lonlat), cover, alpha
        )
    return None


__all__ = [
    "OrbitalView",
    "degrade",
    "footprint_area_km2",
    "lenses_for",
    "nadir_footprint_km",
    "random_orbital_view",
    "ray_angles",
]
