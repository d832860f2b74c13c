"""Scale: priors as FAISS ID selectors from the GeoPackage R-tree, memory-mapped IVF-PQ, size-chosen
parameters, --nprobe (docs/scale.md). The Dask builds are in test_dask_build.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import faiss
import numpy as np
import pytest
from shapely.geometry import box

from astroloc_qgis.engine import api
from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.index import vectors
from astroloc_qgis.engine.index.manifest import EMBEDDINGS
from astroloc_qgis.engine.index.store import TileIndex


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _exact_top(emb: np.ndarray, allowed: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    flat = faiss.IndexFlatIP(emb.shape[1])
    flat.add(emb[allowed])
    _, pos = flat.search(queries, k)
    return allowed[pos]


def test_prior_tiles_come_from_the_rtree_and_the_selector_search_is_exact(built_index):
    index = TileIndex.open(built_index)
    west, south, east, north = index.manifest["bounds_wgs84"]
    region = box(west, south, west + (east - west) * 0.4, south + (north - south) * 0.5)
    inside = index.tiles_intersecting(region)
    assert index._tree is None  # answered by the GeoPackage R-tree, no whole-table STRtree
    every = np.arange(len(index))
    truth = every[[index.tile_polygon(t).intersects(region) for t in every]]
    assert 0 < len(inside) < len(index) and inside.tolist() == truth.tolist()

    emb = index.faiss.reconstruct_n(0, len(index))
    queries = emb[np.setdiff1d(every, inside)[:4]]  # photos whose own tile lies outside the region
    k = min(5, len(inside))
    scores, ids = index.search(queries, k, ids=inside)
    assert set(ids.ravel().tolist()) <= set(inside.tolist())
    assert ids.tolist() == _exact_top(emb, inside, queries, k).tolist()
    assert np.allclose(scores, np.sort(queries @ emb[inside].T, axis=1)[:, ::-1][:, :k], atol=1e-5)


@pytest.fixture(scope="module")
def ivfpq(tmp_path_factory) -> tuple[TileIndex, np.ndarray]:
    """An IVF-PQ TileIndex over 4000 random unit vectors (trained once for this file)."""
    folder, n, dim = tmp_path_factory.mktemp("ivfpq"), 4000, 32
    emb = _unit(np.random.default_rng(3), n, dim)
    faiss_index, params = vectors.make_index(emb, threshold=1000)
    np.save(folder / EMBEDDINGS, emb.astype(np.float16))
    tiles = {"source": np.zeros(n, np.int32)}
    return TileIndex(folder, {"faiss": params}, None, faiss_index, tiles, []), emb


def test_ivfpq_selector_returns_only_region_tiles_close_to_exact(ivfpq):
    index, emb = ivfpq
    rng = np.random.default_rng(4)
    allowed = np.sort(rng.choice(len(emb), 400, replace=False))
    queries = emb[np.setdiff1d(np.arange(len(emb)), allowed)[:8]]
    _, ids = index.search(queries, 10, ids=allowed)
    assert np.isin(ids, allowed).all()
    exact = _exact_top(emb, allowed, queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids.tolist(), exact.tolist(), strict=True)])
    assert recall >= 0.9  # PQ candidates re-ranked with the float16 embeddings


@pytest.mark.parametrize("fast_scan", [False, True])
def test_ivfpq_opens_memory_mapped_where_it_can_and_answers_as_in_memory(ivfpq, tmp_path, fast_scan):
    index, emb = ivfpq
    if not fast_scan:
        index = TileIndex(tmp_path, {}, None, *vectors.make_index(emb, 1000, fast_scan=False)[:1], {}, [])
        index.manifest["faiss"] = vectors.ivfpq_params(len(emb), emb.shape[1], fast_scan=False)
    path = tmp_path / "t.faiss"
    vectors.write(index.faiss, path)
    params = index.manifest["faiss"]
    mapped = vectors.read(path, params, len(emb), emb.shape[1])
    # 8-bit codes: the inverted lists are mapped, not read; 4-bit fast-scan lists are read
    assert (str(path) in Path("/proc/self/maps").read_text()) is not fast_scan
    loaded = faiss.read_index(str(path))
    faiss.extract_index_ivf(loaded).nprobe = params["nprobe"]
    d1, i1 = mapped.search(emb[:20], 10)
    d2, i2 = loaded.search(emb[:20], 10)
    assert i1.tolist() == i2.tolist() and np.array_equal(d1, d2)


def test_parameters_follow_the_size_and_nprobe_overrides():
    big = vectors.ivfpq_params(1_000_000, 1024)
    assert (big["nlist"], big["code_bytes"], big["nprobe"]) == (1024, 64, 128)
    assert big["factory"] == "PCAR256,IVF1024,PQ128x4fs"
    assert big["code_bytes"] + 8 <= 128  # PQ code + the 8-byte id per tile
    assert vectors.ivfpq_params(1_000_000, 1024, fast_scan=False)["factory"] == "PCAR256,IVF1024,PQ64x8"
    small = vectors.ivfpq_params(250_000, 256)
    assert small["nlist"] == 512 and small["nprobe"] == 64 and small["rerank"] == vectors.RERANK
    assert small["factory"] == "IVF512,PQ128x4fs"


def test_nprobe_trades_speed_for_recall(ivfpq):
    index, emb = ivfpq
    queries = emb[:50] + 0.05 * _unit(np.random.default_rng(5), 50, emb.shape[1])
    exact = _exact_top(emb, np.arange(len(emb)), queries, 10)

    def recall(nprobe: int) -> float:
        _, ids = index.search(queries, 10, nprobe=nprobe)
        return np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids.tolist(), exact.tolist(), strict=True)])

    nlist = faiss.extract_index_ivf(index.faiss).nlist
    assert recall(1) < recall(nlist) and recall(nlist) >= 0.9


def test_nprobe_below_one_is_refused(built_index, tmp_path):
    with pytest.raises(InputError, match="nprobe 0"):
        api.search(str(tmp_path / "none.jpg"), str(built_index), nprobe=0)


def test_large_descriptors_are_pca_rotated_then_mapped_and_restricted(tmp_path):
    emb = _unit(np.random.default_rng(6), 1100, 288)
    faiss_index, params = vectors.make_index(emb, threshold=1000)
    assert params["factory"] == "PCAR256,IVF64,PQ128x4fs" and params["pca_dims"] == 256
    vectors.write(faiss_index, tmp_path / "t.faiss")
    mapped = vectors.read(tmp_path / "t.faiss", params, len(emb), 288)
    np.save(tmp_path / EMBEDDINGS, emb.astype(np.float16))
    index = TileIndex(tmp_path, {"faiss": params}, None, mapped, {"source": np.zeros(len(emb))}, [])
    allowed = np.arange(500, 700)
    _, ids = index.search(emb[:3], 20, ids=allowed)
    assert np.isin(ids, allowed).all() and (ids >= 0).all()
    _, ids = index.search(emb[:20], 5, nprobe=params["nlist"])
    assert (ids[:, 0] == np.arange(20)).mean() >= 0.9  # re-ranked: a tile finds itself


def test_the_rerank_scores_each_query_exactly_over_its_own_candidates(tmp_path):
    """Re-ranking a batch (candidates missing as -1, repeated, fewer than k): each query's candidates
    re-scored with the float16 embeddings, best first, the missing ones last as -1."""
    rng = np.random.default_rng(8)
    emb = _unit(rng, 3000, 64)
    np.save(tmp_path / EMBEDDINGS, emb.astype(np.float16))
    index = TileIndex(tmp_path, {"faiss": {}}, None, None, {"source": np.zeros(len(emb))}, [])
    queries = _unit(rng, 19, 64)
    found = np.stack([rng.choice(len(emb), 50, replace=False) for _ in queries])
    found[:, -5:] = -1
    found[-1] = -1  # a query without candidates
    found[-2, 10:] = found[-2, 0]  # 10 candidates, the first repeated: fewer than k
    scores, ids = index._rerank(queries, found, 20)
    stored = emb.astype(np.float16).astype(np.float32)
    for q, cand, s, i in zip(queries[:-1], found[:-1], scores[:-1], ids[:-1], strict=True):
        cand = np.unique(cand[cand >= 0])
        exact = stored[cand] @ q
        m = min(20, len(cand))
        assert i[:m].tolist() == cand[np.argsort(-exact, kind="stable")[:m]].tolist()
        assert np.allclose(s[:m], np.sort(exact)[::-1][:m], atol=1e-5)
        assert (i[m:] == -1).all() and np.isinf(s[m:]).all()
    assert m == 10
    assert (ids[-1] == -1).all() and np.isinf(scores[-1]).all()
    assert index.embeddings() is index.embeddings()  # mapped once per opened index


def _resident_kb(path: Path) -> int:
    """Resident kB of this process's mappings of `path` (/proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1].isalnum() and "-" in line.split(" ", 1)[0]:  # a mapping's header line
            inside = line.endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


_KERNEL = tuple(int(x) for x in os.uname().release.split("-")[0].split(".")[:2]) if os.name == "posix" else ()


@pytest.mark.skipif(not sys.platform.startswith("linux") or _KERNEL < (5, 14), reason="MADV_POPULATE_READ")
def test_the_rerank_rows_are_mapped_ahead_in_the_background(tmp_path):
    """Opening an IVF-PQ index starts mapping every page of the embeddings (index/pages.py): none
    faults in when a photo's rows are first read; releasing the index stops and unmaps."""
    emb = _unit(np.random.default_rng(9), 4096, 256).astype(np.float16)  # 2 MB
    np.save(tmp_path / EMBEDDINGS, emb)
    path = (tmp_path / EMBEDDINGS).resolve()
    index = TileIndex(tmp_path, {"faiss": {}}, None, None, {"source": np.zeros(len(emb))}, [])
    assert _resident_kb(path) == 0 and index.embeddings() is not None
    assert _resident_kb(path) <= 4  # mapped, not read
    rows = index.rerank_rows()
    thread, _ = index._populating
    thread.join(10)
    assert _resident_kb(path) >= emb.nbytes // 1024  # every page of the rows mapped
    assert rows is index.rerank_rows() and np.array_equal(rows, emb)
    index.release_embeddings()
    del rows
    assert index._populating is None and not thread.is_alive()
