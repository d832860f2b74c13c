"""Historical photos (`--kind historical`): grayscale film scans made ready for matching.

A scanned film frame differs from today's imagery in ways that are not the ground: no colour,
a vignetted frame (the lens darkens the corners), grain, dust and scratches along the film.
Retrieval sees the photo in grey (`restore` with no steps), which is what the grey models
(xfeat-*, sift-vlad, fused-vlad) see of a colour tile too: they average or weigh the channels
into one grey image before their features (models/*: `sees_colour` False), so photo and tiles
meet in grey without re-embedding the index. A model that uses colour (dinov2) cannot compare a
grey photo with colour tiles: `check_model` refuses it. Matching and the pose see the photo
after RESTORE_STEPS of STEPS: thin scratches replaced by the median across them, grain smoothed
by non-local means, the vignetting divided out (a radial falloff fitted to the frame); which
steps run is measured (docs/LOCATE.md, "Historical and satellite images").
"""

from __future__ import annotations

import cv2
import numpy as np

from .errors import InputError

GREY_TOLERANCE = 3.0  # mean |channel - grey| (0-255) below which a photo counts as grayscale
SAMPLE = 128  # grayscale test on a SAMPLE x SAMPLE grid of pixels
FIT_SIDE = 96  # the vignetting is fitted on a copy this wide
DENOISE_H = 7.0  # non-local-means strength (grain of a scanned film at <= 1024 px)
SCRATCH_CONTRAST = 28.0  # a pixel this far (grey levels) from its row neighbours' median ...
SCRATCH_WIDTH = 7  # ... over a window this wide is part of a thin line: a scratch or a hair


def is_grayscale(rgb: np.ndarray) -> bool:
    """True when the photo carries no colour (a single channel, or three nearly equal ones)."""
    if rgb.ndim == 2 or rgb.shape[2] == 1:
        return True
    h, w = rgb.shape[:2]
    ys = np.linspace(0, h - 1, min(h, SAMPLE)).astype(int)
    xs = np.linspace(0, w - 1, min(w, SAMPLE)).astype(int)
    s = rgb[ys][:, xs].astype(np.float32)
    return float(np.abs(s - s.mean(axis=2, keepdims=True)).mean()) < GREY_TOLERANCE


def flatten_illumination(gray: np.ndarray) -> np.ndarray:
    """The grey image divided by its vignetting: a radial falloff exp(b r^2 + c r^4) (r: the
    distance from the centre, 1 at the mid-sides) fitted to the log of a FIT_SIDE-px copy by least
    squares. The ground's own brightness has no radial trend on average, so it stays (a blur-based
    flat field took field and lake contrast with it); a fit that brightens the centre is not kept."""
    g = gray.astype(np.float32)
    h, w = g.shape
    f = FIT_SIDE / max(h, w)
    small = cv2.resize(g, (max(8, round(w * f)), max(8, round(h * f))), interpolation=cv2.INTER_AREA)
    r2 = _radius2(*small.shape)
    valid = small > 4
    A = np.stack([np.ones_like(r2), r2, r2 * r2], axis=-1)[valid]
    coef, *_ = np.linalg.lstsq(A, np.log(np.maximum(small[valid], 1.0)), rcond=None)
    full = _radius2(h, w)
    falloff = np.exp(coef[1] * full + coef[2] * full * full)
    if not (falloff.min() > 0.2 and falloff.max() < 1.05):
        return gray
    return np.clip(g / falloff, 0, 255).astype(np.uint8)


def _radius2(h: int, w: int) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return ((xx + 0.5 - w / 2) / (w / 2)) ** 2 + ((yy + 0.5 - h / 2) / (h / 2)) ** 2


def remove_scratches(gray: np.ndarray) -> np.ndarray:
    """Thin vertical and horizontal lines (film scratches, hairs) replaced by the median across
    them: a pixel that differs from the median of its SCRATCH_WIDTH row (or column) neighbours by
    more than SCRATCH_CONTRAST while those neighbours agree is a line, not ground texture."""
    out = gray.copy()
    for axis in (1, 0):
        img = gray if axis == 1 else gray.T
        med = _line_median(img)
        line = np.abs(img.astype(np.int16) - med.astype(np.int16)) > SCRATCH_CONTRAST
        # a scratch runs along the film: keep only pixels whose line continues above and below
        run = cv2.morphologyEx(line.astype(np.uint8), cv2.MORPH_OPEN, np.ones((9, 1), np.uint8)).astype(bool)
        target = out if axis == 1 else out.T
        target[run] = med[run]
    return out


def _line_median(img: np.ndarray) -> np.ndarray:
    """Per pixel, the median of its SCRATCH_WIDTH horizontal neighbours (a 1 x N median)."""
    pad = SCRATCH_WIDTH // 2
    padded = np.pad(img, ((0, 0), (pad, pad)), mode="reflect")
    stack = np.stack([padded[:, i : i + img.shape[1]] for i in range(SCRATCH_WIDTH)])
    return np.median(stack, axis=0).astype(np.uint8)


def denoise(gray: np.ndarray) -> np.ndarray:
    """Film grain smoothed by non-local means (DENOISE_H)."""
    return cv2.fastNlMeansDenoising(gray, None, h=DENOISE_H, templateWindowSize=7, searchWindowSize=15)


# The restoration steps, in the order they run; RESTORE_STEPS are those --kind historical runs.
STEPS = {"scratches": remove_scratches, "denoise": denoise, "vignetting": flatten_illumination}
#: none by default: on the benchmark's aged views every combination tried (for retrieval and
#: matching, or for matching only; CLAHE too) placed fewer photos than the grey photo as it is
#: (docs/LOCATE.md, "Historical and satellite images"; `bench_modes_historical --restore ...`)
RESTORE_STEPS: tuple[str, ...] = ()


def restore(rgb: np.ndarray, steps: tuple[str, ...] | None = None) -> np.ndarray:
    """A film scan (RGB or grey uint8) as the grey image retrieval and matching see, after the
    `steps` of STEPS (default RESTORE_STEPS); three equal channels, same size."""
    unknown = set(steps or ()) - set(STEPS)
    if unknown:
        raise ValueError(f"unknown restoration steps {sorted(unknown)}: use {', '.join(STEPS)}")
    gray = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    chosen = RESTORE_STEPS if steps is None else steps
    for name, step in STEPS.items():
        if name in chosen:
            gray = step(gray)
    return np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))


def check_model(model: object, grayscale: bool, kind: str) -> None:
    """A grey photo (or --kind historical) against a model that compares colour: InputError
    (field `kind`), never a silent grey-against-colour search."""
    if not getattr(model, "sees_colour", False) or not (grayscale or kind == "historical"):
        return
    name = getattr(model, "name", "?")
    what = "a historical (grey) photo" if kind == "historical" else "the photo is grayscale"
    raise InputError(
        f"{what}, and the index's model {name} compares colour: a grey photo cannot be matched "
        "with colour tiles by it",
        "search an index built with a model that sees grey only (fused-vlad, the default, "
        "xfeat-mlvlad, xfeat-vlad or sift-vlad)",
        field="kind",
    )
