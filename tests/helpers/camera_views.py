"""Render pinhole-camera views of a georeferenced raster with a known pose (bench and tests).

The ground is the WGS84 ellipsoid (h = 0) textured with the raster; every photo pixel's ray
is intersected with it exactly (Newton steps on the geodetic height through PROJ), on a
coarse grid that is then interpolated for cv2.remap. So the views carry Earth curvature and
true perspective, and the ground-truth footprint is the four corner rays' ground points.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import rasterio

from astroloc_qgis.engine.pose import from_enu, rays_to_ground, rotation_from_angles, to_enu
from astroloc_qgis.engine.reference import Reference


@dataclass
class View:
    image: np.ndarray  # H x W x 3 uint8
    lon: float  # camera nadir
    lat: float
    altitude_m: float
    tilt_deg: float
    azimuth_deg: float
    roll_deg: float
    focal_px: float
    corners_lonlat: np.ndarray  # UL, UR, LR, LL
    target_lonlat: tuple[float, float]


def load_rgb(path: str) -> np.ndarray:
    with rasterio.open(path) as ds:
        bands = ds.read(list(range(1, min(3, ds.count) + 1)))
    if bands.shape[0] == 1:
        bands = np.repeat(bands, 3, axis=0)
    return np.ascontiguousarray(np.transpose(bands, (1, 2, 0)).astype(np.uint8))


def add_clouds(rgb: np.ndarray, cover: float, rng: np.random.Generator) -> np.ndarray:
    """Synthetic cumulus over a view: smooth random blobs covering about `cover` of the frame,
    near-white with soft edges and a little shading (no cloud shadows)."""
    if cover <= 0:
        return rgb
    h, w = rgb.shape[:2]
    field = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 0.04 * max(h, w))
    field = (field - field.mean()) / (field.std() + 1e-9)
    alpha = np.clip((field - np.quantile(field, 1 - cover)) * 4 + 0.5, 0, 1)[..., None]
    shade = 225 + 20 * np.clip(field, 0, 2)[..., None] / 2
    return np.clip(rgb * (1 - alpha) + shade * alpha, 0, 255).astype(np.uint8)


def render(
    ref: Reference,
    rgb: np.ndarray,
    lon: float,
    lat: float,
    alt: float,
    tilt: float,
    az: float,
    roll: float,
    f: float,
    w: int,
    h: int,
    grid: int = 24,
) -> View | None:
    """A view from a camera at nadir (lon, lat), `alt` m above the ellipsoid; None if it leaves the raster."""
    R = rotation_from_angles(tilt, az, roll)
    gx, gy = np.meshgrid(np.linspace(0, w, grid + 1), np.linspace(0, h, grid + 1))
    pix = np.column_stack([gx.ravel(), gy.ravel()])
    ll = rays_to_ground(lon, lat, alt, R, f, w, h, pix)
    if not np.all(np.isfinite(ll)):
        return None
    px = ref.lonlat_to_pixel(ll)
    if (
        px[:, 0].min() < 1
        or px[:, 1].min() < 1
        or px[:, 0].max() > ref.width - 2
        or px[:, 1].max() > ref.height - 2
    ):
        return None
    # Bilinear upsampling of the grid to every pixel centre (edge coordinate i + 0.5); remap
    # samples the raster at pixel centres, hence the final - 0.5.
    mx = _upsample(px[:, 0].reshape(grid + 1, grid + 1), w, h) - 0.5
    my = _upsample(px[:, 1].reshape(grid + 1, grid + 1), w, h) - 0.5
    img = cv2.remap(rgb, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    if np.mean(np.all(img == 0, axis=2)) > 0.02:  # nodata collar in view
        return None
    corners = rays_to_ground(lon, lat, alt, R, f, w, h, np.array([[0, 0], [w, 0], [w, h], [0, h]], float))
    centre = rays_to_ground(lon, lat, alt, R, f, w, h, np.array([[w / 2, h / 2]], float))[0]
    return View(img, lon, lat, alt, tilt, az, roll, f, corners, (float(centre[0]), float(centre[1])))


def _upsample(vals: np.ndarray, w: int, h: int) -> np.ndarray:
    g = vals.shape[0] - 1
    gx, gy = np.linspace(0, w, g + 1), np.linspace(0, h, g + 1)
    xs, ys = np.arange(w) + 0.5, np.arange(h) + 0.5
    rows = np.stack([np.interp(xs, gx, r) for r in vals])  # (g+1, w)
    return np.stack([np.interp(ys, gy, rows[:, i]) for i in range(w)], axis=1).astype(np.float32)


def camera_for_target(
    target_lon: float, target_lat: float, alt: float, tilt: float, az: float
) -> tuple[float, float]:
    """Nadir of a camera at `alt` whose optical axis hits (about) the target."""
    back = alt * math.tan(math.radians(tilt))
    a = math.radians(az)
    ll = from_enu(target_lon, target_lat, np.array([[-back * math.sin(a), -back * math.cos(a), 0.0]]))[0]
    return float(ll[0]), float(ll[1])


def ground_correspondences(view: View, n: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Exact photo px <-> ground lon/lat pairs on an n x n grid (for pose tests)."""
    h, w = view.image.shape[:2]
    gx, gy = np.meshgrid(np.linspace(0.05 * w, 0.95 * w, n), np.linspace(0.05 * h, 0.95 * h, n))
    pix = np.column_stack([gx.ravel(), gy.ravel()])
    R = rotation_from_angles(view.tilt_deg, view.azimuth_deg, view.roll_deg)
    return pix, rays_to_ground(view.lon, view.lat, view.altitude_m, R, view.focal_px, w, h, pix)


__all__ = [
    "View",
    "render",
    "camera_for_target",
    "ground_correspondences",
    "load_rgb",
    "rays_to_ground",
    "to_enu",
]


def mountains(
    corners_lonlat: np.ndarray, relief_m: float, rng: np.random.Generator, n: int = 6
) -> Callable[[np.ndarray], np.ndarray]:
    """A smooth random terrain over a footprint: `n` Gaussian hills up to `relief_m` high, each
    5-20% of the footprint's diagonal wide, centred inside the footprint's bounding box. Returns
    height(lonlat) in metres above the ellipsoid."""
    lo, hi = corners_lonlat.min(axis=0), corners_lonlat.max(axis=0)
    centres = rng.uniform(lo, hi, (n, 2))
    lon0, lat0 = float(corners_lonlat[:, 0].mean()), float(corners_lonlat[:, 1].mean())
    xy = to_enu(lon0, lat0, corners_lonlat[:, 0], corners_lonlat[:, 1], np.zeros(len(corners_lonlat)))
    diag = float(np.linalg.norm(xy[:, :2].max(axis=0) - xy[:, :2].min(axis=0)))
    widths = rng.uniform(0.05, 0.2, n) * diag
    heights = rng.uniform(0.3, 1.0, n) * relief_m
    hills = to_enu(lon0, lat0, centres[:, 0], centres[:, 1], np.zeros(n))[:, :2]

    def height(lonlat: np.ndarray) -> np.ndarray:
        p = to_enu(lon0, lat0, lonlat[:, 0], lonlat[:, 1], np.zeros(len(lonlat)))[:, :2]
        d2 = ((p[:, None, :] - hills[None]) ** 2).sum(axis=2)
        return (heights * np.exp(-d2 / (2 * widths**2))).sum(axis=1)

    return height
