"""Search priors: region geometry, TLE -> nadir, the FAISS restriction, CLI flags, worker keys, bad input."""

from __future__ import annotations

import io
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import rasterio
from pyproj import Geod, Transformer
from shapely.geometry import Point, box, shape

from astroloc_qgis.engine import api, priors, protocol
from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.index import vectors
from astroloc_qgis.engine.index.store import TileIndex
from astroloc_qgis.engine.priors import (
    EARTH_RADIUS_M,
    ISS_ALTITUDE_M,
    from_nadir,
    from_params,
    geodesic_circle,
    ground_radius_m,
    tle_subpoint,
)

GEOD = Geod(ellps="WGS84")
WGS84_E2 = 0.00669437999014


# ---------------------------------------------------------------- helpers


def tle_checksum(line: str) -> int:
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line) % 10


def make_tle(
    epoch: datetime, satnum: int = 25544, incl: float = 51.64, raan: float = 250.0, mean_motion: float = 15.53
) -> tuple[str, str]:
    """An ISS-like element set written column by column (circular, perigee at the ascending node,
    the satellite at perigee at epoch)."""
    doy = (epoch - datetime(epoch.year, 1, 1, tzinfo=UTC)).total_seconds() / 86400 + 1
    l1 = f"1 {satnum:05d}U 98067A   {epoch.year % 100:02d}{doy:012.8f}  .00001264  00000-0  30000-4 0  999"
    l2 = f"2 {satnum:05d} {incl:8.4f} {raan:8.4f} 0001000   0.0000   0.0000 {mean_motion:11.8f}10000"
    return l1 + str(tle_checksum(l1)), l2 + str(tle_checksum(l2))


def write_tle(path: Path, epoch: datetime, name: str = "ISS (ZARYA)", **kw) -> Path:
    l1, l2 = make_tle(epoch, **kw)
    path.write_text(f"{name}\n{l1}\n{l2}\n", encoding="ascii")
    return path


def satrec(epoch: datetime, **kw):
    from sgp4.api import Satrec

    return Satrec.twoline2rv(*make_tle(epoch, **kw))


def raster_lonlat(raster: Path, col: float, row: float) -> tuple[float, float]:
    with rasterio.open(raster) as ds:
        x, y = ds.transform @ (col, row)
        tr = Transformer.from_crs(ds.crs, "EPSG:4326", always_xy=True)
    return tr.transform(x, y)


EPOCH = datetime(2020, 3, 28, 12, 0, 0, tzinfo=UTC)


# ---------------------------------------------------------------- geometry


def test_ground_radius_against_an_independent_triangle():
    r = EARTH_RADIUS_M
    for h, tilt in ((420e3, 30.0), (400e3, 53.0), (1000.0, 45.0), (35_786e3, 5.0)):
        # independent: intersect the ray with the sphere in the plane
        # (camera at (0, R + h), ray down at `tilt`)
        dx, dy = math.sin(math.radians(tilt)), -math.cos(math.radians(tilt))
        b = 2 * (r + h) * dy
        c = (r + h) ** 2 - r**2
        t = (-b - math.sqrt(b * b - 4 * c)) / 2
        x, y = t * dx, r + h + t * dy
        assert ground_radius_m(h, tilt) == pytest.approx(r * math.atan2(x, y), rel=1e-9)
    # ISS horizon: ~2,250 km; a tilt beyond the horizon's angle is the horizon
    assert ground_radius_m(420e3) == pytest.approx(r * math.acos(r / (r + 420e3)))
    assert 2200e3 < ground_radius_m(420e3) < 2300e3
    assert ground_radius_m(420e3, 89.0) == ground_radius_m(420e3)


def test_nadir_prior_region_has_the_radius_of_its_altitude_and_tilt():
    p = from_nadir(40.0, 10.0, ISS_ALTITUDE_M, 30.0)
    radius = ground_radius_m(420e3, 30.0)
    assert p.radius_km == pytest.approx(radius / 1000) and p.region.geom_type == "Polygon"
    # the boundary lies at that geodesic distance; points just inside/outside are inside/outside
    for az in (0.0, 77.0, 180.0, 260.0):
        for factor, inside in ((0.98, True), (1.02, False)):
            lon, lat, _ = GEOD.fwd(10.0, 40.0, az, factor * radius)
            assert p.region.contains(Point(lon, lat)) is inside
    assert "40.0000, 10.0000" in p.description and "30 deg" in p.description
    # the highest altitude sets the radius
    assert from_nadir(40.0, 10.0, (300e3, 420e3), 30.0).radius_km == pytest.approx(p.radius_km)


def test_circle_across_the_antimeridian_is_a_multipolygon():
    region = geodesic_circle(-17.0, 179.5, 300e3)  # Fiji
    assert region.geom_type == "MultiPolygon" and region.is_valid
    assert region.bounds[0] == pytest.approx(-180.0) and region.bounds[2] == pytest.approx(180.0)
    east, west = sorted(region.geoms, key=lambda g: g.centroid.x)[::-1]
    assert east.bounds[0] > 170 and west.bounds[2] < -170
    for lon, lat, inside in (
        (179.9, -17.0, True),
        (-178.0, -17.0, True),
        (-176.0, -17.0, False),
        (0.0, -17.0, False),
        (176.0, -17.0, False),
    ):
        assert region.contains(Point(lon, lat)) is inside, (lon, lat)


def test_a_pole_inside_the_region():
    p = from_nadir(85.0, 30.0)  # ISS horizon (~2,250 km) reaches over the pole
    region = p.region
    assert region.is_valid and region.bounds[0] == -180 and region.bounds[2] == 180 and region.bounds[3] == 90
    for lon in (-179.0, -90.0, 0.0, 90.0, 179.0):
        assert region.contains(Point(lon, 89.5))
    # the far side of the pole: 85N on the opposite meridian is 10 deg (~1,110 km) away: inside
    assert region.contains(Point(-150.0, 85.0))
    # 65N on the nadir's meridian is 20 deg (~2,220 km) away: inside; 60N is beyond: outside
    assert region.contains(Point(30.0, 65.5)) and not region.contains(Point(30.0, 60.0))
    south = geodesic_circle(-89.0, 0.0, 500e3)
    assert south.is_valid and south.bounds[1] == -90 and south.contains(Point(120.0, -88.0))


def test_a_circle_larger_than_a_hemisphere():
    region = geodesic_circle(0.0, 0.0, 0.75 * math.pi * EARTH_RADIUS_M)  # 135 deg
    assert region.is_valid and region.contains(Point(100.0, 0.0)) and not region.contains(Point(179.0, 0.0))


# ---------------------------------------------------------------- TLE


def test_tle_nadir_at_epoch_matches_the_elements():
    sat = satrec(EPOCH, raan=250.0)
    lat, lon, alt = tle_subpoint(sat, EPOCH)
    # at epoch the satellite is at its ascending node: latitude 0, longitude = RAAN - GMST
    d = 2458937.0 - 2451545.0  # Julian date of EPOCH minus J2000
    gmst_deg = (18.697374558 + 24.06570982441908 * d) % 24 * 15  # USNO approximation, independent of sgp4
    expected_lon = (250.0 - gmst_deg + 180) % 360 - 180
    assert lat == pytest.approx(0.0, abs=0.2) and lon == pytest.approx(expected_lon, abs=0.2)
    assert 400e3 < alt < 430e3


def test_tle_ground_track_physics():
    incl = 51.64
    sat = satrec(EPOCH, incl=incl)
    minutes = np.arange(0, 2 * 93, 0.25)
    track = np.array([tle_subpoint(sat, EPOCH + timedelta(minutes=float(m))) for m in minutes])
    lats, alts = track[:, 0], track[:, 2]
    # geodetic latitude of the sub-point: at most the latitude of the ellipsoid normal at geocentric `incl`
    geodetic_max = math.degrees(math.atan(math.tan(math.radians(incl)) / (1 - WGS84_E2)))
    one_orbit = minutes < 93
    assert lats.max() <= geodetic_max and lats[one_orbit].max() >= incl - 0.05
    assert lats[one_orbit].min() <= -(incl - 0.05)
    assert 400e3 < alts.min() and alts.max() < 430e3
    # period: between ascending node crossings
    up = np.where((lats[:-1] < 0) & (lats[1:] >= 0))[0]
    crossings = minutes[up] - lats[up] * (minutes[up + 1] - minutes[up]) / (lats[up + 1] - lats[up])
    assert np.diff(crossings)[0] == pytest.approx(1440 / 15.53, abs=0.3)
    assert np.diff(crossings)[0] == pytest.approx(92.7, abs=0.3)


def test_tle_prior_from_exif_time(tmp_path):
    from PIL import Image

    photo = tmp_path / "ISS062-E-150758.jpg"
    when = EPOCH + timedelta(hours=3)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = when.strftime("%Y:%m:%d %H:%M:%S")  # DateTimeOriginal
    Image.new("RGB", (128, 128), (90, 120, 80)).save(photo, exif=exif)
    tle = write_tle(tmp_path / "iss.tle", EPOCH)
    p = from_params({"tle": str(tle)}, str(photo))
    lat, lon, alt = tle_subpoint(satrec(EPOCH), when)
    assert p.source == "tle" and p.nadir == pytest.approx((lat, lon))
    assert p.altitude_m == pytest.approx((alt, alt)) and p.capture_time == "2020-03-28T15:00:00Z"
    assert p.radius_km == pytest.approx(ground_radius_m(alt) / 1000)
    # an explicit capture time wins over a missing EXIF one; an explicit altitude over the TLE's
    bare = tmp_path / "ISS062-E-1.png"
    Image.new("RGB", (128, 128)).save(bare)
    q = from_params(
        {"tle": str(tle), "capture_time": "2020-03-28T15:00:00Z", "altitude_m": 415000, "max_tilt_deg": 40},
        str(bare),
    )
    assert q.nadir == pytest.approx(p.nadir) and q.altitude_m == (415000.0, 415000.0) and q.max_tilt_deg == 40


# ---------------------------------------------------------------- catalogue


def test_catalogue_gives_nadir_focal_and_camera(tmp_path):
    cat = tmp_path / "nasa.csv"
    cat.write_text(
        "Frame ID;Nadir Latitude;Nadir Longitude;Focal Length (mm);Camera\n"
        "ISS062-E-150757;10.0;20.0;400;NIKON D5\n"
        "ISS062-E-150758;-33.9;18.4;1150;NIKON D5\n",
        encoding="utf-8",
    )
    assert priors.frame_id("ISS062-E-150758.jpg") == "ISS062-E-150758"
    assert (
        priors.frame_id("iss062_e_150758_small.JPG") == "ISS062-E-150758"
        and priors.frame_id("photo.jpg") is None
    )
    p = from_params({"catalogue": str(cat)}, _touch(tmp_path))
    assert (
        p.source == "catalogue" and p.nadir == (-33.9, 18.4) and p.focal_mm == 1150 and p.camera == "NIKON D5"
    )
    assert p.frame == "ISS062-E-150758" and p.radius_km == pytest.approx(ground_radius_m(420e3) / 1000)
    assert p.summary()["frame"] == "ISS062-E-150758"


def _touch(folder: Path, name: str = "ISS062-E-150758.jpg") -> Path:
    from PIL import Image

    path = folder / name
    Image.new("RGB", (96, 96), (100, 100, 100)).save(path)
    return path


# ---------------------------------------------------------------- combination, params


def test_params_combine_by_intersection(tmp_path):
    assert from_params(None, "x.jpg") is None and from_params({}, "x.jpg") is None
    assert from_params({"altitude_m": 415000}, "x.jpg") is None  # the pose's altitude alone: no region
    aoi = tmp_path / "aoi.geojson"
    aoi.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[10, 40], [12, 40], [12, 42], [10, 42], [10, 40]]],
                        },
                    }
                ],
            }
        )
    )
    p = from_params({"nadir": [40.0, 10.0], "aoi": str(aoi)}, "x.jpg")
    assert p.source == "nadir+aoi" and p.nadir == (40.0, 10.0)
    assert p.region.bounds[0] == pytest.approx(10.0) and p.region.bounds[1] == pytest.approx(40.0)
    assert p.region.within(box(10, 40, 12, 42).buffer(1e-9))
    assert from_params({"nadir": "40,10"}, "x.jpg").nadir == (40.0, 10.0)


def test_aoi_in_a_projected_crs_geopackage(tmp_path):
    import pyogrio.raw
    import shapely

    path = tmp_path / "aoi.gpkg"
    square = box(500_000, 5_190_000, 510_000, 5_200_000)  # UTM 33N, ~15E 46.9N
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array([square], dtype=object)),
        [np.array([1])],
        ["id"],
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:32633",
    )
    p = priors.from_aoi(path)
    tr = Transformer.from_crs("EPSG:32633", "EPSG:4326", always_xy=True)
    for x, y in list(square.exterior.coords)[:4]:
        assert p.region.exterior.distance(Point(*tr.transform(x, y))) < 1e-9
    assert p.region.contains(Point(*tr.transform(505_000, 5_195_000)))
    assert p.source == "aoi" and "aoi.gpkg" in p.description


# ---------------------------------------------------------------- the FAISS restriction


def test_restricted_search_never_returns_a_tile_outside_the_region(built_index, raster_a, tmp_path):
    from test_index import crop_photo

    photo = crop_photo(raster_a, (64, 64, 64, 64), tmp_path / "p.jpg", rot=0)
    top = api.search(str(photo), str(built_index), k=5)["features"][0]["properties"]
    assert top["window"] == [64, 64, 64, 64]  # rank 1 globally
    index = api.open_index(str(built_index))
    lon, lat = raster_lonlat(raster_a, 288, 224)  # ~2.3 km away from that tile
    fc = api.search(str(photo), str(built_index), k=500, prior={"near": [lat, lon], "radius_km": 0.5})
    prior = priors.from_near(lat, lon, 0.5)
    inside = set(index.tiles_intersecting(prior.region).tolist())
    cands = [f for f in fc["features"] if f["properties"]["kind"] == "candidate"]
    assert 0 < len(cands) == len(inside) < len(index)  # every region tile, nothing else
    assert top["tile_id"] not in inside
    for f in cands:
        assert f["properties"]["tile_id"] in inside and shape(f["geometry"]).intersects(prior.region)
    # the tile table agrees: every tile outside the set misses the region
    for tid in set(range(len(index))) - inside:
        assert not index.tile_polygon(tid).intersects(prior.region)
    (feat,) = [f for f in fc["features"] if f["properties"]["kind"] == "prior"]
    assert feat["properties"] == {
        "kind": "prior",
        "source": "near",
        "description": prior.description,
        "tiles_in_region": len(inside),
    }
    assert shape(feat["geometry"]).buffer(1e-6).contains(prior.region)
    assert fc["prior"]["tiles_in_region"] == len(inside) and fc["prior"]["radius_km"] == 0.5
    assert fc["status"] == "ok" and "prior" in fc["timing"]
    json.dumps(fc)


def test_ivf_index_restriction_probes_every_list():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(3000, 32)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    faiss_index, params = vectors.make_index(emb, threshold=1000)
    assert params["type"] == "ivfpq" and params["nprobe"] < params["nlist"]
    idx = TileIndex(Path("."), {}, None, faiss_index, {"source": np.zeros(3000, np.int32)}, [])
    allowed = np.sort(rng.choice(3000, 40, replace=False))
    query = emb[[i for i in range(3000) if i not in set(allowed)][:3]]
    _, ids = idx.search(query, 40, ids=allowed)
    for row in ids:
        assert set(row.tolist()) == set(allowed.tolist())  # all of them, from every inverted list
    _, global_ids = idx.search(query, 1)
    assert not set(global_ids[:, 0].tolist()) & set(allowed.tolist())  # each query's own vector is outside


def test_no_tile_in_the_region_is_a_clear_error(built_index, raster_a, tmp_path):
    from test_index import crop_photo

    photo = crop_photo(raster_a, (64, 64, 64, 64), tmp_path / "p.jpg", rot=0)
    with pytest.raises(InputError) as err:
        api.search(str(photo), str(built_index), prior={"nadir": [-33.9, 18.4], "altitude_m": 1000})
    assert "no tile of the index" in err.value.message and str(built_index.resolve()) in err.value.message
    assert "nadir -33.9000, 18.4000" in err.value.message and "the index covers lon 15" in err.value.message
    assert err.value.hint


# ---------------------------------------------------------------- CLI, worker


def test_cli_prior_flags_end_to_end(built_index, raster_a, tmp_path):
    from test_cli import run_cli
    from test_index import crop_photo

    photo = crop_photo(raster_a, (64, 64, 64, 64), tmp_path / "p.jpg", rot=0)
    lon, lat = raster_lonlat(raster_a, 288, 224)
    out = run_cli(
        "search",
        photo,
        "--index",
        built_index,
        "-k",
        "50",
        "--geojson",
        "--nadir",
        f"{lat},{lon}",
        "--altitude-m",
        "1000",
        "--max-tilt",
        "20",
    )
    assert out.returncode == 0, out.stderr
    fc = json.loads(out.stdout)
    region = priors.from_nadir(lat, lon, (1000.0, 1000.0), 20.0).region
    cands = [f for f in fc["features"] if f["properties"]["kind"] == "candidate"]
    assert cands and all(shape(f["geometry"]).intersects(region) for f in cands)
    assert fc["prior"]["source"] == "nadir" and fc["prior"]["altitude_m"] == [1000.0, 1000.0]
    assert fc["prior"]["max_tilt_deg"] == 20.0
    table = run_cli(
        "search", photo, "--index", built_index, "-k", "3", "--near", f"{lat},{lon}", "--radius-km", "0.4"
    )
    assert table.returncode == 0 and "prior: near" in table.stdout and "tiles in the region" in table.stdout
    loc = run_cli(
        "locate",
        photo,
        "--index",
        built_index,
        "-k",
        "5",
        "--top",
        "1",
        "--geojson",
        "--near",
        f"{lat},{lon}",
        "--radius-km",
        "0.4",
    )
    assert loc.returncode in (0, 1), loc.stderr
    lfc = json.loads(loc.stdout)
    kinds = [f["properties"]["kind"] for f in lfc["features"]]
    assert kinds.count("prior") == 1 and lfc["prior"]["source"] == "near"
    near = priors.from_near(lat, lon, 0.4).region
    assert all(
        shape(f["geometry"]).intersects(near)
        for f in lfc["features"]
        if f["properties"]["kind"] == "candidate"
    )


def test_negative_coordinates_need_no_equals_sign(tmp_path):
    from astroloc_qgis.engine.cli import _attach_negative_coordinates, build_parser

    argv = _attach_negative_coordinates(
        ["search", "p.jpg", "--index", "i", "--nadir", "-33.9,-18.4", "-k", "3"]
    )
    args = build_parser().parse_args(argv)
    assert args.nadir == "-33.9,-18.4" and args.k == 3


def test_worker_passes_the_prior_keys(built_index, raster_a, tmp_path):
    from test_index import crop_photo

    from astroloc_qgis.engine.worker import Worker

    photo = crop_photo(raster_a, (64, 64, 64, 64), tmp_path / "p.jpg", rot=0)
    lon, lat = raster_lonlat(raster_a, 288, 224)
    out = io.StringIO()
    w = Worker(out)
    w.reader(
        io.StringIO(
            protocol.request(
                "r1", "search", photo=str(photo), index=str(built_index), k=5, near=[lat, lon], radius_km=0.5
            )
            + protocol.request("r2", "search", photo=str(photo), index=str(built_index), nadir=[95.0, 10.0])
        )
    )
    w.run_requests()
    replies = {m["id"]: m for m in map(json.loads, out.getvalue().splitlines()) if m["type"] != "progress"}
    result = replies["r1"]["result"]
    assert result["prior"]["source"] == "near" and result["prior"]["radius_km"] == 0.5
    assert replies["r2"]["type"] == "error" and replies["r2"]["error"]["code"] == "bad_prior"
    assert (
        replies["r2"]["error"]["field"] == "nadir"
    )  # the shell tells a refused prior by these, not by words
    assert "--nadir 95,10" in replies["r2"]["error"]["message"]
    assert set(protocol.PRIOR_KEYS) == set(priors.PARAM_KEYS)


# ---------------------------------------------------------------- bad input


def _cat(tmp_path: Path) -> Path:
    p = tmp_path / "cat.csv"
    p.write_text("frame,nadir_lat,nadir_lon,focal_length_mm,camera\nISS062-E-1,10,20,400,NIKON D5\n")
    return p


@pytest.mark.parametrize(
    "params, photo_name, expect",
    [
        ({"nadir": [95.0, 10.0]}, "x.jpg", "--nadir 95,10: outside [-90, 90] x [-180, 180]"),
        ({"nadir": [10.0, 190.0]}, "x.jpg", "outside [-90, 90] x [-180, 180]"),
        ({"nadir": "north"}, "x.jpg", "--nadir 'north': not a latitude,longitude pair"),
        ({"nadir": "1,2,3"}, "x.jpg", "not a latitude,longitude pair"),
        ({"near": [10.0, 20.0], "radius_km": 0}, "x.jpg", "--radius-km 0: must be a distance above 0 km"),
        ({"near": [10.0, 20.0], "radius_km": -3}, "x.jpg", "--radius-km -3"),
        ({"near": [10.0, 20.0]}, "x.jpg", "--near and --radius-km go together"),
        ({"max_tilt_deg": 30}, "x.jpg", "--max-tilt needs the camera's nadir"),
        ({"nadir": [1, 2], "max_tilt_deg": 95}, "x.jpg", "--max-tilt 95: must be between 0 and 90"),
        ({"nadir": [1, 2], "altitude_m": -5}, "x.jpg", "--altitude-m -5: must be above 0"),
        ({"sky": 1}, "x.jpg", "unknown prior parameter sky"),
        ({"aoi": "missing.geojson"}, "x.jpg", "missing.geojson: no such file"),
        ({"tle": "missing.tle"}, "ISS062-E-1.jpg", "missing.tle: no such file"),
        ({"catalogue": "CAT"}, "ISS062-E-999.jpg", "no row for frame ISS062-E-999"),
        ({"catalogue": "CAT"}, "holiday.jpg", "the photo's file name holiday.jpg is not a frame id"),
    ],
)
def test_bad_prior_input(tmp_path, params, photo_name, expect):
    params = {k: (str(_cat(tmp_path)) if v == "CAT" else v) for k, v in params.items()}
    params = {k: (str(tmp_path / v) if k in ("aoi", "tle") else v) for k, v in params.items()}
    photo = _touch(tmp_path, photo_name)
    with pytest.raises(InputError) as err:
        from_params(params, str(photo))
    assert expect in err.value.message and err.value.hint and "\n" not in str(err.value)
    # the refused key is a structured field: the flag the message begins with, else the one key given
    field = (
        priors.flag_key(expect.split()[0])
        if expect.startswith("--")
        else next(iter(params))
        if set(params) <= set(priors.PARAM_KEYS)
        else "prior"
    )
    assert err.value.code == "bad_prior" and err.value.field == field


def test_bad_tle_inputs(tmp_path):
    iss_photo = _touch(tmp_path, "ISS062-E-150758.jpg")
    when = "2020-03-28T15:00:00"
    other = write_tle(tmp_path / "hubble.tle", EPOCH, name="HST", satnum=20580)
    with pytest.raises(
        InputError, match=r"satellite 20580, but ISS062-E-150758.jpg is an ISS frame \(NORAD 25544\)"
    ):
        from_params({"tle": str(other), "capture_time": when}, str(iss_photo))
    # the same TLE is fine for a photo not named like an ISS frame
    assert (
        from_params({"tle": str(other), "capture_time": when}, str(_touch(tmp_path, "hst.jpg"))).source
        == "tle"
    )
    old = write_tle(tmp_path / "old.tle", EPOCH - timedelta(days=30))
    with pytest.raises(InputError, match=r"epoch 2020-02-27 12:00 UTC is 30 days from the capture time"):
        from_params({"tle": str(old), "capture_time": when}, str(iss_photo))
    good = write_tle(tmp_path / "iss.tle", EPOCH)
    with pytest.raises(InputError, match="has no capture time") as err:
        from_params({"tle": str(good)}, str(iss_photo))
    assert "--capture-time" in err.value.hint
    with pytest.raises(InputError, match="not a date and time"):
        from_params({"tle": str(good), "capture_time": "yesterday"}, str(iss_photo))
    junk = tmp_path / "junk.tle"
    junk.write_bytes(b"\xff\xfe not text")
    with pytest.raises(InputError, match="junk.tle: unreadable"):
        from_params({"tle": str(junk), "capture_time": when}, str(iss_photo))
    text = tmp_path / "text.tle"
    text.write_text("ISS\nno elements here\n")
    with pytest.raises(InputError, match="no two-line element set"):
        from_params({"tle": str(text), "capture_time": when}, str(iss_photo))
    two = tmp_path / "two.tle"
    two.write_text(good.read_text() + other.read_text())
    with pytest.raises(InputError, match="element sets of 2 spacecraft"):
        from_params({"tle": str(two), "capture_time": when}, str(_touch(tmp_path, "hst.jpg")))
    # several epochs of the ISS: the nearest is used
    history = tmp_path / "history.tle"
    history.write_text(old.read_text() + good.read_text())
    assert from_params({"tle": str(history), "capture_time": when}, str(iss_photo)).source == "tle"


def test_bad_catalogue_and_aoi_files(tmp_path, built_index, raster_a):
    photo = _touch(tmp_path, "ISS062-E-1.jpg")
    cat = tmp_path / "cat.csv"
    cat.write_text("id;latitude of centre;lng\nISS062-E-1;1;2\n")
    with pytest.raises(InputError, match=r"no column for lat, lon \(header: id, latitude of centre, lng\)"):
        from_params({"catalogue": str(cat)}, str(photo))
    bad_row = tmp_path / "bad_row.csv"
    bad_row.write_text("frame,nadir_lat,nadir_lon\nISS062-E-1,north,2\n")
    with pytest.raises(InputError, match="frame ISS062-E-1: nadir"):
        from_params({"catalogue": str(bad_row)}, str(photo))
    aoi = tmp_path / "points.geojson"
    aoi.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    }
                ],
            }
        )
    )
    with pytest.raises(InputError, match="holds no polygon"):
        from_params({"aoi": str(aoi)}, str(photo))
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(InputError, match="broken.geojson: not a polygon file"):
        from_params({"aoi": str(broken)}, str(photo))
    far = tmp_path / "far.geojson"
    far.write_text(
        json.dumps({"type": "Polygon", "coordinates": [[[100, 10], [101, 10], [101, 11], [100, 10]]]})
    )
    with pytest.raises(InputError, match="no tile of the index"):
        api.search(str(photo), str(built_index), prior={"aoi": str(far)})
    with pytest.raises(InputError, match="the priors do not overlap"):
        from_params({"nadir": [40, 10], "altitude_m": 1000, "aoi": str(far)}, str(photo))


def test_cli_bad_prior_exits_2_with_one_line(built_index, tmp_path):
    from test_cli import run_cli

    photo = _touch(tmp_path, "ISS062-E-1.jpg")
    for flags, expect in (
        (["--nadir", "95,10"], "--nadir 95,10"),
        (["--near", "1,2", "--radius-km", "0"], "--radius-km"),
        (["--tle", tmp_path / "none.tle"], "none.tle: no such file"),
        (["--altitude-m", "400000"], "--altitude-m 400000: search uses it only"),
    ):
        out = run_cli("search", photo, "--index", built_index, *flags)
        lines = out.stderr.strip().splitlines()
        assert (
            out.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: ") and expect in lines[0]
        )
        assert out.stdout == ""


def test_pose_priors_from_a_search_prior():
    from shapely.geometry import Point

    from astroloc_qgis.engine import pose
    from astroloc_qgis.engine.locate import pose_priors

    region = Point(-112, 27).buffer(5)
    catalogue = priors.Prior(
        region,
        "catalogue",
        "frame",
        nadir=(23.4, -117.0),
        altitude_m=priors.ISS_ALTITUDE_M,
        focal_mm=50.0,
        camera="Nikon D5",
    )
    alt, lens, nadir, warnings = pose_priors(catalogue, "ISS066-E-103558.jpg", None)
    assert alt is None  # an ISS frame: the pose's expedition rule knows the orbit better
    assert lens == (50.0, "Nikon D5") and not warnings
    assert nadir == (-117.0, 23.4, pose.NADIR_SIGMA_ROUNDED_M)  # (lon, lat, sigma) for the pose
    alt, _, _, _ = pose_priors(catalogue, "photo.jpg", None)
    assert alt == priors.ISS_ALTITUDE_M  # a nadir without a frame name: the region's orbit holds
    odd = priors.Prior(
        region, "catalogue", "frame", nadir=(23.4, -117.0), focal_mm=50.0, camera="Box Brownie"
    )
    _, lens, _, warnings = pose_priors(odd, "ISS066-E-103558.jpg", None)
    assert lens is None and "lens was not used" in warnings[0]
    assert pose_priors(None, "x.jpg", None) == (None, None, None, [])
