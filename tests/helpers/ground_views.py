"""Photos taken on the ground (bench and tests): a pinhole camera `height_m` above a flat ground
textured with a georeferenced raster, pitched below the horizon, turned to a yaw.

Every pixel's ray is intersected with the local tangent plane exactly; the raster is sampled at
the pyramid level that matches the ray's footprint (the far field is minified hundreds of times),
sky above the horizon, the raster's mean colour where the ground leaves the raster or lies
beyond `far_m`. The views carry EXIF (GPS, GPSImgDirection, a 35 mm focal length) like a phone's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from astroloc_qgis.engine.pose import from_enu, rotation_from_angles, to_enu
from astroloc_qgis.engine.reference import Reference

SKY_TOP = np.array([120.0, 160.0, 215.0])
SKY_HORIZON = np.array([200.0, 215.0, 230.0])


@dataclass
class GroundView:
    image: np.ndarray  # H x W x 3 uint8
    lon: float
    lat: float
    height_m: float
    pitch_deg: float  # below the horizon
    yaw_deg: float  # clockwise from north
    focal_px: float


def pyramid(rgb: np.ndarray, levels: int = 9) -> list[np.ndarray]:
    out = [rgb.astype(np.float32)]
    while len(out) < levels and min(out[-1].shape[:2]) > 8:
        out.append(cv2.pyrDown(out[-1]))
    return out


def render_ground(
    ref: Reference,
    levels: list[np.ndarray],
    lon: float,
    lat: float,
    height_m: float,
    pitch_deg: float,
    yaw_deg: float,
    hfov_deg: float = 65.0,
    size: tuple[int, int] = (640, 480),
    far_m: float = 2000.0,
) -> GroundView:
    """The view of a camera at (lon, lat), `height_m` above the ground (`levels`: pyramid(raster))."""
    w, h = size
    f = w / 2 / math.tan(math.radians(hfov_deg / 2))
    R = rotation_from_angles(90.0 - pitch_deg, yaw_deg, 0.0)
    u, v = np.meshgrid(np.arange(w) + 0.5, np.arange(h) + 0.5)
    d = np.stack([(u - w / 2) / f, (v - h / 2) / f, np.ones_like(u)], axis=-1) @ R.T
    down = -d[..., 2]
    ground = down > 1e-6
    t = np.where(ground, height_m / np.maximum(down, 1e-6), np.nan)
    e, n = t * d[..., 0], t * d[..., 1]
    dist = np.hypot(e, n)
    near = ground & (dist <= far_m)
    pts = np.column_stack([np.where(near, e, 0).ravel(), np.where(near, n, 0).ravel(), np.zeros(w * h)])
    px = ref.lonlat_to_pixel(from_enu(lon, lat, pts)[:, :2]).reshape(h, w, 2).astype(np.float32)
    mx, my = px[..., 0], px[..., 1]
    inside = near & (mx > 1) & (my > 1) & (mx < ref.width - 2) & (my < ref.height - 2)
    # raster pixels per photo pixel -> pyramid level
    dxj, dxi = np.gradient(mx)
    dyj, dyi = np.gradient(my)
    foot = np.sqrt(np.abs(dxi * dyj - dxj * dyi))
    level = np.clip(np.floor(np.log2(np.maximum(foot, 1e-9))), 0, len(levels) - 1).astype(int)
    mean = levels[-1].reshape(-1, 3).mean(axis=0)
    out = np.empty((h, w, 3), np.float32)
    frac = np.clip(v / h, 0, 1)[..., None]
    out[:] = SKY_TOP * (1 - frac) + SKY_HORIZON * frac
    out[ground] = mean
    for lvl, img in enumerate(levels):
        sel = inside & (level == lvl)
        if not sel.any():
            continue
        s = 2.0**lvl
        sampled = cv2.remap(
            img, (mx - 0.5) / s, (my - 0.5) / s, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        out[sel] = sampled[sel]
    return GroundView(np.clip(out, 0, 255).astype(np.uint8), lon, lat, height_m, pitch_deg, yaw_deg, f)


def offset_lonlat(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    ll = from_enu(lon, lat, np.array([[east_m, north_m, 0.0]]))[0]
    return float(ll[0]), float(ll[1])


def distance_m(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    e, n, _ = to_enu(lon0, lat0, [lon1], [lat1], [0.0])[0]
    return float(math.hypot(e, n))


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = Fraction(round(((value - d) * 60 - m) * 60 * 100000), 100000)
    return Fraction(d), Fraction(m), s


def save_phone_jpeg(
    path: Path,
    view: GroundView,
    gps: tuple[float, float] | None,
    heading_deg: float | None = None,
    focal_35mm: bool = True,
) -> Path:
    """The view as a phone JPEG: make, GPS fix (lat, lon), GPSImgDirection, the 35 mm focal."""
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    if focal_35mm:
        w = view.image.shape[1]
        exif.get_ifd(0x8769)[0xA405] = max(1, round(36.0 * view.focal_px / w))
    if gps or heading_deg is not None:
        ifd = exif.get_ifd(0x8825)
        if gps:
            lat, lon = gps
            ifd.update({1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)})
        if heading_deg is not None:
            ifd.update({16: "T", 17: Fraction(round((heading_deg % 360) * 100), 100)})
    Image.fromarray(view.image).save(path, quality=92, exif=exif)
    return path


def ground_texture(h: int, w: int, seed: int) -> np.ndarray:
    """A made-up ground at fine resolution (RGB uint8): patches at several scales, paths and
    stones, for tests that need texture at a ground photo's scale (the shared imagery is 5 m)."""
    rng = np.random.default_rng(seed)
    img = np.zeros((h, w, 3), np.float32)
    for cell, amp in ((160, 1.0), (40, 0.8), (10, 0.5), (3, 0.3)):
        small = rng.uniform(0, 1, (h // cell + 2, w // cell + 2, 3)).astype(np.float32)
        img += amp * cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    for _ in range(max(4, h * w // 60000)):
        p0 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        p1 = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        cv2.line(img, p0, p1, tuple(float(v) for v in rng.uniform(0, 3, 3)), int(rng.integers(2, 8)))
    for _ in range(h * w // 2000):
        x, y, r = int(rng.integers(0, w)), int(rng.integers(0, h)), int(rng.integers(2, 12))
        cv2.circle(img, (x, y), r, tuple(float(v) for v in rng.uniform(0, 3, 3)), -1)
    img = (img - img.min()) / (img.max() - img.min()) * 254 + 1
    return img.astype(np.uint8)


def write_ground_raster(path: Path, rgb: np.ndarray, res_m: float, origin=(500_000.0, 5_200_000.0)) -> Path:
    """A GeoTIFF (EPSG:32633) of `rgb` at res_m m/px."""
    import rasterio
    from rasterio.transform import from_origin

    h, w, n = rgb.shape
    profile = {
        "driver": "GTiff",
        "height": h,
        "width": w,
        "count": n,
        "dtype": "uint8",
        "crs": "EPSG:32633",
        "transform": from_origin(origin[0], origin[1], res_m, res_m),
        "nodata": 0,
    }
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(np.moveaxis(rgb, -1, 0))
    return path
