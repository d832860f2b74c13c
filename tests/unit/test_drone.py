"""Drone photos: DJI XMP and GPS direction in the EXIF summary, the photo kind, the search region
from the EXIF GPS, the soft altitude prior, the GPS check (a locate of a drone view with its GPS
check: tests/unit/test_locate.py, which builds the sample index once)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from conftest import SAMPLE
from PIL import Image
from shapely.geometry import Point

from astroloc_qgis.engine import cli, pose
from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.locate import exif_position_feature, gimbal_check, gimbal_rotation, gps_check_m
from astroloc_qgis.engine.photo import exif_summary, load_photo
from astroloc_qgis.engine.priors import drone_radius_m, from_drone_exif, photo_kind
from tests.helpers.drone_exif import dji_xmp, save_drone_jpeg

DRONE_DATA = Path(__file__).resolve().parents[1] / "data"
CALITERRA = DRONE_DATA / "IMG_9355_1600x1200.jpg"  # a real drone photo (Canon on a UAV), EXIF GPS
CALITERRA_ORIGINAL = DRONE_DATA / "IMG_9384_original_4000x3000.jpg"  # has an XMP packet, not DJI's


def _texture() -> np.ndarray:
    return np.random.default_rng(0).integers(0, 255, (96, 128, 3), dtype=np.uint8)


def test_dji_xmp_and_gps_direction_read_into_the_summary_names(tmp_path):
    xmp = dji_xmp(
        30.17115,
        -98.089868,
        AbsoluteAltitude="+412.52",
        RelativeAltitude="+120.10",
        GimbalPitchDegree="-89.90",
        GimbalYawDegree="-45.30",
        GimbalRollDegree="+0.00",
        FlightYawDegree="-44.90",
    )
    path = save_drone_jpeg(tmp_path / "dji.jpg", _texture(), direction=315.5, xmp=xmp)
    exif = load_photo(path).exif
    assert exif["camera_make"] == "DJI" and exif["drone_xmp"] is True
    assert exif["gps_lat"] == pytest.approx(30.17115) and exif["gps_lon"] == pytest.approx(-98.089868)
    assert exif["gps_alt_m"] == pytest.approx(412.52) and exif["relative_alt_m"] == pytest.approx(120.1)
    assert exif["gimbal_pitch_deg"] == pytest.approx(-89.9) and exif["gimbal_yaw_deg"] == pytest.approx(-45.3)
    assert exif["gimbal_roll_deg"] == 0.0 and exif["flight_yaw_deg"] == pytest.approx(-44.9)
    assert exif["gps_img_direction_deg"] == pytest.approx(315.5) and exif["gps_img_direction_ref"] == "T"
    assert "exif_warnings" not in exif
    # the EXIF GPS, where present, comes before the XMP's
    both = save_drone_jpeg(tmp_path / "both.jpg", _texture(), gps=(30.5, -98.5, 300.0), xmp=xmp)
    exif = load_photo(both).exif
    assert exif["gps_lat"] == pytest.approx(30.5, abs=1e-5) and exif["gps_alt_m"] == pytest.approx(300.0)


def test_a_real_drone_photo_without_dji_tags():
    # the Caliterra original holds an XMP packet (xmp:Rating), no drone-dji tag: EXIF GPS only
    with Image.open(CALITERRA_ORIGINAL) as img:
        assert b"xmpmeta" in img.info["xmp"]
        exif = exif_summary(img)
    assert "drone_xmp" not in exif and "gimbal_pitch_deg" not in exif
    assert exif["gps_lat"] == pytest.approx(30.170578, abs=1e-5) and exif["camera_make"] == "Canon"


def test_impossible_gimbal_angles_are_ignored_with_a_warning(tmp_path):
    xmp = dji_xmp(30.0, -98.0, GimbalPitchDegree="-120.0", GimbalRollDegree="200", GimbalYawDegree="north")
    exif = load_photo(save_drone_jpeg(tmp_path / "bad.jpg", _texture(), xmp=xmp, direction=400.0)).exif
    for key in ("gimbal_pitch_deg", "gimbal_roll_deg", "gimbal_yaw_deg", "gps_img_direction_deg"):
        assert key not in exif
    warnings = exif["exif_warnings"]
    assert "EXIF drone-dji:GimbalPitchDegree -120 is impossible (outside [-90, 30]): ignored" in warnings
    assert any("GimbalRollDegree 200 is impossible" in w for w in warnings)
    assert any("GimbalYawDegree 'north' is not a number" in w for w in warnings)
    assert any(w.startswith("EXIF GPSImgDirection 400 is impossible") for w in warnings)
    assert exif["gps_lat"] == 30.0  # the rest of the packet is still read
    # an impossible latitude drops the XMP position as a whole (no half a fix)
    half = load_photo(save_drone_jpeg(tmp_path / "lat.jpg", _texture(), xmp=dji_xmp(95.0, -98.0))).exif
    assert "gps_lat" not in half and "gps_lon" not in half


def test_the_kind_of_photo_from_the_exif():
    assert photo_kind({"camera_make": "DJI"}) == ("drone", "camera make DJI")
    assert photo_kind({"drone_xmp": True})[0] == "drone"
    real = load_photo(CALITERRA).exif  # GPS altitude 318.9 m: a low camera
    assert photo_kind(real) == ("drone", "EXIF GPS altitude 318.9 m (below 1000 m)")
    assert photo_kind(load_photo(SAMPLE / "photo_naip_2020_nadir.jpg").exif)[0] == "aerial"  # no GPS
    assert photo_kind({"gps_lat": 1.0, "gps_lon": 2.0, "gps_alt_m": 3000.0})[0] == "aerial"
    assert photo_kind({"camera_make": "DJI"}, "aerial") == ("aerial", "given")
    with pytest.raises(InputError, match="--kind 'submarine': not a kind of photo") as err:
        photo_kind({}, "submarine")
    assert err.value.field == "kind"
    args = cli.build_parser().parse_args(["locate", "p.jpg", "--index", "i", "--kind", "drone"])
    assert args.kind == "drone"
    assert cli.build_parser().parse_args(["locate", "p.jpg", "--index", "i"]).kind == "auto"


def test_the_search_region_from_the_exif_gps():
    nadir = {"gps_lat": 30.17, "gps_lon": -98.09, "relative_alt_m": 120.0, "gimbal_pitch_deg": -90.0}
    assert drone_radius_m(nadir) == 250.0  # straight down: the minimum
    oblique = {**nadir, "gimbal_pitch_deg": -30.0}  # 65 deg off nadir with the margin
    reach = 1.25 * 120.0 * math.tan(math.radians(65.0)) + 100.0
    assert drone_radius_m(oblique) == pytest.approx(reach)
    assert drone_radius_m({**nadir, "gimbal_pitch_deg": 20.0}) == pytest.approx(
        1.25 * 120.0 * math.tan(math.radians(80.0)) + 100.0
    )  # above the horizon: capped at 80 deg
    # no relative altitude: the GPS altitude bounds the height; no pitch: 60 deg assumed
    gps_only = {"gps_lat": 30.17, "gps_lon": -98.09, "gps_alt_m": 318.9}
    assert drone_radius_m(gps_only) == pytest.approx(1.25 * 318.9 * math.tan(math.radians(60.0)) + 100.0)
    prior = from_drone_exif(oblique)
    assert prior.source == "exif_gps" and prior.radius_km == pytest.approx(reach / 1000)
    assert "near the EXIF GPS 30.17000, -98.09000" in prior.description
    assert prior.region.contains(Point(-98.09, 30.17))
    assert not prior.region.contains(Point(-98.09, 30.17 + 1.2 * reach / 111_000))
    assert from_drone_exif({"camera_make": "DJI"}) is None
    # the relative altitude: a soft prior for the pose, before the GPS altitude above sea level
    alt = pose.altitude_prior_for({"relative_alt_m": 120.0, "gps_alt_m": 412.0}, "DJI_0001.JPG", None)
    assert (alt.lo_m, alt.hi_m, alt.hard) == (96.0, 144.0, False) and "relative altitude" in alt.source


def test_the_gps_check_and_the_exif_position_feature():
    exif = {"gps_lat": 30.0, "gps_lon": -98.0, "relative_alt_m": 80.0, "gimbal_pitch_deg": -60.0}
    assert gps_check_m(exif, -98.0, 30.001) == pytest.approx(110.9, abs=0.5)
    assert gps_check_m({}, 0.0, 0.0) is None and exif_position_feature({}, None) is None
    camera = {"geometry": {"type": "Point", "coordinates": [-98.0, 30.001]}}
    feat = exif_position_feature(exif, camera)
    assert feat["geometry"]["type"] == "Point" and list(feat["geometry"]["coordinates"]) == [-98.0, 30.0]
    props = feat["properties"]
    assert props["kind"] == "exif_position" and props["relative_altitude_m"] == 80.0
    assert props["gimbal_pitch_deg"] == -60.0
    assert props["distance_to_camera_m"] == pytest.approx(110.9, abs=0.5)


def test_a_fix_outside_the_index_is_refused_with_what_to_do(built_index):
    from astroloc_qgis.engine.api import open_index
    from astroloc_qgis.engine.errors import PriorError
    from astroloc_qgis.engine.search import tiles_in_prior

    prior = from_drone_exif(load_photo(CALITERRA).exif)  # Texas; the index is elsewhere
    with pytest.raises(PriorError, match="no tile of the index") as err:
        tiles_in_prior(open_index(str(built_index)), prior)
    assert err.value.field == "prior" and "--kind aerial" in err.value.hint


def test_the_gimbal_turns_the_photo_and_checks_the_pose():
    """The gimbal yaw (where the frame's top points) gives stage 1's first rotation; the pose's
    pitch and heading are reported against the gimbal's, near nadir too (where the tilt's own
    azimuth says nothing)."""
    assert gimbal_rotation({}) is None
    yaws = (0.0, 44.0, 90.0, -90.0, 180.0, 359.0)  # the frame's top towards the east: turn it 90 clockwise
    assert [gimbal_rotation({"gimbal_yaw_deg": y}) for y in yaws] == [0, 45, 90, 270, 180, 0]
    oblique = pose.Pose(0.0, 0.0, 120.0, 30.0, 100.0, 0.0, 70.0, 55.0, 600.0, "exif")
    assert gimbal_check({"gimbal_pitch_deg": -58.0, "gimbal_yaw_deg": 95.0}, oblique) == {
        "gimbal_check_pitch_deg": -2.0,
        "gimbal_check_yaw_deg": 5.0,
    }
    # nearly nadir, tilted towards the east but the frame's top pointing north-west
    tilt, az, roll = pose.angles_from_rotation(pose.rotation_from_angles(0.5, 90.0, 135.0))
    nadir = pose.Pose(0.0, 0.0, 120.0, tilt, az, roll, 70.0, 55.0, 600.0, "exif")
    check = gimbal_check({"gimbal_yaw_deg": -45.0, "gimbal_pitch_deg": -90.0}, nadir)
    assert abs(check["gimbal_check_yaw_deg"]) < 1.0 and abs(check["gimbal_check_pitch_deg"] - 0.5) < 0.01
    assert gimbal_check({}, nadir) == {}
