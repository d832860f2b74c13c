"""Camera pose from exact synthetic correspondences (ray/ellipsoid ground truth)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from astroloc_qgis.engine import pose
from astroloc_qgis.engine.crs import geodesic_distance_m
from tools.camera_views import rays_to_ground

W, H = 1024, 768


def views(lon, lat, alt, tilt, az, roll, hfov, n=10, noise=0.0, seed=0):
    f = W / 2 / math.tan(math.radians(hfov / 2))
    R = pose.rotation_from_angles(tilt, az, roll)
    gx, gy = np.meshgrid(np.linspace(30, W - 30, n), np.linspace(30, H - 30, n))
    pix = np.column_stack([gx.ravel(), gy.ravel()])
    ll = rays_to_ground(lon, lat, alt, R, f, W, H, pix)
    pix = pix + np.random.default_rng(seed).normal(0, noise, pix.shape)
    return pix, ll, f


@pytest.mark.parametrize("tilt,az,roll", [(0.0, 30.0, 0.0), (25.0, 120.0, 15.0), (55.0, 300.0, -100.0)])
def test_angles_round_trip(tilt, az, roll):
    R = pose.rotation_from_angles(tilt, az, roll)
    assert np.allclose(R.T @ R, np.eye(3), atol=1e-12)
    t, a, r = pose.angles_from_rotation(R)
    assert t == pytest.approx(tilt, abs=1e-9)
    if tilt > 0:
        assert a == pytest.approx(az, abs=1e-9) and r == pytest.approx(roll, abs=1e-9)


@pytest.mark.parametrize("alt,tilt,az,roll,hfov", [(1500.0, 30.0, 120.0, 15.0, 40.0),
                                                   (410_000.0, 20.0, 250.0, -60.0, 30.0)])
def test_pose_with_known_focal(alt, tilt, az, roll, hfov):
    """A drone-like and an ISS-like view (footprint ~200 km wide: curvature matters) come back exactly."""
    lon, lat = -99.15, 47.02
    pix, ll, f = views(lon, lat, alt, tilt, az, roll, hfov)
    p = pose.estimate_pose(pix, ll, W, H, focal_px=f)
    assert p.focal_source == "user"
    assert geodesic_distance_m(lon, lat, p.lon, p.lat) < 1e-4 * alt + 0.5
    assert p.altitude_m == pytest.approx(alt, rel=1e-4)
    assert p.tilt_deg == pytest.approx(tilt, abs=0.02)
    assert p.azimuth_deg == pytest.approx(az, abs=0.05)
    assert p.roll_deg == pytest.approx(roll, abs=0.05)
    assert p.hfov_deg == pytest.approx(hfov, abs=1e-6)


def test_curvature_matters_for_iss_footprints():
    """Flattening the ground (dropping the tangent-plane sag) would bias an ISS pose by far more."""
    lon, lat, alt = 10.0, 45.0, 410_000.0
    pix, ll, f = views(lon, lat, alt, 30.0, 80.0, 0.0, 30.0)
    xyz, origin = pose._ground(pix, ll)
    sag = -xyz[:, 2].min()
    assert sag > 1000.0  # metres of drop across the footprint
    p = pose.estimate_pose(pix, ll, W, H, focal_px=f)
    assert p.altitude_m == pytest.approx(alt, rel=1e-4)


def test_focal_estimated_when_oblique():
    pix, ll, f = views(-99.15, 47.02, 2000.0, 35.0, 200.0, 5.0, 45.0, noise=0.3)
    p = pose.estimate_pose(pix, ll, W, H)
    assert p.focal_source == "estimated"
    assert p.focal_px == pytest.approx(f, rel=0.03)
    assert p.altitude_m == pytest.approx(2000.0, rel=0.04)
    assert p.sigmas["focal_px"] > 0


def test_wrong_exif_focal_is_flagged():
    pix, ll, f = views(-99.15, 47.02, 2000.0, 40.0, 10.0, 0.0, 45.0)
    p = pose.estimate_pose(pix, ll, W, H, exif_focal_px=0.6 * f, exif_note="FocalLengthIn35mmFilm")
    assert p.focal_source == "estimated"
    assert p.focal_px == pytest.approx(f, rel=0.02)
    assert any("disagrees" in w for w in p.warnings)


def test_nadir_uses_altitude_prior_and_checks_exif_against_it():
    pix, ll, f = views(-74.4, -8.4, 410_000.0, 2.0, 90.0, 30.0, 20.0, noise=0.2)
    prior = pose.altitude_prior_for({}, "ISS067-E-12345.JPG", None)
    assert prior is not None and prior[0] == pose.ISS_ALTITUDE_M[0]
    p = pose.estimate_pose(pix, ll, W, H, altitude_prior=prior)
    assert p.focal_source == "prior"
    assert p.focal_px == pytest.approx(f, rel=0.05)
    wrong = pose.estimate_pose(pix, ll, W, H, exif_focal_px=3 * f, altitude_prior=prior)
    assert wrong.focal_source == "prior"
    assert any("EXIF focal length is probably wrong" in w for w in wrong.warnings)


def test_no_focal_no_prior_is_an_assumption_with_a_warning():
    pix, ll, _ = views(-99.15, 47.02, 1500.0, 1.0, 0.0, 0.0, 40.0)
    p = pose.estimate_pose(pix, ll, W, H)
    assert p.focal_source == "assumed"
    assert p.warnings and p.sigmas["altitude_m"] >= 0.5 * p.altitude_m


def test_too_few_points():
    assert pose.estimate_pose(np.zeros((3, 2)), np.zeros((3, 2)), W, H) is None


def test_focal_from_exif():
    assert pose.focal_from_exif({"FocalLengthIn35mmFilm": 50}, 3000, 2000)[0] == pytest.approx(50 / 36 * 3000)
    f, note = pose.focal_from_exif({"FocalLength": 400.0, "Make": "NIKON CORPORATION", "Model": "NIKON D4"}, 4928, 3280)
    assert f == pytest.approx(400 / 36.0 * 4928) and "d4" in note
    f, _ = pose.focal_from_exif({"FocalLength": 180.0, "Model": "NIKON D2Xs"}, 4288, 2848)
    assert f == pytest.approx(180 / 23.7 * 4288)
    assert pose.focal_from_exif({"FocalLength": 10.0, "Model": "Unknown cam"}, 100, 100)[0] is None
    assert pose.focal_from_exif({}, 100, 100)[0] is None


def test_altitude_priors():
    assert pose.altitude_prior_for({}, "x.jpg", 1234.0)[0] == 1234.0
    assert pose.altitude_prior_for({"GPSAltitude": 318.9}, "IMG_9355.jpg", None)[2] == "the EXIF GPS altitude"
    assert pose.altitude_prior_for({}, "IMG_1.jpg", None) is None
