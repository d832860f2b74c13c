"""locate end to end on the bundled NAIP tile: schema, bad inputs, cancel."""

from __future__ import annotations

import json
import math
import time

import cv2
import numpy as np
import pytest
from conftest import SAMPLE
from PIL import Image
from shapely.geometry import Polygon, box, shape

from astroloc_qgis.engine import api
from astroloc_qgis.engine.crs import geodesic_distance_m
from astroloc_qgis.engine.errors import Cancelled, InputError
from astroloc_qgis.engine.locate import format_result, locate, photo_problem
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import add_clouds, camera_for_target, load_rgb, render
from tests.helpers.drone_exif import dji_xmp, save_drone_jpeg

NAIP = SAMPLE / "naip_nd_2009.tif"
FOOTPRINT_KEYS = {
    "kind",
    "confidence",
    "inliers",
    "reprojection_px",
    "method",
    "corners",
    "candidate_rank",
    "area_km2",
}
CAMERA_KEYS = {
    "kind",
    "altitude_m",
    "lat",
    "lon",
    "tilt_deg",
    "azimuth_deg",
    "roll_deg",
    "hfov_deg",
    "vfov_deg",
    "focal_px",
    "focal_source",
    "altitude_m_sigma",
    "tilt_deg_sigma",
    "azimuth_deg_sigma",
    "nadir_m_sigma",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    out = tmp_path_factory.mktemp("locidx") / "index"
    api.build_index([str(NAIP)], str(out), scales=[1, 2], tile_px=192)
    return api.open_index(str(out))


def _view(tmp_path, name, tilt, az, roll, exif=None, centre=(450.0, 340.0)):
    ref = Reference(str(NAIP))
    c = ref.pixel_to_lonlat(np.array([list(centre)]))[0]
    f = 800 / 2 / math.tan(math.radians(20))
    lon, lat = camera_for_target(c[0], c[1], 1500.0, tilt, az)
    v = render(ref, load_rgb(str(NAIP)), lon, lat, 1500.0, tilt, az, roll, f, 800, 600)
    path = tmp_path / name
    img = Image.fromarray(v.image)
    if exif:
        e = Image.Exif()
        e.get_ifd(0x8769).update(exif)
        img.save(path, quality=92, exif=e)
    else:
        img.save(path, quality=92)
    return path, v, f, ref


def _by_kind(fc):
    out = {}
    for f in fc["features"]:
        out.setdefault(f["properties"]["kind"], []).append(f)
    return out


def test_locate_rendered_view_and_schema(tmp_path, index):
    path, v, f, ref = _view(tmp_path, "v.jpg", 10.0, 40.0, 70.0)
    stages = []
    fc = locate(str(path), index, top=3, focal_px=f, progress=lambda s, x, m: stages.append((s, x)))
    json.dumps(fc)  # serialisable as is
    assert fc["type"] == "FeatureCollection" and fc["status"] == "ok", fc.get("reason")
    assert {"photo", "index", "timing"} <= fc.keys()
    kinds = _by_kind(fc)
    assert set(kinds) == {"candidate", "footprint", "camera", "look"}
    foot = kinds["footprint"][0]
    assert FOOTPRINT_KEYS <= foot["properties"].keys() and foot["geometry"]["type"] == "Polygon"
    assert 0.5 <= foot["properties"]["confidence"] <= 1.0
    assert len(foot["properties"]["corners"]) == 4
    est, gt = Polygon(foot["properties"]["corners"]), Polygon(v.corners_lonlat)
    assert est.intersection(gt).area / est.union(gt).area > 0.93
    cam = kinds["camera"][0]
    assert CAMERA_KEYS <= cam["properties"].keys() and cam["geometry"]["type"] == "Point"
    assert cam["properties"]["altitude_m"] == pytest.approx(1500.0, rel=0.05)
    assert cam["properties"]["tilt_deg"] == pytest.approx(10.0, abs=2.0)
    assert kinds["look"][0]["geometry"]["type"] == "LineString"
    ranks = [c["properties"]["rank"] for c in kinds["candidate"]]
    assert ranks == sorted(ranks) and all("retrieval_rank" in c["properties"] for c in kinds["candidate"])
    assert shape(foot["geometry"]).is_valid
    assert {s for s, _ in stages} >= {"photo", "verify", "refine", "polish", "pose"}
    assert "footprint" in format_result(fc)
    # every refined footprint is listed for diagnosis, the accepted one among them
    assert fc["attempts"] and all({"confidence", "structure", "corners"} <= a.keys() for a in fc["attempts"])
    assert max(a["confidence"] for a in fc["attempts"]) == foot["properties"]["confidence"]
    assert foot["properties"]["structure"] > 0.1 and foot["properties"]["structure_distinct"] > 0.0
    assert isinstance(foot["properties"]["polished"], bool) and "polish" in fc["timing"]
    # placed by stage 1: the cascade never ran stage 2
    assert fc["cascade"]["stage"] == 1 and foot["properties"]["stage"] == 1
    assert [st["stage"] for st in fc["cascade"]["stages"]] == [1]
    assert {c["properties"].get("stage") for c in kinds["candidate"]} <= {1, None}
    assert not any("screen_inliers" in c["properties"] for c in kinds["candidate"])
    assert kinds["candidate"][0]["properties"]["tile_id"] == foot["properties"]["tile_id"]


def test_wrong_exif_focal_is_reported(tmp_path, index):
    path, v, f, _ = _view(tmp_path, "exif.jpg", 35.0, 200.0, 0.0, exif={0xA405: 10})  # 10 mm equiv: wrong
    fc = locate(str(path), index, top=3)
    assert fc["status"] == "ok", fc.get("reason")
    cam = _by_kind(fc)["camera"][0]["properties"]
    assert cam["focal_source"] == "estimated"
    assert cam["focal_px"] == pytest.approx(f, rel=0.15)
    assert any("disagrees" in w for w in cam["warnings"]) and fc["warnings"]


def _write(tmp_path, name, arr):
    path = tmp_path / name
    Image.fromarray(arr).save(path)
    return str(path)


@pytest.mark.parametrize(
    "name,make,expect",
    [
        ("clouds.png", lambda r: np.full((480, 640, 3), 235, np.uint8), "100% cloud"),
        ("blank.png", lambda r: np.full((480, 640, 3), 90, np.uint8), "no texture"),
        ("night.png", lambda r: r.integers(0, 12, (480, 640, 3)).astype(np.uint8), "nearly black"),
        (
            "pano.png",
            lambda r: cv2.resize(r.integers(0, 255, (40, 300, 3)).astype(np.uint8), (3000, 400)),
            "panorama",
        ),
        ("noise.png", lambda r: r.integers(0, 255, (480, 640, 3)).astype(np.uint8), None),
    ],
)
def test_bad_photos_give_a_clear_status_and_no_footprint(tmp_path, index, name, make, expect):
    path = _write(tmp_path, name, make(np.random.default_rng(0)))
    fc = locate(path, index, top=3)
    assert fc["status"] == "not_found" and fc["reason"]
    if expect:
        assert expect in fc["reason"]
    assert set(_by_kind(fc)) <= {"candidate"}
    json.dumps(fc)


def test_tiny_photo_is_an_input_error(tmp_path, index):
    with pytest.raises(InputError, match="too small"):
        locate(_write(tmp_path, "tiny.png", np.full((40, 50, 3), 128, np.uint8)), index)


def test_photo_problem_accepts_a_normal_photo():
    rng = np.random.default_rng(1)
    assert photo_problem(cv2.GaussianBlur(rng.integers(0, 255, (300, 400)).astype(np.uint8), (5, 5), 0)) == ""


def test_cancel_is_honoured_quickly(tmp_path, index):
    path, *_ = _view(tmp_path, "c.jpg", 5.0, 0.0, 0.0)
    flipped: list[float] = []

    def progress(stage, fraction, message):
        if stage == "verify" and not flipped:
            flipped.append(time.perf_counter())

    with pytest.raises(Cancelled):
        locate(str(path), index, top=5, progress=progress, cancel=lambda: bool(flipped))
    assert time.perf_counter() - flipped[0] < 1.0


def test_verification_budget_is_work_not_time(tmp_path, index):
    """A photo that matches nothing spends the whole verification budget, counted in matching
    work: a second run while another process loads the CPU does exactly the same work and
    gives exactly the same candidates (a time budget would cut it short). The cascade goes on
    to stage 2 and stops at the work cap."""
    import subprocess
    import sys

    from astroloc_qgis.engine import locate as locate_mod

    rng = np.random.default_rng(5)
    path = _write(tmp_path, "noise.jpg", rng.integers(0, 255, (480, 640, 3), dtype=np.uint8))
    cap = 60
    first = locate(path, index, max_units=cap)
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        second = locate(path, index, max_units=cap)
    finally:
        hog.kill()
        hog.wait()
    assert first["status"] == second["status"] == "not_found"
    assert first["verify_units"] > locate_mod.VERIFY_MAX_UNITS
    stages = first["cascade"]["stages"]
    assert [st["stage"] for st in stages] == [1, 2, 3] and stages[1]["candidates"] > 0
    assert first["cascade"]["stage"] is None and first["cascade"]["units"] <= cap
    assert sum(st["units"] for st in stages) == pytest.approx(first["cascade"]["units"], abs=0.05)
    assert [st["units"] for st in second["cascade"]["stages"]] == [st["units"] for st in stages]
    # breadth first: every open candidate got its likeliest rotations before any got all eight
    tried = [c for c in first["features"] if c["properties"].get("stage") == 1]
    assert len(tried) == min(locate_mod.DEFAULT_TOP, len(first["features"]))
    assert second["verify_units"] == first["verify_units"]
    key = [(c["properties"]["tile_id"], c["properties"].get("verified_inliers")) for c in first["features"]]
    assert [
        (c["properties"]["tile_id"], c["properties"].get("verified_inliers")) for c in second["features"]
    ] == key


def test_a_right_tile_beyond_stage_1_is_found_by_stages_2_and_3(tmp_path, index):
    """With stage 1 verifying no candidate (top=0: as when it rejects all it verified), the screen
    (stage 2) finds the place among the top 12 and stage 3 places the photo, and says so."""
    path, v, f, _ = _view(tmp_path, "deep.jpg", 20.0, 100.0, 150.0, centre=(250.0, 200.0))
    fc = locate(str(path), index, top=0, depth=12, focal_px=f)
    assert fc["status"] == "ok", fc.get("reason")
    kinds = _by_kind(fc)
    foot = kinds["footprint"][0]["properties"]
    assert fc["cascade"]["stage"] == 3 and foot["stage"] == 3
    assert [st["stage"] for st in fc["cascade"]["stages"]] == [1, 2, 3]
    first = kinds["candidate"][0]["properties"]
    assert first["tile_id"] == foot["tile_id"] and first["stage"] == 3
    screened = [c["properties"] for c in kinds["candidate"] if "screen_inliers" in c["properties"]]
    assert len(screened) == fc["cascade"]["stages"][1]["candidates"] >= 1
    assert all(p["retrieval_rank"] <= 12 for p in screened)
    est, gt = Polygon(foot["corners"]), Polygon(v.corners_lonlat)
    assert est.intersection(gt).area / est.union(gt).area > 0.9


def test_the_screen_keeps_a_right_tile_for_stage_3(tmp_path, index):
    """Stage 2 alone on the deep view's ranks 3-12: a tile holding the view's centre is among the
    survivors stage 3 verifies, and every survivor lies partly under the view's footprint (a
    neighbour of the centre's tile is as good a start for the refinement, so the screen is not
    asked to put the centre's tile first); the screen costs SCREEN_UNITS a candidate."""
    from astroloc_qgis.engine import footprint as fp
    from astroloc_qgis.engine import locate as locate_mod
    from astroloc_qgis.engine.matchers import get_matcher
    from astroloc_qgis.engine.search import search

    centre = (250.0, 200.0)
    path, v, _, ref = _view(tmp_path, "deep.jpg", 20.0, 100.0, 150.0, centre=centre)
    footprint = Polygon(ref.lonlat_to_pixel(np.asarray(v.corners_lonlat)))
    cands = [f for f in search(str(path), index, k=12)["features"] if f["properties"]["kind"] == "candidate"][
        2:12
    ]
    m = locate_mod.MeteredMatcher(get_matcher("xfeat"))
    pf = fp.prepare_photo(cv2.cvtColor(np.asarray(Image.open(path)), cv2.COLOR_RGB2GRAY), m)
    sources = {s.path: s for s in index.sources}
    screened = locate_mod.screen_candidates(cands, pf, m, sources, lambda *a: None, None, stop_at=math.inf)
    assert m.units == pytest.approx(locate_mod.SCREEN_UNITS * len(screened))

    def holds(p):
        c, r, w, h = p["window"]
        return c <= centre[0] <= c + w and r <= centre[1] <= r + h

    def under_footprint(p):
        c, r, w, h = p["window"]
        return footprint.intersection(box(c, r, c + w, r + h)).area >= w * h / 4

    assert not all(under_footprint(c["properties"]) for c in cands)  # there are wrong tiles to beat
    kept = [c for c, _, _ in locate_mod.survivors(screened, pf.size)]
    assert any(holds(c["properties"]) for c in kept)
    assert all(under_footprint(c["properties"]) for c in kept)
    assert all(
        {"screen_inliers", "screen_ratio", "screen_layout", "screen_score"} <= c["properties"].keys()
        for c, _, _ in screened
    )


def test_the_work_cap_holds_from_the_first_match(tmp_path, index):
    path, _, f, _ = _view(tmp_path, "cap.jpg", 10.0, 40.0, 70.0)
    fc = locate(str(path), index, top=3, focal_px=f, max_units=2.5)
    assert fc["cascade"]["units"] <= 2.5 and fc["cascade"]["max_units"] == 2.5
    with pytest.raises(InputError, match="max_units"):
        locate(str(path), index, max_units=0)
    import subprocess
    import sys

    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "astroloc_qgis.engine",
            "locate",
            str(path),
            "--index",
            str(index.path),
            "--max-units",
            "-1",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 2 and "max_units" in cli.stderr and len(cli.stderr.strip().splitlines()) == 1


def test_partly_cloudy_photo_is_placed_and_its_cloud_share_reported(tmp_path, index):
    path, v, f, ref = _view(tmp_path, "clear.jpg", 10.0, 40.0, 70.0)
    cloudy = add_clouds(np.asarray(Image.open(path)), 0.3, np.random.default_rng(5))
    cloudy_path = tmp_path / "cloudy.jpg"
    Image.fromarray(cloudy).save(cloudy_path, quality=92)
    fc = locate(str(cloudy_path), index, top=3, focal_px=f)
    assert fc["status"] == "ok", fc.get("reason")
    assert 0.25 <= fc["photo"]["cloud_share"] <= 0.45
    foot = _by_kind(fc)["footprint"][0]
    est, gt = Polygon(foot["properties"]["corners"]), Polygon(v.corners_lonlat)
    assert est.intersection(gt).area / est.union(gt).area > 0.9


def test_an_overcast_photo_says_so(tmp_path, index):
    path, *_ = _view(tmp_path, "clear.jpg", 0.0, 0.0, 0.0)
    overcast = add_clouds(np.asarray(Image.open(path)), 0.93, np.random.default_rng(2))
    Image.fromarray(overcast).save(tmp_path / "overcast.jpg", quality=92)
    fc = locate(str(tmp_path / "overcast.jpg"), index, top=3)
    assert fc["status"] == "not_found" and "cloud" in fc["reason"]
    assert not [f for f in fc["features"] if f["properties"]["kind"] == "footprint"]


def test_locate_a_drone_view_reports_the_gps_check(tmp_path, index):
    """A low nadir view rendered from the NAIP tile, with a DJI EXIF whose GPS is 40 m off the true
    camera: auto takes it for a drone, searches round the fix and reports the fix's distance."""
    ref = Reference(str(NAIP))
    lon, lat = ref.pixel_to_lonlat(np.array([[450.0, 340.0]]))[0]
    focal = 800 / 2 / math.tan(math.radians(30))
    view = render(ref, load_rgb(str(NAIP)), lon, lat, 900.0, 0.0, 0.0, 0.0, focal, 800, 600)
    gps_lat = lat + 40.0 / 111_200  # the fix 40 m north of the camera
    xmp = dji_xmp(gps_lat, lon, RelativeAltitude="+900.0", GimbalPitchDegree="-90.0", GimbalYawDegree="0.0")
    path = save_drone_jpeg(tmp_path / "DJI_0001.JPG", view.image, xmp=xmp)
    fc = locate(str(path), index, top=3, focal_px=focal)
    assert fc["status"] == "ok", fc.get("reason")
    assert fc["photo_kind"] == {"kind": "drone", "requested": "auto", "reason": "camera make DJI"}
    assert fc["prior"]["source"] == "exif_gps" and fc["prior"]["radius_km"] == 0.25
    kinds = {f["properties"]["kind"]: f for f in fc["features"]}
    camera, exif_position = kinds["camera"], kinds["exif_position"]
    truth = geodesic_distance_m(view.lon, view.lat, *camera["geometry"]["coordinates"][:2])
    check = camera["properties"]["gps_check_m"]
    assert truth < 60.0  # the pose is independent of the fix...
    assert abs(check - 40.0) <= truth + 1.0  # ...so the check is the fix's 40 m error, within the pose's
    assert exif_position["properties"]["distance_to_camera_m"] == check
    assert exif_position["properties"]["relative_altitude_m"] == 900.0
    assert camera["properties"]["altitude_m"] == pytest.approx(900.0, rel=0.1)
    # the gimbal's nadir pitch and north yaw beside the pose's: a second check, in degrees
    assert abs(camera["properties"]["gimbal_check_pitch_deg"]) < 3.0
    assert abs(camera["properties"]["gimbal_check_yaw_deg"]) < 3.0
    assert "EXIF gimbal: the estimated camera is pitch" in format_result(fc)


def test_locate_a_historical_film_scan(tmp_path, index):
    """A view aged as a film scan (grey, grain, vignetting, scratches): --kind historical restores
    it and places it."""
    from tests.helpers.film_views import aged

    path, v, _f, _ref = _view(tmp_path, "scan.jpg", 8.0, 30.0, 50.0)
    old = aged(np.asarray(Image.open(path).convert("RGB")), np.random.default_rng(2))
    Image.fromarray(old).save(path, quality=90)
    fc = locate(str(path), index, top=3, kind="historical")
    assert fc["status"] == "ok", fc.get("reason")
    assert fc["photo_kind"]["kind"] == "historical"
    foot = _by_kind(fc)["footprint"][0]
    est, gt = Polygon(foot["properties"]["corners"]), Polygon(v.corners_lonlat)
    assert est.intersection(gt).area / est.union(gt).area > 0.8


def test_locate_a_satellite_image_reports_the_footprint_only(tmp_path, index):
    """A nadir crop turned 135 degrees, no EXIF: --kind satellite gives a footprint, no camera."""
    path, v, _f, _ref = _view(tmp_path, "sat.jpg", 0.0, 0.0, 135.0)
    fc = locate(str(path), index, top=3, kind="satellite")
    assert fc["status"] == "ok", fc.get("reason")
    kinds = _by_kind(fc)
    assert set(kinds) == {"candidate", "footprint"}
    foot = kinds["footprint"][0]["properties"]
    assert foot["photo_kind"] == "satellite"
    assert "a satellite image: the footprint only, no camera pose" in fc["warnings"]
    est, gt = Polygon(foot["corners"]), Polygon(v.corners_lonlat)
    assert est.intersection(gt).area / est.union(gt).area > 0.9


def test_locate_reports_the_calibrated_confidence(tmp_path, index):
    """The next locate through the API (the worker's path) applies the index's calibration
    (engine/calibration.py; the refit itself: test_calibration.py)."""
    from astroloc_qgis.engine import calibration, protocol

    path, _v, f, _ref = _view(tmp_path, "cal.jpg", 5.0, 0.0, 0.0)
    cal = calibration.Calibration(a=0.5, b=-1.0, decisions=60, confirmed=40, rejected=20)
    calibration.write(index.path, cal)
    try:
        fc = api.locate(str(path), str(index.path), top=2, focal_px=f)
    finally:
        (index.path / calibration.CALIBRATION_FILE).unlink()
    assert fc["status"] == "ok", fc.get("reason")
    foot = protocol.features_of_kind(fc, protocol.FOOTPRINT)[0]["properties"]
    assert foot["calibrated_on"] == 60 and fc["calibration"]["decisions"] == 60
    assert math.isclose(foot["confidence"], round(cal.apply(foot["confidence_raw"]), 4))
    assert foot["confidence"] < foot["confidence_raw"]  # this calibration lowers every confidence > 0.12
