"""Astronaut/aerial-looking query photos cut from a raster with a known ground footprint.

A planar pinhole approximation in the raster's pixel space: the footprint is a trapezoid
(perspective tilt), rotated and scaled; the photo is the perspective warp of that trapezoid,
then JPEG-compressed, hazed and colour-shifted. Seeded, so benchmarks are repeatable.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from astroloc_qgis.engine.models.views import view_quad


@dataclass
class SynthView:
    image: np.ndarray  # H x W x 3 uint8 (after degradations)
    quad_px: np.ndarray  # 4 x 2 footprint in source pixels, photo order UL, UR, LR, LL
    rotation_deg: float
    tilt_deg: float
    ground_px: float  # sqrt of footprint area in source pixels


def footprint_quad(
    cx: float,
    cy: float,
    side: float,
    rotation_deg: float,
    tilt_deg: float,
    aspect: float = 4 / 3,
    half_vfov_deg: float = 15.0,
) -> np.ndarray:
    """Ground trapezoid of a pinhole camera tilted `tilt_deg` off nadir, centred on (cx, cy):
    the engine's `views.view_quad` (the same geometry makes the index's photo-like views)."""
    return view_quad(side, rotation_deg, tilt_deg, aspect, half_vfov_deg) + [cx, cy]


def render(source_rgb: np.ndarray, quad_px: np.ndarray, out_w: int, out_h: int) -> np.ndarray:
    dst = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], np.float32)
    h = cv2.getPerspectiveTransform(quad_px.astype(np.float32), dst)
    return cv2.warpPerspective(
        source_rgb, h, (out_w, out_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REFLECT
    )


def degrade(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = img.astype(np.float32)
    gain = rng.uniform(0.85, 1.15, 3)
    gamma = rng.uniform(0.8, 1.25)
    out = 255.0 * np.clip(out * gain / 255.0, 0, 1) ** gamma
    haze = rng.uniform(0.0, 0.35)
    out = out * (1 - haze) + haze * rng.uniform(180, 235, 3)
    out = np.clip(out, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(out).save(buf, format="JPEG", quality=int(rng.integers(40, 91)))
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def random_view(
    source_rgb: np.ndarray,
    rng: np.random.Generator,
    side_range: tuple[float, float],
    max_tilt: float = 45.0,
    out_size: tuple[int, int] = (512, 384),
    margin: float = 0.0,
    valid: np.ndarray | None = None,
    tries: int = 50,
) -> SynthView:
    """A random view whose footprint lies inside the raster (and inside `valid` pixels if given)."""
    h, w = source_rgb.shape[:2]
    for _ in range(tries):
        side = math.exp(rng.uniform(math.log(side_range[0]), math.log(side_range[1])))
        rot, tilt = rng.uniform(0, 360), rng.uniform(0, max_tilt)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        quad = footprint_quad(cx, cy, side, rot, tilt, aspect=out_size[0] / out_size[1])
        if (
            quad[:, 0].min() < margin
            or quad[:, 1].min() < margin
            or quad[:, 0].max() > w - margin
            or quad[:, 1].max() > h - margin
        ):
            continue
        if (
            valid is not None
            and not valid[
                np.clip(quad[:, 1].astype(int), 0, h - 1), np.clip(quad[:, 0].astype(int), 0, w - 1)
            ].all()
        ):
            continue
        img = degrade(render(source_rgb, quad, *out_size), rng)
        return SynthView(img, quad, rot, tilt, side)
    raise RuntimeError("no view fits inside the raster")
