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
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", "/work/shared/data"))
RASTER = "landsat8_quebec/quebec_landsat8_mosaic_cog1_rgb8.tif"
BUILD_TILES = 256  # tiles per worker count: enough that a worker's start (model load) is a small part
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


#: the search settings measured side by side (in turns, photo by photo, the order rotating: the same
#: machine load for all); the first is the engine's default. nprobe None: the index's (a float: that
#: share of it); rerank: PQ candidates per result (None: the index's); former: the re-ranking as the code
#: before 2026-12-03 18:00 UTC ran it (numpy float16 -> float32 copy + GEMM, rows faulting in one by one).
#: (2 OpenMP threads, slower than 1 in every run on the shared 2 cores, are no longer measured: their
#: waiting threads took the cores of the settings timed after them.)
VARIANTS = (
    {"label": "default", "nprobe": None, "rerank": None, "threads": 1},
    {"label": "x4 re-rank (the former default)", "nprobe": None, "rerank": 4, "threads": 1},
    {
        "label": "former code, x4 (the last run's default)",
        "nprobe": None,
        "rerank": 4,
        "threads": 1,
        "former": 1,
    },
    {"label": "former code, x10", "nprobe": None, "rerank": 10, "threads": 1, "former": 1},
)
#: the Pareto grid at the largest size (share of the index's nprobe x re-rank factor), the default's
#: point taken from its row
SWEEP_NPROBE = (0.5, 0.75, 1.0, 1.5)
SWEEP_RERANK = (4, 6, 8, 10, 15)


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(
        np.mean([len(set(a) & set(b)) / 100 for a, b in zip(found.tolist(), truth.tolist(), strict=True)])
    )


def former_rerank(self, queries: np.ndarray, found: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """TileIndex._rerank before 2026-12-03 18:00 UTC (the baseline): the union of 8 queries' candidates
    copied to float32, one GEMM, each query's own candidates picked from it."""
    scores = np.full(found.shape, -np.inf, np.float32)
    emb = self.embeddings()
    for r0 in range(0, len(found), 8):
        rows = slice(r0, r0 + 8)
        valid = found[rows] >= 0
        unique = np.unique(found[rows][valid])
        if len(unique) == 0:
            continue
        sims = queries[rows] @ np.asarray(emb[unique], np.float32).T
        pos = np.searchsorted(unique, np.where(valid, found[rows], unique[0]))
        scores[rows] = np.where(valid, np.take_along_axis(sims, pos, axis=1), -np.inf)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    best = np.take_along_axis(scores, order, axis=1)
    ids = np.where(np.isfinite(best), np.take_along_axis(found, order, axis=1), -1)
    return best, ids


def _stages(index, photo: np.ndarray, nprobe: int, fetch: int) -> dict[str, float]:
    """Seconds of the default search's parts for one photo: PCA + coarse quantizer, the whole FAISS
    search (+ list scan), the re-ranking of its candidates (gather of the float16 rows, then all)."""
    import faiss

    out = {}
    ivf = faiss.extract_index_ivf(index.faiss)
    pca = faiss.downcast_VectorTransform(index.faiss.chain.at(0)) if index.faiss.chain.size() else None
    t = time.perf_counter()
    ivf.quantizer.search(pca.apply(photo) if pca else photo, nprobe)
    out["coarse"] = time.perf_counter() - t
    params = faiss.SearchParametersPreTransform(index_params=faiss.SearchParametersIVF(nprobe=nprobe))
    t = time.perf_counter()
    _, found = index.faiss.search(photo, fetch, params=params)
    out["faiss"] = time.perf_counter() - t
    emb = index.rerank_rows()
    t = time.perf_counter()
    for row in found:
        np.take(emb, np.unique(row[row >= 0]), axis=0)
    out["gather"] = time.perf_counter() - t
    t = time.perf_counter()
    index._rerank(photo, found, 100)
    out["rerank"] = time.perf_counter() - t
    return out


def measure(folder: Path) -> dict:
    """In a fresh process: open the index as the engine does, search, report times and memory."""
    import types

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
    t0 = time.perf_counter()
    index.rerank_rows()  # as TileIndex.open does for an IVF-PQ index: the pages mapped in the background
    if index._populating:
        index._populating[0].join()
    map_s = time.perf_counter() - t0
    former = TileIndex(folder, {"faiss": spec["faiss"]}, None, faiss_index, {"source": np.zeros(1)}, [])
    former._rerank = types.MethodType(former_rerank, former)  # its own mapping, faulting in as it reads
    queries = np.load(folder / "queries.npy")
    prior = np.load(folder / "prior.npy")
    out: dict = {"open_s": open_s, "map_s": map_s, "rss_open_mb": rss_open, "variants": []}
    photos = queries[RECALL_QUERIES : RECALL_QUERIES + PHOTOS * 4].reshape(PHOTOS, 4, dim)  # not recall ones
    base_nprobe = int(spec["faiss"]["nprobe"])
    base_rerank = int(spec["faiss"]["rerank"])
    variants = [dict(v) for v in VARIANTS]
    if spec.get("sweep"):
        variants += [
            {"label": "sweep", "nprobe": f, "rerank": r, "threads": 1, "sweep": 1}
            for f in SWEEP_NPROBE
            for r in SWEEP_RERANK
            if (f, r) != (1.0, base_rerank)
        ]
    for v in variants:
        v["nprobe_used"] = base_nprobe if v["nprobe"] is None else max(1, int(base_nprobe * v["nprobe"]))
        v["rerank_used"] = v["rerank"] or base_rerank

    def run(v: dict, q: np.ndarray, ids):
        kw = {"ids": ids, "nprobe": v["nprobe_used"], "rerank": v["rerank_used"]}
        return (former if v.get("former") else index).search(q, 100, **kw)

    stages: dict[str, float] = {}
    loads: list[float] = []
    for name, ids in (("global", None), ("prior", prior)):
        truth = np.load(folder / f"truth_{name}.npy")
        todo = variants if name == "global" else variants[:1]  # a prior probes every list: the default
        for v in todo:
            found = np.stack([run(v, q[None], ids)[1][0] for q in queries[:RECALL_QUERIES]])
            v[f"recall_{name}"] = _recall(found, truth)
            v[f"ms_{name}"] = 0.0
        for i, p in enumerate([photos[0], *photos]):  # the first: a warm-up, not counted
            turn = i % len(todo)
            for v in todo[turn:] + todo[:turn]:
                faiss.omp_set_num_threads(v["threads"])
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                t, cpu = time.perf_counter(), time.process_time()
                run(v, p, ids)
                v[f"ms_{name}"] += (time.perf_counter() - t) * 1000 / PHOTOS if i else 0.0
                v[f"cpu_ms_{name}"] = v.get(f"cpu_ms_{name}", 0.0)
                v[f"cpu_ms_{name}"] += (time.process_time() - cpu) * 1000 / PHOTOS if i else 0.0
                faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
                v[f"faults_{name}"] = v.get(f"faults_{name}", 0.0) + (faults / PHOTOS if i else 0.0)
                faiss.omp_set_num_threads(1)
            if name == "global" and i:
                loads.append(os.getloadavg()[0])
                for key, sec in _stages(index, p, base_nprobe, 100 * base_rerank).items():
                    stages[key] = stages.get(key, 0.0) + sec * 1000 / PHOTOS
    out["variants"] = variants
    out["stages_ms"] = stages
    out["rss_mb"] = _rss_mb()
    out["load_avg"] = os.getloadavg()[0]
    out["load_range"] = [min(loads), max(loads)]
    return out


def search_row(n: int, dim: int, work: Path, sweep: bool = False) -> dict:
    folder = work / f"s{n}"
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    emb_path = synthetic(n, dim, folder)
    params = build_ivfpq(emb_path, folder, fast_scan=True)
    build_s = time.perf_counter() - t
    rng = np.random.default_rng(2)
    emb = np.load(emb_path, mmap_mode="r")
    picks = rng.choice(n, RECALL_QUERIES + PHOTOS * 4, replace=False)  # recall queries, then photos
    queries = np.asarray(emb[picks], np.float32)
    queries += NOISE / np.sqrt(dim) * rng.standard_normal(queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    start = int(rng.integers(0, n - n // 100))
    prior = np.arange(start, start + n // 100, dtype=np.int64)  # a region's tiles: neighbours in id order
    np.save(folder / "queries.npy", queries)
    np.save(folder / "prior.npy", prior)
    np.save(folder / "truth_global.npy", exact_top(emb_path, queries[:RECALL_QUERIES], 100))
    np.save(folder / "truth_prior.npy", exact_top(emb_path, queries[:RECALL_QUERIES], 100, prior))
    (folder / "spec.json").write_text(json.dumps({"n": n, "dim": dim, "faiss": params, "sweep": sweep}))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "tools.bench_scale", "--measure", str(folder)]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    row = json.loads(res.stdout.strip().splitlines()[-1])
    size = (folder / "tiles.faiss").stat().st_size
    rerank_file = (folder / "embeddings.f16.npy").stat().st_size
    row.update({"n": n, "build_s": build_s, "bytes_per_tile": size / n, "params": params})
    row["rerank_bytes_per_tile"] = rerank_file / n
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
    lo, hi = rows[-1]["load_range"]
    lines = [
        f"## Latest run ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"Machine: {os.cpu_count()} cores (shared; load average {lo:.1f}-{hi:.1f} while the "
        f"{rows[-1]['n']:,}-tile photos were timed), one FAISS thread as the engine runs unless said.",
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
        "float16 embeddings; 4 rotations per photo in one call; photos other than the recall queries); "
        "the settings side by side in one run",
        "",
        "| tiles | FAISS / code bytes | setting | nprobe / candidates | ms per photo | CPU ms per photo | "
        "page faults per photo | recall@100 | "
        "ms with 1% prior | recall@100 with prior | FAISS bytes/tile | re-rank file bytes/tile | open s | "
        "rows mapped s | RSS MB | build s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        p = r["params"]
        for j, v in enumerate(x for x in r["variants"] if not x.get("sweep")):
            cands = 100 * v["rerank_used"]
            prior = f"{v['ms_prior']:.1f} | {v['recall_prior']:.3f}" if j == 0 else "| "
            tail = (
                f"{r['bytes_per_tile']:.1f} | {r['rerank_bytes_per_tile']:.0f} | {r['open_s']:.3f} | "
                f"{r['map_s']:.2f} | {r['rss_mb']:.0f} | {r['build_s']:.0f}"
                if j == 0
                else " | | | | | "
            )
            lines.append(
                f"| {r['n']:,} | `{p['factory']}` / {p['code_bytes']} | {v['label']} | {v['nprobe_used']} / "
                f"{cands} | {v['ms_global']:.1f} | {v['cpu_ms_global']:.1f} | {v['faults_global']:.0f} | "
                f"{v['recall_global']:.3f} | "
                f"{prior} | {tail} |"
            )
    lines += [
        "",
        "Where the default's time goes (ms per photo, timed apart from the searches above, same photos): ",
        "",
        "| tiles | PCA + coarse quantizer | FAISS search (+ list scan) | re-rank: gather the float16 rows | "
        "re-rank: all (gather + FAISS float16 scoring + top 100) |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        st = r["stages_ms"]
        lines.append(
            f"| {r['n']:,} | {st['coarse']:.1f} | {st['faiss']:.1f} | {st['gather']:.1f} | "
            f"{st['rerank']:.1f} |"
        )
    grid = [r for r in rows if any(v.get("sweep") for v in r["variants"])]
    for r in grid:
        d = r["variants"][0]
        cells = {(v["nprobe_used"], v["rerank_used"]): v for v in r["variants"] if v.get("sweep")}
        cells[(d["nprobe_used"], d["rerank_used"])] = d
        probes = sorted({k[0] for k in cells})
        lines += [
            "",
            f"Pareto grid at {r['n']:,} tiles (recall@100 / ms per photo, same run; the default in bold; "
            "a cell meeting both floors marked *):",
            "",
            "| nprobe | " + " | ".join(f"x{f} ({100 * f} candidates)" for f in SWEEP_RERANK) + " |",
            "|---|" + "---|" * len(SWEEP_RERANK),
        ]
        for npr in probes:
            out = []
            for f in SWEEP_RERANK:
                v = cells.get((npr, f))
                if v is None:
                    out.append("")
                    continue
                txt = f"{v['recall_global']:.3f} / {v['ms_global']:.1f}"
                txt += " *" if round(v["recall_global"], 3) >= 0.95 and v["ms_global"] <= 20 else ""
                out.append(f"**{txt}**" if v is d else txt)
            lines.append(f"| {npr} | " + " | ".join(out) + " |")
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
    ap.add_argument("--no-sweep", action="store_true", help="no nprobe x re-rank grid at the largest size")
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
            rows.append(search_row(n, dim, work, sweep=n == max(args.sizes) and not args.no_sweep))
            print(rows[-1], flush=True)
    text = write_table(builds, rows, dim, cover)
    write_section(Path(args.out), text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
