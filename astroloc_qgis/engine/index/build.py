"""Build an index and add sources to it.

Every build writes into a staging folder next to the target and swaps it in with renames, so
an interrupted or failed build never damages an existing index. Embeddings are saved in chunks
under `.<name>.partial/`; running the same build again resumes from them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..grid import GridSpec, windows
from ..models import GlobalModel, get_model
from ..models.views import ViewSet, photo_like_view
from ..progress import Cancel, Progress, raise_if_cancelled, stepper
from ..rasters import RasterSource, expand_sources, open_source
from . import cluster as cluster_mod
from . import coverage, shards, vectors
from . import table as table_mod
from .manifest import (
    EMBEDDINGS,
    FAISS_FILE,
    FORMAT_VERSION,
    MANIFEST,
    MODEL_STATE,
    TABLE_GPKG,
    TILES_NPZ,
    read_manifest,
    write_manifest,
)
from .mbtiles import service_info
from .shards import (
    RESUME_HINT,
    WHAT,
    Readers,
    disk_guard,
    embed_chunk,
    load_shard,
    merge_shards,
    save_shard,
    shard_path,
    window,
)

MIN_VALID = 0.3
FIT_SAMPLES = 1500
FIT_SEED = 7  # the sample tiles and their views are drawn at random, repeatably
READ_SHARE = 0.1  # of the fit stage's progress bar: reading the sample tiles (the rest: learning)
VIEWS_PER_SAMPLE = 4  # photo-like views per sample tile for the learned whitening (models/views.py)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fmt_eta(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def enumerate_tiles(
    sources: list[RasterSource], grid: GridSpec, first_source: int = 0
) -> dict[str, np.ndarray]:
    rows = [
        (first_source + i, w.scale, w.col, w.row, w.width, w.height)
        for i, src in enumerate(sources)
        for w in windows(src.width, src.height, grid)
    ]
    arr = np.array(rows, dtype=np.int32).reshape(-1, 6)
    return {c: arr[:, j].copy() for j, c in enumerate(table_mod.COLUMNS)}


def _with_service_info(src: RasterSource) -> RasterSource:
    """A tile cache fetched from a service carries its year and service description (mbtiles.py)."""
    info = service_info(src.path)
    if info:
        src.extra = {"year": info.get("year"), "service": info}
    return src


def fit_record(model: GlobalModel, fit_samples: int = FIT_SAMPLES) -> dict[str, Any]:
    """How a model's learned state is made (the manifest's `fit`; docs/index.md)."""
    views = VIEWS_PER_SAMPLE if model.fits_on_views else 0
    return {
        "max_samples": fit_samples,
        "views_per_sample": views,
        "seed": FIT_SEED,
        "whitening": "learned from photo-like views" if views else "pca",
    }


def built_as_now(index_dir: str | os.PathLike) -> bool:
    """Would a build with the default model today give this index's model and learned state?
    (For caches of demo and benchmark indexes; a user's index built otherwise stays valid.)"""
    manifest = Path(index_dir) / MANIFEST
    if not manifest.is_file():
        return False
    m = json.loads(manifest.read_text())
    model = get_model(None)
    built = m.get("model", {})
    return (
        built.get("name") == model.name
        and built.get("weights_hash") == model.weights_hash()
        and m.get("fit") == (fit_record(model) if model.needs_fit else None)
    )


def _fit(
    model: GlobalModel,
    readers: Readers,
    cands: dict[str, np.ndarray],
    n_samples: int,
    min_valid: float,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    n = len(cands["source"])
    rng = np.random.default_rng(FIT_SEED)
    order = rng.permutation(n)[: max(n_samples * 2, 1)]
    imgs: list[np.ndarray] = []
    owners: list[int] = []  # the sample tile of each photo-like view
    sample_windows: list[tuple[int, tuple[int, int, int, int]]] = []  # (source, window) per sample
    size = model.input_size
    step = stepper(progress, cancel, WHAT, RESUME_HINT)
    for j, i in enumerate(order):
        if len(imgs) >= n_samples:
            break
        if j % 32 == 0:
            step(
                "fit",
                READ_SHARE * len(imgs) / min(n_samples, n),
                f"reading tiles to learn the {model.name} codebook",
            )
        src, (col, row, w, h) = int(cands["source"][i]), window(cands, i)
        img, valid = readers.read(src, (col, row, w, h), size)
        if valid < min_valid:
            continue
        if model.fits_on_views:
            owners += [len(imgs)] * VIEWS_PER_SAMPLE
        sample_windows.append((src, (col, row, w, h)))
        imgs.append(img)
    if len(imgs) < 2:
        raise InputError("too few non-empty tiles to build an index", "check the rasters' nodata and extent")
    context: dict[int, np.ndarray] = {}

    def render(j: int) -> np.ndarray:
        # Views of one sample are consecutive: its 2x surroundings are read once.
        owner = owners[j]
        if owner not in context:
            context.clear()
            src, (col, row, w, h) = sample_windows[owner]
            context[owner] = readers.read(src, (col - w // 2, row - h // 2, 2 * w, 2 * h), 2 * size)[0]
        return photo_like_view(context[owner], rng, size)

    views = ViewSet(owners, render)
    message = f"learning the {model.name} codebook from {len(imgs)} tiles" + (
        f" and {len(views)} photo-like views" if len(views) else ""
    )

    def learning(_stage: str, fraction: float, _message: str = "") -> None:
        step("fit", READ_SHARE + (1 - READ_SHARE) * fraction, message)

    learning("fit", 0.0)
    model.fit(imgs, views, progress=learning)


def _embed_all(
    model: GlobalModel,
    readers: Readers,
    cands: dict[str, np.ndarray],
    work: Path,
    min_valid: float,
    progress: Progress | None,
    cancel: Cancel | None,
    shard_tiles: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embed every candidate tile shard by shard (saved in `work`/shards for resume).

    Returns (kept candidate indices, their valid fraction, embeddings)."""
    n, shard_tiles = len(cands["source"]), shard_tiles or shards.CHUNK
    parts = []
    t0, done_before = time.monotonic(), 0  # tiles embedded in this run before the current shard
    report = stepper(progress, None, WHAT)  # cancel is asked before a batch: never between it and its save

    def before_batch(b0: int, c0: int) -> None:
        raise_if_cancelled(cancel, WHAT, RESUME_HINT)
        rate = (done_before + b0 - c0) / max(time.monotonic() - t0, 1e-6)
        eta = f", ETA {_fmt_eta((n - b0) / rate)}" if rate > 0 else ""
        report("embed", b0 / n, f"{b0}/{n} tiles, {rate:.1f} tiles/s{eta}")

    for c0 in range(0, n, shard_tiles):
        path, stop = shard_path(work, c0), min(c0 + shard_tiles, n)
        part = load_shard(path)
        if part is None:
            part = embed_chunk(
                model, readers, cands, c0, stop, min_valid, lambda b0, c0=c0: before_batch(b0, c0)
            )
            save_shard(path, *part)
            done_before += stop - c0
            rate = done_before / max(time.monotonic() - t0, 1e-6)
            eta = _fmt_eta((n - stop) / rate)
            report("embed", stop / n, f"{stop}/{n} tiles, {rate:.1f} tiles/s, ETA {eta}")
        parts.append(part)
    report("embed", 1.0, f"{n}/{n} tiles")
    return merge_shards(parts, model.descriptor_dim)


def _prepare_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder", "choose a folder for the index")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise InputError(
            f"{out}: folder is not empty and is not an AstroLoc index",
            "choose a new or empty folder (an existing index there would be replaced)",
        )
    out.parent.mkdir(parents=True, exist_ok=True)


def _swap_in(stage: Path, out: Path) -> None:
    """Replace `out` by `stage` with renames (the old index stays whole until the last step)."""
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
        try:
            os.rename(stage, out)
        except OSError:
            os.rename(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(stage, out)


def _write_index(
    out: Path,
    manifest: dict[str, Any],
    model: GlobalModel,
    tiles: dict[str, np.ndarray],
    emb: np.ndarray,
    sources: list[RasterSource],
    faiss_index=None,
    faiss_params=None,
    gpkg_from: Path | None = None,
    first_new: int = 0,
    progress: Progress | None = None,
) -> dict[str, Any]:
    stage = out.with_name(f".{out.name}.staging-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    report = stepper(progress, None, WHAT)  # writing is not cancelled half-way
    with disk_guard(out, cleanup=stage):
        stage.mkdir(parents=True)
        report("write", 0.1, "writing FAISS index")
        if faiss_index is None:
            faiss_index, faiss_params = vectors.make_index(emb)
        vectors.write(faiss_index, stage / FAISS_FILE)
        np.save(stage / EMBEDDINGS, emb.astype(np.float16))
        table_mod.save_npz(stage / TILES_NPZ, tiles)
        state = model.state()
        if state:
            with open(stage / MODEL_STATE, "wb") as fh:
                np.savez(fh, **state)
        report("write", 0.4, "writing tiles.gpkg")
        if gpkg_from is not None:
            shutil.copy2(gpkg_from, stage / TABLE_GPKG)
            table_mod.write_gpkg(stage / TABLE_GPKG, tiles, sources, first_id=first_new, append=True)
        else:
            table_mod.write_gpkg(stage / TABLE_GPKG, tiles, sources)
        report("write", 0.7, "writing the coverage (one polygon per source and scale)")
        coverage.write(stage / TABLE_GPKG, tiles, sources)
        counts = np.bincount(tiles["source"], minlength=len(sources))
        lons = [s.bounds_wgs84 for s in sources]
        manifest.update(
            {
                "updated": _now(),
                "model": {
                    **model.model_id(),
                    "descriptor_dim": int(emb.shape[1]),
                    "state_sha256": model.state_hash(),
                },
                "descriptor_dim": int(emb.shape[1]),
                "tiles": int(len(tiles["source"])),
                "sources": [{**s.to_dict(), "tiles": int(counts[i])} for i, s in enumerate(sources)],
                "bounds_wgs84": [
                    min(b[0] for b in lons),
                    min(b[1] for b in lons),
                    max(b[2] for b in lons),
                    max(b[3] for b in lons),
                ],
                "faiss": {**faiss_params, "file": FAISS_FILE, "ntotal": int(faiss_index.ntotal)},
                "files": {
                    "faiss": FAISS_FILE,
                    "table": TABLE_GPKG,
                    "table_layer": table_mod.TABLE_LAYER,
                    "tiles": TILES_NPZ,
                    "embeddings": EMBEDDINGS,
                    "model_state": MODEL_STATE if state else None,
                },
            }
        )
        write_manifest(stage, manifest)
        report("write", 0.9, "replacing the index folder")
        _swap_in(stage, out)
    report("write", 1.0, f"{manifest['tiles']} tiles written to {out}")
    return manifest


def _cluster_client(spec: str | None) -> AbstractContextManager[Any]:
    """A Dask client for `spec` (its workers start importing while this process fits), or None."""
    if spec is None:
        return nullcontext(None)
    return cluster_mod.connect(spec, warm_up=True)


def _fit_or_resume(
    m: GlobalModel,
    readers: Readers,
    cands: dict[str, np.ndarray],
    work: Path,
    fit_samples: int,
    min_valid: float,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    """Fit the model's learned state on a sample, or load the one an interrupted build saved."""
    if not m.needs_fit:
        return
    state_path = work / MODEL_STATE
    if state_path.is_file():
        with np.load(state_path) as z:
            m.load_state({k: z[k] for k in z.files})
        return
    _fit(m, readers, cands, fit_samples, min_valid, progress, cancel)
    tmp = state_path.with_suffix(".tmp")  # whole or absent, however the build stops
    with disk_guard(work), open(tmp, "wb") as fh:
        np.savez(fh, **m.state())
    os.replace(tmp, state_path)


def build_index(
    sources: list[str],
    out_dir: str | os.PathLike,
    model: str | None = None,
    scales: list[int] | None = None,
    tile_px: int | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    min_valid: float = MIN_VALID,
    fit_samples: int = FIT_SAMPLES,
    cluster: str | None = None,
    shard_tiles: int | None = None,
) -> dict[str, Any]:
    """`cluster`: None (this process), "local[:N]" (a Dask LocalCluster of N worker processes) or a
    Dask scheduler address "tcp://HOST:8786" (cluster.py, docs/scale.md); the index is the same."""
    out = Path(out_dir).resolve()
    shard_tiles = shard_tiles or shards.CHUNK  # read at call time (tests shrink shards.CHUNK)
    if cluster is not None:
        cluster_mod.parse_cluster(cluster)  # a bad --cluster fails before any work
    _prepare_target(out)
    paths = expand_sources(sources)
    report = stepper(progress, None, WHAT)
    srcs = []
    for i, p in enumerate(paths):
        report("scan", i / len(paths), f"checking {Path(p).name}")
        srcs.append(_with_service_info(open_source(p)))
    grid = GridSpec(tile_px=tile_px or GridSpec().tile_px, scales=tuple(scales or GridSpec().scales))
    m = get_model(model)
    cands = enumerate_tiles(srcs, grid)
    config = {
        "model": m.model_id(),
        "grid": grid.to_dict(),
        "sources": [s.sha256 for s in srcs],
        "min_valid": min_valid,
        "fit": fit_record(m, fit_samples),
        "format": FORMAT_VERSION,
        "shard_tiles": shard_tiles,
    }
    work = out.with_name(f".{out.name}.partial")
    key = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()
    with disk_guard(work):
        if (work / "build.json").is_file() and json.loads((work / "build.json").read_text()).get(
            "key"
        ) == key:
            report("resume", 0.0, f"resuming the interrupted build from {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            (work / "build.json").write_text(json.dumps({"key": key, "config": config}))
    readers = Readers(srcs)
    try:
        with _cluster_client(cluster) as client:
            _fit_or_resume(m, readers, cands, work, fit_samples, min_valid, progress, cancel)
            if client is None:
                kept, valid, emb = _embed_all(
                    m, readers, cands, work, min_valid, progress, cancel, shard_tiles
                )
            else:
                kept, valid, emb = cluster_mod.embed_on_cluster(
                    client, m, srcs, cands, work, min_valid, progress, cancel, shard_tiles
                )
    finally:
        readers.close()
    if len(kept) == 0:
        raise InputError(
            f"{', '.join(Path(p).name for p in paths)}: every tile is empty (nodata)",
            "check the rasters' nodata value and extent",
        )
    tiles = {c: cands[c][kept] for c in table_mod.COLUMNS}
    tiles["valid"] = valid
    manifest = {
        "format_version": FORMAT_VERSION,
        "kind": "astroloc-index",
        "created": _now(),
        "grid": grid.to_dict(),
        "scales": list(grid.scales),
        "crs": "EPSG:4326",
        "min_valid": min_valid,
    }
    if m.needs_fit:
        manifest["fit"] = fit_record(m, fit_samples)
    manifest = _write_index(out, manifest, m, tiles, emb, srcs, progress=progress)
    shutil.rmtree(work, ignore_errors=True)
    return manifest


def add_to_index(
    index_dir: str | os.PathLike,
    sources: list[str],
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> dict[str, Any]:
    """Embed new sources with the index's own model (and codebook) and append them."""
    from .store import TileIndex

    out = Path(index_dir).resolve()
    idx = TileIndex.open(out)
    known = {s.sha256 for s in idx.sources}
    new: list[RasterSource] = []
    for p in expand_sources(sources):
        src = _with_service_info(open_source(p))
        if src.sha256 not in known:
            new.append(src)
            known.add(src.sha256)
    if not new:
        raise InputError(f"{', '.join(map(str, sources))}: already in the index {out}", "nothing to add")
    grid = GridSpec.from_dict(idx.manifest["grid"])
    min_valid = float(idx.manifest.get("min_valid", MIN_VALID))
    offset = len(idx.sources)
    cands = enumerate_tiles(new, grid, first_source=offset)
    work = out.with_name(f".{out.name}.partial-add")
    shutil.rmtree(work, ignore_errors=True)
    with disk_guard(work):
        work.mkdir(parents=True)
    readers = Readers(new, offset)
    try:
        kept, valid, emb = _embed_all(idx.model, readers, cands, work, min_valid, progress, cancel)
    finally:
        readers.close()
        shutil.rmtree(work, ignore_errors=True)
    if len(kept) == 0:
        raise InputError(
            f"{', '.join(Path(s.path).name for s in new)}: every tile is empty (nodata)",
            "check the rasters' nodata value and extent",
        )
    new_tiles = {c: cands[c][kept] for c in table_mod.COLUMNS}
    new_tiles["valid"] = valid
    tiles = table_mod.concat(idx.tiles, new_tiles)
    all_emb = np.concatenate([idx.embeddings().astype(np.float32), emb])
    idx.release_embeddings()
    params = idx.manifest["faiss"]
    threshold = int(params.get("threshold", vectors.FLAT_THRESHOLD))
    if params["type"] == "flat" and len(all_emb) >= threshold:
        faiss_index, faiss_params = vectors.make_index(all_emb, threshold)
    else:
        import faiss

        faiss_index = faiss.read_index(str(out / FAISS_FILE))
        faiss_index.add(np.ascontiguousarray(emb, dtype=np.float32))
        faiss_params = {k: v for k, v in params.items() if k not in ("file", "ntotal")}
    return _write_index(
        out,
        dict(idx.manifest),
        idx.model,
        tiles,
        all_emb,
        idx.sources + new,
        faiss_index,
        faiss_params,
        gpkg_from=out / TABLE_GPKG,
        first_new=len(idx.tiles["source"]),
        progress=progress,
    )


__all__ = ["add_to_index", "build_index", "enumerate_tiles", "read_manifest"]
