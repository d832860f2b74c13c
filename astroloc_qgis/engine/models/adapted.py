"""A model adapted to the analyst's photos: the base model's descriptor, then a second whitening
learned from real photo-reference pairs (engine/index/adapt.py; docs/adapt.md).

The base model's own learned whitening (models/vlad.py) was fitted on photo-like views of the
index tiles: in its output space those views' differences from their tiles are about isotropic.
The adaptation extends it with what real photos change: per descriptor block (the parts a fused
descriptor concatenates, so `order_dims` keeps its meaning), the second moment of the real
photo-minus-reference differences, weighted and shrunk towards the isotropic level by
`prior_pairs` pseudo-pairs, is whitened away (C^-1/2, symmetric: with no pairs it is the identity).
Each block is then scaled back to its base norm, so the fusion weights stay as they were.

The transform is invertible: the base descriptors of an adapted index are recovered from its
stored ones (`invert`), so a second adaptation starts from the base model, not from the first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import GlobalModel, l2_normalize

PREFIX = "adapt_"
PRIOR_PAIRS = 400.0  # weight of the isotropic prior, in pairs (bench-adapt: 25 and 100 fell further)
BLOCK_NORM_TOLERANCE = 1e-2  # relative spread of a block's norm above which blocks are not used


def descriptor_blocks(embeddings: np.ndarray, order_dims: int) -> list[tuple[int, int]]:
    """The blocks of a concatenated descriptor: chunks of `order_dims` when every chunk has a
    constant norm over the tiles (a fused descriptor's parts), else the whole descriptor."""
    dim = embeddings.shape[1]
    whole = [(0, dim)]
    if order_dims <= 0 or dim % order_dims or dim == order_dims:
        return whole
    blocks = [(s, s + order_dims) for s in range(0, dim, order_dims)]
    for s, e in blocks:
        norms = np.linalg.norm(embeddings[:, s:e].astype(np.float32), axis=1)
        if norms.mean() <= 0 or norms.std() / norms.mean() > BLOCK_NORM_TOLERANCE:
            return whole
    return blocks


class Adaptation:
    """The block-diagonal whitening and what it was learned from (kept for the next adaptation)."""

    def __init__(
        self,
        blocks: list[tuple[int, int]],
        scales: np.ndarray,
        proj: list[np.ndarray],
        diffs: np.ndarray,
        weights: np.ndarray,
        keys: np.ndarray,
        prior_pairs: float = PRIOR_PAIRS,
    ):
        self.blocks, self.scales, self.proj = blocks, np.asarray(scales, np.float32), proj
        self.diffs = np.asarray(diffs, np.float32)
        self.weights = np.asarray(weights, np.float32)
        self.keys = np.asarray(keys, dtype=str)
        self.prior_pairs = float(prior_pairs)

    @classmethod
    def fit(
        cls,
        base_embeddings: np.ndarray,
        order_dims: int,
        diffs: np.ndarray,
        weights: np.ndarray,
        keys: np.ndarray | None = None,
        prior_pairs: float = PRIOR_PAIRS,
    ) -> Adaptation:
        """`diffs[i]`: a photo's base descriptor minus its reference's, `weights[i]` its weight."""
        blocks = descriptor_blocks(base_embeddings, order_dims)
        sample = base_embeddings[: min(len(base_embeddings), 4096)].astype(np.float32)
        scales = np.array([np.linalg.norm(sample[:, s:e], axis=1).mean() for s, e in blocks], np.float32)
        w = np.asarray(weights, np.float64)
        proj = []
        for s, e in blocks:
            d = np.asarray(diffs[:, s:e], np.float64)
            second = (d * w[:, None]).T @ d / max(w.sum(), 1e-12)
            level = max(np.trace(second) / (e - s), 1e-12)
            cov = (prior_pairs * level * np.eye(e - s) + w.sum() * second) / (prior_pairs + w.sum())
            eig, vec = np.linalg.eigh(cov)
            # Scaled so the isotropic level maps to 1: with no pairs the transform is the identity.
            proj.append(((vec / np.sqrt(np.maximum(eig, 1e-12) / level)) @ vec.T).astype(np.float32))
        keys = np.asarray(keys if keys is not None else [""] * len(diffs), dtype=str)
        return cls(blocks, scales, proj, diffs, weights, keys, prior_pairs)

    def apply(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float32)
        out = np.empty_like(x)
        for (s, e), p, scale in zip(self.blocks, self.proj, self.scales, strict=True):
            out[:, s:e] = l2_normalize(x[:, s:e] @ p) * scale
        return l2_normalize(out)

    def invert(self, y: np.ndarray) -> np.ndarray:
        """The base descriptors of adapted ones (apply's inverse)."""
        y = np.asarray(y, np.float32)
        out = np.empty_like(y)
        for (s, e), p, scale in zip(self.blocks, self.proj, self.scales, strict=True):
            out[:, s:e] = l2_normalize(y[:, s:e] @ np.linalg.inv(p).astype(np.float32)) * scale
        return l2_normalize(out)

    def state(self) -> dict[str, np.ndarray]:
        dim = self.blocks[-1][1]
        full = np.zeros((dim, dim), np.float32)
        for (s, e), p in zip(self.blocks, self.proj, strict=True):
            full[s:e, s:e] = p
        return {
            PREFIX + "blocks": np.array(self.blocks, np.int64),
            PREFIX + "scales": self.scales,
            PREFIX + "proj": full,
            PREFIX + "diffs": self.diffs.astype(np.float16),
            PREFIX + "weights": self.weights,
            PREFIX + "keys": self.keys,
            PREFIX + "prior_pairs": np.array(self.prior_pairs, np.float64),
        }

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray]) -> Adaptation:
        blocks = [(int(s), int(e)) for s, e in np.asarray(state[PREFIX + "blocks"])]
        full = np.asarray(state[PREFIX + "proj"], np.float32)
        return cls(
            blocks,
            state[PREFIX + "scales"],
            [full[s:e, s:e].copy() for s, e in blocks],
            state[PREFIX + "diffs"],
            state[PREFIX + "weights"],
            state[PREFIX + "keys"],
            float(state[PREFIX + "prior_pairs"]),
        )


def split_state(state: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(the base model's state, the adaptation's)."""
    base = {k: v for k, v in state.items() if not k.startswith(PREFIX)}
    return base, {k: v for k, v in state.items() if k.startswith(PREFIX)}


class AdaptedModel(GlobalModel):
    """The base model with the adaptation applied to every descriptor (tiles and queries alike).
    Its identity (name, weights) is the base model's: an adapted index opens with the same model."""

    def __init__(self, base: GlobalModel, adaptation: Adaptation):
        self.base, self.adaptation = base, adaptation
        self.name, self.input_size, self.input_norm = base.name, base.input_size, base.input_norm
        self.sees_colour = base.sees_colour
        self.needs_fit, self.fits_on_views = base.needs_fit, base.fits_on_views

    @property
    def order_dims(self) -> int:  # type: ignore[override]
        return int(getattr(self.base, "order_dims", 0) or 0)

    @property
    def descriptor_dim(self) -> int:
        return self.base.descriptor_dim

    def weights_hash(self) -> str:
        return self.base.weights_hash()

    def model_id(self) -> dict:
        return self.base.model_id()

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        return self.adaptation.apply(self.base.embed(images))

    def state(self) -> dict[str, np.ndarray]:
        return {**self.base.state(), **self.adaptation.state()}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        base, own = split_state(state)
        self.base.load_state(base)
        self.adaptation = Adaptation.from_state(own)

    def __getattr__(self, name: str) -> Any:
        # Anything else a caller asks of a model (a fused model's parts, ...) is the base model's.
        if name == "base":
            raise AttributeError(name)
        return getattr(self.base, name)


def adapted_if_stored(model: GlobalModel, state: dict[str, np.ndarray] | None) -> GlobalModel:
    """`model` wrapped in its adaptation when the index's state holds one."""
    if not state or PREFIX + "proj" not in state:
        return model
    return AdaptedModel(model, Adaptation.from_state(split_state(state)[1]))
