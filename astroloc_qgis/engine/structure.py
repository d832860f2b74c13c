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
from dataclasses import dataclass

import cv2
import numpy as np

ORIENTATIONS = 9      # unsigned gradient orientations over 180 degrees
SMOOTH_SIGMA = 1.0    # spatial smoothing of each orientation channel (px)
PEAK_RADIUS = 0.04    # offsets within this share of the long side count as "the peak"


def orientation_channels(gray: np.ndarray) -> np.ndarray:
    """H x W x ORIENTATIONS float32 CFOG descriptor, L2-normalised per pixel."""
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    chans = []
    for k in range(ORIENTATIONS):
        t = math.pi * k / ORIENTATIONS
        chans.append(cv2.GaussianBlur(np.abs(gx * math.cos(t) + gy * math.sin(t)), (0, 0), SMOOTH_SIGMA))
    c = np.stack(chans, axis=-1)
    c = c + 0.5 * (np.roll(c, 1, axis=-1) + np.roll(c, -1, axis=-1))   # smooth across orientations
    norm = np.linalg.norm(c, axis=-1, keepdims=True)
    return c / (norm + 1e-3 * float(norm.mean()) + 1e-6)


def correlation_surface(ref_desc: np.ndarray, photo_desc: np.ndarray) -> np.ndarray:
    """Mean over channels of the normalised cross-correlation of the photo slid over the reference."""
    total = None
    for k in range(ref_desc.shape[-1]):
        r = cv2.matchTemplate(np.ascontiguousarray(ref_desc[..., k]), np.ascontiguousarray(photo_desc[..., k]),
                              cv2.TM_CCOEFF_NORMED)
        total = r if total is None else total + r
    return np.nan_to_num(total / ref_desc.shape[-1], nan=0.0)


@dataclass
class Agreement:
    at_offset: float   # correlation where the footprint says the photo is
    elsewhere: float   # best correlation at any other offset within the margin

    @property
    def distinct(self) -> float:
        return self.at_offset - self.elsewhere


def agreement(photo: np.ndarray, ref_in_frame: np.ndarray, margin: tuple[int, int]) -> Agreement:
    """`ref_in_frame` is the reference rendered through the footprint into the photo's frame,
    `margin` (mx, my) pixels beyond each photo edge; `photo` has the photo frame's size."""
    mx, my = margin
    surf = correlation_surface(orientation_channels(ref_in_frame), orientation_channels(photo))
    at = float(surf[my, mx])
    r = max(2, round(PEAK_RADIUS * max(photo.shape)))
    away = surf.copy()
    away[max(0, my - r):my + r + 1, max(0, mx - r):mx + r + 1] = -1.0
    return Agreement(at, float(away.max()) if away.size else -1.0)

