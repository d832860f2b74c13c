"""Clouds in a photo: find them and take them out of what is matched.

Astronaut and aerial photos are often partly cloudy. A cloud is the brightest, greyest,
smoothest thing in the frame, and its outline is the strongest edge: keypoint detectors spend
their budget on it and the photo's global descriptor describes it, so retrieval and matching
look for clouds in cloudless reference imagery. `suppress` replaces cloud pixels by the mean
colour of the clear ground with a feathered edge, so that clouds and their outlines produce
(almost) no features; the ground keeps every pixel it had.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_CHANNEL = 200  # every channel at least this bright (0-255) ...
MAX_SATURATION = 0.15  # ... this grey ...
MAX_LOCAL_STD = 12.0  # ... and this smooth (grey-level std in a small window) to seed a cloud
MIN_AREA = 0.0005  # cloud blobs smaller than this share of the photo are ignored
GROW = 0.015  # the mask grows by this share of the long side (cloud edges, haze)
FEATHER = 0.01  # ... and blends into the ground over this share
WORK_SIDE = 256  # the mask is found at this long side (px): clouds are large


def cloud_mask(rgb: np.ndarray) -> np.ndarray:
    """Boolean mask of cloud pixels (bright, grey, smooth blobs, grown over their soft edges),
    found on a copy at most WORK_SIDE px wide and scaled back."""
    h, w = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h, w))
    small = (
        cv2.resize(rgb, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
        if f < 1
        else rgb
    )
    sh, sw = small.shape[:2]
    img = small.astype(np.float32)
    lo, hi = img.min(axis=2), img.max(axis=2)
    bright = lo >= MIN_CHANNEL
    if not bright.any():
        return np.zeros((h, w), bool)
    saturation = (hi - lo) / np.maximum(hi, 1.0)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    k = max(3, round(0.01 * max(sh, sw)) | 1)
    mean = cv2.blur(gray, (k, k))
    std = np.sqrt(np.maximum(cv2.blur(gray * gray, (k, k)) - mean * mean, 0.0))
    seed = (bright & (saturation <= MAX_SATURATION) & (std <= MAX_LOCAL_STD)).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(seed, connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= MIN_AREA * sh * sw
    mask = keep[labels].astype(np.uint8)
    if mask.any():
        r = max(1, round(GROW * max(sh, sw)))
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1)))
    if f < 1:
        mask = cv2.resize(mask, (w, h), interpolation=cv2.INTER_NEAREST)
    return mask.astype(bool)


def suppress(rgb: np.ndarray, mask: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """The photo with clouds replaced by the clear ground's mean colour, and the cloud share."""
    mask = cloud_mask(rgb) if mask is None else mask
    share = float(mask.mean())
    if share == 0.0 or share == 1.0:
        return rgb, share
    fill = rgb[~mask].reshape(-1, 3).mean(axis=0).astype(np.float32)
    h, w = mask.shape
    f = min(1.0, WORK_SIDE / max(h, w))  # feather at the working size: a smooth ramp either way
    small = cv2.resize(
        mask.astype(np.float32), (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
    )
    alpha = cv2.GaussianBlur(small, (0, 0), max(1.0, FEATHER * max(small.shape)))
    alpha = np.maximum(cv2.resize(alpha, (w, h), interpolation=cv2.INTER_LINEAR), mask)
    alpha[alpha < 0.01] = 0.0  # beyond the feather the ground stays exactly as it was
    alpha = alpha[..., None]
    out = rgb.astype(np.float32) * (1 - alpha) + fill * alpha
    return np.clip(out + 0.5, 0, 255).astype(np.uint8), share
