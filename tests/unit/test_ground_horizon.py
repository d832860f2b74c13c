"""The horizon of a ground photo (engine/horizon.py): pitch and roll from an exactly rendered
view, none on a view looking down or behind a tree line, locate --kind ground taking its pitch
and roll from it, and a given pitch winning over it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from astroloc_qgis.engine import rasters
from astroloc_qgis.engine.ground import locate_ground
from astroloc_qgis.engine.ground_view import GroundCamera, use_horizon
from astroloc_qgis.engine.horizon import Horizon, detect_horizon
from astroloc_qgis.engine.reference import Reference
from tests.helpers.ground_views import (
    distance_m,
    ground_texture,
    offset_lonlat,
    pyramid,
    random_sky,
    render_ground,
    save_phone_jpeg,
    write_ground_raster,
)

F35 = 28
HFOV = math.degrees(2 * math.atan(18 / F35))
# one pixel at the principal point of the 640 px views (f = 498 px) is 0.115 degrees of pitch and,
# across the width, 0.09 degrees of roll: the sub-pixel edges of an exact horizon must do better
# than a pixel (on 60 rendered views the errors were under 0.03 degrees), JPEG included
PITCH_TOL_DEG = 0.1
ROLL_TOL_DEG = 0.1


@pytest.fixture(scope="module")
def ground(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("horizon")
    path = write_ground_raster(tmp / "ground.tif", ground_texture(900, 900, 5), 0.3)
    src = rasters.open_source(str(path), checksum=False)
    from tests.helpers.camera_views import load_rgb

    return {"src": src, "ref": Reference(src), "levels": pyramid(load_rgb(str(path))), "tmp": tmp}


def _view(ground, east, north, pitch, yaw, roll, cover, seed, height=1.7):
    ref = ground["ref"]
    lon, lat = (float(v) for v in ref.pixel_to_lonlat(np.array([[east / 0.3, 900 - north / 0.3]]))[0])
    sky = random_sky(np.random.default_rng(seed), cover=cover)
    view = render_ground(ref, ground["levels"], lon, lat, height, pitch, yaw, HFOV, roll_deg=roll, sky=sky)
    return view, lon, lat


@pytest.mark.parametrize("cover", [0.0, 0.5])
def test_the_horizon_of_a_rendered_view_gives_its_pitch_and_roll(ground, cover):
    view, *_ = _view(ground, 135.0, 135.0, 9.3, 40.0, 3.6, cover, seed=4)
    assert view.hidden_share == pytest.approx(cover, abs=0.3)
    photo = save_phone_jpeg(ground["tmp"] / f"h{cover}.jpg", view, None)
    from astroloc_qgis.engine.photo import load_photo

    rgb = load_photo(photo).rgb
    hz = detect_horizon(rgb, view.focal_px)
    assert hz.found, hz.reason
    assert abs(hz.pitch_deg - 9.3) < PITCH_TOL_DEG and abs(hz.roll_deg - 3.6) < ROLL_TOL_DEG
    assert (
        abs(hz.pitch_deg - 9.3) <= 2 * hz.pitch_sigma_deg and abs(hz.roll_deg - 3.6) <= 2 * hz.roll_sigma_deg
    )
    assert hz.pitch_sigma_deg < 0.5 and hz.roll_sigma_deg < 0.5


def test_no_horizon_in_a_view_looking_down(ground):
    view, *_ = _view(ground, 135.0, 135.0, 45.0, 200.0, -2.0, 0.0, seed=2)
    hz = detect_horizon(view.image, view.focal_px)
    assert not hz.found and "no sky" in hz.reason
    assert hz.summary() == {"found": False, "reason": hz.reason}


def test_a_sky_hidden_by_a_wavy_tree_line_is_no_horizon(ground):
    view, *_ = _view(ground, 135.0, 135.0, 6.0, 300.0, 1.0, 1.0, seed=8)
    assert view.hidden_share == 1.0
    hz = detect_horizon(view.image, view.focal_px)
    assert not hz.found and "hidden" in hz.reason


def test_locate_ground_takes_pitch_and_roll_from_the_horizon(ground):
    view, lon, lat = _view(ground, 130.0, 140.0, 10.8, 107.9, -4.2, 0.3, seed=6)
    fix = offset_lonlat(lon, lat, 15.0, -20.0)
    photo = save_phone_jpeg(ground["tmp"] / "located.jpg", view, (fix[1], fix[0]))
    near = {"near": [fix[1], fix[0]], "radius_km": 0.035}
    fc = locate_ground(str(photo), [ground["src"]], near, height_m=1.7)
    g = fc["ground"]
    assert g["pitch_source"] == "horizon" and g["roll_source"] == "horizon"
    assert g["horizon"]["found"] and abs(g["roll_deg"] + 4.2) < ROLL_TOL_DEG
    assert len(g["pitches_deg"]) < 9 and min(g["pitches_deg"]) < 10.8 < max(g["pitches_deg"])
    assert fc["status"] == "ok", fc.get("reason")
    cam = next(f["properties"] for f in fc["features"] if f["properties"]["kind"] == "camera")
    assert cam["pitch_source"] == "horizon" and cam["roll_deg"] == g["roll_deg"]
    assert distance_m(lon, lat, cam["lon"], cam["lat"]) < 1.0
    assert abs((cam["yaw_deg"] - 107.9 + 180) % 360 - 180) < 1.0
    # a given pitch wins over the horizon's; its roll is still the horizon's
    fc = locate_ground(str(photo), [ground["src"]], near, height_m=1.7, pitch_deg=10.8)
    assert fc["ground"]["pitch_source"] == "given" and fc["ground"]["pitches_deg"] == [10.8]
    assert fc["ground"]["roll_source"] == "horizon"
    assert fc["status"] == "ok", fc.get("reason")


def test_a_given_pitch_the_horizon_contradicts_keeps_roll_zero():
    cam = GroundCamera(1.6, 500.0, "exif", (4.0,), "given", (640, 480))
    notes = use_horizon(
        cam, Horizon(True, pitch_deg=12.0, pitch_sigma_deg=0.3, roll_deg=3.0, roll_sigma_deg=0.1)
    )
    assert cam.roll_deg == 0.0 and cam.roll_source == "assumed 0" and "not used" in notes[0]
    assert cam.pitches == (4.0,) and cam.pitch_source == "given"
    searched = GroundCamera(1.6, 500.0, "exif", (0.0, 10.0), "searched", (640, 480))
    assert (
        use_horizon(
            searched, Horizon(True, pitch_deg=7.0, pitch_sigma_deg=0.3, roll_deg=-2.0, roll_sigma_deg=0.1)
        )
        == []
    )
    assert searched.pitch_source == "horizon" and searched.roll_deg == -2.0
    assert searched.pitches == pytest.approx((6.4, 6.7, 7.0, 7.3, 7.6))
    none = GroundCamera(1.6, 500.0, "exif", (0.0, 10.0), "searched", (640, 480))
    assert "no horizon found (no sky)" in use_horizon(none, Horizon(False, "no sky"))[0]
    assert none.pitch_source == "searched" and none.roll_deg == 0.0
