"""FAISS: exact inner product below FLAT_THRESHOLD tiles, IVF-PQ above (memory-mapped when read).

IVF-PQ parameters follow the size (docs/scale.md): nlist ~ sqrt(n) lists, 64-byte PQ codes (4-bit fast scan),
nprobe an 1/8 of the lists (at least 16), descriptors above 256-d PCA-rotated to 256 first. The search
re-ranks RERANK x k PQ candidates exactly with the stored float16 embeddings (TileIndex.search;
the factor chosen in docs/scale.md)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadIndexError

FLAT_THRESHOLD = 200_000
RERANK = 8  # PQ candidates per result re-scored exactly (IVF-PQ): recall@100 0.92 at x4, 0.977 at x8 (1M)


PCA_DIMS = 256  # large descriptors are rotated and cut to this many dimensions before IVF-PQ


def default_nprobe(nlist: int) -> int:
    return int(min(nlist, max(16, nlist // 8)))


def ivfpq_params(n: int, dim: int, fast_scan: bool = True) -> dict[str, Any]:
    """`fast_scan`: 4-bit PQ codes scanned with SIMD (x3 faster at the same 64 bytes and recall,
    docs/bench_scale.md), held in memory; off: 8-bit codes, memory-mapped on open."""
    nlist = int(2 ** round(math.log2(max(64.0, math.sqrt(n)))))
    # A PCA rotation to PCA_DIMS first: the PQ then spends its 64 bytes on the dimensions that carry
    # the variance; the re-ranking uses the full float16 vectors.
    coded = min(dim, PCA_DIMS)
    if fast_scan:  # 2 dimensions per 4-bit sub-quantizer: 64 bytes per vector for 256-d
        m, nbits = min(128, max(2, coded // 2 // 2 * 2)), 4
    else:  # at least 4 dimensions per 8-bit sub-quantizer: 64 bytes per vector for 256-d
        m = next((m for m in (64, 48, 32, 24, 16, 12, 8, 4, 2) if coded % m == 0 and coded // m >= 4), 1)
        nbits = 8
    pca = f"PCAR{coded}," if coded < dim else ""
    return {
        "type": "ivfpq",
        "metric": "inner_product",
        "nlist": nlist,
        "m": m,
        "nbits": nbits,
        "fast_scan": fast_scan,
        "code_bytes": m * nbits // 8,
        "nprobe": default_nprobe(nlist),
        "rerank": RERANK,
        "pca_dims": coded if pca else None,
        "factory": f"{pca}IVF{nlist},PQ{m}x{nbits}{'fs' if fast_scan else ''}",
    }


def make_index(emb: np.ndarray, threshold: int = FLAT_THRESHOLD, seed: int = 0, fast_scan: bool = True):
    """A filled FAISS index for the embeddings and the parameters to record in the manifest."""
    import faiss

    emb = np.ascontiguousarray(emb, dtype=np.float32)
    n, dim = emb.shape
    if n < threshold:
        index = faiss.IndexFlatIP(dim)
        params: dict[str, Any] = {"type": "flat", "metric": "inner_product", "factory": "Flat"}
    else:
        params = ivfpq_params(n, dim, fast_scan)
        index = faiss.index_factory(dim, params["factory"], faiss.METRIC_INNER_PRODUCT)
        ivf = faiss.downcast_index(faiss.extract_index_ivf(index))
        if hasattr(ivf, "do_polysemous_training"):
            # Polysemous training (simulated annealing) costs minutes and only helps Hamming pre-filtering.
            ivf.do_polysemous_training = False
        rng = np.random.default_rng(seed)
        train = emb[rng.choice(n, min(n, max(params["nlist"] * 50, 256 * 40)), replace=False)]
        index.train(train)
        faiss.extract_index_ivf(index).nprobe = params["nprobe"]
    index.add(emb)
    params["threshold"] = threshold
    return index, params


def write(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def read(path: Path, params: dict[str, Any], expect_n: int, expect_dim: int):
    """The index; IVF-PQ with 8-bit codes memory-mapped read-only (the inverted lists stay in the page
    cache); 4-bit fast-scan lists cannot be mapped and are read (64 MB for a million tiles)."""
    import faiss

    if not path.is_file():
        raise BadIndexError(f"{path}: FAISS file missing", "rebuild the index with 'index build'")
    flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if params.get("type") == "ivfpq" else 0
    try:
        index = faiss.read_index(str(path), flags)
    except Exception as exc:
        raise BadIndexError(
            f"{path}: FAISS file is damaged or truncated", "rebuild the index with 'index build'"
        ) from exc
    if index.ntotal != expect_n or index.d != expect_dim:
        raise BadIndexError(
            f"{path}: FAISS file holds {index.ntotal} x {index.d} vectors, manifest says "
            f"{expect_n} x {expect_dim}",
            "rebuild the index with 'index build'",
        )
    if params.get("type") == "ivfpq":
        faiss.extract_index_ivf(index).nprobe = int(params.get("nprobe", 32))
    return index


def selector(ids: np.ndarray, n: int):
    """An ID selector for the sorted tile ids `ids` among `n`: a bitmap (one bit per tile, O(1) per test
    inside the FAISS scan). Returns (selector, bitmap); the bitmap must outlive the search."""
    import faiss

    mask = np.zeros(n, bool)
    mask[ids] = True
    bitmap = np.packbits(mask, bitorder="little")
    return faiss.IDSelectorBitmap(n, faiss.swig_ptr(bitmap)), bitmap
