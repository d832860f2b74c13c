"""The global-descriptor interface every model implements."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..progress import Progress
    from .views import ViewSet


class GlobalModel(ABC):
    """Turns RGB uint8 images (H, W, 3) into L2-normalised float32 descriptors.

    Models that learn parts from the indexed tiles (codebook, whitening) do it in `fit`; those parts
    are returned by `state()` and stored in the index folder, and `load_state` restores them.
    """

    #: registry name, e.g. "xfeat-vlad"
    name: str = ""
    #: side of the square tile image the index feeds to `embed`
    input_size: int = 256
    #: True when `fit` must run before `embed`
    needs_fit: bool = False
    #: True when `fit` learns its whitening from photo-like views of the sample tiles (models/views.py)
    fits_on_views: bool = False
    #: > 0: the first `order_dims` dimensions are a sub-descriptor that orders the top-k (the full
    #: descriptor only chooses which tiles are in it); see search.order_by_subdescriptor
    order_dims: int = 0
    #: radiometric normalisation of every image (tile and photo) before the descriptor, "" for none
    #: (models/radiometry.py); part of the model's identity, so it is folded into weights_hash
    input_norm: str = ""
    #: False when the descriptor sees only a grey image (the channels averaged or weighed into one
    #: before any feature): a grayscale photo then meets colour tiles on equal terms (engine/film.py).
    #: True (the safe default) for a model that uses colour: grey photos are refused against it
    sees_colour: bool = True

    @property
    @abstractmethod
    def descriptor_dim(self) -> int: ...

    @abstractmethod
    def weights_hash(self) -> str:
        """sha256 of the pretrained weights (or of the algorithm's fixed parameters)."""

    def model_id(self) -> dict:
        return {"name": self.name, "weights_hash": self.weights_hash(), "input_size": self.input_size}

    def fit(  # noqa: B027 - optional hook
        self,
        sample_images: list[np.ndarray],
        views: ViewSet | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Learn codebook / whitening from index tiles and photo-like views of them (models/views.py);
        `progress("fit", fraction, message)` may be called along the way (and may raise Cancelled).
        A no-op for models that need nothing."""

    @abstractmethod
    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        """(N, descriptor_dim) float32, rows L2-normalised."""

    def state(self) -> dict[str, np.ndarray]:
        return {}

    def load_state(self, state: dict[str, np.ndarray]) -> None:  # noqa: B027 - optional hook
        pass

    def state_hash(self) -> str:
        h = hashlib.sha256()
        for key in sorted(self.state()):
            h.update(key.encode())
            h.update(np.ascontiguousarray(self.state()[key]).tobytes())
        return h.hexdigest()


def l2_normalize(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=axis, keepdims=True), 1e-12)
