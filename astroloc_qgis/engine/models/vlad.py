"""VLAD aggregation shared by the local-feature models: faiss k-means codebook, power and intra
normalisation, then a whitening learned on the index tiles.

Whitening: with photo-like views of the sample tiles (models/views.py) it is *learned
whitening*: project on the tiles' first `basis_dim` principal directions, whiten by the
covariance of the tile-minus-view differences (what changes between a tile and a photo of it),
then keep the `pca_dim` directions along which the tiles differ most in that space. Without
views (`index add` keeps the stored state; a model fitted by hand) it is a regularised
PCA-whitening of the tiles. Measured in docs/index.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .base import l2_normalize

#: (N, d) local descriptors and their (N,) weights or None
Local = tuple[np.ndarray, np.ndarray | None]


class VladAggregator:
    def __init__(
        self,
        clusters: int = 64,
        pca_dim: int = 256,
        seed: int = 1234,
        basis_dim: int = 512,
        shrink: float = 0.2,
    ):
        self.clusters = clusters
        self.pca_dim = pca_dim
        self.basis_dim = basis_dim
        self.shrink = shrink
        self.seed = seed
        self.centroids: np.ndarray | None = None
        self.pca_mean: np.ndarray | None = None
        self.pca_proj: np.ndarray | None = None
        self._index = None

    @property
    def fitted(self) -> bool:
        return self.centroids is not None

    @property
    def raw_dim(self) -> int:
        assert self.centroids is not None
        return self.centroids.shape[0] * self.centroids.shape[1]

    @property
    def dim(self) -> int:
        return int(self.pca_proj.shape[1]) if self.pca_proj is not None else self.raw_dim

    def fit_codebook(self, local: Sequence[Local], max_points: int = 200_000) -> None:
        """Learn the codebook from the sample tiles' local descriptors (then call fit_whitening)."""
        import faiss

        rng = np.random.default_rng(self.seed)
        pts = np.concatenate([d for d, _ in local if len(d)], axis=0).astype(np.float32)
        if len(pts) > max_points:
            pts = pts[rng.choice(len(pts), max_points, replace=False)]
        k = int(min(self.clusters, max(2, len(pts) // 39)))
        km = faiss.Kmeans(
            pts.shape[1], k, niter=20, seed=self.seed, verbose=False, max_points_per_centroid=512
        )
        km.train(pts)
        self.centroids = km.centroids.astype(np.float32)
        self._index = None
        self.pca_mean = self.pca_proj = None

    def fit_whitening(
        self, vlads: np.ndarray, view_of: np.ndarray | None = None, view_vlads: np.ndarray | None = None
    ) -> None:
        """`vlads`: raw VLADs of the sample tiles; `view_vlads[j]`: of a photo-like view of tile
        `view_of[j]`. Learned whitening with views, PCA-whitening without."""
        self.pca_mean = self.pca_proj = None
        if view_vlads is not None and len(view_vlads):
            self._fit_learned_whitening(vlads, vlads[view_of] - view_vlads)
        else:
            self._fit_pca(vlads)

    def _fit_learned_whitening(self, vlads: np.ndarray, diffs: np.ndarray) -> None:
        n = len(vlads)
        basis = min(self.basis_dim, n - 1)
        dim = min(self.pca_dim, basis)
        if dim < 16:
            return
        mean = vlads.mean(axis=0)
        _, _, vt = np.linalg.svd(vlads - mean, full_matrices=False)
        p0 = vt[:basis].T
        d = diffs @ p0
        # The differences' covariance, shrunk towards its mean variance (there are few pairs per dimension).
        cs = d.T @ d / len(d)
        cs = (1 - self.shrink) * cs + self.shrink * np.trace(cs) / basis * np.eye(basis)
        eig, vec = np.linalg.eigh(cs)
        whiten = p0 @ (vec / np.sqrt(np.maximum(eig, 1e-12)))
        y = (vlads - mean) @ whiten
        eig2, vec2 = np.linalg.eigh(y.T @ y / n)
        keep = np.argsort(-eig2)[:dim]
        self.pca_mean = mean.astype(np.float32)
        self.pca_proj = (whiten @ vec2[:, keep]).astype(np.float32)

    def _fit_pca(self, vlads: np.ndarray) -> None:
        n = len(vlads)
        dim = min(self.pca_dim, n - 1)
        # Too few tiles to estimate a whitening: keep raw VLAD (still a valid descriptor).
        if dim < 16:
            return
        mean = vlads.mean(axis=0)
        _, s, vt = np.linalg.svd(vlads - mean, full_matrices=False)
        eig = (s[:dim] ** 2) / max(n - 1, 1)
        # Regularised whitening: small eigenvalues are noise at index-sample sizes.
        scale = 1.0 / np.sqrt(eig + eig.mean() * 0.1)
        self.pca_mean = mean.astype(np.float32)
        self.pca_proj = (vt[:dim].T * scale).astype(np.float32)

    def _assign(self, desc: np.ndarray) -> np.ndarray:
        import faiss

        if self._index is None:
            self._index = faiss.IndexFlatL2(self.centroids.shape[1])
            self._index.add(self.centroids)
        _, idx = self._index.search(np.ascontiguousarray(desc, dtype=np.float32), 1)
        return idx[:, 0]

    def raw(self, desc: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """Power- and intra-normalised, L2-normalised VLAD (no PCA)."""
        k, d = self.centroids.shape
        v = np.zeros((k, d), np.float32)
        if len(desc):
            assign = self._assign(desc)
            resid = desc - self.centroids[assign]
            if weights is not None:
                resid = resid * weights[:, None]
            np.add.at(v, assign, resid)
        v = np.sign(v) * np.sqrt(np.abs(v))
        v = l2_normalize(v, axis=1)
        return l2_normalize(v.reshape(-1))

    def __call__(self, desc: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        v = self.raw(desc, weights)
        if self.pca_proj is not None:
            v = (v - self.pca_mean) @ self.pca_proj
        return l2_normalize(v)

    def state(self, prefix: str = "vlad_") -> dict[str, np.ndarray]:
        out = {prefix + "centroids": self.centroids}
        if self.pca_proj is not None:
            out[prefix + "pca_mean"] = self.pca_mean
            out[prefix + "pca_proj"] = self.pca_proj
        return out

    def load_state(self, state: dict[str, np.ndarray], prefix: str = "vlad_") -> None:
        self.centroids = np.asarray(state[prefix + "centroids"], np.float32)
        self.pca_mean = (
            np.asarray(state[prefix + "pca_mean"], np.float32) if prefix + "pca_mean" in state else None
        )
        self.pca_proj = (
            np.asarray(state[prefix + "pca_proj"], np.float32) if prefix + "pca_proj" in state else None
        )
        self._index = None
