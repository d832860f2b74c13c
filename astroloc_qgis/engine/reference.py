"""Reference imagery for matching: a georeferenced raster rendered through a pixel map.

`render(M, size)` produces a grayscale image whose pixel (u, v) shows the raster at pixel
M @ (u, v, 1) (M may be a perspective map: that is how the reference is re-cut in the
photo's frame). Small rasters are held in memory as a pyramid; large ones are read by
window at the needed resolution (rasters.read_region).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from functools import cached_property

import cv2
import numpy as np

from . import crs as crs_mod
from . import rasters
from .rasters import RasterSource

IN_MEMORY_PIXELS = 40_000_000
_HALF = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]], float)
_HALF_BACK = np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]], float)
MAX_READ = 4096


def to_gray(rgb: np.ndarray) -> np.ndarray:
    """RGB uint8 -> gray, keeping 0 as nodata and valid pixels >= 1."""
    g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    valid = np.any(rgb > 0, axis=2)
    return np.where(valid, np.maximum(g, 1), 0).astype(np.uint8)


class Reference:
    def __init__(self, source: RasterSource | str):
        if not isinstance(source, RasterSource):
            source = rasters.open_source(source, checksum=False)
        self.source = source
        self.path = source.path
        self.crs = source.crs
        self.transform = source.transform
        self.width, self.height = source.width, source.height
        self._pyramid: list[np.ndarray] | None = None
        self._lock = threading.Lock()

    # --- geometry -------------------------------------------------------------------
    def pixel_to_crs(self, pts: np.ndarray) -> np.ndarray:
        a = self.transform
        pts = np.asarray(pts, float).reshape(-1, 2)
        return np.column_stack(
            [a.a * pts[:, 0] + a.b * pts[:, 1] + a.c, a.d * pts[:, 0] + a.e * pts[:, 1] + a.f]
        )

    def crs_to_pixel(self, xy: np.ndarray) -> np.ndarray:
        inv = ~self.transform
        xy = np.asarray(xy, float).reshape(-1, 2)
        return np.column_stack(
            [inv.a * xy[:, 0] + inv.b * xy[:, 1] + inv.c, inv.d * xy[:, 0] + inv.e * xy[:, 1] + inv.f]
        )

    def pixel_to_lonlat(self, pts: np.ndarray) -> np.ndarray:
        xy = self.pixel_to_crs(pts)
        lon, lat = crs_mod.to_wgs84(self.crs).transform(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    def lonlat_to_pixel(self, lonlat: np.ndarray) -> np.ndarray:
        lonlat = np.asarray(lonlat, float).reshape(-1, 2)
        x, y = crs_mod.from_wgs84(self.crs).transform(lonlat[:, 0], lonlat[:, 1])
        return self.crs_to_pixel(np.column_stack([x, y]))

    @cached_property
    def pixel_size_m(self) -> float:
        """Approximate ground size of one pixel at the raster centre (metres)."""
        c = np.array([[self.width / 2, self.height / 2], [self.width / 2 + 1, self.height / 2 + 1]])
        ll = self.pixel_to_lonlat(c)
        d = crs_mod.geodesic_distance_m(ll[0, 0], ll[0, 1], ll[1, 0], ll[1, 1])
        return d / math.sqrt(2)

    # --- rendering ------------------------------------------------------------------
    @staticmethod
    def window_map(x0: float, y0: float, w: float, h: float, size: int) -> np.ndarray:
        """Map from a `size`-px (long side) image of the window to reference pixels."""
        s = max(w, h) / size
        return np.array([[s, 0, x0], [0, s, y0], [0, 0, 1]], float)

    def _load_pyramid(self) -> list[np.ndarray]:
        with self._lock:
            if self._pyramid is None:
                with rasters.SourceReader(self.source) as reader:
                    rgb, _ = reader.read(0, 0, self.width, self.height, self.width, self.height)
                levels = [to_gray(rgb)]
                while min(levels[-1].shape) > 64:
                    levels.append(cv2.pyrDown(levels[-1]))
                self._pyramid = levels
        return self._pyramid

    def render(self, M: np.ndarray, size: tuple[int, int]) -> np.ndarray | None:
        """Grayscale image of `size` (W, H) sampled at reference pixels M @ (u, v, 1); None if empty."""
        w, h = size
        grid = np.array([[0, 0], [w, 0], [w, h], [0, h], [w / 2, h / 2]], float)
        den = M[2, 0] * grid[:, 0] + M[2, 1] * grid[:, 1] + M[2, 2]
        if not (np.all(den > 0) or np.all(den < 0)):
            return None
        pts = cv2.perspectiveTransform(grid.reshape(-1, 1, 2), M).reshape(-1, 2)
        # Source pixels per output pixel, at the finest part of the view (local Jacobian).
        steps = []
        for p in grid:
            q = cv2.perspectiveTransform(np.array([[p, p + [1, 0], p + [0, 1]]], float), M)[0]
            a, b = q[1] - q[0], q[2] - q[0]
            steps.append(math.sqrt(abs(a[0] * b[1] - a[1] * b[0])))
        step = max(min(steps), 1e-6)
        x0, y0 = np.floor(pts.min(axis=0)) - 2
        x1, y1 = np.ceil(pts.max(axis=0)) + 2
        x0, y0 = max(x0, 0), max(y0, 0)
        x1, y1 = min(x1, self.width), min(y1, self.height)
        if x1 - x0 < 2 or y1 - y0 < 2:
            return None
        if self.width * self.height <= IN_MEMORY_PIXELS:
            levels = self._load_pyramid()
            lvl = max(0, min(len(levels) - 1, int(math.floor(math.log2(step))) if step > 1 else 0))
            img = levels[lvl]
            f = 2.0**lvl
            # pyrDown keeps every other pixel *centre*: level-L pixel k is centred on level-0
            # edge coordinate f*k + 0.5, not f*(k + 0.5)
            S = np.array([[1 / f, 0, 0.5 - 0.5 / f], [0, 1 / f, 0.5 - 0.5 / f], [0, 0, 1]], float)
            Mi = S @ M
        else:
            native = math.hypot(self.transform.a, self.transform.d)
            rgb, arr_transform, _ = rasters.read_region(
                self.source,
                window=(x0, y0, x1 - x0, y1 - y0),
                resolution=native * max(1.0, step),
                max_side=MAX_READ,
            )
            img = to_gray(rgb)
            to_arr = ~arr_transform @ self.transform  # reference px -> array px (affine)
            Mi = np.array([[to_arr.a, to_arr.b, to_arr.c], [to_arr.d, to_arr.e, to_arr.f], [0, 0, 1]]) @ M
        # M works in pixel-edge coordinates (pixel i spans [i, i+1)); OpenCV samples at centres.
        Mi = _HALF_BACK @ Mi @ _HALF
        out = cv2.warpPerspective(
            img,
            Mi,
            (int(w), int(h)),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=0,
        )
        return out if np.count_nonzero(out) > 0.05 * out.size else None


_open: OrderedDict[str, Reference] = OrderedDict()
_open_lock = threading.Lock()


def open_reference(source: RasterSource | str, keep: int = 8) -> Reference:
    """A cached Reference (pyramids stay warm between requests)."""
    path = source.path if isinstance(source, RasterSource) else str(source)
    with _open_lock:
        if path in _open:
            _open.move_to_end(path)
            return _open[path]
        ref = Reference(source)
        _open[path] = ref
        while len(_open) > keep:
            _open.popitem(last=False)
        return ref
