"""The classical baseline: OpenCV RootSIFT aggregated by VLAD (codebook learned on the index)."""

from __future__ import annotations

import hashlib

import numpy as np

from ..progress import Progress
from . import radiometry
from .base import GlobalModel, l2_normalize
from .radiometry import normalise, versioned_hash
from .views import ViewSet
from .vlad import VladAggregator


class SiftVlad(GlobalModel):
    name = "sift-vlad"
    sees_colour = False  # grey only (the channels averaged or weighed into one)
    input_size = 256
    needs_fit = True
    fits_on_views = True

    def __init__(self, clusters: int = 64, pca_dim: int = 256, nfeatures: int = 1000):
        import cv2

        self.sift = cv2.SIFT_create(nfeatures=nfeatures)
        self.nfeatures = nfeatures
        self.input_norm = radiometry.DEFAULT
        self.vlad = VladAggregator(clusters, pca_dim)
        self._cv2 = cv2

    @property
    def descriptor_dim(self) -> int:
        return self.vlad.dim if self.vlad.fitted else self.vlad.pca_dim

    def weights_hash(self) -> str:
        # No weights: the hash pins the algorithm and its parameters.
        text = f"opencv-sift-{self._cv2.__version__.split('.')[0]}-rootsift-n{self.nfeatures}"
        return versioned_hash(hashlib.sha256(text.encode()).hexdigest(), self.input_norm)

    def local_features(self, img: np.ndarray) -> np.ndarray:
        img = normalise(img, self.input_norm)
        gray = self._cv2.cvtColor(img, self._cv2.COLOR_RGB2GRAY) if img.ndim == 3 else img
        _, desc = self.sift.detectAndCompute(gray, None)
        if desc is None:
            return np.zeros((0, 128), np.float32)
        desc = desc / np.maximum(desc.sum(axis=1, keepdims=True), 1e-7)  # RootSIFT: L1 then sqrt
        return np.sqrt(desc).astype(np.float32)

    def fit(
        self, sample_images: list[np.ndarray], views: ViewSet | None = None, progress: Progress | None = None
    ) -> None:
        views = views if views is not None else ViewSet.of([])
        total = len(sample_images) + len(views)
        local = []
        for j, img in enumerate(sample_images):
            local.append((self.local_features(img), None))
            if progress and j % 32 == 0:
                progress("fit", j / total, "")
        self.vlad.fit_codebook(local)
        tile_vlads = np.stack([self.vlad.raw(d) for d, _ in local])
        view_vlads = []
        for j in range(len(views)):
            view_vlads.append(self.vlad.raw(self.local_features(views.images(j, j + 1)[0])))
            if progress and j % 32 == 0:
                progress("fit", (len(sample_images) + j) / total, "")
        self.vlad.fit_whitening(tile_vlads, views.owners, np.stack(view_vlads) if view_vlads else None)

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        return l2_normalize(np.stack([self.vlad(self.local_features(img)) for img in images]))

    def state(self) -> dict[str, np.ndarray]:
        return self.vlad.state() if self.vlad.fitted else {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.vlad.load_state(state)
