"""Stage 2's screen (engine/screen.py) on the bundled NAIP tile: a squeezed photo is found, a fit
no camera can give is refused, and weak screens do not reorder the candidates."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest
from conftest import SAMPLE

from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine.locate import SCREEN_MIN_INLIERS, _rerank
from astroloc_qgis.engine.reference import open_reference
from astroloc_qgis.engine.screen import MAX_STRETCH, ContextScreen, rotation_of, stretch_of

NAIP = SAMPLE / "naip_nd_2009.tif"


def _photo(ref, x0: float, y0: float, side: float, squeeze: float) -> np.ndarray:
    """The reference square [x0, y0, side] as a 1024-px photo, its x axis squeezed by `squeeze`
    (a 3:2 frame resized to square) and the result turned 90 degrees."""
    M = ref.window_map(x0, y0, side * squeeze, side, 1024)
    grey = ref.render(M, (1024, round(1024 / squeeze)))
    return np.rot90(cv2.resize(grey, (1024, 1024), interpolation=cv2.INTER_AREA)).copy()


def test_a_squeezed_turned_photo_is_found_in_a_larger_window():
    ref = open_reference(str(NAIP))
    side = min(ref.width, ref.height) / 3
    x0, y0 = ref.width / 2 - side * 0.75, ref.height / 2 - side / 2
    screen = ContextScreen(_photo(ref, x0, y0, side, 1.5))
    match = screen.match(ref, (x0, y0, side * 1.5, side))
    assert match.ok and match.inliers >= SCREEN_MIN_INLIERS
    assert 1.2 < stretch_of(match.H, screen.size) < 1.9  # the 1.5 squeeze, seen through the fit
    centre = fp.apply_h(match.H, np.array([[512.0, 512.0]]))[0]
    assert np.linalg.norm(centre - [x0 + side * 0.75, y0 + side / 2]) < side * 0.05


def test_a_fit_no_camera_gives_is_refused():
    ref = open_reference(str(NAIP))
    screen = ContextScreen(_photo(ref, 0, 0, min(ref.width, ref.height) / 3, 1.0))
    rng = np.random.default_rng(0)
    p0 = rng.uniform(0, 512, (40, 2)).astype(np.float32)
    M = ref.window_map(0, 0, 600, 600, 512)
    for stretch, refused in ((1.5, False), (MAX_STRETCH * 1.5, True)):
        A = np.array([[stretch, 0.0, 0.0], [0.0, 1.0, 0.0]]) * 0.5
        p1 = p0 @ A[:, :2].T + A[:, 2]
        match = screen.result(M, (A, p0, p1.astype(np.float32), 40), time.perf_counter())
        assert stretch_of(match.H, screen.size) == pytest.approx(stretch, rel=1e-3)
        assert (match.reason.startswith("no camera view")) == refused
        assert match.ok != refused


def test_weak_screens_keep_the_retrieval_order():
    cands = [
        {"properties": {"rank": r, "screen_inliers": n}}
        for r, n in ((1, 3), (2, 9), (3, SCREEN_MIN_INLIERS + 5), (4, 0), (5, SCREEN_MIN_INLIERS))
    ]
    out = _rerank(cands, None)
    assert [c["properties"]["retrieval_rank"] for c in out] == [3, 5, 1, 2, 4]


def test_frame_support_counts_matches_that_agree_with_a_footprint():
    """A right footprint of a squeezed, turned photo gets hundreds of RootSIFT matches that land
    where they started in the photo's frame; the same footprint moved by a tenth of its size, none
    to speak of; and the confidence takes the larger of XFeat's and that count."""
    ref = open_reference(str(NAIP))
    side = min(ref.width, ref.height) / 3
    x0, y0 = ref.width / 2 - side * 0.75, ref.height / 2 - side / 2
    screen = ContextScreen(_photo(ref, x0, y0, side, 1.5))
    # photo px -> reference px: undo the 90-degree turn and the squeeze of _photo
    turn = np.array([[0.0, -1.0, 1023.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # photo -> unturned
    H = ref.window_map(x0, y0, side * 1.5, side, 1024) @ np.diag([1.0, 1 / 1.5, 1.0]) @ turn
    right = screen.frame_support(ref, H)
    moved = screen.frame_support(ref, np.array([[1, 0, side / 10], [0, 1, 0], [0, 0, 1.0]]) @ H)
    assert right >= 100 and moved <= 3, (right, moved)
    few = fp.confidence_from_features(10, 0.3, 2.0, 0.0, 0.3, 0.2)
    assert few <= 0.05 < fp.confidence_from_features(10, 0.3, 2.0, 0.0, 0.3, 0.2, support=right)


def test_rotation_of_follows_stage_1s_clockwise_convention():
    """A photo whose top points east is turned 90 degrees clockwise to north-up (footprint.rotate_cw,
    the convention of stage 1's rotations and of a drone's gimbal yaw)."""
    w = h = 100
    H = np.array([[0.0, -1.0, h], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])  # photo (x, y) -> ref (h - y, x)
    assert rotation_of(H, (w, h)) == 90
    img = np.zeros((h, w), np.uint8)
    img[:10, :] = 255  # a bright top edge
    turned, _ = fp.rotate_cw(img, 90)
    assert turned[:, -10:].mean() > 200  # now on the right: east
