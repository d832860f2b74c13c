"""Dense edge-layout agreement, on the bundled 2020 photos against the 2009 reference."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest
from conftest import SAMPLE
from shapely.geometry import Polygon

from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine import structure
from astroloc_qgis.engine.photo import load_photo
from astroloc_qgis.engine.reference import Reference
from tests.helpers.perturb import perturbed


@pytest.fixture(scope="module")
def oblique():
    """The bundled NAIP 2020 photo (25 deg off nadir) and its true homography into the 2009 raster."""
    ref = Reference(str(SAMPLE / "naip_nd_2009.tif"))
    truth_file = json.loads((SAMPLE / "photo_naip_2020_oblique.json").read_text())
    photo = load_photo(str(SAMPLE / "photo_naip_2020_oblique.jpg"), max_side=1024)
    pf = fp.prepare_photo(cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2GRAY), None)
    truth = ref.lonlat_to_pixel(np.array(truth_file["footprint_lonlat"]))
    H = cv2.getPerspectiveTransform(np.float32(fp.photo_corners(*pf.size)), np.float32(truth)).astype(float)
    return ref, pf, truth, H


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    pa, pb = Polygon(a), Polygon(b)
    return pa.intersection(pb).area / pa.union(pb).area


def test_descriptor_ignores_contrast_polarity():
    img = cv2.imread(str(SAMPLE / "photo_naip_2020_nadir.jpg"), cv2.IMREAD_GRAYSCALE)[:200, :300]
    a = structure.orientation_channels(img)
    b = structure.orientation_channels(255 - img)
    assert a.shape == (structure.ORIENTATIONS, 200, 300)
    norm = np.linalg.norm(a, axis=0)
    assert norm.max() <= 1.0 + 1e-5 and np.median(norm) > 0.95  # unit length but in flat areas
    assert np.abs(a - b).max() < 1e-3


def _orientation_channels_plain(gray: np.ndarray) -> np.ndarray:
    """The CFOG descriptor as one array expression (what orientation_channels computed until its
    in-place form)."""
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    chans = []
    for k in range(structure.ORIENTATIONS):
        t = math.pi * k / structure.ORIENTATIONS
        blurred = cv2.GaussianBlur(
            np.abs(gx * math.cos(t) + gy * math.sin(t)), (0, 0), structure.SMOOTH_SIGMA
        )
        chans.append(blurred)
    c = np.stack(chans, axis=0)
    c = c + 0.5 * (np.roll(c, 1, axis=0) + np.roll(c, -1, axis=0))
    norm = np.linalg.norm(c, axis=0, keepdims=True)
    return c / (norm + 1e-3 * float(norm.mean()) + 1e-6)


@pytest.mark.parametrize("shape", [(200, 300), (333, 517)])
def test_in_place_descriptor_equals_the_plain_expression_bit_for_bit(shape):
    img = cv2.imread(str(SAMPLE / "photo_naip_2020_nadir.jpg"), cv2.IMREAD_GRAYSCALE)
    img = cv2.resize(img, shape[::-1], interpolation=cv2.INTER_AREA)
    assert np.array_equal(structure.orientation_channels(img), _orientation_channels_plain(img))


def test_agreement_peaks_at_the_true_footprint_across_years(oblique):
    ref, pf, truth, H = oblique
    ext = math.sqrt(Polygon(truth).area)
    right = fp.structural_agreement(pf, ref, H)
    wrong = fp.structural_agreement(pf, ref, perturbed(H, *pf.size, dx=0.5 * ext))
    assert right.at_offset > 0.15 and right.distinct > 0.1
    assert wrong.at_offset < 0.05 and wrong.distinct < 0.0


def _match(pf, ref, H: np.ndarray) -> fp.Match:
    pts = np.array([[100.0, 100.0], [900.0, 120.0], [500.0, 400.0], [150.0, 700.0], [850.0, 650.0]])
    pts = pts * np.array(pf.size) / np.array([1024.0, 768.0])
    m = fp.Match(H, inliers=40, matches=100, reprojection_px=2.0, photo_pts=pts, ref_pts=fp.apply_h(H, pts))
    m.structure = fp.structural_agreement(pf, ref, H)
    return m


def test_polish_tightens_a_rough_footprint_across_years(oblique):
    """2020 photo, 2009 reference: a footprint 10% off (as keypoint refinement leaves it) comes back tight."""
    ref, pf, truth, H = oblique
    corners = fp.photo_corners(*pf.size)
    rough = perturbed(H, *pf.size, rot=3.0, scale=1.06, dx=0.04 * math.sqrt(Polygon(truth).area))
    assert _iou(truth, fp.apply_h(rough, corners)) < 0.9
    m = _match(pf, ref, rough)
    out = fp.polish(pf, ref, m)
    assert out.polished
    assert _iou(truth, fp.apply_h(out.H, corners)) > 0.97
    assert len(out.photo_pts) >= fp.POLISH_MIN_BLOCKS and len(out.photo_pts) == len(out.ref_pts)
    # the statistics the confidence is computed from are the keypoint match's
    assert (out.inliers, out.structure) == (m.inliers, m.structure) and fp.confidence(out) == fp.confidence(m)


def test_polish_keeps_a_wrong_footprint_as_it_is(oblique):
    ref, pf, truth, H = oblique
    wrong = perturbed(H, *pf.size, rot=30.0, dx=0.6 * math.sqrt(Polygon(truth).area))
    m = _match(pf, ref, wrong)
    out = fp.polish(pf, ref, m)
    assert out is m and not out.polished


def test_refinement_stays_on_a_right_footprint_across_years(oblique):
    """From the true footprint of the 2020 oblique photo, the 2009 keypoint matches alone would
    move it away (a homography fitted to them gave IoU 0.10); weighing each correction by the edge
    layout keeps it, and a rotated, shifted start converges with a trustworthy confidence."""
    from astroloc_qgis.engine.matchers import get_matcher

    ref, without_matcher, truth, H = oblique
    m = get_matcher("xfeat")
    pf = fp.prepare_photo(without_matcher.full, m)
    corners = fp.photo_corners(*pf.size)
    kept = fp.refine(pf, ref, fp.Match(H, inliers=fp.GOOD_START), m)
    assert kept.ok and _iou(truth, fp.apply_h(kept.H, corners)) > 0.97
    rough = perturbed(
        fp._similarity(H, *pf.size), *pf.size, rot=10.0, dx=0.1 * math.sqrt(Polygon(truth).area)
    )
    assert _iou(truth, fp.apply_h(rough, corners)) < 0.8
    out = fp.refine(pf, ref, fp.Match(rough), m)
    assert out.ok and _iou(truth, fp.apply_h(out.H, corners)) > 0.85
    assert fp.confidence(out) > 0.5 and out.structure.at_offset > 0.05  # a wrong one: < 0.05 (above)


def test_pose_correspondences_are_sub_pixel_and_place_the_camera():
    """An exact rendered view of the 2009 raster (20 deg off nadir, 2 km up): the polished match's
    points (keypoint inliers and polish blocks, what `locate` gave the pose before) are ~1 px off
    the exact ground; the dense blocks at the working resolution are sub-pixel, and the camera
    nadir from them is at least 3x closer (measured: 3.4 m -> 0.07 m)."""
    from astroloc_qgis.engine import pose as pose_mod
    from astroloc_qgis.engine.crs import geodesic_distance_m
    from astroloc_qgis.engine.matchers import get_matcher
    from astroloc_qgis.engine.pose import rotation_from_angles
    from tests.helpers.camera_views import camera_for_target, load_rgb, rays_to_ground, render

    path = str(SAMPLE / "naip_nd_2009.tif")
    ref, (w, h) = Reference(path), (1024, 768)
    tilt, az, roll, alt = 20.0, 200.0, -30.0, 2000.0
    f = w / 2 / math.tan(math.radians(17.5))
    c = ref.pixel_to_lonlat(np.array([[470.0, 360.0]]))[0]
    lon, lat = camera_for_target(c[0], c[1], alt, tilt, az)
    v = render(ref, load_rgb(path), lon, lat, alt, tilt, az, roll, f, w, h)
    gray = cv2.cvtColor(v.image, cv2.COLOR_RGB2GRAY)
    m = get_matcher("xfeat")
    pf = fp.prepare_photo(gray, m)
    truth = ref.lonlat_to_pixel(v.corners_lonlat)
    H = cv2.getPerspectiveTransform(np.float32(fp.photo_corners(w, h)), np.float32(truth)).astype(float)
    match = fp.refine(
        pf, ref, fp.Match(perturbed(H, w, h, rot=1.0, scale=1.02, dx=15.0), inliers=fp.GOOD_START), m
    )
    match.structure = fp.structural_agreement(pf, ref, match.H)
    match = fp.polish(pf, ref, match)
    R = rotation_from_angles(tilt, az, roll)

    def error_px(photo_pts, ref_pts):
        at = ref.lonlat_to_pixel(rays_to_ground(lon, lat, alt, R, f, w, h, photo_pts))
        step = ref.lonlat_to_pixel(rays_to_ground(lon, lat, alt, R, f, w, h, photo_pts + [1.0, 0.0]))
        return float(np.median(np.linalg.norm(ref_pts - at, axis=1) / np.linalg.norm(step - at, axis=1)))

    def nadir_error_m(photo_pts, ref_pts):
        cam = pose_mod.estimate_pose(photo_pts, ref.pixel_to_lonlat(ref_pts), w, h, focal_px=f)
        return geodesic_distance_m(lon, lat, cam.lon, cam.lat)

    pts, ref_pts, sigma = fp.pose_correspondences(gray, ref, match)
    assert len(pts) >= 100 and 0 < sigma < 0.1
    # spread over the whole photo, not where the keypoints fell
    assert pts[:, 0].min() < 0.1 * w and pts[:, 0].max() > 0.9 * w
    assert pts[:, 1].min() < 0.1 * h and pts[:, 1].max() > 0.9 * h
    old, new = error_px(match.photo_pts, match.ref_pts), error_px(pts, ref_pts)
    assert old > 0.8 and new < 0.3
    assert nadir_error_m(pts, ref_pts) < min(1.0, nadir_error_m(match.photo_pts, match.ref_pts) / 3)


def test_pose_correspondences_fall_back_to_the_match_without_consistent_blocks(oblique):
    """A footprint far off: no block agrees with a smooth field, the match's points go to the pose."""
    ref, pf, truth, H = oblique
    wrong = perturbed(H, *pf.size, rot=30.0, dx=0.6 * math.sqrt(Polygon(truth).area))
    m = _match(pf, ref, wrong)
    pts, ref_pts, sigma = fp.pose_correspondences(pf.full, ref, m)
    assert pts is m.photo_pts and ref_pts is m.ref_pts and math.isnan(sigma)
