"""Drone photos for `make bench-modes`: views rendered from a camera above three grounds, each with
a DJI-style EXIF (make, FocalLengthIn35mmFilm 24, the drone-dji: XMP fix, relative altitude and
gimbal pitch/yaw/roll, each with a GNSS's or gimbal's noise), through `locate` as a user runs it
(`auto` takes them for drone photos: the search round the fix, the gimbal yaw as stage 1's first
rotation), the same without the gimbal yaw tag, and the default aerial path (no prior, the whole
index) on the same photos. One index holds the three grounds, so the aerial path must find the
right one.

Grounds: a made-up 0.3 m ground (`ground_views.ground_texture`, 450 m square) seen from 40-120 m;
the USGS HRO crop of ../shared/data (real, 0.15 m, 57 x 35 m) from 12-18 m, close to nadir (the
crop holds no wider view); the NAIP quarter quad (real, 5 m) from 500-1,000 m (higher than a
drone may fly in most countries: at 120 m a 5 m ortho gives a 24 mm photo 35 px across), the
photos rendered from its 2014 flight against the 2009 one indexed. Every photo gets another
camera's colour (channel gains 0.85-1.15, gamma 0.8-1.25), a little blur and sensor noise.
Placed: status ok and footprint IoU >= 0.5 with the truth; wrong: status ok and below.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from shapely.geometry import Polygon

from astroloc_qgis.engine import api
from astroloc_qgis.engine.crs import geodesic_distance_m
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import load_rgb, render
from tests.helpers.drone_exif import dji_xmp, save_drone_jpeg
from tests.helpers.ground_views import ground_texture, offset_lonlat, write_ground_raster

DATA = Path(os.environ.get("ASTROLOC_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
NAIP = DATA / "naip_north_dakota" / "naip_m_4709963_se_20090818.tif"
NAIP_2014 = DATA / "naip_north_dakota" / "naip_m_4709963_se_20140720.tif"  # the photos' ground
HRO = DATA / "hro_colorado_springs" / "hro_201404_13SED190110_0p15m_cog.tif"
VIEWS = 8  # per ground
AERIAL = 4  # of them also through the aerial path (it searches the whole index)
W, H = 800, 600
F35 = 24.0  # a DJI camera's 35 mm equivalent focal
FOCAL_PX = W / 36.0 * F35
GPS_NOISE_M = (2.0, 8.0)  # the fix's offset from the camera (a drone's GNSS)
TAKEOFF_M = 3.0  # the relative altitude's offset sigma (the take-off point is not the ground in view)
GIMBAL_NOISE_DEG = (1.0, 3.0)  # pitch, yaw sigmas
PLACED_IOU = 0.5


Ground = tuple[str, Path, Path, tuple[float, float], tuple[float, float]]


NOTES = """Reading the rows. On the two orthos seen at a drone's scale (the made-up 0.3 m ground, the
real 0.15 m HRO crop) every path places every photo to centimetres: these photos are rendered from
the indexed ortho itself, in another camera's colour only, so they test the geometry (EXIF focal,
gimbal, pose, GPS check), not what a real flight adds (another date, buildings and trees leaning
away from the centre, lens distortion, motion blur). The NAIP photos are of another year (the 2014
flight against the 2009 index): there the search round the fix with the gimbal yaw as the first
rotation placed 7 of 8, without the yaw 5 of 8, no wrong footprint either way, in less time. The
camera's position error there (median 14 m at 500-1,000 m up, 1-3% of the altitude) is the pose's
on a 5 m ortho, and the GPS check reads the fix's true 2-8 m offset only within it: on such
imagery it can tell a fix 70 m off, not one 5 m off. On the fine orthos it reads it to a few cm.
The gimbal yaw agrees with the pose's heading to 0.1 degree (median). With the yaw's sign
inverted (a fault this benchmark found before it landed) the gimbal path placed 4 of 8 NAIP
photos and took 9.7 s a photo on the made-up ground, every first rotation wrong."""


def grounds(out: Path) -> list[Ground]:
    """(name, indexed raster, raster the photos are rendered from, altitude range m, tilt range
    deg) of each ground found."""
    out.mkdir(parents=True, exist_ok=True)
    synth = out / "ground_0p3m.tif"
    if not synth.exists():
        write_ground_raster(synth, ground_texture(1500, 1500, 11), 0.3)
    found: list[Ground] = [("made-up ground, 0.3 m", synth, synth, (40.0, 120.0), (0.0, 30.0))]
    for name, path, seen, alt, tilt in (
        ("HRO 2014, 0.15 m (real, 57 x 35 m)", HRO, HRO, (12.0, 18.0), (0.0, 8.0)),
        ("NAIP 2014 against 2009, 5 m (real)", NAIP, NAIP_2014, (500.0, 1000.0), (0.0, 30.0)),
    ):
        if path.exists() and seen.exists():
            found.append((name, path, seen, alt, tilt))
        else:
            print(f"warning: {path} not found (set ASTROLOC_DATA): its rows are left out", file=sys.stderr)
    return found


def another_camera(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The view as another camera would record it: colour gains, gamma, a little blur and noise."""
    x = img.astype(np.float32) / 255.0
    x = np.clip(x * rng.uniform(0.85, 1.15, 3), 0, 1) ** rng.uniform(0.8, 1.25)
    x = cv2.GaussianBlur(x, (0, 0), rng.uniform(0.3, 0.8))
    x = x * 255.0 + rng.normal(0, 2.0, x.shape)
    return np.clip(x, 0, 255).astype(np.uint8)


def views(
    raster: Path,
    alt_range: tuple[float, float],
    tilt_range: tuple[float, float],
    n: int,
    seed: int,
    out: Path,
) -> list[dict]:
    ref = Reference(str(raster))
    rgb = load_rgb(str(raster))
    rng = np.random.default_rng(seed)
    items: list[dict] = []
    tries = 0
    while len(items) < n and tries < 200 * n:
        tries += 1
        px = np.array([[ref.width * rng.uniform(0.2, 0.8), ref.height * rng.uniform(0.2, 0.8)]])
        lon, lat = (float(x) for x in ref.pixel_to_lonlat(px)[0])
        alt, tilt, az, roll = rng.uniform(*alt_range), rng.uniform(*tilt_range), rng.uniform(0, 360), 0.0
        view = render(ref, rgb, lon, lat, alt, tilt, az, roll, FOCAL_PX, W, H)
        if view is None:  # the view leaves the raster
            continue
        image = another_camera(view.image, rng)
        d, a = rng.uniform(*GPS_NOISE_M), rng.uniform(0, 2 * math.pi)
        glon, glat = offset_lonlat(lon, lat, d * math.sin(a), d * math.cos(a))
        tags = {
            "RelativeAltitude": f"{alt + rng.normal(0, TAKEOFF_M):+.2f}",
            "GimbalPitchDegree": f"{tilt - 90.0 + rng.normal(0, GIMBAL_NOISE_DEG[0]):.2f}",
            "GimbalRollDegree": "0.00",
        }
        yaw_tag = f"{(az + rng.normal(0, GIMBAL_NOISE_DEG[1]) + 180) % 360 - 180:.2f}"
        k = len(items)
        stem = f"{raster.stem}_drone{k:02d}"
        with_yaw = save_drone_jpeg(
            out / f"{stem}.jpg",
            image,
            focal_35mm=F35,
            xmp=dji_xmp(glat, glon, **tags, GimbalYawDegree=yaw_tag),
        )
        no_yaw = save_drone_jpeg(
            out / f"{stem}_noyaw.jpg", image, focal_35mm=F35, xmp=dji_xmp(glat, glon, **tags)
        )
        items.append(
            {
                "path": str(with_yaw),
                "path_no_yaw": str(no_yaw),
                "lon": lon,
                "lat": lat,
                "alt": alt,
                "tilt": tilt,
                "az": az,
                "gps_m": d,
                "yaw_tag": float(yaw_tag),
                "corners": view.corners_lonlat.tolist(),
            }
        )
    return items


def run(v: dict, index: Path, path_key: str, kind: str | None) -> dict:
    t = time.perf_counter()
    fc = api.locate(v[path_key], str(index), kind=kind)
    seconds = time.perf_counter() - t
    feats = {f["properties"]["kind"]: f for f in fc["features"] if f["properties"].get("kind")}
    foot, cam = feats.get("footprint"), feats.get("camera")
    iou = math.nan
    if fc["status"] == "ok" and foot:
        est, gt = Polygon(foot["properties"]["corners"]), Polygon(v["corners"])
        iou = est.intersection(gt).area / est.union(gt).area if est.is_valid else 0.0
    out = {
        "ok": fc["status"] == "ok",
        "iou": iou,
        "s": seconds,
        "kind": (fc.get("photo_kind") or {}).get("kind"),
    }
    if out["ok"] and cam:
        p = cam["properties"]
        lon, lat = cam["geometry"]["coordinates"][:2]
        out["pos_m"] = geodesic_distance_m(v["lon"], v["lat"], lon, lat)
        out["alt_pct"] = 100 * abs(p["altitude_m"] - v["alt"]) / v["alt"]
        if "gps_check_m" in p:
            out["gps_check_err_m"] = abs(p["gps_check_m"] - v["gps_m"])
        if "gimbal_check_yaw_deg" in p:  # the pose's heading = the tag + the check
            out["heading_err_deg"] = abs(
                (v["yaw_tag"] + p["gimbal_check_yaw_deg"] - v["az"] + 180) % 360 - 180
            )
        if "gimbal_check_pitch_deg" in p:
            out["gimbal_pitch_check_deg"] = abs(p["gimbal_check_pitch_deg"])
    return out


def _q(values: list[float], q: float, fmt: str = "{:.1f}") -> str:
    vals = [x for x in values if math.isfinite(x)]
    return fmt.format(np.quantile(vals, q)) if vals else "–"


def table_row(name: str, res: list[dict]) -> str:
    n = len(res)
    placed = [r for r in res if r["ok"] and r["iou"] >= PLACED_IOU]
    wrong = sum(r["ok"] and not r["iou"] >= PLACED_IOU for r in res)

    def col(key: str, fmt: str = "{:.1f}") -> str:
        vals = [r[key] for r in placed if key in r]
        return f"{_q(vals, 0.5, fmt)} / {_q(vals, 0.9, fmt)}"

    ious = [r["iou"] for r in placed]
    return (
        f"| {name} | {n} | {len(placed)} ({100 * len(placed) / n:.0f}%) | {wrong} | "
        f"{n - len(placed) - wrong} | "
        f"{_q(ious, 0.5, '{:.2f}')} | {col('pos_m', '{:.2f}')} | {col('alt_pct')} | "
        f"{col('heading_err_deg')} | {col('gps_check_err_m', '{:.2f}')} | "
        f"{np.mean([r['s'] for r in res]):.1f} |"
    )


def rows(out: Path, quick: bool = False) -> str:
    out.mkdir(parents=True, exist_ok=True)
    n, n_aerial = (3, 2) if quick else (VIEWS, AERIAL)
    found = grounds(out)
    index = out / "index_drone_grounds"
    if not (index / "manifest.json").exists():
        api.build_index([str(g[1]) for g in found], str(index))
    lines = [
        "## Drone photos (`locate`, `auto` -> drone)",
        "",
        f"{n} views per ground, {W}x{H}, 24 mm (35 mm equivalent: "
        f"{2 * math.degrees(math.atan(18 / F35)):.1f} degree horizontal field of view, written as EXIF "
        "FocalLengthIn35mmFilm), camera at random yaw, "
        f"a DJI-style EXIF: the fix {GPS_NOISE_M[0]:g}-{GPS_NOISE_M[1]:g} m off the camera, the relative "
        f"altitude with {TAKEOFF_M:g} m of take-off offset (sigma), gimbal pitch and yaw with "
        f"{GIMBAL_NOISE_DEG[0]:g} and {GIMBAL_NOISE_DEG[1]:g} degrees of noise (sigma); every photo in "
        "another camera's colour, a little blur and noise (`another_camera`), the NAIP photos rendered "
        "from the 2014 flight against the 2009 one indexed. One index of the "
        "three grounds. *drone*: `locate` as a user runs it (`auto` takes a DJI photo for a drone's: "
        "searched round the fix, the gimbal yaw as stage 1's first rotation, the pose checked against "
        "the fix and the gimbal); *drone, no gimbal yaw*: the same photo without the GimbalYawDegree "
        "tag (stage 1 starts from each candidate's retrieval rotation); *aerial*: `--kind aerial` (no "
        f"prior: the whole index) on the first {n_aerial} photos of each ground. Placed: status ok and "
        f"footprint IoU >= {PLACED_IOU:g}; wrong: status ok and below; errors over the placed photos: "
        "the camera's position (m) and altitude (%), its heading (where the frame's top points) against "
        "the truth, and the GPS check (`gps_check_m`) against the fix's true offset.",
        "",
        "| ground / path | photos | placed | wrong | not found | IoU median | camera position m, median / "
        "p90 | altitude error %, median / p90 | heading error deg, median / p90 | GPS check error m, "
        "median / p90 | s per photo |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    warm = True
    for name, _indexed, seen, alt, tilt in found:
        vs = views(seen, alt, tilt, n, 23, out)
        if warm:  # the first locate of a process loads the models: not a photo's time
            run(vs[0], index, "path", None)
            warm = False
        for path_name, key, kind, some in (
            ("drone", "path", None, vs),
            ("drone, no gimbal yaw", "path_no_yaw", None, vs),
            ("aerial (no prior)", "path", "aerial", vs[:n_aerial]),
        ):
            res = [run(v, index, key, kind) for v in some]
            lines.append(table_row(f"{name} / {path_name}", res))
            print(lines[-1], file=sys.stderr, flush=True)
    return "\n".join([*lines, "", NOTES])
