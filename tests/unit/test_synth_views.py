"""The synthetic query views (bench-retrieval, sample photos) must be pinhole-camera footprints."""

import math

import numpy as np
import pytest

from tests.helpers.synth_views import footprint_quad


def pinhole_footprint(tilt_deg: float, half_vfov_deg: float, aspect: float) -> np.ndarray:
    """Ground points of the photo corners UL, UR, LR, LL for a camera 1 unit above the ground,
    looking `tilt_deg` off nadir towards +y, by intersecting rays (independent of synth_views)."""
    t, tv = math.radians(tilt_deg), math.tan(math.radians(half_vfov_deg))
    right = np.array([1.0, 0.0, 0.0])
    up = np.array([0.0, math.cos(t), math.sin(t)])  # image up, on the ground towards +y
    axis = np.array([0.0, math.sin(t), -math.cos(t)])
    out = []
    for xn, yn in [(-aspect * tv, tv), (aspect * tv, tv), (aspect * tv, -tv), (-aspect * tv, -tv)]:
        ray = xn * right + yn * up + axis
        lam = 1.0 / -ray[2]
        out.append([lam * ray[0], lam * ray[1]])
    return np.array(out)


def cross(a: np.ndarray, b: np.ndarray) -> float:
    return float(a[0] * b[1] - a[1] * b[0])


def normalised(q: np.ndarray) -> np.ndarray:
    q = q - q.mean(axis=0)
    return q / np.sqrt(abs(cross(q[2] - q[0], q[3] - q[1])) / 2)


@pytest.mark.parametrize("tilt", [0.0, 10.0, 30.0, 45.0])
def test_footprint_quad_is_a_pinhole_footprint(tilt):
    quad = footprint_quad(0.0, 0.0, 100.0, 0.0, tilt, aspect=4 / 3)
    truth = pinhole_footprint(tilt, 15.0, 4 / 3)
    truth[:, 1] *= -1  # raster rows grow downwards; the far edge is the photo's top
    assert np.allclose(normalised(quad), normalised(truth), atol=1e-9)


def test_nadir_footprint_has_the_photo_aspect():
    q = footprint_quad(10.0, 20.0, 300.0, 0.0, 0.0, aspect=800 / 600)
    assert math.dist(q[0], q[1]) / math.dist(q[1], q[2]) == pytest.approx(800 / 600)
    assert abs(cross(q[1] - q[0], q[3] - q[0])) == pytest.approx(300.0**2)
