"""Index builds on a real Dask LocalCluster (worker processes): the same index as a local build, resume
from finished shards, a worker killed mid-build (docs/scale.md). Tiny raster, the cheapest model."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import distributed
import faiss
import numpy as np
import psutil
import pytest
from conftest import texture, write_raster

from astroloc_qgis.engine.errors import Cancelled
from astroloc_qgis.engine.index.build import build_index
from astroloc_qgis.engine.index.manifest import FAISS_FILE, TILES_NPZ, read_manifest
from astroloc_qgis.engine.index.table import load_npz

BUILD = {"model": "sift-vlad", "scales": [1], "tile_px": 64, "fit_samples": 4}


def _same_index(a: Path, b: Path) -> None:
    """Same tiles (ids, windows, valid fractions) and the same vectors to float precision."""
    ta, tb = load_npz(a / TILES_NPZ), load_npz(b / TILES_NPZ)
    assert ta.keys() == tb.keys() and all(np.array_equal(ta[k], tb[k]) for k in ta)
    fa, fb = faiss.read_index(str(a / FAISS_FILE)), faiss.read_index(str(b / FAISS_FILE))
    assert fa.ntotal == fb.ntotal == len(ta["source"])
    assert np.allclose(fa.reconstruct_n(0, fa.ntotal), fb.reconstruct_n(0, fb.ntotal), atol=1e-5)
    ma, mb = read_manifest(a), read_manifest(b)
    assert ma["model"] == mb["model"] and ma["tiles"] == mb["tiles"]


@pytest.fixture(scope="module")
def raster(tmp_path_factory) -> Path:
    """24 tiles of 64 px."""
    return write_raster(tmp_path_factory.mktemp("dask") / "small.tif", texture(160, 224, 5))


@pytest.fixture(scope="module")
def local_index(tmp_path_factory, raster) -> Path:
    out = tmp_path_factory.mktemp("local") / "index"
    build_index([str(raster)], out, **BUILD)
    return out


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as c:
        yield c


def _listening_addresses() -> set[str]:
    me = psutil.Process()
    procs = [me, *me.children(recursive=True)]
    return {
        conn.laddr.ip
        for p in procs
        for conn in p.net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN
    }


def test_local_cluster_build_equals_a_local_build_and_listens_on_loopback_only(tmp_path, raster, local_index):
    seen: list[set[str]] = []

    def progress(stage: str, fraction: float, message: str = "") -> None:
        if "Dask workers" in message:
            seen.append(_listening_addresses())

    out = tmp_path / "index"
    build_index([str(raster)], out, cluster="local:2", shard_tiles=8, progress=progress, **BUILD)
    _same_index(local_index, out)
    assert seen and seen[0] and seen[0] <= {"127.0.0.1", "::1"}


def test_interrupted_cluster_build_resumes_from_its_finished_shards(tmp_path, raster, local_index, cluster):
    out = tmp_path / "index"
    shards = tmp_path / ".index.partial" / "shards"
    with pytest.raises(Cancelled):
        build_index(
            [str(raster)],
            out,
            cluster=cluster.scheduler_address,
            shard_tiles=4,
            cancel=lambda: len(list(shards.glob("*.npz"))) >= 2,
            **BUILD,
        )
    finished = {p.name: p.stat().st_mtime_ns for p in shards.glob("*.npz")}
    assert 2 <= len(finished) < 6 and not out.exists()
    messages: list[str] = []
    build_index(
        [str(raster)],
        out,
        cluster=cluster.scheduler_address,
        shard_tiles=4,
        progress=lambda s, f, m="": messages.append(m),
        **BUILD,
    )
    assert any(f"({len(finished)} already done)" in m for m in messages)
    assert any("resuming" in m for m in messages)
    _same_index(local_index, out)


def test_a_worker_killed_mid_build_has_its_shard_redone(tmp_path, raster, local_index, cluster):
    killer = distributed.Client(cluster)
    before = set(killer.scheduler_info()["workers"])
    victims: list[str] = []

    def progress(stage: str, fraction: float, message: str = "") -> None:
        if victims or "embedded on the cluster" not in message:
            return
        busy = [w for w, keys in killer.processing().items() if keys]
        if busy:
            victims.append(busy[0])
            # the worker process dies a moment later (run() answers first)
            killer.run(lambda: threading.Timer(0.05, os._exit, (1,)).start(), workers=[busy[0]])

    out = tmp_path / "index"
    try:
        build_index(
            [str(raster)], out, cluster=cluster.scheduler_address, shard_tiles=2, progress=progress, **BUILD
        )
        killer.wait_for_workers(2, timeout=60)
        after = set(killer.scheduler_info()["workers"])
    finally:
        killer.close()
    assert victims and victims[0] in before and victims[0] not in after  # it died, a new one replaced it
    _same_index(local_index, out)
