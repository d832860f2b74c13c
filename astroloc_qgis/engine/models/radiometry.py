"""Radiometric normalisation applied to tiles and photos alike before a descriptor.

An astronaut photo and an index tile of the same ground differ by a per-channel gain and offset
(haze adds a channel-dependent offset, the camera's white balance a gain, the air takes
contrast): a per-channel robust stretch of each image to the same range removes most of it
before the channels are mixed into the grey image the local features see. Measured in
docs/bench_orbital.md (not on by default).
"""

from __future__ import annotations

import hashlib

import numpy as np

STRETCH = "stretch-p1-99-v1"
LOW_PCT, HIGH_PCT = 1.0, 99.0
SAMPLE = 64  # percentiles from a SAMPLE x SAMPLE grid of pixels (cheap, stable)


def stretch_channels(img: np.ndarray) -> np.ndarray:
    """Each channel mapped linearly from its 1st-99th percentile (over the non-black pixels:
    black is nodata in a tile) to 0-255; RGB or grey uint8 in, same shape uint8 out."""
    x = img[..., None] if img.ndim == 2 else img
    h, w = x.shape[:2]
    ys = np.linspace(0, h - 1, min(h, SAMPLE)).astype(int)
    xs = np.linspace(0, w - 1, min(w, SAMPLE)).astype(int)
    sample = x[ys][:, xs].reshape(-1, x.shape[2]).astype(np.float32)
    valid = sample.max(axis=1) > 0
    if valid.sum() < 16:
        return img
    lo, hi = np.percentile(sample[valid], [LOW_PCT, HIGH_PCT], axis=0)
    scale = 255.0 / np.maximum(hi - lo, 8.0)  # a flat channel is not blown up into noise
    out = np.clip((x.astype(np.float32) - lo) * scale, 0, 255).astype(np.uint8)
    out[x.max(axis=2) == 0] = 0
    return out[..., 0] if img.ndim == 2 else out


NORMALISATIONS = {"": None, STRETCH: stretch_channels}
#: the models' normalisation: none, measured (docs/bench_orbital.md: with the stretch and the
#: orbital training views xfeat-mlvlad lost R@1 on rendered ISS views); STRETCH is selectable
#: per model instance (`model.input_norm`) and changes the model's weights hash
DEFAULT = ""


def normalise(img: np.ndarray, name: str) -> np.ndarray:
    fn = NORMALISATIONS[name]
    return fn(img) if fn else img


def versioned_hash(weights_hash: str, input_norm: str) -> str:
    """The weights hash, changed when the model normalises its input: an index built without
    (or with another) normalisation is then refused as built with other weights."""
    if not input_norm:
        return weights_hash
    return hashlib.sha256(f"{weights_hash}|input:{input_norm}".encode()).hexdigest()
