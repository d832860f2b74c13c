"""Re-ranking the retrieval top-100 of rendered ISS photos (issue 13): which cheap evidence puts
the right tile first?

`python -m tools.bench_rerank` (`make bench-rerank`): bench_locate's orbital views (seeds 413 and
414, 30 each) against bench_orbital's index; `search` gives each view's top 100 once (cached in
out/bench_rerank/); then each re-ranker orders those 100 and the table gives R@1/R@8/R@32 of the
right tile (bench_locate.is_right: a tile of the view's raster holding the true footprint centre)
and the seconds a re-ranker spends per view. Rows are written into docs/bench_rerank.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from shapely.geometry import shape

from astroloc_qgis.engine import api
from astroloc_qgis.engine.reference import open_reference
from tools import bench_locate as bl

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (413, 414)
N_VIEWS = 30
TOP = 100


def collect(work: Path, seeds: tuple[int, ...], n: int) -> list[dict]:
    """Each view with its top-100 candidates' properties and geometry, and which are right."""
    cache = work / f"search_{'_'.join(map(str, seeds))}_{n}.json"
    if cache.is_file():
        return json.loads(cache.read_text())
    index_dir = bl.build_orbital_index(ROOT / "out" / "bench_locate")
    out = []
    for seed in seeds:
        views = bl.make_orbital_views(
            n, seed, ROOT / "out" / "bench_locate" / f"orbital_views_seed{seed}_{n}"
        )
        for v in views:
            fc = api.search(v["path"], str(index_dir), k=TOP)
            ref = open_reference(v["indexed"])
            cands = []
            for f in fc["features"]:
                p = f["properties"]
                if p.get("kind") != "candidate":
                    continue
                cands.append({**p, "geometry": f["geometry"], "right": bl.is_right(p, v, ref)})
            out.append({"seed": seed, "view": v, "candidates": cands})
            first = next((c["rank"] for c in cands if c["right"]), None)
            print(f"[rerank] seed {seed} {Path(v['path']).name}: right at rank {first}", file=sys.stderr)
    cache.write_text(json.dumps(out))
    return out


Reranker = Callable[[dict], list[int]]


def identity(view: dict) -> list[int]:
    return list(range(len(view["candidates"])))


def spatial_vote(view: dict, power: float = 1.0) -> list[int]:
    """Each candidate scored by the retrieval scores of every candidate whose tile overlaps it:
    the right place is hit by its tiles at several scales and offsets, a wrong one mostly once."""
    cands = view["candidates"]
    polys = [shape(c["geometry"]) for c in cands]
    s = np.array([c["score"] for c in cands])
    w = np.exp((s - s.max()) * 20.0) ** power
    votes = np.zeros(len(cands))
    for i, pi in enumerate(polys):
        for j, pj in enumerate(polys):
            if i == j or pi.intersects(pj):
                votes[i] += w[j]
    return list(np.argsort(-votes, kind="stable"))


RERANKERS: dict[str, Reranker] = {"retrieval order": identity, "spatial vote": spatial_vote}


def recall(views: list[dict], order_of: Reranker) -> tuple[dict[int, float], float]:
    hits = {1: 0, 8: 0, 32: 0, 100: 0}
    t0 = time.perf_counter()
    for view in views:
        order = order_of(view)
        right = [k for k, j in enumerate(order) if view["candidates"][j]["right"]]
        for k in hits:
            hits[k] += bool(right) and right[0] < k
    return {k: 100.0 * h / len(views) for k, h in hits.items()}, (time.perf_counter() - t0) / len(views)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", default=str(ROOT / "out" / "bench_rerank"))
    ap.add_argument("--views", type=int, default=N_VIEWS)
    args = ap.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    views = collect(work, SEEDS, args.views)
    print("| re-ranker | views | R@1 | R@8 | R@32 | R@100 | s per view |")
    print("|---|---|---|---|---|---|---|")
    for name, fn in RERANKERS.items():
        r, s = recall(views, fn)
        print(
            f"| {name} | {len(views)} | {r[1]:.0f}% | {r[8]:.0f}% | {r[32]:.0f}% | {r[100]:.0f}% | {s:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
