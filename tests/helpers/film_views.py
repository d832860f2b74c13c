"""Rendered views made to look like old film scans (grey, grain, vignetting, scratches, dust): the
historical tests (tests/unit/test_film.py,
test_locate.py) and `make bench-modes-historical` (tools/bench_modes_historical.py)."""

from __future__ import annotations

import cv2
import numpy as np


def aged(rgb: np.ndarray, rng: np.random.Generator, strength: float = 1.0) -> np.ndarray:
    """An RGB view as a scanned film print: grey (film's own spectral response, not today's
    luminance), a contrast curve, vignetting (corners down to ~45-60%), film grain, a few
    vertical scratches and dust specks; three equal channels uint8."""
    h, w = rgb.shape[:2]
    weights = rng.dirichlet([4.0, 6.0, 2.0])  # panchromatic film sees the bands unlike the eye
    g = rgb.astype(np.float32) @ weights.astype(np.float32)
    gamma = rng.uniform(0.75, 1.35)
    g = 255.0 * (np.clip(g / 255.0, 0, 1) ** gamma)
    g = 30.0 + g * rng.uniform(0.6, 0.85)  # a print's washed-out blacks and whites
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
    corner = rng.uniform(0.45, 0.6) ** strength
    g *= 1.0 - (1.0 - corner) * np.clip(r2 / 2.0, 0, 1) ** 1.2
    grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 0.8)
    g += grain * 14.0 * strength
    for _ in range(int(rng.integers(2, 6) * strength)):
        x = float(rng.uniform(0.05, 0.95) * w)
        y0, y1 = sorted(rng.uniform(0, h, 2))
        tone = float(rng.choice([-1.0, 1.0]) * rng.uniform(50, 90))
        drift = float(rng.uniform(-0.02, 0.02) * w)
        pts = np.array([[x, y0], [x + drift, max(y1, y0 + 0.3 * h)]], np.int32)
        mask = np.zeros((h, w), np.uint8)
        cv2.polylines(mask, [pts], False, 1, thickness=int(rng.integers(1, 3)))
        g[mask > 0] += tone
    for _ in range(int(40 * strength)):
        cv2.circle(
            g,
            (int(rng.uniform(0, w)), int(rng.uniform(0, h))),
            int(rng.integers(1, 3)),
            float(rng.choice([15.0, 240.0])),
            -1,
        )
    g = np.clip(g, 0, 255).astype(np.uint8)
    return np.repeat(g[..., None], 3, axis=2)


def vignette_ratio(gray: np.ndarray) -> float:
    """Mean of the four corner patches over the centre patch (1 = evenly lit)."""
    h, w = gray.shape[:2]
    s = max(8, min(h, w) // 8)
    g = gray.astype(np.float32)
    corners = np.mean([g[:s, :s].mean(), g[:s, -s:].mean(), g[-s:, :s].mean(), g[-s:, -s:].mean()])
    centre = g[h // 2 - s // 2 : h // 2 + s // 2, w // 2 - s // 2 : w // 2 + s // 2].mean()
    return float(corners / max(centre, 1.0))
