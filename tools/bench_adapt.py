"""Adaptation benchmark (make bench-adapt): does learning from confirmed photos help held-out places?

Photo-like views: rendered ISS photos (tests/helpers/orbital_views.py) of the bench-orbital rasters
(tools/bench_orbital.py SETS; its index sources and distractors). Each raster is split at the
middle of its views' centre region: views centred in the western part are the confirmations
(their exact footprints as an export, docs/EXPORT_SCHEMA.md), views centred in the eastern part
are the held-out places, never confirmed. The confirmations are taken 10, 50 and 200 at a time
(the first n of one shuffled order) and `index adapt` runs on each (a subprocess: its time and
peak memory are measured); R@1 and R@10 (bench-orbital's criterion: a tile of the view's indexed
raster holding the footprint centre) on the held-out views before and after. The baseline
"views alone" adapts on the same places with the engine's own photo-like views of the reference
(models/views.py) in place of the photos: what adapting brings without real photos.

Held-out queries are embedded once with the base model (4 rotations); each adapted index's
ranking applies its adaptation to them (the same code as search: retrieve, then the
sub-descriptor ordering), and a few are checked against `search` on the adapted index itself.

    .venv-engine/bin/python -m tools.bench_adapt [--confirmations 200] [--held-out 80] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from astroloc_qgis.engine.checksum import file_sha256
from astroloc_qgis.engine.clouds import suppress as suppress_clouds
from astroloc_qgis.engine.index import build as build_mod
from astroloc_qgis.engine.index.store import TileIndex
from astroloc_qgis.engine.models import configure_threads
from astroloc_qgis.engine.models.views import photo_like_view
from astroloc_qgis.engine.photo import load_photo
from astroloc_qgis.engine.rasters import SourceReader
from astroloc_qgis.engine.reference import Reference
from astroloc_qgis.engine.search import (
    DEFAULT_ROTATIONS,
    QUERY_MAX_SIDE,
    embed_query,
    order_by_subdescriptor,
    query_variants,
    retrieve,
    search,
)
from tests.helpers.camera_views import load_rgb
from tests.helpers.orbital_views import random_orbital_view
from tools.bench_orbital import DATA, JAPAN, SETS, gsd_m, index_sources, positives, region_px

ROOT = Path(__file__).resolve().parents[1]
SIZES = (10, 50, 200)
FIT_SAMPLES = 400  # the index's fit (the default 1,500 would cost most of the run)
SCALES, TILE_PX = (1, 2, 4), 256
SPLIT = 0.5  # confirmations west of this share of the centre region, held-out places east of it
SEED = 1812
CHECKS = 5  # held-out views also searched on the adapted index (the fast ranking must agree)


def _region(ref: Reference, box, west: bool) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = region_px(ref, box) or (
        0.2 * ref.width,
        0.2 * ref.height,
        0.8 * ref.width,
        0.8 * ref.height,
    )
    mid = x0 + (x1 - x0) * SPLIT
    return (x0, y0, mid, y1) if west else (mid, y0, x1, y1)


def render(n_conf: int, n_held: int, folder: Path) -> tuple[list[dict], list[dict]]:
    """(confirmation views, held-out views), cached in folder/views.json."""
    meta = folder / "views.json"
    if meta.is_file():
        data = json.loads(meta.read_text())
        return data["confirmations"], data["held_out"]
    rng = np.random.default_rng(SEED)
    out: dict[str, list[dict]] = {"confirmations": [], "held_out": []}
    for view_rel, idx_rel, share, box in SETS:
        ref, rgb = Reference(str(DATA / view_rel)), load_rgb(str(DATA / view_rel))
        gsd = gsd_m(ref)
        for kind, n, west in (("confirmations", n_conf, True), ("held_out", n_held, False)):
            for _ in range(max(1, round(n * share))):
                v = random_orbital_view(ref, rgb, rng, gsd, _region(ref, box, west))
                if v is None:
                    continue
                path = folder / f"{kind}{len(out[kind]):03d}.jpg"
                path.write_bytes(v.jpeg)
                out[kind].append(
                    {
                        "path": str(path.resolve()),
                        "view": view_rel,
                        "indexed": str((DATA / idx_rel).resolve()),
                        "corners": v.view.corners_lonlat.tolist(),
                        "centre": list(v.view.target_lonlat),
                    }
                )
    order = rng.permutation(len(out["confirmations"]))
    out["confirmations"] = [out["confirmations"][i] for i in order]
    meta.write_text(json.dumps(out))
    return out["confirmations"], out["held_out"]


def export(views: list[dict], path: Path) -> Path:
    """The confirmations as an export GeoJSON (docs/EXPORT_SCHEMA.md's fields that adapt reads)."""
    feats = []
    for v in views:
        ring = [list(c) for c in v["corners"]]
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring + [ring[0]]]},
                "properties": {
                    "photo_name": Path(v["path"]).name,
                    "photo_sha256": file_sha256(v["path"]),
                    "photo_path": v["path"],
                    "status": "confirmed",
                    "schema_version": 1,
                },
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return path


def views_alone(index: TileIndex, views: list[dict], folder: Path) -> list[dict]:
    """The same places as photo-like views of the reference (models/views.py): the footprint is
    the window the view was made of (north-up), as in the index's own fit."""
    rng = np.random.default_rng(SEED + 1)
    out = []
    for n, v in enumerate(views):
        src = next(s for s in index.sources if s.path == v["indexed"])
        ref = Reference(src.path)
        px = ref.lonlat_to_pixel(np.asarray(v["corners"]))
        (c0, r0), (c1, r1) = px.min(axis=0), px.max(axis=0)
        side = max(c1 - c0, r1 - r0)
        cx, cy = (c0 + c1) / 2, (r0 + r1) / 2
        with SourceReader(src) as reader:
            context, _ = reader.read(cx - side, cy - side, 2 * side, 2 * side, 512, 512)
        img = photo_like_view(context, rng, 256)
        path = folder / f"view{n:03d}.jpg"
        cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])
        box = np.array([[cx - side / 2, cy - side / 2], [cx + side / 2, cy - side / 2]])
        box = np.vstack([box, [[cx + side / 2, cy + side / 2], [cx - side / 2, cy + side / 2]]])
        out.append({**v, "path": str(path.resolve()), "corners": ref.pixel_to_lonlat(box).tolist()})
    return out


def query_embeddings(index: TileIndex, views: list[dict]) -> np.ndarray:
    rows = []
    for v in views:
        clear = suppress_clouds(load_photo(v["path"], max_side=QUERY_MAX_SIDE).rgb)[0]
        rows.append(embed_query(index, clear, DEFAULT_ROTATIONS))
    return np.stack(rows)


class _Ranked:
    """A TileIndex stand-in for search.retrieve/order_by_subdescriptor over given embeddings."""

    def __init__(self, index: TileIndex, emb: np.ndarray):
        import faiss

        self.model, self._emb = index.model, np.ascontiguousarray(emb, np.float32)
        self.faiss = faiss.IndexFlatIP(emb.shape[1])
        self.faiss.add(self._emb)

    def __len__(self) -> int:
        return int(self.faiss.ntotal)

    def embeddings(self) -> np.ndarray:
        return self._emb

    def search(self, queries: np.ndarray, k: int, ids=None, nprobe=None):
        return self.faiss.search(np.ascontiguousarray(queries, np.float32), k)


def recall(index: TileIndex, ranked_index, queries: np.ndarray, views: list[dict]) -> tuple[dict, list]:
    variants = query_variants(DEFAULT_ROTATIONS)
    ranks, tops = [], []
    for q, v in zip(queries, views, strict=True):
        ranked = order_by_subdescriptor(ranked_index, q, variants, retrieve(ranked_index, q, variants, 100))
        ids = [t for t, _, _ in ranked]
        holds, _ = positives(index, v)
        ranks.append(min((ids.index(t) for t in holds if t in ids), default=10**6))
        tops.append(ids[0])
    r = np.array(ranks)
    return {"R@1": 100 * float((r < 1).mean()), "R@10": 100 * float((r < 10).mean())}, tops


def run_adapt(index_dir: Path, confirmations: Path, out: Path) -> dict:
    """`index adapt` in a subprocess: wall time, peak memory (RSS) and its report."""
    cmd = [sys.executable, "-m", "astroloc_qgis.engine", "index", "adapt", str(index_dir)]
    # --force: measure what the adaptation does; the guard's verdict is read from the lineage
    cmd += ["--confirmed", str(confirmations), "--out", str(out), "--force", "-q"]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen(
            cmd, stdout=out_f, stderr=err_f, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        seconds = time.perf_counter() - t0
        out_f.seek(0), err_f.seek(0)
        stdout, stderr = out_f.read(), err_f.read()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"index adapt failed: {stderr.strip()}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "stdout": stdout.strip()}


def evaluate(index: TileIndex, adapted_dir: Path, base_q: np.ndarray, held: list[dict]) -> dict:
    adapted = TileIndex.open(adapted_dir)
    check = adapted.manifest["adaptation"]["validation"]
    guard = "refuses" if check["r1_after"] < check["r1_before"] else "adapts"
    guard += f" ({100 * check['r1_before']:.0f} -> {100 * check['r1_after']:.0f}%)"
    guard += f"; {adapted.manifest['adaptation']['method']}"
    if check.get("methods"):
        guard += " (" + ", ".join(f"{m} {100 * v:.0f}%" for m, v in check["methods"].items()) + ")"
    q = np.stack([adapted.model.adaptation.apply(rows) for rows in base_q])
    scores, tops = recall(index, _Ranked(adapted, np.asarray(adapted.embeddings(), np.float32)), q, held)
    for v, top in list(zip(held, tops, strict=True))[:CHECKS]:
        got = search(v["path"], adapted, k=100)["features"][0]["properties"]["tile_id"]
        if got != top:
            print(
                f"[bench] warning: search on {adapted_dir.name} gives tile {got}, ranking {top}",
                file=sys.stderr,
            )
    return {**scores, "guard": guard}


def table(rows: list[dict], base: dict, n_held: int, index_tiles: int, seconds: float) -> str:
    lines = [
        f"Held-out places: {n_held} rendered ISS views; index {index_tiles} tiles (fused-vlad, fit "
        f"{FIT_SAMPLES} samples); run {seconds / 60:.1f} min.",
        "",
        "| confirmations | adapted on | R@1 held-out | R@10 held-out | ΔR@1 | guard without --force (R@1 of "
        "the confirmed photos, each region held out in turn); method chosen (its CV R@1 per method) "
        "| index adapt s | peak MB |",
        "|---|---|---|---|---|---|---|---|",
        f"| 0 | (base index) | {base['R@1']:.1f}% | {base['R@10']:.1f}% | | | | |",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['kind']} | {r['R@1']:.1f}% | {r['R@10']:.1f}% | {r['R@1'] - base['R@1']:+.1f} "
            f"| {r['guard']} | {r['seconds']:.1f} | {r['peak_mb']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--confirmations", type=int, default=max(SIZES))
    ap.add_argument("--held-out", type=int, default=80)
    ap.add_argument("--keep", help="folder for views and indexes (reused when present)")
    ap.add_argument("--out", default=str(ROOT / "out" / "bench_adapt.md"))
    args = ap.parse_args(argv)
    if not (DATA / JAPAN).is_file():
        print(f"error: benchmark data not found in {DATA} (set ASTROLOC_DATA)", file=sys.stderr)
        return 2
    configure_threads()
    t0 = time.perf_counter()
    work = Path(args.keep or tempfile.mkdtemp(prefix="astroloc-adapt-"))
    (work / "views").mkdir(parents=True, exist_ok=True)
    # A little over the largest size: some renders fail (footprint outside the raster).
    conf, held = render(round(args.confirmations * 1.1), args.held_out, work / "views")
    print(f"[bench] {len(conf)} confirmation views, {len(held)} held-out views", file=sys.stderr)
    index_dir = work / "index"
    if not (index_dir / "manifest.json").is_file():
        print("[bench] building the index", file=sys.stderr)
        build_mod.build_index(
            index_sources(work), str(index_dir), scales=list(SCALES), tile_px=TILE_PX, fit_samples=FIT_SAMPLES
        )
    index = TileIndex.open(index_dir)
    base_q = query_embeddings(index, held)
    base, _ = recall(index, index, base_q, held)
    print(f"[bench] base: {base}", file=sys.stderr)
    (work / "alone").mkdir(exist_ok=True)
    alone = views_alone(index, conf, work / "alone")
    rows = []
    for n in [s for s in SIZES if s <= len(conf)]:
        for kind, views in (("photos", conf), ("views alone", alone)):
            tag = "photos" if kind == "photos" else "views"
            exp = export(views[:n], work / f"confirmed-{tag}-{n}.geojson")
            out = work / f"adapted-{tag}-{n}"
            run = run_adapt(index_dir, exp, out)
            scores = evaluate(index, out, base_q, held)
            rows.append({"n": n, "kind": kind, **scores, **run})
            print(
                f"[bench] {n} {kind}: {scores} {run['seconds']:.1f} s {run['peak_mb']:.0f} MB",
                file=sys.stderr,
            )
    text = table(rows, base, len(held), len(index), time.perf_counter() - t0)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
