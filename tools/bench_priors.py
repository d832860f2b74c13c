"""Search priors benchmark: retrieval with and without a prior, and what the restriction costs.

The index and queries of `make bench-retrieval` (two places among five distractor rasters); each
query is searched globally, with an ISS nadir prior at its footprint centre (400-420 km, up to the
horizon, then up to 30 degrees off nadir) and with a 25 km GPS-like `near` prior. Then FAISS
search restricted by an ID selector against the global search on synthetic vectors (flat and
IVF-PQ), and the tile tree (tiles.gpkg -> STRtree) build and query time. Writes docs/bench_priors.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from astroloc_qgis.engine import api, priors
from astroloc_qgis.engine.crs import transformer
from astroloc_qgis.engine.index import vectors
from astroloc_qgis.engine.index.store import TileIndex
from astroloc_qgis.engine.models import DEFAULT_MODEL, configure_threads
from astroloc_qgis.engine.search import search
from tools.bench_retrieval import DATA, INDEX_SOURCES, ROOT, SCALES, TILE_PX, make_queries, positives

CONFIGS = (
    ("global", None),
    ("nadir, horizon", {"altitude_m": [400e3, 420e3]}),
    ("nadir, 30 deg", {"altitude_m": [400e3, 420e3], "max_tilt_deg": 30.0}),
    ("near 25 km", {"radius_km": 25.0}),
)


def centre_latlon(q: dict) -> tuple[float, float]:
    c = q["footprint"].centroid
    lon, lat = transformer(q["crs"], "EPSG:4326").transform(c.x, c.y)
    return lat, lon


def prior_for(q: dict, extra: dict | None) -> priors.Prior | None:
    if extra is None:
        return None
    lat, lon = centre_latlon(q)
    key = "near" if "radius_km" in extra else "nadir"
    return priors.from_params({key: [lat, lon], **extra}, q["path"])


def retrieval(index: TileIndex, queries: list[dict]) -> list[dict]:
    search(queries[0]["path"], index, k=100)  # warm-up
    rows = []
    for label, extra in CONFIGS:
        hits, centre1, times, tiles = {1: 0, 10: 0}, 0, [], []
        for q in queries:
            prior = prior_for(q, extra)
            fc = search(q["path"], index, k=100, prior=prior)
            times.append(fc["timing"]["search"] + fc["timing"].get("prior", 0.0))
            tiles.append(fc["prior"]["tiles_in_region"] if prior else len(index))
            ranked = [
                f["properties"]["tile_id"] for f in fc["features"] if f["properties"]["kind"] == "candidate"
            ]
            pos, centre_in = positives(index, q)
            for n in hits:
                hits[n] += bool(pos.intersection(ranked[:n]))
            centre1 += bool(centre_in.intersection(ranked[:1]))
        rows.append(
            {
                "config": label,
                "R@1": 100 * hits[1] / len(queries),
                "R@10": 100 * hits[10] / len(queries),
                "C@1": 100 * centre1 / len(queries),
                "tiles": statistics.median(tiles),
                "ms": 1000 * statistics.median(times),
            }
        )
        print(f"[bench] {rows[-1]}", file=sys.stderr)
    return rows


def faiss_restriction(n: int, dim: int, threshold: int, shares=(0.01, 0.1), reps: int = 10) -> list[dict]:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((n, dim), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    faiss_index, params = vectors.make_index(x, threshold=threshold)
    index = TileIndex(Path("."), {}, None, faiss_index, {"source": np.zeros(n, np.int32)}, [])
    q = x[rng.choice(n, 4)] + 0.05 * rng.standard_normal((4, dim), dtype=np.float32)
    del x

    def timed(ids: np.ndarray | None) -> float:
        index.search(q, 100, ids=ids)
        out = []
        for _ in range(reps):
            t = time.perf_counter()
            index.search(q, 100, ids=ids)
            out.append(time.perf_counter() - t)
        return 1000 * statistics.median(out)

    rows = [{"n": n, "type": params["factory"], "share": "all (global)", "ms": timed(None)}]
    for share in shares:
        ids = np.sort(rng.choice(n, int(n * share), replace=False))
        rows.append({"n": n, "type": params["factory"], "share": f"{100 * share:g}%", "ms": timed(ids)})
    return rows


def tile_tree_cost(index_dir: Path) -> dict:
    index = TileIndex.open(index_dir)
    t = time.perf_counter()
    index._tile_tree()
    build = time.perf_counter() - t
    region = priors.from_nadir(47.0, -99.1, max_tilt_deg=30.0).region
    t = time.perf_counter()
    n = len(index.tiles_intersecting(region))
    return {
        "tiles": len(index),
        "build_ms": 1000 * build,
        "query_ms": 1000 * (time.perf_counter() - t),
        "hit": n,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.5, help="fraction of bench-retrieval's queries")
    ap.add_argument("--seed", type=int, default=2009)
    ap.add_argument("--index", default=None, help="reuse an index built from bench-retrieval's sources")
    ap.add_argument("--faiss-n", type=int, default=100_000)
    ap.add_argument("--out", default=str(ROOT / "docs" / "bench_priors.md"))
    args = ap.parse_args(argv)
    if not (DATA / INDEX_SOURCES[0]).is_file():
        print(f"error: benchmark data not found in {DATA} (set ASTROLOC_DATA)", file=sys.stderr)
        return 2
    threads = configure_threads()
    work = Path(tempfile.mkdtemp(prefix="astroloc-bench-priors-"))
    t_all = time.perf_counter()
    try:
        index_dir = Path(args.index) if args.index else work / "index"
        if not args.index:
            print("[bench] building the bench-retrieval index", file=sys.stderr)
            api.build_index(
                [str(DATA / s) for s in INDEX_SOURCES],
                str(index_dir),
                model=DEFAULT_MODEL,
                scales=list(SCALES),
                tile_px=TILE_PX,
            )
        queries = make_queries(work, args.seed, args.scale)
        rows = retrieval(api.open_index(str(index_dir)), queries)
        tree = tile_tree_cost(index_dir)
        dim = int(api.index_info(str(index_dir))["descriptor_dim"])
        synth = faiss_restriction(args.faiss_n, dim, threshold=10**9) + faiss_restriction(
            args.faiss_n, dim, 1000
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(rows, tree, synth, len(queries), threads, time.perf_counter() - t_all)
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


def report(
    rows: list[dict], tree: dict, synth: list[dict], n_queries: int, threads: int, total_s: float
) -> str:
    lines = [
        "# Search priors benchmark",
        "",
        f"`make bench-priors` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {threads} torch "
        f"thread(s), {os.cpu_count()} cores, {total_s:.0f} s). The index and {n_queries} queries of "
        f"bench-retrieval ({DEFAULT_MODEL}, tiles of {TILE_PX} px at scales {list(SCALES)}; R@k: a tile with "
        "IoU >= 0.25 with the query's footprint; centre R@1: the first tile contains the footprint's "
        "centre). The priors are centred on the query's true footprint centre (nadir priors: as for a photo "
        "taken straight down).",
        "",
        "| search | R@1 | R@10 | centre R@1 | tiles searched (median) | search ms (median, prior included) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['config']} | {r['R@1']:.1f}% | {r['R@10']:.1f}% | {r['C@1']:.1f}% | {r['tiles']:.0f} | "
            f"{r['ms']:.1f} |"
        )
    lines += [
        "",
        f"Tile tree of this index ({tree['tiles']} tiles): built from tiles.gpkg in "
        f"{tree['build_ms']:.0f} ms once per opened index; "
        f"a 245 km nadir region query {tree['query_ms']:.2f} ms ({tree['hit']} tiles).",
        "",
        "FAISS on synthetic unit vectors (4 query vectors, top-100), global against restricted to a share of "
        "the tiles by `IDSelectorBatch` (IVF: every inverted list probed):",
        "",
        "| vectors | index | searched | ms (median of 10) |",
        "|---|---|---|---|",
    ]
    for r in synth:
        lines.append(f"| {r['n']:,} | {r['type']} | {r['share']} | {r['ms']:.1f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
