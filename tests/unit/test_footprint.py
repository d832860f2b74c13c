"""Homography checks and the iterative footprint on a rendered view of the bundled NAIP tile."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from conftest import SAMPLE
from shapely.geometry import Polygon

from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine.matchers import get_matcher
from astroloc_qgis.engine.reference import Reference

NAIP = SAMPLE / "naip_nd_2009.tif"


def test_degeneracy_checks():
    w, h = 400, 300
    ok = np.array([[0.5, 0.1, 100], [-0.1, 0.5, 50], [0, 0, 1]], float)
    assert fp.degeneracy(ok, w, h) == ""
    flip = ok.copy()
    flip[2] = [0, 0.01, -1]  # horizon line through the photo
    assert "horizon" in fp.degeneracy(flip, w, h)
    assert "scale" in fp.degeneracy(np.diag([1e-5, 1e-5, 1.0]), w, h)
    assert "aspect" in fp.degeneracy(np.diag([50.0, 0.5, 1.0]), w, h)
    src = fp.photo_corners(w, h).astype(np.float32)
    twisted = cv2.getPerspectiveTransform(src, np.float32([[0, 0], [400, 300], [400, 0], [0, 300]]))
    assert fp.degeneracy(twisted, w, h) != ""
    assert fp.degeneracy(None, w, h) == "no homography"


@pytest.mark.parametrize("deg", [0, 45, 90, 135, 180, 270, 315])
def test_rotate_cw_back_map(deg):
    img = np.zeros((60, 100), np.uint8)
    img[10, 20] = 255
    turned, back = fp.rotate_cw(img, deg)
    y, x = np.unravel_index(np.argmax(turned), turned.shape)
    orig = fp.apply_h(back, np.array([[x + 0.5, y + 0.5]]))[0]
    assert orig == pytest.approx([20.5, 10.5], abs=1.0)


def test_rotation_order():
    assert fp.rotation_order(90) == [90, 135, 45, 180, 0, 225, 315, 270]


def test_confidence_is_a_probability():
    good = fp.Match(np.eye(3), inliers=300, matches=400, reprojection_px=1.5, last_shift=0.001)
    bad = fp.Match(np.eye(3), inliers=12, matches=200, reprojection_px=3.5)
    assert 0.0 <= fp.confidence(bad) < fp.confidence(good) <= 1.0
    assert fp.confidence(fp.Match(None)) == 0.0


def test_corners_extrapolated_from_a_corner_of_the_photo_through_a_strong_perspective_are_capped():
    """Matches on 6% of a real ISS frame gave a homography with one corner 700 km off at confidence
    0.99: a small inlier hull and a wild perspective cap the confidence below acceptance unless a
    camera in orbit draws the outline; either alone (a near-nadir view matched on a small island;
    an oblique view matched all over) does not."""
    w, h = 1000, 1000
    cluster = np.random.default_rng(0).uniform(0, 240, (60, 2))  # a corner of the photo
    spread = np.random.default_rng(1).uniform(0, 1000, (60, 2))
    assert fp.inlier_cover(cluster, (w, h)) < 0.06 < 0.5 < fp.inlier_cover(spread, (w, h)) <= 1.0
    assert fp.scale_ratio(np.eye(3), (w, h)) == pytest.approx(1.0)
    wild = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.004, 0.0, 1.0]])  # 5x shrinking across the photo
    assert fp.scale_ratio(wild, (w, h)) > 100
    stats = (62, 0.4, 1.5, 0.0, 0.25, 0.01)
    free = fp.confidence_from_features(*stats)
    assert free >= 0.5
    capped = fp.confidence_from_features(*stats, cover=0.056, scale_ratio=175.0)
    assert capped <= fp.EXTRAPOLATED_CAP < 0.5
    assert fp.confidence_from_features(*stats, cover=0.056, scale_ratio=1.0) == free  # near nadir
    assert fp.confidence_from_features(*stats, cover=0.5, scale_ratio=175.0) == free  # matched all over
    rootsift = fp.confidence_from_features(*stats, support=300, cover=0.056, scale_ratio=175.0)
    assert rootsift >= free  # the second count spans the photo
    # an orbital camera drawing the outline replaces the homography's corners (locate.orbital_outline_check)
    assert fp.confidence_from_features(*stats, cover=0.056, scale_ratio=175.0, through_camera=True) == free
    m = fp.Match(np.eye(3), inliers=62, matches=155, reprojection_px=1.5, last_shift=0.0)
    m.cover, m.scale_ratio = 0.056, 175.0
    assert fp.confidence(m) <= fp.EXTRAPOLATED_CAP


@pytest.fixture(scope="module")
def view():
    from tests.helpers.camera_views import camera_for_target, load_rgb, render

    ref = Reference(str(NAIP))
    c = ref.pixel_to_lonlat(np.array([[470.0, 360.0]]))[0]
    f = 640 / 2 / math.tan(math.radians(20))
    lon, lat = camera_for_target(c[0], c[1], 1400.0, 20.0, 60.0)
    v = render(ref, load_rgb(str(NAIP)), lon, lat, 1400.0, 20.0, 60.0, 100.0, f, 640, 480)
    assert v is not None
    return ref, v


def test_iterative_footprint_recovers_a_rendered_view(view):
    ref, v = view
    truth = ref.lonlat_to_pixel(v.corners_lonlat)
    m = get_matcher("xfeat")
    pf = fp.prepare_photo(cv2.cvtColor(v.image, cv2.COLOR_RGB2GRAY), m)
    x0, y0 = truth.min(axis=0)
    x1, y1 = truth.max(axis=0)
    side = max(x1 - x0, y1 - y0)
    window = (x0 + 0.15 * side, y0 - 0.1 * side, side, side)  # off-centre, as a retrieved tile would be
    coarse = fp.coarse_match(pf, ref, window, m, rotations=fp.rotation_order(0), good_enough=40)
    assert coarse.ok, coarse.reason
    refined = fp.refine(pf, ref, coarse, m)
    assert refined.ok
    est = Polygon(fp.apply_h(refined.H, fp.photo_corners(640, 480)))
    gt = Polygon(truth)
    assert est.intersection(gt).area / est.union(gt).area > 0.97
    assert np.max(np.linalg.norm(fp.apply_h(refined.H, fp.photo_corners(640, 480)) - truth, axis=1)) < 3.0
    assert fp.confidence(refined) > 0.8


class _CountingMatcher:
    """The real XFeat matcher, counting its detections."""

    def __init__(self):
        self.inner, self.detections = get_matcher("xfeat"), 0
        self.name = self.inner.name

    def detect(self, gray, max_keypoints=None):
        self.detections += 1
        return self.inner.detect(gray, max_keypoints)

    def match(self, f0, f1):
        return self.inner.match(f0, f1)


def test_coarse_match_renders_and_detects_a_window_once_for_all_its_rotations(view):
    ref, v = view
    m = _CountingMatcher()
    pf = fp.prepare_photo(cv2.cvtColor(v.image, cv2.COLOR_RGB2GRAY), m)
    truth = ref.lonlat_to_pixel(v.corners_lonlat)
    (x0, y0), (x1, y1) = truth.min(axis=0), truth.max(axis=0)
    window = (x0, y0, max(x1 - x0, y1 - y0), max(x1 - x0, y1 - y0))
    first, rest = fp.rotation_order(0)[:3], fp.rotation_order(0)[3:]
    plain = [fp.coarse_match(pf, ref, window, m, rotations=r, good_enough=10_000) for r in (first, rest)]
    plain_detections = m.detections
    windows: dict = {}
    cached = [
        fp.coarse_match(pf, ref, window, m, rotations=r, good_enough=10_000, windows=windows)
        for r in (first, rest)
    ]
    # without the cache the window twice and the photo at each rotation; with it the window once
    # (the photo's rotations are kept by PhotoFeatures already)
    assert plain_detections == 2 + len(first) + len(rest)
    assert m.detections - plain_detections == 1
    for a, b in zip(plain, cached, strict=True):
        assert (a.inliers, a.rotation, a.reason) == (b.inliers, b.rotation, b.reason)
        assert np.array_equal(a.H, b.H)


def test_blank_reference_window_is_reported(view):
    ref, v = view
    m = get_matcher("xfeat")
    pf = fp.prepare_photo(cv2.cvtColor(v.image, cv2.COLOR_RGB2GRAY), m)
    far = fp.coarse_match(pf, ref, (50_000, 50_000, 200, 200), m)
    assert not far.ok and far.H is None


def test_windowed_render_matches_in_memory_render(monkeypatch):
    """Large rasters are read by window (rasters.read_region); the result must agree with the pyramid."""
    from astroloc_qgis.engine import reference

    M = np.array([[0.9, 0.3, 200.0], [-0.25, 0.8, 150.0], [1e-5, 2e-5, 1.0]])
    a = Reference(str(NAIP)).render(M, (320, 240))
    monkeypatch.setattr(reference, "IN_MEMORY_PIXELS", 0)
    b = Reference(str(NAIP)).render(M, (320, 240))
    assert a is not None and b is not None
    assert np.mean(np.abs(a.astype(float) - b.astype(float))) < 6.0
