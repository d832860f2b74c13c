"""Pose correspondences benchmark (`make bench-pose-points`): the points `locate` hands the pose.

Rendered views with an exact pose (tests/helpers/camera_views.py, tests/helpers/orbital_views.py) from another
year than the reference where ../shared/data has one: the footprint is found as `locate` finishes
it (keypoint refinement from the true footprint's similarity part, then the edge-layout polish),
then the pose is estimated from (a) the polished match's points, as before, and (b)
`footprint.pose_correspondences`. Columns: the points' error against the exact ground
(photo px: the ground distance over the local ground sample distance), and the camera's nadir,
altitude and tilt errors, and the extra seconds.

    .venv-engine/bin/python -m tools.bench_pose_points [--views N] [--seed S]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine import pose as pose_mod
from astroloc_qgis.engine.crs import geodesic_distance_m
from astroloc_qgis.engine.matchers import get_matcher
from astroloc_qgis.engine.pose import rotation_from_angles
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import camera_for_target, load_rgb, rays_to_ground, render
from tests.helpers.orbital_views import random_orbital_view

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", ROOT.parent / "shared" / "data"))
NAIP = "naip_north_dakota/naip_m_4709963_se_{}.tif"
PUC = "landsat_pucallpa_peru/pucallpa_landsat_{}.tif"
JAPAN = "landsat8_asia/japan_kanto_LC81070352015122LGN00_rgb8.tif"
# (kind, view raster, reference raster, altitude range m, hfov range deg)
LOW = [
    ("aerial", NAIP.format("20140720"), NAIP.format("20090818"), (900, 2200), (30, 55)),
    ("aerial", PUC.format("2000"), PUC.format("2020"), (14000, 30000), (30, 50)),
]
ORBITAL = [("orbital", JAPAN, JAPAN), ("orbital", PUC.format("2000"), PUC.format("2020"))]
W, H = 1024, 768


def views(n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    out = []
    for kind, q, r, alt_rng, fov_rng in LOW:
        qref, rgb = Reference(str(DATA / q)), load_rgb(str(DATA / q))
        while sum(v["query"] == q for v in out) < n:
            tilt, az, roll = rng.uniform(0, 45), rng.uniform(0, 360), rng.uniform(-180, 180)
            hfov = min(rng.uniform(*fov_rng), 2 * (70 - tilt))
            alt = rng.uniform(*alt_rng) * (1 - 0.4 * tilt / 60)
            f = W / 2 / math.tan(math.radians(hfov / 2))
            c = qref.pixel_to_lonlat(
                np.array([[rng.uniform(0.25, 0.75) * qref.width, rng.uniform(0.25, 0.75) * qref.height]])
            )[0]
            lon, lat = camera_for_target(c[0], c[1], alt, tilt, az)
            v = render(qref, rgb, lon, lat, alt, tilt, az, roll, f, W, H)
            if v is not None:
                out.append(
                    {
                        "kind": kind,
                        "query": q,
                        "ref": r,
                        "image": v.image,
                        "view": v,
                        "sx": 1.0,
                        "focal_px": f,
                        "prior": None,
                    }
                )
    for kind, q, r in ORBITAL:
        qref, rgb = Reference(str(DATA / q)), load_rgb(str(DATA / q))
        ll = qref.pixel_to_lonlat(
            np.array([[qref.width / 2, qref.height / 2], [qref.width / 2 + 1, qref.height / 2]])
        )
        gsd = geodesic_distance_m(*ll[0], *ll[1])
        made = 0
        while made < n:
            ov = random_orbital_view(qref, rgb, rng, gsd)
            if ov is None:
                break
            made += 1
            fw = ov.view.image.shape[1]
            out.append(
                {
                    "kind": kind,
                    "query": q,
                    "ref": r,
                    "image": ov.image,
                    "view": ov.view,
                    "sx": fw / ov.image.shape[1],
                    "focal_px": None,
                    "prior": pose_mod.AltitudePrior(395e3, 430e3, "ISS"),
                }
            )
    return out


def point_error_px(v: dict, photo_pts: np.ndarray, lonlat: np.ndarray) -> np.ndarray:
    """Ground distance between each point's matched ground and the exact one, in photo px."""
    view = v["view"]
    fw, fh = view.image.shape[1], view.image.shape[0]
    R = rotation_from_angles(view.tilt_deg, view.azimuth_deg, view.roll_deg)
    frame = photo_pts * np.array([v["sx"], 1.0])
    true = rays_to_ground(view.lon, view.lat, view.altitude_m, R, view.focal_px, fw, fh, frame)
    step = rays_to_ground(view.lon, view.lat, view.altitude_m, R, view.focal_px, fw, fh, frame + [v["sx"], 0])
    err = [
        geodesic_distance_m(*a, *b) / max(geodesic_distance_m(*a, *c), 1e-9)
        for a, b, c in zip(true, lonlat, step, strict=True)
    ]
    return np.array(err)


def camera_errors(v: dict, cam: pose_mod.Pose | None) -> tuple[float, float, float]:
    if cam is None:
        return float("nan"), float("nan"), float("nan")
    view = v["view"]
    return (
        geodesic_distance_m(view.lon, view.lat, cam.lon, cam.lat) / 1000,
        100 * abs(cam.altitude_m - view.altitude_m) / view.altitude_m,
        abs(cam.tilt_deg - view.tilt_deg),
    )


def run_one(v: dict, matcher) -> dict:
    ref = Reference(str(DATA / v["ref"]))
    gray = cv2.cvtColor(v["image"], cv2.COLOR_RGB2GRAY)
    h, w = gray.shape
    pf = fp.prepare_photo(gray, matcher)
    truth = ref.lonlat_to_pixel(np.asarray(v["view"].corners_lonlat))
    Ht = cv2.getPerspectiveTransform(np.float32(fp.photo_corners(w, h)), np.float32(truth)).astype(float)
    m = fp.refine(pf, ref, fp.Match(Ht, inliers=fp.GOOD_START), matcher)
    if not m.ok:
        return {"failed": "refine"}
    m.structure = fp.structural_agreement(pf, ref, m.H)
    m = fp.polish(pf, ref, m)
    row = {"n_old": len(m.photo_pts)}
    kw = {"focal_px": v["focal_px"], "altitude_prior": v["prior"]}
    ll_old = ref.pixel_to_lonlat(m.ref_pts)
    row["err_old"] = float(np.median(point_error_px(v, m.photo_pts, ll_old)))
    row["cam_old"] = camera_errors(v, pose_mod.estimate_pose(m.photo_pts, ll_old, w, h, **kw))
    t = time.process_time()
    p, r, sigma = fp.pose_correspondences(gray, ref, m)
    row["extra_s"] = time.process_time() - t
    ll_new = ref.pixel_to_lonlat(r)
    e = point_error_px(v, p, ll_new)
    row.update(
        n_new=len(p), err_new=float(np.median(e)), err_new_p90=float(np.percentile(e, 90)), sigma=sigma
    )
    row["cam_new"] = camera_errors(v, pose_mod.estimate_pose(p, ll_new, w, h, **kw))
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--views", type=int, default=2, help="views per raster pair and kind (default 2)")
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    matcher = get_matcher("xfeat")
    rows = []
    for v in views(args.views, args.seed):
        row = {
            "kind": v["kind"],
            "query": v["query"].split("/")[-1],
            "tilt": v["view"].tilt_deg,
            **run_one(v, matcher),
        }
        rows.append(row)
        print(row, file=sys.stderr, flush=True)
    print(
        "| view | tilt | points old / new | point err px median old / new (p90 new) | sigma px | "
        "nadir err km old / new | altitude err % old / new | tilt err deg old / new | extra s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "failed" in r:
            print(f"| {r['kind']} {r['query']} | {r['tilt']:.0f} | failed ({r['failed']}) |||||||")
            continue
        co, cn = r["cam_old"], r["cam_new"]
        print(
            f"| {r['kind']} {r['query']} | {r['tilt']:.0f} | {r['n_old']} / {r['n_new']} | "
            f"{r['err_old']:.2f} / "
            f"{r['err_new']:.2f} ({r['err_new_p90']:.2f}) | {r['sigma']:.2f} | {co[0]:.3f} / {cn[0]:.3f} | "
            f"{co[1]:.2f} / {cn[1]:.2f} | {co[2]:.2f} / {cn[2]:.2f} | {r['extra_s']:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
