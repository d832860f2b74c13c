"""A footprint homography perturbed by a known rotation, scale and shift: the wrong or rough starts of
the structure tests, `make diag-coarse` (tools/diag_coarse.py) and tools/oracle_locate.py."""

from __future__ import annotations

import math

import numpy as np


def perturbed(
    S: np.ndarray, w: int, h: int, rot: float = 0.0, scale: float = 1.0, dx: float = 0.0
) -> np.ndarray:
    """S (photo px -> reference px) turned by `rot` degrees and scaled about the photo centre,
    then shifted by dx reference px."""
    a = math.radians(rot)
    c = np.array([[1, 0, w / 2], [0, 1, h / 2], [0, 0, 1]])
    R = np.array(
        [
            [scale * math.cos(a), -scale * math.sin(a), 0],
            [scale * math.sin(a), scale * math.cos(a), 0],
            [0, 0, 1],
        ]
    )
    return np.array([[1, 0, dx], [0, 1, 0], [0, 0, 1]]) @ S @ c @ R @ np.linalg.inv(c)
