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

MIN_CHANNEL = 200      # every channel at least this bright (0-255) ...
MAX_SATURATION = 0.15  # ... this grey ...
MAX_LOCAL_STD = 12.0   # ... and this smooth (grey-level std in a small window) to seed a cloud
# Hazy or darker-exposed photos: the same tests on the photo with its haze taken off and its own
# white point (HAZE_PCT and WHITE_PCT percentiles per channel) stretched to 255, where a cloud
# must also be RATIO times as bright as the photo's median ground (bright ground is not). Only
# where the photo's dark floor is HAZE_BLUE bluer than red and green: the path radiance of air seen from
# orbit; a clear low photo's brightest ground would otherwise pass for cloud once stretched.
HAZE_PCT, WHITE_PCT = 1.0, 99.9
HAZE_BLUE = 10.0
REL_MIN_CHANNEL = 200
RATIO = 3.0
REL_MAX_SATURATION = 0.2
REL_MAX_LOCAL_STD = 18.0
# A seed grows into the connected pixels that are grey and half-way from the ground to the
# cloud (soft edges, thin cirrus around and between cumulus).
EDGE_LIFT = 0.5
MIN_AREA = 0.0005      # cloud blobs smaller than this share of the photo are ignored
GROW = 0.015           # the mask grows by this share of the long side (cloud edges, haze)
FEATHER = 0.01         # ... and blends into the ground over this share
WORK_SIDE = 256        # the mask is found at this long side (px): clouds are large


def _local_std(gray: np.ndarray, k: int) -> np.ndarray:
    mean = cv2.blur(gray, (k, k))
    return np.sqrt(np.maximum(cv2.blur(gray * gray, (k, k)) - mean * mean, 0.0))


def _saturation(img: np.ndarray) -> np.ndarray:
    lo, hi = img.min(axis=2), img.max(axis=2)
    return (hi - lo) / np.maximum(hi, 1.0)


def _dehazed(img: np.ndarray) -> np.ndarray | None:
    """The photo with each channel's haze floor at 0 and its white point at 255; None when the
    floor is not the bluish one of haze."""
    flat = img.reshape(-1, 3)
    floor, white = np.percentile(flat, HAZE_PCT, axis=0), np.percentile(flat, WHITE_PCT, axis=0)
    if floor[2] - max(floor[0], floor[1]) < HAZE_BLUE:
        return None
    return np.clip((img - floor) * (255.0 / np.maximum(white - floor, 16.0)), 0, 255)


def _blobs(seed: np.ndarray, min_px: float) -> np.ndarray:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(seed.astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_px
    return keep[labels]


def _grown_into(seed: np.ndarray, loose: np.ndarray) -> np.ndarray:
    """The connected parts of `loose | seed` that hold a seed pixel."""
    n, labels = cv2.connectedComponents((loose | seed).astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[np.unique(labels[seed])] = True
    keep[0] = False
    return keep[labels]


def cloud_mask(rgb: np.ndarray) -> np.ndarray:
    """Boolean mask of cloud pixels (bright, grey, smooth blobs, in absolute terms or relative
    to the photo's own haze, white point and ground, grown over their soft edges), found on a
    copy at most WORK_SIDE px wide and scaled back."""
    h, w = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(rgb, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) if f < 1 else rgb
    sh, sw = small.shape[:2]
    k = max(3, round(0.01 * max(sh, sw)) | 1)
    img = small.astype(np.float32)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    absolute = ((img.min(axis=2) >= MIN_CHANNEL) & (_saturation(img) <= MAX_SATURATION)
                & (_local_std(gray, k) <= MAX_LOCAL_STD))
    clear = _dehazed(img)
    if clear is None:
        seed = _blobs(absolute, MIN_AREA * sh * sw)
        mask = seed
    else:
        lo, gray_c = clear.min(axis=2), clear @ np.array([0.299, 0.587, 0.114], np.float32)
        ground = float(np.median(gray_c))
        bright = max(REL_MIN_CHANNEL, RATIO * ground)
        sat = _saturation(clear)
        relative = (lo >= bright) & (sat <= REL_MAX_SATURATION) & (_local_std(gray_c, k) <= REL_MAX_LOCAL_STD)
        seed = _blobs(absolute | relative, MIN_AREA * sh * sw)
        mask = _grown_into(seed, (lo >= ground + EDGE_LIFT * (bright - ground)) & (sat <= REL_MAX_SATURATION))
    if not seed.any():
        return np.zeros((h, w), bool)
    mask = mask.astype(np.uint8)
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
    f = min(1.0, WORK_SIDE / max(h, w))     # feather at the working size: a smooth ramp either way
    small = cv2.resize(mask.astype(np.float32), (max(1, round(w * f)), max(1, round(h * f))),
                       interpolation=cv2.INTER_AREA)
    alpha = cv2.GaussianBlur(small, (0, 0), max(1.0, FEATHER * max(small.shape)))
    alpha = np.maximum(cv2.resize(alpha, (w, h), interpolation=cv2.INTER_LINEAR), mask)
    alpha[alpha < 0.01] = 0.0    # beyond the feather the ground stays exactly as it was
    alpha = alpha[..., None]
    out = rgb.astype(np.float32) * (1 - alpha) + fill * alpha
    return np.clip(out + 0.5, 0, 255).astype(np.uint8), share
