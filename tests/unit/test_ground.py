"""Ground photos (locate --kind ground): x, y and yaw from a rendered view with a known pose, a
wrong yaw range and a far fix that miss, a photo without GPS, a photo with no ground in view."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pytest

from astroloc_qgis.engine import cli, protocol, rasters
from astroloc_qgis.engine.errors import PriorError
from astroloc_qgis.engine.ground import locate_ground
from astroloc_qgis.engine.ground_view import ground_prior
from astroloc_qgis.engine.reference import Reference
from astroloc_qgis.engine.worker import Worker
from tests.helpers.ground_views import (
    distance_m,
    ground_texture,
    offset_lonlat,
    pyramid,
    render_ground,
    save_phone_jpeg,
    write_ground_raster,
)

F35 = 28  # the photo's 35 mm focal length: a 65.5 degree field of view
HFOV = math.degrees(2 * math.atan(18 / F35))
POSE = {"east": 130.0, "north": 140.0, "height": 1.7, "pitch": 10.8, "yaw": 107.9}


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A 0.3 m ground (270 m square) and a photo taken 1.7 m above it, its GPS fix 25 m off."""
    tmp = tmp_path_factory.mktemp("ground")
    path = write_ground_raster(tmp / "ground.tif", ground_texture(900, 900, 3), 0.3)
    src = rasters.open_source(str(path), checksum=False)
    ref = Reference(src)
    lon, lat = (
        float(v) for v in ref.pixel_to_lonlat(np.array([[POSE["east"] / 0.3, 900 - POSE["north"] / 0.3]]))[0]
    )
    view = render_ground(ref, pyramid(_rgb(path)), lon, lat, POSE["height"], POSE["pitch"], POSE["yaw"], HFOV)
    fix = offset_lonlat(lon, lat, 15.0, -20.0)
    photo = save_phone_jpeg(tmp / "ground.jpg", view, (fix[1], fix[0]))
    return {
        "src": src,
        "path": path,
        "lon": lon,
        "lat": lat,
        "fix": fix,
        "photo": photo,
        "tmp": tmp,
        "view": view,
    }


def _rgb(path):
    from tests.helpers.camera_views import load_rgb

    return load_rgb(str(path))


def _camera(fc):
    return next(f["properties"] for f in fc["features"] if f["properties"]["kind"] == "camera")


def test_a_ground_view_is_recovered_with_its_uncertainty(scene):
    near = {"near": [scene["fix"][1], scene["fix"][0]], "radius_km": 0.035}
    fc = locate_ground(str(scene["photo"]), [scene["src"]], near, height_m=POSE["height"])
    assert fc["status"] == "ok", fc.get("reason")
    cam = _camera(fc)
    assert cam["photo_kind"] == "ground"
    assert distance_m(scene["lon"], scene["lat"], cam["lon"], cam["lat"]) < 3.0
    assert abs((cam["yaw_deg"] - POSE["yaw"] + 180) % 360 - 180) < 3.0
    assert abs(cam["pitch_deg"] - POSE["pitch"]) < 1.5
    e = cam["ellipse"]
    assert 0 < e["semi_minor_m"] <= e["semi_major_m"] < 5 and 0 <= e["angle_deg"] < 180
    assert 0 < cam["position_sigma_m"] < 5 and 0 < cam["yaw_sigma_deg"] < 5 and cam["score"] > 0.5
    assert cam["gps_check_m"] == pytest.approx(25.0, abs=3.0)  # the fix was put 25 m off
    assert 0 < fc["confidence"] <= 1 and fc["photo_kind"]["kind"] == "ground"
    assert fc["prior"]["heading_deg"] is None and fc["ground"]["yaws_searched_deg"][2] == 120  # all round
    assert fc["prior"]["source"] == "near" and fc["prior"]["radius_km"] == pytest.approx(0.035)
    assert ground_prior({"gps_lat": 47.0, "gps_lon": -99.1}, None).radius_m == 60.0  # the EXIF fix's default
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds == ["camera", "prior", "exif_position"]
    assert fc["ground"]["visible_ground"]["type"] == "Polygon"


def test_a_wrong_heading_or_a_far_fix_misses(scene):
    wrong = locate_ground(
        str(scene["photo"]),
        [scene["src"]],
        heading_deg=POSE["yaw"] + 120,
        heading_sigma_deg=5,
        pitch_deg=POSE["pitch"],
        height_m=POSE["height"],
    )
    assert wrong["status"] == "not_found" and wrong["reason"]
    assert "camera" not in [f["properties"]["kind"] for f in wrong["features"]]
    lon, lat = offset_lonlat(scene["lon"], scene["lat"], -80.0, -70.0)  # 106 m away, searched within 20
    far = locate_ground(
        str(scene["photo"]),
        [scene["src"]],
        {"near": [lat, lon], "radius_km": 0.02},
        pitch_deg=POSE["pitch"],
        height_m=POSE["height"],
    )
    assert far["status"] == "not_found" and far["prior"]["source"] == "near"


def test_a_ground_photo_without_gps_asks_for_a_fix(scene, capsys):
    bare = save_phone_jpeg(scene["tmp"] / "nogps.jpg", scene["view"], None)
    with pytest.raises(PriorError, match="needs a GPS fix") as err:
        ground_prior({}, None)
    assert err.value.code == "bad_prior" and "--near" in err.value.hint
    # the command line: exit 2 and one line, before any index is read (there is none here)
    assert cli.main(["locate", str(bare), "--index", str(scene["tmp"] / "no_index"), "--kind", "ground"]) == 2
    assert "needs a GPS fix" in capsys.readouterr().err
    with pytest.raises(PriorError, match="within 0.5 km"):
        ground_prior({}, {"near": "47.0,-99.1", "radius_km": 3})
    # the worker: the same refusal as a protocol error, and the ground keys reach the engine
    out = io.StringIO()
    worker = Worker(out)
    idx = str(scene["tmp"] / "no_index")
    worker.reader(
        io.StringIO(
            protocol.request("r1", "locate", photo=str(bare), index=idx, kind="ground")
            + protocol.request(
                "r2",
                "locate",
                photo=str(scene["photo"]),
                index=idx,
                kind="ground",
                heading_deg=90,
                heading_sigma_deg=500,
            )
        )
    )
    worker.run_requests()
    replies = {m["id"]: m for m in map(json.loads, out.getvalue().splitlines()) if m["type"] == "error"}
    assert replies["r1"]["error"]["code"] == "bad_prior" and replies["r1"]["error"]["field"] == "near"
    assert replies["r2"]["error"]["field"] == "heading_sigma_deg"


def test_no_visible_ground_is_said_not_guessed(scene):
    h, w = 480, 640
    sky = np.zeros((h, w, 3), np.uint8)
    sky[:] = np.linspace([120, 160, 215], [200, 215, 230], h)[:, None, :].astype(np.uint8)
    view = scene["view"]
    view_sky = type(view)(sky, view.lon, view.lat, view.height_m, 10.0, 0.0, view.focal_px)
    path = save_phone_jpeg(scene["tmp"] / "sky.jpg", view_sky, (scene["fix"][1], scene["fix"][0]))
    fc = locate_ground(str(path), [scene["src"]])
    assert fc["status"] == "not_found" and fc["reason"].startswith("too little visible ground")
    assert "no texture" in fc["reason"]
    up = locate_ground(str(scene["photo"]), [scene["src"]], pitch_deg=-30.0)  # looking up
    assert up["status"] == "not_found" and "of the photo sees the ground" in up["reason"]
    json.dumps(fc), json.dumps(up)  # plain JSON for the worker


def test_a_fix_just_beyond_the_imagery_is_searched_where_there_is_imagery(tmp_path):
    """An ortho crop 57 m wide, the camera 2 m inside its south edge looking north, its fix 4 m
    south of it (beyond the crop), searched within 20 m: the circle and the hypotheses that leave
    the crop are searched where it has imagery, not refused as a fix no source covers (the real
    57 x 35 m HRO crop of ../shared/data did this in `make bench-modes`)."""
    path = write_ground_raster(tmp_path / "crop.tif", ground_texture(400, 190, 5), 0.3)
    src = rasters.open_source(str(path), checksum=False)
    ref = Reference(src)
    lon, lat = (float(v) for v in ref.pixel_to_lonlat(np.array([[95.0, 393.0]]))[0])
    view = render_ground(ref, pyramid(_rgb(path)), lon, lat, 1.7, 15.0, 5.0, HFOV)
    fix = offset_lonlat(lon, lat, 0.0, -4.0)
    w, s, e, n = src.bounds_wgs84
    assert not s <= fix[1] <= n  # the fix lies outside the crop
    photo = save_phone_jpeg(tmp_path / "crop.jpg", view, (fix[1], fix[0]), gps_error_m=5.0)
    fc = locate_ground(str(photo), [src], None, height_m=1.7)
    assert fc["prior"]["radius_km"] == pytest.approx(0.02)  # 3 x the 5 m GPSHPositioningError, at least 20 m
    assert fc["status"] == "ok", fc.get("reason")
    assert distance_m(lon, lat, _camera(fc)["lon"], _camera(fc)["lat"]) < 3.0
