"""Score-level variants of a fused-vlad index, ranked exhaustively from one index's vectors.

A fused-vlad descriptor is [xfeat-mlvlad (768), sift-vlad (256)] unit vectors x sqrt(weight):
each part's cosine is recovered from its slice, so the parts, other weights of the fused
score, per-query normalised fusions and re-rankings of the top-k can all be measured from one
build (tools/bench_orbital.py and tools/bench_retrieval.py). `search` ranks the same way on a
plain model (max over the rotations, then order_by_subdescriptor); checked on the default
weights: the "fused-vlad" ranking here reproduces `search`'s on the same index.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

TOP = 100
#: descriptor slices of a fused-vlad index: xfeat-mlvlad, its xfeat-vlad part, sift-vlad
SLICES = {"xm": (0, 768), "xv": (0, 256), "s": (768, 1024)}
#: slices of an xfeat-mlvlad index
SLICES_MLVLAD = {"xm": (0, 768), "xv": (0, 256)}

#: per-query cosine matrices (rotations x tiles) by slice name
Scores = dict[str, np.ndarray]
Ranker = Callable[[Scores], np.ndarray]


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def slice_scores(
    queries: np.ndarray, emb_units: dict[str, np.ndarray], slices: dict[str, tuple[int, int]]
) -> Scores:
    return {k: unit(queries[:, a:b]) @ emb_units[k].T for k, (a, b) in slices.items()}


def tile_units(emb: np.ndarray, slices: dict[str, tuple[int, int]]) -> dict[str, np.ndarray]:
    return {k: unit(np.asarray(emb[:, a:b], np.float32)) for k, (a, b) in slices.items()}


def top(score: np.ndarray, k: int = TOP) -> np.ndarray:
    return np.argsort(-score, kind="stable")[:k]


def reorder(ids: np.ndarray, score: np.ndarray) -> np.ndarray:
    return ids[np.argsort(-score[ids], kind="stable")]


def zscore(s: np.ndarray) -> np.ndarray:
    """Each rotation row's cosines as z-scores over the tiles: the two parts' cosines have
    different spreads, so a plain mean lets the wider one decide."""
    return (s - s.mean(axis=1, keepdims=True)) / np.maximum(s.std(axis=1, keepdims=True), 1e-9)


def mlvlad(s: Scores) -> np.ndarray:
    """xfeat-mlvlad as search ranks it: top-k by the full descriptor, ordered by its xfeat-vlad part."""
    return reorder(top(s["xm"].max(axis=0)), s["xv"].max(axis=0))


def fused(w: float) -> Ranker:
    return lambda s: top((w * s["xm"] + (1 - w) * s["s"]).max(axis=0))


def fused_z(w: float = 0.5) -> Ranker:
    return lambda s: top((w * zscore(s["xm"]) + (1 - w) * zscore(s["s"])).max(axis=0))


def fused_reordered_by(part: str, k: int = TOP, w: float = 0.5) -> Ranker:
    """The fused ranking with its first k tiles re-ordered by one part's cosine."""

    def rank(s: Scores) -> np.ndarray:
        base = top((w * s["xm"] + (1 - w) * s["s"]).max(axis=0))
        return np.concatenate([reorder(base[:k], s[part].max(axis=0)), base[k:]])

    return rank


def rrf(c: float = 60.0) -> Ranker:
    """Reciprocal rank fusion of the xfeat-mlvlad and sift-vlad rankings."""

    def rank(s: Scores) -> np.ndarray:
        total = np.zeros(s["s"].shape[1])
        for score in (s["xm"].max(axis=0), s["s"].max(axis=0)):
            r = np.empty(len(score))
            r[np.argsort(-score, kind="stable")] = np.arange(len(score))
            total += 1.0 / (c + r)
        return top(total)

    return rank


#: (label, ranker, slices needed) measured on a fused-vlad index
FUSED_RANKERS: list[tuple[str, Ranker]] = [
    ("xfeat-mlvlad (part)", mlvlad),
    ("xfeat-vlad (part)", lambda s: top(s["xv"].max(axis=0))),
    ("sift-vlad (part)", lambda s: top(s["s"].max(axis=0))),
    ("fused-vlad (w 0.5, as search)", fused(0.5)),
    *[(f"fused, xfeat weight {w}", fused(w)) for w in (0.3, 0.4, 0.6, 0.7)],
    ("fused, z-scored parts", fused_z(0.5)),
    ("fused, z-scored parts, xfeat weight 0.4", fused_z(0.4)),
    ("fused, z-scored parts, xfeat weight 0.6", fused_z(0.6)),
    ("reciprocal rank fusion (c 60)", rrf(60.0)),
    ("fused top-100 ordered by xfeat-vlad (search with order_dims 256)", fused_reordered_by("xv")),
    ("fused top-100 ordered by sift-vlad", fused_reordered_by("s")),
    ("fused top-10 ordered by sift-vlad", fused_reordered_by("s", 10)),
    ("fused top-100 ordered by xfeat-mlvlad", fused_reordered_by("xm")),
    ("fused top-10 ordered by xfeat-mlvlad", fused_reordered_by("xm", 10)),
]
MLVLAD_RANKERS: list[tuple[str, Ranker]] = [("xfeat-vlad (part)", lambda s: top(s["xv"].max(axis=0)))]
RANKERS = {"fused-vlad": (SLICES, FUSED_RANKERS), "xfeat-mlvlad": (SLICES_MLVLAD, MLVLAD_RANKERS)}
