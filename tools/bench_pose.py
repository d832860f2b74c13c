"""Camera-pose benchmark (`make bench-pose`): exact orbital and aerial views, noisy correspondences.

Each view is a pinhole camera with a known pose (altitude 2-425 km, tilt 0-50 deg, arbitrary
azimuth and roll, 24-1150 mm-equivalent lens on a 3:2 frame); the ground point of every photo
point is the exact ray/ellipsoid intersection (tests/helpers/camera_views.rays_to_ground). The photo is
delivered as 1024x683 (aspect kept), or squeezed to 1024x1024 from a landscape or portrait frame
(aspect not kept, as NASA distributes ISS frames), or cropped to a 1024x1024 square (square pixels:
what the preference for a squeezed frame on a tie costs). Points are spread as keypoints would
be (clusters, a uniform share, sometimes the polish's 7x5 block grid), with 1-3 px Gaussian noise
and 5% gross outliers. Half the views carry an EXIF focal length; orbital views (400-425 km) are
named like ISS frames, so they get the ISS altitude range.

    .venv-engine/bin/python -m tools.bench_pose [--views N] [--seed S] [--baseline-code DIR] [--no-write]
    .venv-engine/bin/python -m tools.bench_pose --code /work/main --json out.json   # one checkout's rows
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FRAME = (1536, 1024)  # landscape 3:2 sensor frame, square pixels


def make_views(
    n: int,
    seed: int,
    outliers: float = 0.05,
    aspect_kept_only: bool = False,
    noise_px: tuple[float, float] = (1.0, 3.0),
    relief_m: float = 0.0,
) -> list[dict]:
    from astroloc_qgis.engine.pose import rotation_from_angles
    from tests.helpers.camera_views import mountains, rays_to_ground

    rng = np.random.default_rng(seed)
    views = []
    while len(views) < n:
        i = len(views)
        orbital = i % 2 == 0
        alt = rng.uniform(400e3, 425e3) if orbital else math.exp(rng.uniform(math.log(2e3), math.log(350e3)))
        wide = orbital and rng.random() < 0.3
        f35 = rng.uniform(50, 100) if wide else math.exp(rng.uniform(math.log(24), math.log(1150)))
        tilt, az, roll = rng.uniform(0, 50), rng.uniform(0, 360), rng.uniform(-180, 180)
        delivery = (
            "native"
            if aspect_kept_only
            else ["native", "squeezed", "squeezed", "native", "square crop", "native"][i % 6]
        )
        portrait = delivery == "squeezed" and rng.random() < 0.25
        fw, fh = FRAME[::-1] if portrait else FRAME
        f_frame = f35 / 36.0 * max(fw, fh)
        if delivery == "native":
            W, H, crop = 1024, 683, None
        elif delivery == "squeezed":
            W, H, crop = 1024, 1024, None
        else:
            W, H, crop = 1024, 1024, (fw - fh) // 2
        # photo points in the frame (before delivery), spread like keypoints
        k = int(rng.integers(60, 260))
        uni = rng.uniform([0, 0], [1, 1], (k // 2, 2))
        centres = rng.uniform(0.1, 0.9, (6, 2))
        clus = centres[rng.integers(0, 6, k - k // 2)] + rng.normal(0, 0.08, (k - k // 2, 2))
        pts = np.vstack([uni, clus])
        if rng.random() < 0.5:
            gx, gy = np.meshgrid((np.arange(7) + 0.5) / 7, (np.arange(5) + 0.5) / 5)
            pts = np.vstack([pts, np.column_stack([gx.ravel(), gy.ravel()])])
        pts = pts[np.all((pts > 0.01) & (pts < 0.99), axis=1)]
        if crop is not None:  # a square crop of the frame: points inside it, then shifted
            frame_px = pts * [fh, fh] + [crop, 0]
        else:
            frame_px = pts * [fw, fh]
        R = rotation_from_angles(tilt, az, roll)
        # the camera nadir: put it anywhere; the ground is the ellipsoid
        lon, lat = float(rng.uniform(-120, 120)), float(rng.uniform(-55, 55))
        ll = rays_to_ground(lon, lat, alt, R, f_frame, fw, fh, frame_px)
        corners = rays_to_ground(
            lon, lat, alt, R, f_frame, fw, fh, np.array([[0, 0], [fw, 0], [fw, fh], [0, fh]], float)
        )
        if not np.all(np.isfinite(corners)) or not np.all(np.isfinite(ll)):
            continue  # a ray over the horizon
        if relief_m > 0:  # its own generator: the views stay the same draws with or without relief
            # at most a tenth of the altitude: a 2 km hill under a 3 km flight is no view anyone takes
            terrain = mountains(corners, min(relief_m, 0.1 * alt), np.random.default_rng([seed, i]))
            on_terrain = rays_to_ground(lon, lat, alt, R, f_frame, fw, fh, frame_px, height=terrain)
            ll = np.where(np.isfinite(on_terrain), on_terrain, ll)  # a ray it did not converge on: flat
        if crop is not None:
            img = (frame_px - [crop, 0]) * [W / fh, H / fh]
            fx = fy = f_frame * W / fh
        else:
            img = frame_px * [W / fw, H / fh]
            fx, fy = f_frame * W / fw, f_frame * H / fh
        sigma = rng.uniform(*noise_px)  # the same draw whatever the range: the same views
        img = img + rng.normal(0, sigma, img.shape)
        out = rng.random(len(img)) < outliers
        img[out] = rng.uniform([0, 0], [W, H], (int(out.sum()), 2))
        exif = bool(rng.random() < 0.5)
        views.append(
            {
                "i": i,
                "orbital": orbital,
                "delivery": delivery + (" (portrait)" if portrait else ""),
                "W": W,
                "H": H,
                "lon": lon,
                "lat": lat,
                "altitude": alt,
                "tilt": tilt,
                "azimuth": az,
                "roll": roll,
                "f35": f35,
                "fx": fx,
                "fy": fy,
                "aspect": fy / fx,
                "noise_px": sigma,
                "exif": exif,
                # EXIF focal as pose.focal_from_exif computes it: f35 / 36 mm x the long side as delivered
                "exif_focal_px": f35 / 36.0 * max(W, H) if exif else None,
                "name": f"ISS060-E-{100000 + i}.jpg" if orbital else f"view{i:03d}.jpg",
                "img": img.tolist(),
                "lonlat": ll.tolist(),
            }
        )
    return views


def locate_views(n: int, seed: int) -> list[dict]:
    """Rendered views (tools/bench_locate: NAIP and Landsat from another year, 0.9-30 km, focal
    given) through the real locate; the correspondences its pose step receives are kept."""
    import tempfile

    from astroloc_qgis.engine import api
    from astroloc_qgis.engine import pose as pose_mod
    from astroloc_qgis.engine.locate import locate
    from tools import bench_locate as bl

    index = api.open_index(str(bl.build_index(ROOT / "out" / "bench_locate")))
    real, seen = pose_mod.estimate_pose, {}

    def spy(img_pts, lonlat, w, h, **kw):
        seen.update(img=np.asarray(img_pts).tolist(), lonlat=np.asarray(lonlat).tolist(), W=w, H=h)
        return real(img_pts, lonlat, w, h, **kw)

    pose_mod.estimate_pose = spy
    out = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            views = bl.make_views(max(1, math.ceil(n / 12)), seed, Path(tmp))
            order = np.random.default_rng(seed).permutation(len(views))[:n]
            for j in order:
                v = views[j]
                seen.clear()
                locate(v["path"], index, focal_px=v["focal"])
                if not seen:
                    continue  # not placed: no pose step
                out.append(
                    {
                        "i": len(out),
                        "orbital": False,
                        "delivery": "native",
                        "exif": False,
                        "f35": 0.0,
                        "lon": v["lon"],
                        "lat": v["lat"],
                        "altitude": v["altitude"],
                        "tilt": v["tilt"],
                        "aspect": 1.0,
                        "exif_focal_px": None,
                        "focal_px": v["focal"],
                        "name": Path(v["path"]).name,
                        **seen,
                    }
                )
    finally:
        pose_mod.estimate_pose = real
    return out


def run(views: list[dict], unnamed: bool = False, assume_orbit: bool = True) -> list[dict]:
    """unnamed: the photos carry no ISS frame name (so no orbit prior from it), as resized
    photos without metadata arrive; assume_orbit: the pose's own orbit assumption on or off."""
    from astroloc_qgis.engine import pose
    from astroloc_qgis.engine.crs import geodesic_distance_m

    params = inspect.signature(pose.estimate_pose).parameters
    extra = {"assume_orbit": assume_orbit} if "assume_orbit" in params else {}
    rows = []
    for v in views:
        prior = None if unnamed else pose.altitude_prior_for({}, v["name"], None)
        t = time.process_time()  # CPU time: the machine's cores are shared
        p = pose.estimate_pose(
            np.array(v["img"]),
            np.array(v["lonlat"]),
            v["W"],
            v["H"],
            focal_px=v.get("focal_px"),
            exif_focal_px=v["exif_focal_px"],
            exif_note="FocalLengthIn35mmFilm",
            altitude_prior=prior,
            seed=v["i"],
            **extra,
        )
        dt = time.process_time() - t
        row = {k: v[k] for k in ("i", "orbital", "delivery", "exif", "f35", "tilt", "altitude", "aspect")}
        row["seconds"] = dt
        if p is None:
            row["failed"] = True
            rows.append(row)
            continue
        row.update(
            nadir_m=geodesic_distance_m(v["lon"], v["lat"], p.lon, p.lat),
            alt_err=abs(p.altitude_m - v["altitude"]),
            tilt_err=abs(p.tilt_deg - v["tilt"]),
            nadir_sigma=p.sigmas.get("nadir_m"),
            alt_sigma=p.sigmas.get("altitude_m"),
            tilt_sigma=p.sigmas.get("tilt_deg"),
            focal_source=p.focal_source,
            aspect_est=getattr(p, "pixel_aspect", 1.0),
            new_api="lens" in params,
        )
        rows.append(row)
    return rows


def homography_pose(
    img: np.ndarray, lonlat: np.ndarray, W: int, H: int, fx: float, fy: float, curved: bool = False
) -> tuple[float, float, float, float] | None:
    """The plain baseline: a RANSAC homography from the ground's tangent plane (the footprint
    centre's, curvature ignored) to the photo, decomposed with K = (fx, fy, image centre):
    K^-1 H ~ [r1 r2 t], the scale from |r1| and |r2|, the sign that puts the ground in front of
    the camera, R the nearest rotation. `curved`: then refined (Levenberg-Marquardt, the same K)
    on the homography's inliers with their true heights in the tangent frame (the ground's sag:
    ~1-2 km across an ISS footprint). Returns the camera's (lon, lat, h, tilt) or None."""
    import cv2

    from astroloc_qgis.engine.pose import from_enu, to_enu

    origin = (float(np.mean(lonlat[:, 0])), float(np.mean(lonlat[:, 1])))
    xyz = to_enu(*origin, lonlat[:, 0], lonlat[:, 1], np.zeros(len(lonlat)))
    G, mask = cv2.findHomography(xyz[:, :2], img, cv2.RANSAC, 6.0)
    if G is None:
        return None
    K = np.array([[fx, 0, W / 2], [0, fy, H / 2], [0, 0, 1]], float)
    M = np.linalg.solve(K, G)
    M /= 0.5 * (np.linalg.norm(M[:, 0]) + np.linalg.norm(M[:, 1]))
    if M[2, 2] < 0:  # the ground centroid (0, 0) must be in front: t_z > 0
        M = -M
    r1, r2, t = M[:, 0], M[:, 1], M[:, 2]
    u, _, vt = np.linalg.svd(np.column_stack([r1, r2, np.cross(r1, r2)]))
    R_w2c = u @ vt
    if curved and mask is not None and mask.sum() >= 6:
        inl = mask.ravel().astype(bool)
        rvec, tvec = cv2.solvePnPRefineLM(
            np.ascontiguousarray(xyz[inl]),
            np.ascontiguousarray(img[inl], float),
            K,
            None,
            cv2.Rodrigues(R_w2c)[0],
            t.reshape(3, 1) * 1.0,
        )
        R_w2c, t = cv2.Rodrigues(rvec)[0], tvec.ravel()
    C = -R_w2c.T @ t
    lon, lat, h = from_enu(*origin, C[None])[0]
    # the optical axis in the tangent frame at the nadir
    ends = from_enu(*origin, np.vstack([C, C + 1000.0 * R_w2c[2]]))
    local = to_enu(float(lon), float(lat), ends[:, 0], ends[:, 1], ends[:, 2])
    fwd = (local[1] - local[0]) / np.linalg.norm(local[1] - local[0])
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, -float(fwd[2])))))
    return float(lon), float(lat), float(h), tilt


BASELINES = {
    # the true fx, fy of the delivered photo: what the correspondences allow a planar decomposition
    "homography, true K": lambda v: (
        v.get("fx") or v["focal_px"],
        v.get("fy") or v.get("fx") or v["focal_px"],
    ),
    "homography + curved-ground LM, true K": lambda v: BASELINES["homography, true K"](v),
    # what a plain implementation knows: the EXIF (or given) focal, else the closed-form
    # focal of the homography; square pixels
    "homography, EXIF or closed-form focal, square pixels": None,
}


def run_baseline(views: list[dict], name: str) -> list[dict]:
    from astroloc_qgis.engine import pose
    from astroloc_qgis.engine.crs import geodesic_distance_m

    rows = []
    for v in views:
        img, ll = np.array(v["img"]), np.array(v["lonlat"])
        t = time.process_time()
        if BASELINES[name] is not None:
            fx, fy = BASELINES[name](v)
        else:
            fx = v.get("focal_px") or (
                v["exif_focal_px"] * v["W"] / max(v["W"], v["H"]) if v["exif_focal_px"] else None
            )
            if fx is None:
                origin = (float(np.mean(ll[:, 0])), float(np.mean(ll[:, 1])))
                xyz = pose.to_enu(*origin, ll[:, 0], ll[:, 1], np.zeros(len(ll)))
                fx = pose.focal_from_homography(img, xyz[:, :2], v["W"], v["H"]) or (
                    v["W"] / (2 * math.tan(math.radians(pose.ASSUMED_HFOV_DEG) / 2))
                )
            fy = fx
        out = homography_pose(img, ll, v["W"], v["H"], fx, fy, curved="curved" in name)
        row = {k: v[k] for k in ("i", "orbital", "delivery", "exif", "f35", "tilt", "altitude", "aspect")}
        row["seconds"] = time.process_time() - t
        if out is None:
            row["failed"] = True
        else:
            lon, lat, h, tilt = out
            row.update(
                nadir_m=geodesic_distance_m(v["lon"], v["lat"], lon, lat),
                alt_err=abs(h - v["altitude"]),
                tilt_err=abs(tilt - v["tilt"]),
                aspect_est=fy / fx,
            )
        rows.append(row)
    return rows


def summary(rows: list[dict]) -> dict:
    ok = [r for r in rows if not r.get("failed")]
    if not ok:
        return {"n": len(rows), "failed": len(rows)}
    nad = np.array([r["nadir_m"] for r in ok]) / 1000
    rel = np.array([r["nadir_m"] / r["altitude"] for r in ok]) * 100
    alt = np.array([r["alt_err"] / r["altitude"] for r in ok]) * 100
    tilt = np.array([r["tilt_err"] for r in ok])

    def cover(err_key, sig_key, k):
        pairs = [(r[err_key], r[sig_key]) for r in ok if r.get(sig_key) is not None]
        return float(np.mean([e <= k * s for e, s in pairs])) if pairs else float("nan")

    return {
        "n": len(rows),
        "failed": len(rows) - len(ok),
        "nadir_med_km": float(np.median(nad)),
        "nadir_rel_med": float(np.median(rel)),
        "nadir_p90_km": float(np.percentile(nad, 90)),
        "alt_med_pct": float(np.median(alt)),
        "alt_p90_pct": float(np.percentile(alt, 90)),
        "tilt_med": float(np.median(tilt)),
        "tilt_p90": float(np.percentile(tilt, 90)),
        "cov_nadir_1": cover("nadir_m", "nadir_sigma", 1),
        "cov_nadir_2": cover("nadir_m", "nadir_sigma", 2),
        "cov_alt_2": cover("alt_err", "alt_sigma", 2),
        "cov_tilt_2": cover("tilt_err", "tilt_sigma", 2),
        "aspect_right": float(np.mean([abs(r["aspect_est"] / r["aspect"] - 1) < 0.05 for r in ok])),
        "seconds_mean": float(np.mean([r["seconds"] for r in rows])),
    }


GROUPS = [
    ("all", lambda r: True),
    ("orbital (400-425 km, ISS range)", lambda r: r["orbital"]),
    ("orbital, 50-100 mm", lambda r: r["orbital"] and 50 <= r["f35"] <= 100),
    ("2-350 km, no prior", lambda r: not r["orbital"]),
    ("aspect kept (1024x683)", lambda r: r["delivery"] == "native"),
    ("squeezed to 1024x1024", lambda r: r["delivery"].startswith("squeezed")),
    ("square crop (square pixels)", lambda r: r["delivery"] == "square crop"),
    ("EXIF focal", lambda r: r["exif"]),
    ("no EXIF focal", lambda r: not r["exif"]),
    ("tilt < 10 deg", lambda r: r["tilt"] < 10),
    ("tilt >= 30 deg", lambda r: r["tilt"] >= 30),
]


def table(results: dict[str, list[dict]]) -> str:
    head = (
        "| views | code | n | failed | nadir err median / p90 km | nadir err median % of altitude | "
        "altitude err median / p90 % | "
        "tilt err median / p90 deg | nadir within 1 / 2 sigma | altitude, tilt within 2 sigma | "
        "pixel aspect right | CPU s per pose |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for gname, pred in GROUPS:
        for label, rows in results.items():
            s = summary([r for r in rows if pred(r)])
            if "nadir_med_km" not in s:
                continue
            lines.append(
                f"| {gname} | {label} | {s['n']} | {s['failed']} | {s['nadir_med_km']:.2f} / "
                f"{s['nadir_p90_km']:.1f} | {s['nadir_rel_med']:.2f} | "
                f"{s['alt_med_pct']:.1f} / {s['alt_p90_pct']:.0f} | {s['tilt_med']:.2f} / "
                f"{s['tilt_p90']:.1f} | "
                f"{_pct(s['cov_nadir_1'])} / {_pct(s['cov_nadir_2'])} | {_pct(s['cov_alt_2'])}, "
                f"{_pct(s['cov_tilt_2'])} | "
                f"{s['aspect_right']:.0%} | {s['seconds_mean']:.2f} |"
            )
    return head + "\n".join(lines) + "\n"


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{x:.0%}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--views", type=int, default=150)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--code", help="run another checkout's engine (its root directory); needs --json")
    ap.add_argument("--json", help="write the per-view rows here instead of the table")
    ap.add_argument("--baseline-code", help="a checkout to run as the baseline row (e.g. /work/main)")
    ap.add_argument("--outliers", type=float, default=0.05, help="share of gross outliers")
    ap.add_argument("--aspect-kept-only", action="store_true", help="no squeezed or square-cropped photos")
    ap.add_argument(
        "--noise-px",
        type=float,
        nargs=2,
        default=(1.0, 3.0),
        metavar=("LO", "HI"),
        help="each view's Gaussian pixel noise is drawn uniform in [LO, HI] (the same views otherwise)",
    )
    ap.add_argument(
        "--relief-m",
        type=float,
        default=0.0,
        help="terrain under each view: Gaussian hills up to this high, which the pose does not know "
        "(the correspondences keep the ground point's lon/lat, as an orthorectified reference does)",
    )
    ap.add_argument(
        "--locate",
        type=int,
        default=0,
        help="instead: N rendered views through the real locate (bench_locate's views and index)",
    )
    ap.add_argument("--views-file", help="read the views (with their correspondences) from this JSON")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--no-homography", action="store_true", help="without the homography-decomposition rows")
    ap.add_argument(
        "--unnamed",
        action="store_true",
        help="photos without an ISS frame name (no orbit prior from it); baseline: no orbit assumption",
    )
    a = ap.parse_args(argv)
    if a.code:
        sys.path.insert(0, str(Path(a.code).resolve()))
    if a.views_file:
        views = json.loads(Path(a.views_file).read_text())
    elif a.locate:
        views = locate_views(a.locate, a.seed)
        a.views_file = str(ROOT / "out" / "bench_pose_locate_views.json")
        Path(a.views_file).write_text(json.dumps(views))
    else:
        views = make_views(a.views, a.seed, a.outliers, a.aspect_kept_only, tuple(a.noise_px), a.relief_m)
    rows = run(views, unnamed=a.unnamed)
    if a.json:
        Path(a.json).write_text(json.dumps(rows))
        return 0
    results = {}
    noise_default = tuple(a.noise_px) == (1.0, 3.0)
    if a.baseline_code:
        out = ROOT / "out" / "bench_pose_baseline.json"
        out.parent.mkdir(exist_ok=True)
        # the baseline poses this run's views (with their correspondences): the views are drawn by
        # this checkout's helpers, whatever the baseline's helpers or ray caster can do
        views_file = out.with_name("bench_pose_baseline_views.json")
        views_file.write_text(json.dumps(views))
        same = ["--views-file", str(views_file)] + (["--unnamed"] if a.unnamed else [])
        subprocess.run(
            [sys.executable, "-m", "tools.bench_pose", "--code", a.baseline_code, "--json", str(out), *same],
            check=True,
            cwd=ROOT,
        )
        results[f"baseline {_rev(a.baseline_code)}"] = json.loads(out.read_text())
    if a.unnamed:
        results["no orbit assumption (assume_orbit=False)"] = run(views, unnamed=True, assume_orbit=False)
    if not a.no_homography:
        for name in BASELINES:
            results[name] = run_baseline(views, name)
    results[f"this checkout {_rev(str(ROOT))}"] = rows
    if a.locate:
        flags = f"--locate {a.locate} --seed {a.seed}"
    elif a.views_file:
        flags = f"--views-file {Path(a.views_file).name}"
    else:
        flags = (
            f"--views {a.views} --seed {a.seed} --outliers {a.outliers}"
            + (" --aspect-kept-only" if a.aspect_kept_only else "")
            + ("" if noise_default else f" --noise-px {a.noise_px[0]:g} {a.noise_px[1]:g}")
            + (" --unnamed" if a.unnamed else "")
            + (f" --relief-m {a.relief_m:g}" if a.relief_m else "")
        )
    text = f"## `python -m tools.bench_pose {flags}`\n\n" + table(results)
    print(text)
    if not a.no_write:
        write_section(ROOT / "docs" / "bench_pose.md", flags, text)
    return 0


def _rev(root: str) -> str:
    rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return rev.stdout.strip() or Path(root).name


def write_section(path: Path, key: str, text: str) -> None:
    """Replace (or add) this flag set's section of the doc, keeping the others."""
    begin, end = f"<!-- bench-pose {key} -->\n", f"<!-- end bench-pose {key} -->\n"
    doc = path.read_text() if path.exists() else "# Camera-pose benchmark (`make bench-pose`)\n\n"
    block = begin + text + end
    if begin in doc and end in doc:
        doc = doc[: doc.index(begin)] + block + doc[doc.index(end) + len(end) :]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block
    path.write_text(doc)


if __name__ == "__main__":
    raise SystemExit(main())
