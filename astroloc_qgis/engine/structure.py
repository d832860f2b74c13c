"""Dense structural agreement between a photo and reference imagery, independent of keypoints.

Local features need repeatable corners; across years (new crops, flooded fields, a moved river)
few survive. The *layout* of edges (field boundaries, roads, river banks) changes less. CFOG
(channel features of orientated gradients, Ye et al. 2019, used for multimodal remote-sensing
registration) describes every pixel by its smoothed gradient energy in a few unsigned
orientations, normalised per pixel: a bright field turning dark keeps its descriptor.

`agreement` renders nothing itself: it compares a photo with the reference already rendered into
the photo's frame (with a margin) and says how well they correlate at the expected offset and how
distinct that is from every other offset nearby. A right footprint peaks at zero offset; a wrong
one's correlation surface is flat or peaks elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

ORIENTATIONS = 9  # unsigned gradient orientations over 180 degrees
SMOOTH_SIGMA = 1.0  # spatial smoothing of each orientation channel (px)
PEAK_RADIUS = 0.04  # offsets within this share of the long side count as "the peak"


def orientation_channels(gray: np.ndarray) -> np.ndarray:
    """ORIENTATIONS x H x W float32 CFOG descriptor, L2-normalised per pixel (channel first, so
    that every channel and every window of it is a plain 2-D array for OpenCV).

    Written in place, channel by channel (half the time of the plain array expression, which it
    equals bit for bit: the same float32 operations in the same order; test_structure checks)."""
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    raw = np.empty((ORIENTATIONS, *g.shape), np.float32)
    tmp, tmp2 = np.empty_like(g), np.empty_like(g)
    for k in range(ORIENTATIONS):
        t = math.pi * k / ORIENTATIONS
        np.multiply(gx, math.cos(t), out=tmp)
        np.multiply(gy, math.sin(t), out=tmp2)
        np.add(tmp, tmp2, out=tmp)
        np.abs(tmp, out=tmp)
        cv2.GaussianBlur(tmp, (0, 0), SMOOTH_SIGMA, dst=raw[k])
    c = np.empty_like(raw)
    for k in range(ORIENTATIONS):  # smooth across orientations (circular)
        np.add(raw[k - 1], raw[(k + 1) % ORIENTATIONS], out=tmp)
        np.multiply(tmp, 0.5, out=tmp)
        np.add(raw[k], tmp, out=c[k])
    norm = np.multiply(c[0], c[0])
    for k in range(1, ORIENTATIONS):
        np.multiply(c[k], c[k], out=tmp)
        norm += tmp
    np.sqrt(norm, out=norm)
    den = norm + 1e-3 * float(norm.mean())
    den += 1e-6
    c /= den
    return c


def correlation_surface(ref_desc: np.ndarray, photo_desc: np.ndarray) -> np.ndarray:
    """Mean over channels of the normalised cross-correlation of the photo slid over the reference."""
    total = None
    for r_k, p_k in zip(ref_desc, photo_desc, strict=True):
        r = cv2.matchTemplate(r_k, p_k, cv2.TM_CCOEFF_NORMED)
        total = r if total is None else total + r
    return np.nan_to_num(total / len(ref_desc), nan=0.0)


@dataclass
class Agreement:
    at_offset: float  # correlation where the footprint says the photo is
    elsewhere: float  # best correlation at any other offset within the margin

    @property
    def distinct(self) -> float:
        return self.at_offset - self.elsewhere


def agreement(photo_desc: np.ndarray, ref_in_frame: np.ndarray, margin: tuple[int, int]) -> Agreement:
    """`ref_in_frame` is the reference rendered through the footprint into the photo's frame,
    `margin` (mx, my) pixels beyond each photo edge; `photo_desc` is the photo's
    `orientation_channels` at the frame's size."""
    mx, my = margin
    surf = correlation_surface(orientation_channels(ref_in_frame), photo_desc)
    at = float(surf[my, mx])
    return Agreement(at, best_elsewhere(surf, mx, my, max(2, round(PEAK_RADIUS * max(photo_desc.shape[1:])))))


def agreement_at_offset(photo_desc: np.ndarray, ref_in_frame: np.ndarray, margin: tuple[int, int]) -> float:
    """`agreement(...).at_offset` alone, without the rest of the correlation surface (half the work)."""
    mx, my = margin
    h, w = photo_desc.shape[1:]
    r = (
        orientation_channels(ref_in_frame)[:, my : my + h, mx : mx + w]
        .reshape(ORIENTATIONS, -1)
        .astype(np.float64)
    )
    p = photo_desc.reshape(ORIENTATIONS, -1).astype(np.float64)
    r -= r.mean(axis=1, keepdims=True)
    p = p - p.mean(axis=1, keepdims=True)
    den = np.sqrt((r * r).sum(axis=1) * (p * p).sum(axis=1))
    return float(np.mean(np.where(den > 0, (r * p).sum(axis=1) / np.maximum(den, 1e-12), 0.0)))


def best_elsewhere(surf: np.ndarray, x: int, y: int, r: int) -> float:
    """The highest value of a correlation surface more than r cells from (x, y) (-1 if none)."""
    away = surf.copy()
    away[max(0, y - r) : y + r + 1, max(0, x - r) : x + r + 1] = -1.0
    return float(away.max()) if away.size else -1.0


def _vertex(m1: float, m0: float, p1: float) -> float:
    """Offset of the vertex of the parabola through three samples around a peak."""
    d = m1 - 2 * m0 + p1
    return 0.0 if abs(d) < 1e-9 else float(np.clip(0.5 * (m1 - p1) / d, -0.5, 0.5))


def block_matches(
    photo: np.ndarray,
    ref_in_frame: np.ndarray,
    margin: tuple[int, int],
    grid: tuple[int, int] = (6, 4),
    block: int = 64,
    min_distinct: float = 0.02,
) -> tuple[np.ndarray, np.ndarray]:
    """Dense correspondences: each block of a grid over the photo is slid over the reference
    (rendered into the photo's frame, `margin` px beyond each edge) within the margin; the
    block's centre and its correlation peak (sub-pixel) form a pair when the peak stands out
    from the rest of the search area by `min_distinct`. Returns (photo px, frame px)."""
    mx, my = margin
    h, w = photo.shape
    block = min(block, h, w)
    pd, rd = orientation_channels(photo), orientation_channels(ref_in_frame)
    r = 4
    src, dst = [], []
    for cy in np.linspace(block / 2, h - block / 2, grid[1]):
        for cx in np.linspace(block / 2, w - block / 2, grid[0]):
            x0, y0 = int(cx - block / 2), int(cy - block / 2)
            surf = correlation_surface(
                rd[:, y0 : y0 + block + 2 * my, x0 : x0 + block + 2 * mx],
                pd[:, y0 : y0 + block, x0 : x0 + block],
            )
            _, peak, _, (lx, ly) = cv2.minMaxLoc(surf)
            if peak - best_elsewhere(surf, lx, ly, r) < min_distinct:
                continue
            dx = (
                _vertex(surf[ly, lx - 1], surf[ly, lx], surf[ly, lx + 1])
                if 0 < lx < surf.shape[1] - 1
                else 0.0
            )
            dy = (
                _vertex(surf[ly - 1, lx], surf[ly, lx], surf[ly + 1, lx])
                if 0 < ly < surf.shape[0] - 1
                else 0.0
            )
            src.append([x0 + block / 2, y0 + block / 2])
            dst.append([x0 + lx + dx + block / 2, y0 + ly + dy + block / 2])
    return np.array(src, float).reshape(-1, 2), np.array(dst, float).reshape(-1, 2)


def _subpixel_peak(surf: np.ndarray, lx: int, ly: int) -> tuple[float, float]:
    """Parabolic vertex around an integer peak of a correlation surface (0 on its border)."""
    dx = _vertex(surf[ly, lx - 1], surf[ly, lx], surf[ly, lx + 1]) if 0 < lx < surf.shape[1] - 1 else 0.0
    dy = _vertex(surf[ly - 1, lx], surf[ly, lx], surf[ly + 1, lx]) if 0 < ly < surf.shape[0] - 1 else 0.0
    return dx, dy


def dense_matches(
    photo: np.ndarray,
    ref_in_frame: np.ndarray,
    margin: int,
    grid: tuple[int, int],
    block: int,
    min_distinct: float,
    back_px: float,
    back_radius: int = 4,
) -> tuple[np.ndarray, np.ndarray]:
    """Like `block_matches` on a fine grid, with a forward-backward check: each block's peak in the
    reference (rendered into the photo's frame with `margin` px around it) is cut out and slid back
    over the photo within `back_radius` px; a pair is kept when that lands within `back_px` of the
    block's own place (a repeated texture or a changed field fails it) and its forward peak stands
    out by `min_distinct`. Returns (photo px, frame px), sub-pixel, pixel-edge coordinates."""
    h, w = photo.shape
    block = min(block, h, w)
    pd, rd = orientation_channels(photo), orientation_channels(ref_in_frame)
    src, dst = [], []
    for cy in np.linspace(block / 2 + back_radius, h - block / 2 - back_radius, grid[1]):
        for cx in np.linspace(block / 2 + back_radius, w - block / 2 - back_radius, grid[0]):
            x0, y0 = int(cx - block / 2), int(cy - block / 2)
            tmpl = pd[:, y0 : y0 + block, x0 : x0 + block]
            if float(np.std(photo[y0 : y0 + block, x0 : x0 + block])) < 2.0:  # flat: water, haze, a cloud
                continue
            surf = correlation_surface(
                rd[:, y0 : y0 + block + 2 * margin, x0 : x0 + block + 2 * margin], tmpl
            )
            _, peak, _, (lx, ly) = cv2.minMaxLoc(surf)
            if peak - best_elsewhere(surf, lx, ly, 4) < min_distinct:
                continue
            dx, dy = _subpixel_peak(surf, lx, ly)
            # backward: the reference block at the peak, slid over the photo around the block
            ax, ay = x0 - back_radius, y0 - back_radius
            if ax < 0 or ay < 0 or ax + block + 2 * back_radius > w or ay + block + 2 * back_radius > h:
                continue
            back = correlation_surface(
                pd[:, ay : ay + block + 2 * back_radius, ax : ax + block + 2 * back_radius],
                rd[:, y0 + ly : y0 + ly + block, x0 + lx : x0 + lx + block],
            )
            _, _, _, (kx, ky) = cv2.minMaxLoc(back)
            ex, ey = _subpixel_peak(back, kx, ky)
            # frame (x0 + lx, y0 + ly) is photo (x0 - dx, y0 - dy) by the forward match
            if math.hypot(ax + kx + ex - (x0 - dx), ay + ky + ey - (y0 - dy)) > back_px:
                continue
            src.append([x0 + block / 2, y0 + block / 2])
            dst.append([x0 + lx + dx + block / 2, y0 + ly + dy + block / 2])
    return np.array(src, float).reshape(-1, 2), np.array(dst, float).reshape(-1, 2)


def smooth_field(
    pts: np.ndarray, disp: np.ndarray, size: tuple[int, int], iterations: int = 5
) -> Callable[[np.ndarray], np.ndarray]:
    """Robust fit (Cauchy weights) of a smooth displacement field, a cubic polynomial in the
    normalised photo coordinates (quadratic below 40 points), to `disp` (N x 2) at `pts`; returns
    the field as a function of photo px. The departure of a real camera on a curved Earth from the
    footprint's homography is smooth over the photo; a wrong block match is not."""
    w, h = size
    cubic = len(pts) >= 40

    def design(p: np.ndarray) -> np.ndarray:
        u, v = 2 * p[:, 0] / w - 1, 2 * p[:, 1] / h - 1
        terms = [np.ones_like(u), u, v, u * u, u * v, v * v]
        if cubic:
            terms += [u**3, u * u * v, u * v * v, v**3]
        return np.column_stack(terms)

    A = design(pts)
    wts = np.ones(len(pts))
    coef = np.zeros((A.shape[1], 2))
    for _ in range(iterations):
        coef, *_ = np.linalg.lstsq(A * wts[:, None], disp * wts[:, None], rcond=None)
        r = np.linalg.norm(disp - A @ coef, axis=1)
        s = max(1.4826 * float(np.median(r)), 0.1)
        wts = 1.0 / np.sqrt(1.0 + (r / (2 * s)) ** 2)
    return lambda p: design(np.asarray(p, float).reshape(-1, 2)) @ coef
