"""Photos taken on the ground (bench and tests): a pinhole camera `height_m` above a flat ground
textured with a georeferenced raster, pitched below the horizon, turned to a yaw.

Every pixel's ray is intersected with the local tangent plane exactly; the raster is sampled at
the pyramid level that matches the ray's footprint (the far field is minified hundreds of times),
the raster's mean colour where the ground leaves the raster or lies beyond `far_m`. Above the
horizon a sky: a plain gradient down the frame, or a `Sky` (`random_sky`) shaded by each ray's
elevation, with an optional distant skyline band (buildings, trees, hills standing on the ground
far away: an elevation profile by azimuth) that hides parts of the true horizon; the camera may
be rolled. The horizon is where the rays turn from down to up, so the pitch and roll are exact.
The views carry EXIF (GPS, GPSImgDirection, a 35 mm focal length) like a phone's.
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
SKYLINE_STEP_DEG = 0.1  # azimuth resolution of a skyline profile


@dataclass
class Sky:
    """A sky shaded from `horizon` (elevation 0) to `top` (elevation `span_deg` and above), with
    a skyline band: `skyline[k]` the elevation (degrees) of distant objects at azimuth
    k * SKYLINE_STEP_DEG, 0 where the true horizon shows; `band` their colour texture (elevation
    rows of 0.05 degrees, azimuth columns of SKYLINE_STEP_DEG)."""

    top: np.ndarray
    horizon: np.ndarray
    span_deg: float
    noise: float  # grey levels of pixel noise
    skyline: np.ndarray
    band: np.ndarray
    seed: int = 0

    @property
    def hidden_share(self) -> float:
        return float((self.skyline > 0).mean())


def random_sky(rng: np.random.Generator, cover: float | None = None) -> Sky:
    """A plausible sky: blue to hazy, overcast grey or evening; its brightness random; a skyline
    band hiding `cover` of the horizon's azimuths (random when None: a third none, a third
    partial, a third mostly or wholly hidden) made of flat-topped buildings (0.5-4 degrees
    high, 1-8 wide), bumpy tree lines and low wide hills."""
    kind = rng.integers(0, 3)
    if kind == 0:  # blue
        top, hor = rng.uniform([70, 110, 170], [140, 175, 235]), rng.uniform([170, 190, 205], [225, 230, 245])
    elif kind == 1:  # overcast
        g = rng.uniform(150, 235)
        top = np.full(3, g) + rng.uniform(-10, 10, 3)
        hor = np.clip(top + rng.uniform(0, 20), 0, 250)
    else:  # evening
        top, hor = rng.uniform([60, 80, 140], [120, 130, 200]), rng.uniform([200, 150, 100], [250, 200, 160])
    gain = rng.uniform(0.8, 1.1)
    if cover is None:
        cover = float(rng.choice([0.0, rng.uniform(0.2, 0.7), rng.uniform(0.85, 1.0)]))
    n = int(round(360 / SKYLINE_STEP_DEG))
    skyline = np.zeros(n)
    if cover > 0:
        k0 = k = int(rng.integers(0, n))
        while k < k0 + n:
            width = rng.uniform(1.0, 8.0)
            m = max(1, int(width / SKYLINE_STEP_DEG))
            what = rng.integers(0, 3)
            if what == 0:  # a building
                prof = np.full(m, rng.uniform(0.5, 4.0))
            elif what == 1:  # trees
                t = np.linspace(0, 1, m)
                prof = rng.uniform(1.0, 4.0) * (0.6 + 0.4 * np.abs(np.sin(t * math.pi * rng.uniform(2, 6))))
            else:  # a low hill
                m *= 4
                prof = rng.uniform(0.3, 1.5) * np.sin(np.linspace(0, math.pi, m)) ** 0.5
            idx = (k + np.arange(m)) % n
            skyline[idx] = np.maximum(skyline[idx], prof)
            gap = 0.0 if cover >= 1 else m * (1 - cover) / cover * rng.uniform(0.3, 1.7)
            k += m + int(gap)
        if cover >= 1:  # a distant tree line or ridge between the objects, never quite straight
            t = np.linspace(0, 2 * math.pi, n, endpoint=False)
            floor = 0.6 + sum(
                rng.uniform(0.05, 0.25) * np.sin(j * t + rng.uniform(0, 6.3)) for j in (3, 11, 37)
            )
            skyline = np.maximum(skyline, np.clip(floor, 0.2, None))
    base = rng.uniform([30, 40, 30], [110, 120, 110])
    band = base + rng.normal(0, 12, (100, n, 1)) + rng.normal(0, 6, (100, n, 3))
    return Sky(
        top * gain, hor * gain, rng.uniform(15, 45), rng.uniform(0.5, 2.0), skyline, band.astype(np.float32)
    )


@dataclass
class GroundView:
    image: np.ndarray  # H x W x 3 uint8
    lon: float
    lat: float
    height_m: float
    pitch_deg: float  # below the horizon
    yaw_deg: float  # clockwise from north
    focal_px: float
    roll_deg: float = 0.0  # clockwise about the optical axis
    hidden_share: float = 0.0  # of the horizon's columns in the frame hidden by the skyline


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
    roll_deg: float = 0.0,
    sky: Sky | None = None,
) -> GroundView:
    """The view of a camera at (lon, lat), `height_m` above the ground (`levels`: pyramid(raster)),
    rolled `roll_deg` clockwise; above the horizon `sky` (a plain gradient when None)."""
    w, h = size
    f = w / 2 / math.tan(math.radians(hfov_deg / 2))
    R = rotation_from_angles(90.0 - pitch_deg, yaw_deg, roll_deg)
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
    hidden = 0.0
    if sky is None:
        frac = np.clip(v / h, 0, 1)[..., None]
        out[:] = SKY_TOP * (1 - frac) + SKY_HORIZON * frac
    else:
        hidden = _paint_sky(out, d, sky)
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
    return GroundView(
        np.clip(out, 0, 255).astype(np.uint8), lon, lat, height_m, pitch_deg, yaw_deg, f, roll_deg, hidden
    )


def _paint_sky(out: np.ndarray, d: np.ndarray, sky: Sky) -> float:
    """The sky and the skyline band by each ray's elevation and azimuth (the ground is painted
    over it afterwards); the share of the frame's horizon azimuths the band hides."""
    horiz = np.hypot(d[..., 0], d[..., 1])
    elev = np.degrees(np.arctan2(d[..., 2], horiz))
    az = np.degrees(np.arctan2(d[..., 0], d[..., 1])) % 360.0
    k = np.clip((az / SKYLINE_STEP_DEG).astype(int), 0, len(sky.skyline) - 1)
    frac = np.clip(elev / sky.span_deg, 0, 1)[..., None] ** 0.6
    rng = np.random.default_rng(sky.seed)
    out[:] = sky.horizon * (1 - frac) + sky.top * frac + rng.normal(0, sky.noise, out.shape[:2])[..., None]
    band = (elev > 0) & (elev < sky.skyline[k])
    rows = np.clip((elev / 0.05).astype(int), 0, sky.band.shape[0] - 1)
    out[band] = sky.band[rows[band], k[band]]
    # the azimuths of the frame's horizon (where the elevation crosses 0), hidden or not
    seen = np.abs(elev) < 0.2
    return float((sky.skyline[k[seen]] > 0).mean()) if seen.any() else 0.0


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
    gps_error_m: float | None = None,
) -> Path:
    """The view as a phone JPEG: make, GPS fix (lat, lon), GPSImgDirection, the 35 mm focal and,
    when given, the fix's GPSHPositioningError."""
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
            if gps_error_m is not None:
                ifd[31] = Fraction(round(gps_error_m * 100), 100)
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
