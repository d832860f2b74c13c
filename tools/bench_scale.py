"""Scale benchmark (`make bench-scale`, docs/bench_scale.md).

1. Build throughput of the embedding stage with 1 and 2 Dask workers (LocalCluster, processes) over a
   real raster of ASTROLOC_DATA, default model, in one run (the ratio is what counts).
2. IVF-PQ search at 100k and 1M synthetic vectors of the default model's dimension, as the engine
   opens and searches them (memory-mapped, re-ranked, one thread): latency per photo (4 rotations in
   one call), recall@100 against exact search, the same with a prior holding 1% of the tiles (an ID
   selector), bytes per tile of the FAISS file, open time and resident memory of a fresh process.

The synthetic vectors have a power-law spectrum (synthetic()); queries are noisy copies of indexed
vectors; the prior is a contiguous 1% of the tile ids (a region's tiles are neighbours in id order).
Run with `nice`; it takes a few minutes.
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

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", "/work/shared/data"))
RASTER = "landsat8_quebec/quebec_landsat8_mosaic_cog1_rgb8.tif"
BUILD_TILES = 64  # tiles embedded per worker count (a crop of the raster keeps the run short)
SHARD = 8
PHOTOS = 30  # timed searches (4 rotations each)
RECALL_QUERIES = 100
NOISE = 0.3  # a query: an indexed vector plus this much noise per component (relative to its spread)
OUT = ROOT / "docs" / "bench_scale.md"


# ---------------------------------------------------------------- 1. Dask build throughput


def build_throughput(workers: int, raster: Path, work: Path) -> tuple[float, int]:
    """Tiles per second of the embedding stage (from the shards' submission to the last one)."""
    from astroloc_qgis.engine.index.build import build_index

    marks: dict[str, float] = {}

    def progress(stage: str, fraction: float, message: str = "") -> None:
        if "Dask workers" in message:
            marks["start"] = time.monotonic()
        if "embedded on the cluster" in message:
            marks["end"] = time.monotonic()

    m = build_index(
        [str(raster)],
        work / f"idx{workers}",
        scales=[1],
        tile_px=128,
        fit_samples=24,
        cluster=f"local:{workers}",
        shard_tiles=SHARD,
        progress=progress,
    )
    tiles = int(m["tiles"])
    return tiles / (marks["end"] - marks["start"]), tiles


def crop_raster(out: Path) -> Path:
    """A crop of RASTER holding about BUILD_TILES tiles of 128 px (stride 64)."""
    import rasterio
    from rasterio.windows import Window

    with rasterio.open(DATA / RASTER) as src:
        side = 64 * (int(BUILD_TILES**0.5) + 1)
        win = Window(100, 100, side, side)
        profile = {**src.profile, "width": side, "height": side, "transform": src.window_transform(win)}
        profile.pop("blockxsize", None), profile.pop("blockysize", None)
        profile.update(tiled=False, driver="GTiff")
        with rasterio.open(out, "w", **profile) as dst:
            dst.write(src.read(window=win))
    return out


# ---------------------------------------------------------------- 2. synthetic search


def synthetic(n: int, dim: int, folder: Path, seed: int = 0) -> Path:
    """n unit vectors as float16 in folder/embeddings.f16.npy (written in chunks): Gaussian with a
    power-law spectrum (variance of the j-th component ~ 1/j, like whitened VLAD descriptors) in a
    random orthonormal basis, so no coordinate block is special to the PQ."""
    rng = np.random.default_rng(seed)
    spectrum = (np.arange(1, dim + 1) ** -0.5).astype(np.float32)
    basis, _ = np.linalg.qr(rng.standard_normal((dim, dim)).astype(np.float32))
    path = folder / "embeddings.f16.npy"
    emb = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(n, dim))
    for c0 in range(0, n, 100_000):
        c1 = min(n, c0 + 100_000)
        x = (rng.standard_normal((c1 - c0, dim)).astype(np.float32) * spectrum) @ basis.T
        emb[c0:c1] = x / np.linalg.norm(x, axis=1, keepdims=True)
    emb.flush()
    return path


def build_ivfpq(emb_path: Path, folder: Path, fast_scan: bool) -> dict:
    """The engine's IVF-PQ (vectors.ivfpq_params), trained on a sample, filled chunk by chunk."""
    import faiss

    from astroloc_qgis.engine.index import vectors

    emb = np.load(emb_path, mmap_mode="r")
    n, dim = emb.shape
    params = vectors.ivfpq_params(n, dim, fast_scan)
    index = faiss.index_factory(dim, params["factory"], faiss.METRIC_INNER_PRODUCT)
    ivf = faiss.downcast_index(faiss.extract_index_ivf(index))
    if hasattr(ivf, "do_polysemous_training"):
        ivf.do_polysemous_training = False
    rng = np.random.default_rng(1)
    sample = np.sort(rng.choice(n, min(n, max(params["nlist"] * 50, 256 * 40)), replace=False))
    index.train(np.asarray(emb[sample], np.float32))
    for c0 in range(0, n, 100_000):
        index.add(np.asarray(emb[c0 : c0 + 100_000], np.float32))
    faiss.write_index(index, str(folder / "tiles.faiss"))
    params["threshold"] = vectors.FLAT_THRESHOLD
    return params


def exact_top(emb_path: Path, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    emb = np.load(emb_path, mmap_mode="r")
    best_s = np.full((len(queries), 0), -np.inf, np.float32)
    best_i = np.zeros((len(queries), 0), np.int64)
    rows = np.arange(len(emb)) if allowed is None else allowed
    for c0 in range(0, len(rows), 200_000):
        ids = rows[c0 : c0 + 200_000]
        s = queries @ np.asarray(emb[ids[0] : ids[-1] + 1] if allowed is None else emb[ids], np.float32).T
        best_s, best_i = np.hstack([best_s, s]), np.hstack([best_i, np.broadcast_to(ids, s.shape)])
        keep = np.argsort(-best_s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i


def _rss_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


#: the search settings measured side by side (in turns, photo by photo: the same machine load for all);
#: the first is the engine's default. nprobe None: the index's; rerank: PQ candidates per result.
VARIANTS = (
    {"label": "default", "nprobe": None, "rerank": None, "threads": 1},
    {"label": "rerank x10", "nprobe": None, "rerank": 10, "threads": 1},
    {"label": "nprobe/2, rerank x10", "nprobe": 0.5, "rerank": 10, "threads": 1},
    # the default as the code before 2026-12-03 ran it: a new memory map of the embeddings for every
    # search (the re-ranking then gathered rows instead of one GEMM: not reproduced)
    {"label": "former code: mapped per search", "nprobe": None, "rerank": None, "threads": 1, "remap": 1},
    {"label": "default, 2 OpenMP threads", "nprobe": None, "rerank": None, "threads": 2},
)


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(
        np.mean([len(set(a) & set(b)) / 100 for a, b in zip(found.tolist(), truth.tolist(), strict=True)])
    )


def _search(indexes: tuple, variant: dict, queries: np.ndarray, kw: dict):
    """Search as `variant` says; the former code's variant on its own TileIndex (its own mapping,
    opened anew for every search), so the others keep theirs."""
    index, former = indexes
    if variant.get("remap"):
        former.release_embeddings()
        return former.search(queries, 100, **kw)
    return index.search(queries, 100, **kw)


def measure(folder: Path) -> dict:
    """In a fresh process: open the index as the engine does, search, report times and memory."""
    import faiss

    from astroloc_qgis.engine.index import vectors
    from astroloc_qgis.engine.index.store import TileIndex

    faiss.omp_set_num_threads(1)  # as the engine runs (models.configure_threads)
    spec = json.loads((folder / "spec.json").read_text())
    n, dim = spec["n"], spec["dim"]
    t0 = time.perf_counter()
    faiss_index = vectors.read(folder / "tiles.faiss", spec["faiss"], n, dim)
    index = TileIndex(folder, {"faiss": spec["faiss"]}, None, faiss_index, {"source": np.zeros(1)}, [])
    open_s = time.perf_counter() - t0
    rss_open = _rss_mb()
    indexes = (
        index,
        TileIndex(folder, {"faiss": spec["faiss"]}, None, faiss_index, {"source": np.zeros(1)}, []),
    )
    queries = np.load(folder / "queries.npy")
    prior = np.load(folder / "prior.npy")
    out: dict = {"open_s": open_s, "rss_open_mb": rss_open, "variants": []}
    photos = queries[: PHOTOS * 4].reshape(PHOTOS, 4, dim)
    base_nprobe = int(spec["faiss"]["nprobe"])
    for name, ids in (("global", None), ("prior", prior)):
        truth = np.load(folder / f"truth_{name}.npy")
        for j, v in enumerate(VARIANTS):
            if name == "prior" and j:
                continue  # a prior probes every list: only the default is measured
            nprobe = None if v["nprobe"] is None else max(1, int(base_nprobe * v["nprobe"]))
            kw = {"ids": ids, "nprobe": nprobe, "rerank": v["rerank"]}
            found = np.stack([_search(indexes, v, q[None], kw)[1][0] for q in queries[:RECALL_QUERIES]])
            row = out["variants"][j] if name == "prior" else {**v, "nprobe_used": nprobe or base_nprobe}
            row[f"recall_{name}"] = _recall(found, truth)
            if name == "global":
                out["variants"].append(row)
        times = [0.0] * len(VARIANTS)
        for i, p in enumerate([photos[0], *photos]):  # the first: a warm-up, not counted
            for j, v in enumerate(VARIANTS):
                if name == "prior" and j:
                    continue
                nprobe = None if v["nprobe"] is None else max(1, int(base_nprobe * v["nprobe"]))
                faiss.omp_set_num_threads(v["threads"])
                t = time.perf_counter()
                _search(indexes, v, p, {"ids": ids, "nprobe": nprobe, "rerank": v["rerank"]})
                times[j] += time.perf_counter() - t if i else 0.0
                faiss.omp_set_num_threads(1)
        for j, row in enumerate(out["variants"]):
            if name == "global" or j == 0:
                row[f"ms_{name}"] = times[j] / PHOTOS * 1000
    out["rss_mb"] = _rss_mb()
    out["load_avg"] = os.getloadavg()[0]
    return out


def search_row(n: int, dim: int, work: Path) -> dict:
    folder = work / f"s{n}"
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    emb_path = synthetic(n, dim, folder)
    params = build_ivfpq(emb_path, folder, fast_scan=True)
    build_s = time.perf_counter() - t
    rng = np.random.default_rng(2)
    emb = np.load(emb_path, mmap_mode="r")
    picks = np.sort(rng.choice(n, max(RECALL_QUERIES, PHOTOS * 4), replace=False))
    queries = np.asarray(emb[picks], np.float32)
    queries += NOISE / np.sqrt(dim) * rng.standard_normal(queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    start = int(rng.integers(0, n - n // 100))
    prior = np.arange(start, start + n // 100, dtype=np.int64)  # a region's tiles: neighbours in id order
    np.save(folder / "queries.npy", queries)
    np.save(folder / "prior.npy", prior)
    np.save(folder / "truth_global.npy", exact_top(emb_path, queries[:RECALL_QUERIES], 100))
    np.save(folder / "truth_prior.npy", exact_top(emb_path, queries[:RECALL_QUERIES], 100, prior))
    (folder / "spec.json").write_text(json.dumps({"n": n, "dim": dim, "faiss": params}))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "tools.bench_scale", "--measure", str(folder)]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    row = json.loads(res.stdout.strip().splitlines()[-1])
    size = (folder / "tiles.faiss").stat().st_size
    row.update({"n": n, "build_s": build_s, "bytes_per_tile": size / n, "params": params})
    for f in folder.iterdir():
        f.unlink()
    return row


# ---------------------------------------------------------------- 3. the coverage of a huge index


def coverage_row(n: int, work: Path) -> dict:
    """A synthetic n-tile table (tests/helpers/synth_tiles.py): seconds to write the coverage layer
    (engine), then in the QGIS venv the seconds to add the layers and to draw them."""
    from astroloc_qgis.engine.index import coverage
    from astroloc_qgis.engine.index import table as table_mod
    from astroloc_qgis.engine.rasters import RasterSource
    from tests.helpers import synth_tiles

    folder = work / f"cov{n}"
    t = time.perf_counter()
    manifest = synth_tiles.write_index(folder, n, coverage=False)
    table_s = time.perf_counter() - t
    tiles = table_mod.load_npz(folder / "tiles.npz")
    sources = [RasterSource.from_dict(d) for d in manifest["sources"]]
    t = time.perf_counter()
    rows = coverage.write(folder / "tiles.gpkg", tiles, sources)
    row = {
        "tiles": manifest["tiles"],
        "table_s": table_s,
        "coverage_s": time.perf_counter() - t,
        "rows": rows,
    }
    qgis_py = ROOT / ".venv-qgis" / "bin" / "python"
    if qgis_py.exists():
        env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
        env.setdefault("PROJ_DATA", "/usr/share/proj")
        cmd = [str(qgis_py), "-m", "tools.bench_scale", "--qgis-measure", str(folder)]
        res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if res.returncode == 0:
            row.update(json.loads(res.stdout.strip().splitlines()[-1]))
        else:
            print(f"QGIS measure failed: {res.stderr[-2000:]}", file=sys.stderr)
    return row


def qgis_measure(folder: Path) -> dict:
    """In the QGIS venv: the plugin's coverage layers of the index folder, added and drawn."""
    from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsProject
    from qgis.PyQt.QtCore import QSize

    app = QgsApplication([], False)
    app.initQgis()
    from astroloc_qgis.map.coverage import index_coverage_layers

    t = time.perf_counter()
    tiles, outline = index_coverage_layers(folder / "tiles.gpkg", folder.name)
    QgsProject.instance().addMapLayers([tiles, outline])
    out = {"qgis_add_s": time.perf_counter() - t}

    def draw(layers, extent) -> float:
        settings = QgsMapSettings()
        settings.setLayers(layers)
        settings.setDestinationCrs(tiles.crs())
        settings.setOutputSize(QSize(1200, 900))
        settings.setExtent(extent)
        job = QgsMapRendererSequentialJob(settings)
        t = time.perf_counter()
        job.start()
        job.waitForFinished()
        return time.perf_counter() - t

    whole = tiles.extent()
    out["qgis_draw_s"] = draw([outline, tiles], whole)  # zoomed out: the generalized coverage
    tiles.setScaleBasedVisibility(False)
    out["qgis_draw_tiles_s"] = draw([tiles], whole)  # what drawing every tile would cost
    app.exitQgis()
    return out


# ---------------------------------------------------------------- report


def write_table(builds: dict[int, tuple[float, int]], rows: list[dict], dim: int, cover: dict | None) -> str:
    """The benchmark's section of docs/bench_scale.md (between its markers)."""
    lines = [
        f"## Latest run ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"Machine: {os.cpu_count()} cores (shared; load average {rows[-1]['load_avg']:.1f} while the "
        f"{rows[-1]['n']:,}-tile search ran), one FAISS thread as the engine runs unless said.",
        "",
    ]
    r1 = r2 = None
    if builds:
        r1, r2 = builds[1][0], builds[2][0]
        lines += [
            f"### Build throughput (`{RASTER}` crop, default model, tile 128 px, {builds[1][1]} tiles, "
            f"shards of {SHARD}; Dask LocalCluster of worker processes)",
            "",
            "| workers | tiles/s | vs 1 worker |",
            "|---|---|---|",
            f"| 1 | {r1:.2f} | 1.00 |",
            f"| 2 | {r2:.2f} | {r2 / r1:.2f} |",
            "",
        ]
    lines += [
        f"### Search, {dim}-d synthetic vectors (the engine's IVF-PQ, re-ranked exactly from the "
        "float16 embeddings; 4 rotations per photo in one call); the settings side by side in one run",
        "",
        "| tiles | FAISS / code bytes | setting | nprobe / candidates | ms per photo | recall@100 | "
        "ms with 1% prior | recall@100 with prior | bytes/tile | open s | RSS MB | build s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        p = r["params"]
        for j, v in enumerate(r["variants"]):
            cands = 100 * (v["rerank"] or p["rerank"])
            prior = f"{v['ms_prior']:.1f} | {v['recall_prior']:.3f}" if j == 0 else "| "
            tail = (
                f"{r['bytes_per_tile']:.1f} | {r['open_s']:.3f} | {r['rss_mb']:.0f} | {r['build_s']:.0f}"
                if j == 0
                else " | | | "
            )
            lines.append(
                f"| {r['n']:,} | `{p['factory']}` / {p['code_bytes']} | {v['label']} | {v['nprobe_used']} / "
                f"{cands} | {v['ms_global']:.1f} | {v['recall_global']:.3f} | {prior} | {tail} |"
            )
    if cover:
        lines += [
            "",
            "### Coverage of a huge index (synthetic tile table, tests/helpers/synth_tiles.py)",
            "",
            "| tiles | coverage rows | engine: write the coverage s | QGIS: add the layers s | "
            "QGIS: draw zoomed out s | QGIS: draw every tile s |",
            "|---|---|---|---|---|---|",
            f"| {cover['tiles']:,} | {cover['rows']} | {cover['coverage_s']:.2f} | "
            f"{cover.get('qgis_add_s', float('nan')):.2f} | {cover.get('qgis_draw_s', float('nan')):.2f} | "
            f"{cover.get('qgis_draw_tiles_s', float('nan')):.2f} |",
        ]
    big, d = rows[-1], rows[-1]["variants"][0]
    fmt = (lambda x: f"{x:.2f}") if builds else (lambda x: "n/a")
    key = (
        f"key: build_tiles_s_1w={fmt(r1)} build_tiles_s_2w={fmt(r2)} search_ms_1M={d['ms_global']:.1f} "
        f"recall100_1M={d['recall_global']:.3f} search_prior_ms_1M={d['ms_prior']:.1f} "
        f"bytes_per_tile_1M={big['bytes_per_tile']:.1f} open_s_1M={big['open_s']:.3f} "
        f"rss_mb_1M={big['rss_mb']:.0f}"
    )
    if cover:
        qgis_add = cover.get("qgis_add_s", float("nan"))
        key += f" coverage_s_1M={cover['coverage_s']:.2f} qgis_coverage_add_s_1M={qgis_add:.2f}"
    lines += [
        "",
        "Floors (1M tiles): <= 20 ms per photo, recall@100 >= 0.95, <= 128 bytes/tile, open <= 5 s; "
        "2 workers >= 1.6x of 1.",
        "",
        key,
    ]
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- bench-scale -->\n", "<!-- end bench-scale -->\n"


def write_section(path: Path, text: str) -> None:
    """Replace the benchmark's section of the doc (the notes around it stay)."""
    doc = path.read_text() if path.exists() else "# Scale benchmark (`make bench-scale`)\n\n"
    block = BEGIN + text + END
    if BEGIN in doc and END in doc:
        doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END) :]
    else:
        doc = doc.rstrip("\n") + "\n\n" + block
    path.write_text(doc)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--qgis-measure", help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--coverage-tiles", type=int, default=1_000_000)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--no-build", action="store_true", help="no Dask build rows (written as n/a)")
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    if args.qgis_measure:
        print(json.dumps(qgis_measure(Path(args.qgis_measure))))
        return 0
    from astroloc_qgis.engine.models import get_model

    dim = get_model(None).descriptor_dim
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        work = Path(tmp)
        cover = coverage_row(args.coverage_tiles, work) if args.coverage_tiles else None
        print(f"coverage: {cover}", flush=True)
        builds = {}
        if not args.no_build:
            raster = crop_raster(work / "crop.tif")
            builds = {w: build_throughput(w, raster, work) for w in (1, 2)}
        print(f"build: {builds}", flush=True)
        rows = []
        for n in args.sizes:
            rows.append(search_row(n, dim, work))
            print(rows[-1], flush=True)
    text = write_table(builds, rows, dim, cover)
    write_section(Path(args.out), text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
