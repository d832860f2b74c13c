"""Fusion of two global descriptors: XFeat multi-layer VLAD and RootSIFT VLAD.

The two see different things: XFeat's learned features (and its deeper layers' wider context)
hold up across years, SIFT's gradient histograms across haze, colour and contrast (measured in
docs/bench_orbital.md). The descriptor is the concatenation of the two unit vectors scaled by
sqrt(weight) (weights summing to 1), so the inner product is the weighted mean of the two
cosines. Each part learns its own codebooks and whitening from the same sample tiles and the
same photo-like views.

Search takes the top-k by the fused score (recall: the right tile is in the top 100 for 97% of
the rendered ISS views vs 89-90% for xfeat-mlvlad) and orders it by the xfeat-vlad part, the
first 256 dimensions, as xfeat-mlvlad does (`order_dims`): the fused score's own first ranks
were worse on cross-year photos (R@10 45% vs 57.5%; docs/bench_orbital.md).
"""

from __future__ import annotations

import hashlib
import math

import cv2
import numpy as np

from ..progress import Progress, scaled
from .base import GlobalModel, l2_normalize
from .sift_vlad import SiftVlad
from .views import ViewSet
from .xfeat_mlvlad import XFeatMultiLayerVlad

#: (state prefix, weight) of each part, in descriptor order
PARTS = (("xfeat_", 0.5), ("sift_", 0.5))
VIEW_JPEG_QUALITY = 95  # the views are kept compressed between the two parts' fits


class FusedVlad(GlobalModel):
    name = "fused-vlad"
    sees_colour = False  # grey only (the channels averaged or weighed into one)
    input_size = 256
    needs_fit = True
    fits_on_views = True

    def __init__(self) -> None:
        self.parts: tuple[GlobalModel, ...] = (XFeatMultiLayerVlad(), SiftVlad())
        self.weights = tuple(w for _, w in PARTS)
        self.input_norm = "+".join(p.input_norm for p in self.parts if p.input_norm)

    @property
    def descriptor_dim(self) -> int:
        return sum(p.descriptor_dim for p in self.parts)

    @property
    def order_dims(self) -> int:  # type: ignore[override]
        # The first part leads the descriptor: its own ordering dims are the fused ones' first.
        return int(getattr(self.parts[0], "order_dims", 0) or 0)

    def weights_hash(self) -> str:
        text = "|".join(
            f"{p.name}:{p.weights_hash()}:{w}" for p, w in zip(self.parts, self.weights, strict=True)
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def fit(
        self, sample_images: list[np.ndarray], views: ViewSet | None = None, progress: Progress | None = None
    ) -> None:
        # A ViewSet renders each view once, in order: render them here, keep them as JPEG bytes
        # (6,000 raw views would take ~1.2 GB) and replay them to each part.
        jpegs: list[bytes] = []
        owners = views.owners if views is not None else np.zeros(0, int)
        if views is not None:
            for start in range(0, len(views), 64):
                for img in views.images(start, start + 64):
                    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, VIEW_JPEG_QUALITY])
                    jpegs.append(buf.tobytes())
        n = len(self.parts)
        for k, part in enumerate(self.parts):
            replay = ViewSet(
                owners, lambda j: cv2.imdecode(np.frombuffer(jpegs[j], np.uint8), cv2.IMREAD_COLOR)
            )
            part.fit(sample_images, replay, progress=scaled(progress, k / n, (k + 1) / n))

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        rows = [part.embed(images) * math.sqrt(w) for part, w in zip(self.parts, self.weights, strict=True)]
        return l2_normalize(np.concatenate(rows, axis=1))

    def state(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for (prefix, _), part in zip(PARTS, self.parts, strict=True):
            out.update({prefix + key: value for key, value in part.state().items()})
        return out

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        # A missing key raises KeyError, which TileIndex.open reports as a damaged index.
        for (prefix, _), part in zip(PARTS, self.parts, strict=True):
            part.load_state(
                {key[len(prefix) :]: value for key, value in state.items() if key.startswith(prefix)}
            )
