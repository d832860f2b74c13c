"""Benchmark rows of `locate --kind historical` and `--kind satellite` against the default aerial
path on the same photos (`make bench-modes-historical` -> docs/bench_modes_historical.md).

Views rendered from ../shared/data imagery of another date than the indexed one
(tests/helpers/camera_views.py, as bench_locate does):
- historical: aerial views (tilt 0-20 deg) of NAIP 2014/2020 (index: 2009), Pucallpa 1985 (index:
  2020) and the Quebec leaf-on scene (index: the snow/leaf-off scene, in their overlap), made to
  look like film scans (tests/helpers/film_views.aged: grey, grain, vignetting, scratches, dust);
- satellite: nadir views of NAIP 2020, Pucallpa 2000 and Quebec leaf-on at any rotation, no EXIF.

`measure()` gives one row per (mode, path); `rows()` is its section of `make bench-modes`
(tools/bench_modes.py).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from shapely.geometry import Polygon

from astroloc_qgis.engine import api, film
from astroloc_qgis.engine.index.build import built_as_now
from astroloc_qgis.engine.locate import locate
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import camera_for_target, load_rgb, render
from tests.helpers.film_views import aged

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", ROOT.parent / "shared" / "data"))
NAIP = "naip_north_dakota/naip_m_4709963_se_{}.tif"
PUC = "landsat_pucallpa_peru/pucallpa_landsat_{}.tif"
QC_SNOW = "landsat8_quebec/quebec_landsat8_mosaic_cog1_rgb8.tif"
QC_LEAF = "landsat8_quebec/quebec_landsat8_mosaic_cog2_rgb8.tif"
INDEXED = [NAIP.format("20090818"), PUC.format("2020"), QC_SNOW]
# (query raster, indexed raster, altitude range m, hfov range deg, views); the Quebec views are
# centred in the two scenes' overlap
HISTORICAL = [
    (NAIP.format("20140720"), NAIP.format("20090818"), (900, 2200), (30, 50), 1),
    (NAIP.format("20200831"), NAIP.format("20090818"), (900, 2200), (30, 50), 1),
    (PUC.format("1985"), PUC.format("2020"), (14000, 30000), (30, 50), 2),
    (QC_LEAF, QC_SNOW, (80000, 140000), (25, 35), 2),
]
SATELLITE = [
    (NAIP.format("20200831"), NAIP.format("20090818"), (900, 2200), (30, 50), 1),
    (PUC.format("2000"), PUC.format("2020"), (14000, 30000), (30, 50), 1),
    (QC_LEAF, QC_SNOW, (80000, 140000), (25, 35), 2),
]
QUEBEC_OVERLAP = (-74.3, 45.1, -73.0, 46.9)  # lon/lat box inside both scenes
W, H = 800, 600
TILE_PX, SCALES = 128, (1, 2, 4)
PLACED_IOU = 0.5
# (mode, the kind it runs); each is compared with kind aerial on the same photos
MODES = (("historical", "historical"), ("satellite", "satellite"))


def build_index(work: Path) -> Path:
    index_dir = work / "index"
    if index_dir.exists() and not built_as_now(index_dir):
        shutil.rmtree(index_dir)
    if not (index_dir / "manifest.json").exists():
        sources = [str((DATA / s).resolve()) for s in INDEXED]
        print(f"[bench] building the index of {len(sources)} rasters", file=sys.stderr)
        api.build_index(sources, str(index_dir), scales=list(SCALES), tile_px=TILE_PX)
    return index_dir


def _inside_indexed(corners: np.ndarray, indexed: Reference, rgb: np.ndarray) -> bool:
    px = indexed.lonlat_to_pixel(corners)
    if px[:, 0].min() < 1 or px[:, 1].min() < 1 or px[:, 0].max() > indexed.width - 2:
        return False
    if px[:, 1].max() > indexed.height - 2:
        return False
    xs, ys = px[:, 0].astype(int), px[:, 1].astype(int)
    return bool(np.all(rgb[ys, xs].max(axis=1) > 0))


def make_views(mode: str, seed: int, folder: Path) -> list[dict]:
    """The mode's rendered views as JPEGs in `folder`, with their true footprints."""
    rng = np.random.default_rng(seed)
    views: list[dict] = []
    for q_rel, idx_rel, alt_rng, fov_rng, n in HISTORICAL if mode == "historical" else SATELLITE:
        qref, rgb = Reference(str(DATA / q_rel)), load_rgb(str(DATA / q_rel))
        iref, irgb = Reference(str(DATA / idx_rel)), load_rgb(str(DATA / idx_rel))
        made = 0
        for _ in range(300):
            if made == n:
                break
            tilt = rng.uniform(0, 20) if mode == "historical" else 0.0
            az, roll = rng.uniform(0, 360), rng.uniform(-180, 180)
            hfov = rng.uniform(*fov_rng)
            alt = rng.uniform(*alt_rng)
            f = W / 2 / math.tan(math.radians(hfov / 2))
            if q_rel == QC_LEAF:
                w_, s_, e_, n_ = QUEBEC_OVERLAP
                c = (rng.uniform(w_, e_), rng.uniform(s_, n_))
            else:
                cx, cy = rng.uniform(0.25, 0.75) * qref.width, rng.uniform(0.25, 0.75) * qref.height
                c = qref.pixel_to_lonlat(np.array([[cx, cy]]))[0]
            lon, lat = camera_for_target(c[0], c[1], alt, tilt, az)
            v = render(qref, rgb, lon, lat, alt, tilt, az, roll, f, W, H)
            if v is None or not _inside_indexed(v.corners_lonlat, iref, irgb):
                continue
            image = (
                aged(v.image, np.random.default_rng([seed, len(views)])) if mode == "historical" else v.image
            )
            path = folder / f"{mode}{len(views):02d}.jpg"
            cv2.imwrite(str(path), cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])
            views.append(
                {
                    "path": str(path),
                    "query": q_rel,
                    "indexed": idx_rel,
                    "corners": v.corners_lonlat.tolist(),
                    "tilt": tilt,
                    "rotation": roll,
                }
            )
            made += 1
    return views


def iou(truth: list, corners: list | None, ref: Reference) -> float:
    if not corners:
        return 0.0
    g, p = Polygon(ref.lonlat_to_pixel(np.array(truth))), Polygon(ref.lonlat_to_pixel(np.array(corners)))
    if not p.is_valid:
        return 0.0
    return float(g.intersection(p).area / g.union(p).area)


def right_rank(fc: dict, v: dict, ref: Reference) -> int | None:
    """The retrieval rank of the best tile of the indexed raster that holds the true footprint's
    centre (None: not among the candidates): what retrieval gave the matching to work with."""
    centre = Polygon(ref.lonlat_to_pixel(np.array(v["corners"]))).centroid
    indexed = str((DATA / v["indexed"]).resolve())
    ranks = []
    for f in fc["features"]:
        p = f["properties"]
        if p.get("kind") != "candidate" or str(Path(p["source"]).resolve()) != indexed:
            continue
        c, r, w, h = p["window"]
        if c <= centre.x <= c + w and r <= centre.y <= r + h:
            ranks.append(p.get("retrieval_rank", p["rank"]))
    return min(ranks) if ranks else None


def run_mode(views: list[dict], index, kind: str) -> list[dict]:
    """One locate per view with `kind`: status, IoU with the truth, seconds, camera or not."""
    out = []
    for v in views:
        t = time.perf_counter()
        fc = locate(v["path"], index, kind=kind)
        seconds = time.perf_counter() - t
        ref = Reference(str(DATA / v["indexed"]))
        fp = next((f for f in fc["features"] if f["properties"]["kind"] == "footprint"), None)
        value = iou(v["corners"], fp["properties"]["corners"] if fp else None, ref)
        camera = any(f["properties"]["kind"] == "camera" for f in fc["features"])
        rank = right_rank(fc, v, ref)
        out.append(
            {
                "view": Path(v["path"]).name,
                "status": fc["status"],
                "iou": value,
                "s": seconds,
                "camera": camera,
                "rank": rank,
            }
        )
        print(
            f"[bench] {kind:10s} {Path(v['path']).name} {fc['status']:9s} IoU {value:.3f} "
            f"right tile at {rank} {seconds:.1f} s",
            file=sys.stderr,
        )
    return out


def summary(mode: str, path: str, results: list[dict]) -> dict:
    ious = [r["iou"] for r in results]
    ok = [r for r in results if r["status"] == "ok"]
    return {
        "mode": mode,
        "path": path,
        "photos": len(results),
        "placed": sum(r["iou"] >= PLACED_IOU for r in results),
        "placement_rate": sum(r["iou"] >= PLACED_IOU for r in results) / max(len(results), 1),
        "wrong_accepted": sum(r["iou"] < PLACED_IOU for r in ok),
        "median_iou": statistics.median(ious) if ious else 0.0,
        "s_per_photo": statistics.mean(r["s"] for r in results) if results else 0.0,
        "with_camera": sum(r["camera"] for r in results),
        "right_in_top10": sum(r["rank"] is not None and r["rank"] <= 10 for r in results),
        "views": results,  # per photo: status, IoU, seconds, camera, the right tile's retrieval rank
    }


def measure(work: Path | None = None, seed: int = 19, restore: tuple[str, ...] | None = None) -> list[dict]:
    """Per mode two rows on the same rendered photos: the mode's own path and the default aerial
    path (`kind` aerial). Keys: mode, path, photos, placed, placement_rate, wrong_accepted,
    median_iou (a not_found counts 0), s_per_photo, with_camera, right_in_top10, views (per photo)."""
    work = Path(work or ROOT / "out" / "bench_modes_historical")
    if restore is not None:  # another restoration for --kind historical (film.STEPS)
        film.restore(np.zeros((8, 8, 3), np.uint8), restore)  # unknown steps fail here, not midway
        film.RESTORE_STEPS = restore
    index = api.open_index(str(build_index(work)))
    out = []
    for mode, kind in MODES:
        folder = work / mode
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        views = make_views(mode, seed, folder)
        path = f"--kind {kind}" + (
            f" (restore: {', '.join(film.RESTORE_STEPS) or 'none'})" if kind == "historical" else ""
        )
        out.append(summary(mode, path, run_mode(views, index, kind)))
        out.append(summary(mode, "--kind aerial (default path)", run_mode(views, index, "aerial")))
    return out


def table(rows_: list[dict]) -> str:
    lines = [
        "| mode | path | photos | right tile in retrieval top 10 | placed (IoU >= 0.5) | wrong accepted "
        "| median IoU | s per photo | with a camera |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows_:
        lines.append(
            f"| {r['mode']} | {r['path']} | {r['photos']} | {r.get('right_in_top10', '-')} | "
            f"{r['placed']} ({r['placement_rate']:.0%}) | "
            f"{r['wrong_accepted']} | {r['median_iou']:.3f} | {r['s_per_photo']:.1f} | {r['with_camera']} |"
        )
    return "\n".join(lines)


def report(rows_: list[dict], seed: int, minutes: float) -> str:
    return "\n".join(
        [
            "# Historical and satellite images: benchmark by mode (`make bench-modes-historical`)",
            "",
            f"Seed {seed}; {minutes:.1f} min on {os.cpu_count()} shared cores (torch threads 1). Index: NAIP "
            f"2009 + Pucallpa 2020 + Quebec snow/leaf-off scene ({TILE_PX} px tiles x scales {list(SCALES)}, "
            "fused-vlad). Each mode's photos run twice: through the mode and through the default aerial "
            "path.",
            "",
            "- historical: 800x600 views at 0-20 deg tilt of NAIP 2014/2020, Pucallpa 1985 and the Quebec "
            "leaf-on scene (in the overlap), aged as film scans (grey with a random band mix, contrast "
            "curve, vignetting to 45-60% in the corners, grain, 2-5 scratches, dust: "
            "tests/helpers/film_views.py);",
            "- satellite: nadir views of NAIP 2020, Pucallpa 2000 and Quebec leaf-on at any rotation, "
            "no EXIF.",
            "",
            "A `not_found` counts IoU 0; *wrong accepted*: a footprint reported with IoU < 0.5. The "
            "historical restoration steps one by one: docs/LOCATE.md, 'Historical and satellite images' "
            "(`--restore`).",
            "",
            table(rows_),
            "",
        ]
    )


def rows(out: Path, quick: bool = False) -> str:
    """This module's section of `make bench-modes` (`quick` is ignored: the views are few already)."""
    t = time.perf_counter()
    result = measure(out)
    return report(result, 19, (time.perf_counter() - t) / 60).replace("# ", "## ", 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--work", default=str(ROOT / "out" / "bench_modes_historical"))
    ap.add_argument("--out", default=str(ROOT / "docs" / "bench_modes_historical.md"))
    ap.add_argument(
        "--restore",
        default=None,
        help="the historical restoration steps, comma-separated from "
        f"{', '.join(film.STEPS)}, or 'none' (default: film.RESTORE_STEPS)",
    )
    args = ap.parse_args(argv)
    restore = None if args.restore is None else tuple(x for x in args.restore.split(",") if x and x != "none")
    t = time.perf_counter()
    result = measure(Path(args.work), args.seed, restore)
    Path(args.work, "rows.json").write_text(json.dumps(result, indent=1))
    text = report(result, args.seed, (time.perf_counter() - t) / 60)
    Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
