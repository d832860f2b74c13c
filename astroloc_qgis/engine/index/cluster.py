"""Index builds on Dask distributed: the embedding of the tiles, shard by shard, on a cluster's workers.

The client (the `index build` process) fits the model once on a sample, sends the learned state to
every worker, and submits one task per shard of CHUNK candidate tiles that is not finished yet. A
worker embeds its shard with the same function as a local build (shards.embed_chunk) and returns the
vectors; the client saves each shard under DIR/shards/ as it arrives, so an interrupted build resumes
from the finished ones, and a task whose worker dies is run again elsewhere (Dask reschedules it,
`retries` covers errors). The shards are merged in candidate order into one FAISS index and one tile
table, the same as a local build. Workers of a `tcp://` scheduler must see the rasters under the same
paths (docs/scale.md).
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..models import GlobalModel, get_model
from ..progress import Cancel, Progress, raise_if_cancelled, stepper
from ..rasters import RasterSource
from . import shards
from .store import model_name_for

RETRIES = 2  # a shard that raises is tried again this many times (a dead worker: rescheduled anyway)
CONNECT_TIMEOUT_S = 20
_worker_models: dict[str, GlobalModel] = {}  # per worker process: model name + state hash -> model


def parse_cluster(spec: str) -> tuple[str, Any]:
    """ "local" / "local:N" -> ("local", N); "tcp://HOST:PORT" -> ("tcp", address)."""
    text = str(spec).strip()
    if text == "local" or text.startswith("local:"):
        count = text.partition(":")[2] or str(os.cpu_count() or 1)
        if not count.isdigit() or int(count) < 1:
            raise InputError(f"--cluster {spec}: N must be a positive number of workers", "e.g. local:2")
        return "local", int(count)
    if text.startswith(("tcp://", "tls://")) and ":" in text.split("://", 1)[1]:
        return "tcp", text
    raise InputError(
        f"--cluster {spec}: not a cluster",
        "give local:N (N worker processes here) or tcp://HOST:8786 (a running 'dask scheduler')",
    )


@contextmanager
def connect(spec: str, warm_up: bool = False) -> Iterator[Any]:
    """A Dask Client: to a new LocalCluster listening on loopback only, or to a running scheduler.
    `warm_up`: every worker starts importing the engine at once (torch and OpenCV take seconds)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError(
            "--cluster needs Dask distributed, which is not installed",
            "install requirements/engine.txt (dask[distributed]) into the engine venv",
        ) from exc
    kind, arg = parse_cluster(spec)
    if kind == "local":
        # processes: the models are not thread-safe and hold the GIL; nothing listens beyond 127.0.0.1
        with (
            LocalCluster(
                n_workers=arg,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                worker_dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            _warm_up(client, warm_up)
            yield client
        return
    try:
        client = Client(arg, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            f"--cluster {arg}: no Dask scheduler answers ({exc})",
            "start one with 'dask scheduler' and workers with 'dask worker ADDRESS' (docs/scale.md)",
        ) from exc
    with client:
        _warm_up(client, warm_up)
        yield client


def _import_engine() -> None:
    from .. import models

    models.configure_threads()


def _warm_up(client: Any, wanted: bool) -> None:
    for worker in client.scheduler_info().get("workers", {}) if wanted else ():
        client.submit(_import_engine, workers=[worker], allow_other_workers=False, pure=False)


def _model_on_worker(name: str, key: str, state: dict[str, np.ndarray]) -> GlobalModel:
    model = _worker_models.get(key)
    if model is None:
        model = get_model(name)
        if state:
            model.load_state(state)
        _worker_models.clear()  # one build's model at a time per worker process
        _worker_models[key] = model
    return model


def embed_shard(
    name: str,
    key: str,
    state: dict[str, np.ndarray],
    sources: list[dict[str, Any]],
    cands: dict[str, np.ndarray],
    start: int,
    min_valid: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Dask task: embed one shard (`cands` are its rows; `start` its first candidate index)."""
    model = _model_on_worker(name, key, state)
    readers = shards.Readers([RasterSource.from_dict(s) for s in sources])
    try:
        kept, valid, emb = shards.embed_chunk(model, readers, cands, 0, len(cands["source"]), min_valid)
    finally:
        readers.close()
    return kept + start, valid, emb


def _submit_missing(
    client: Any,
    model: GlobalModel,
    sources: list[RasterSource],
    cands: dict[str, np.ndarray],
    starts: list[int],
    min_valid: float,
    shard_tiles: int,
) -> dict[Any, int]:
    """One future per shard start, the model's state sent once to every worker."""
    state = model.state()
    key = f"{model.name}|{model.state_hash()}"
    state_future = client.scatter([state], broadcast=True, hash=False)[0] if state else {}
    name, token = model_name_for({"model": model.model_id()}), uuid.uuid4().hex[:8]
    n = len(cands["source"])
    source_dicts = [s.to_dict() for s in sources]
    futures = {}
    for c0 in starts:
        rows = {c: a[c0 : min(c0 + shard_tiles, n)] for c, a in cands.items()}
        future = client.submit(
            embed_shard,
            name,
            key,
            state_future,
            source_dicts,
            rows,
            c0,
            min_valid,
            key=f"astroloc-shard-{c0}-{token}",
            retries=RETRIES,
            pure=False,
        )
        futures[future] = c0
    return futures


def _result(future: Any, start: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise InputError(
            f"index build: the shard from tile {start} killed every Dask worker that ran it ({exc})",
            "check the workers' memory and logs, then run the same command again to resume",
        ) from exc


def embed_on_cluster(
    client: Any,
    model: GlobalModel,
    sources: list[RasterSource],
    cands: dict[str, np.ndarray],
    work: Path,
    min_valid: float,
    progress: Progress | None,
    cancel: Cancel | None,
    shard_tiles: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like build._embed_all (the local loop), the shards embedded by the workers of `client`."""
    from distributed import as_completed

    n, shard_tiles = len(cands["source"]), shard_tiles or shards.CHUNK
    starts = list(range(0, n, shard_tiles))
    parts = {c0: shards.load_shard(shards.shard_path(work, c0)) for c0 in starts}
    missing = [c0 for c0, part in parts.items() if part is None]
    report = stepper(progress, None, shards.WHAT)
    done = n - sum(min(shard_tiles, n - c0) for c0 in missing)
    if missing:
        workers = len(client.scheduler_info().get("workers", {}))
        report(
            "embed",
            done / n,
            f"{len(missing)} shards of {shard_tiles} tiles on {workers} Dask workers"
            + (f" ({len(starts) - len(missing)} already done)" if done else ""),
        )
        futures = _submit_missing(client, model, sources, cands, missing, min_valid, shard_tiles)
        try:
            for future in as_completed(list(futures)):
                raise_if_cancelled(cancel, shards.WHAT, shards.RESUME_HINT)
                c0 = futures[future]
                part = _result(future, c0)
                shards.save_shard(shards.shard_path(work, c0), *part)
                parts[c0] = part
                done += min(shard_tiles, n - c0)
                report("embed", done / n, f"{done}/{n} tiles embedded on the cluster")
        finally:
            client.cancel(list(futures))
    report("embed", 1.0, f"{n}/{n} tiles")
    return shards.merge_shards([parts[c0] for c0 in starts], model.descriptor_dim)
