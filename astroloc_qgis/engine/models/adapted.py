"""A model adapted to the analyst's photos: the base model's descriptor, then a linear map per
descriptor block learned from real photo-reference pairs (engine/index/adapt.py; docs/adapt.md):
the contrastive projection head (`contrastive_projections`, the method since bench-adapt run 3),
or, for indexes adapted before it, the second whitening described here.

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
WHITENING = "photo-reference whitening"
CONTRASTIVE = "contrastive projection"
# The block weights (docs/adapt.md "What it learns"): the fusion weight of each descriptor block
# refitted so the confirmed photos rank their tiles first (InfoNCE over the B weights only, the
# blocks' maps the identity), shrunk towards the base weights by n / (n + SHRINK_PHOTOS). A photo
# domain that blinds one part of the descriptor (a thick haze and the SIFT part) is a change
# of a few numbers that holds for every place; the grouped cross-validation in index/adapt.py
# chooses it or the contrastive head.
REWEIGHT = "block reweighting"
WEIGHT_STEPS, WEIGHT_LEARNING_RATE = 100, 5e-2
# The contrastive head (docs/adapt.md "What it learns"): per block M = I + alpha U V^T, U and V of
# RANK columns, trained with InfoNCE (temperature TAU) from each confirmed photo to its warped
# references and the tiles holding its footprint's centre, against every tile (up to
# NEGATIVE_TILES); alpha = n / (n + SHRINK_PHOTOS) for n photos, so 10 photos move it little.
# bench-adapt (embedding level, docs/bench_adapt.md): shrink 20 > 50; rank 16 > 4; tau 0.05 > 0.1.
RANK, TAU, STEPS, LEARNING_RATE, WEIGHT_DECAY = 16, 0.05, 150, 1e-2, 1e-2
SHRINK_PHOTOS = 20.0
NEGATIVE_TILES = 8192
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
        photos: np.ndarray | None = None,
        right: np.ndarray | None = None,
        method: str = WHITENING,
        base_scales: np.ndarray | None = None,
    ):
        self.blocks, self.scales, self.proj = blocks, np.asarray(scales, np.float32), proj
        # each block's norm in the base descriptor (invert restores it; = scales unless reweighted)
        self.base_scales = self.scales if base_scales is None else np.asarray(base_scales, np.float32)
        self.diffs = np.asarray(diffs, np.float32)
        self.weights = np.asarray(weights, np.float32)
        self.keys = np.asarray(keys, dtype=str)
        self.prior_pairs = float(prior_pairs)
        # per pair: its photo's descriptor and the tiles holding the footprint's centre (-1 padded)
        self.photos = None if photos is None else np.asarray(photos, np.float32)
        self.right = None if right is None else np.asarray(right, np.int64)
        self.method = method

    @classmethod
    def fit(
        cls,
        base_embeddings: np.ndarray,
        order_dims: int,
        diffs: np.ndarray,
        weights: np.ndarray,
        keys: np.ndarray | None = None,
        prior_pairs: float = PRIOR_PAIRS,
        photos: np.ndarray | None = None,
        right: np.ndarray | None = None,
        method: str = CONTRASTIVE,
    ) -> Adaptation:
        """`diffs[i]`: a photo's base descriptor minus its reference's, `weights[i]` its weight;
        with `photos[i]` (that photo's descriptor) and `right[i]` (the tiles holding its footprint's
        centre, -1 padded) the contrastive head or the block weights (`method`), else the whitening."""
        blocks = descriptor_blocks(base_embeddings, order_dims)
        sample = base_embeddings[: min(len(base_embeddings), 4096)].astype(np.float32)
        scales = np.array([np.linalg.norm(sample[:, s:e], axis=1).mean() for s, e in blocks], np.float32)
        keys = np.asarray(keys if keys is not None else [""] * len(diffs), dtype=str)
        if photos is not None and right is not None and len(diffs) and method == REWEIGHT:
            eye = [np.eye(e - s, dtype=np.float32) for s, e in blocks]
            new = block_weights(base_embeddings, blocks, scales, weights, keys, photos, right)
            return cls(blocks, new, eye, diffs, weights, keys, prior_pairs, photos, right, REWEIGHT, scales)
        if photos is not None and right is not None and len(diffs):
            proj = contrastive_projections(base_embeddings, blocks, diffs, weights, keys, photos, right)
            return cls(blocks, scales, proj, diffs, weights, keys, prior_pairs, photos, right, CONTRASTIVE)
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
        for (s, e), p, scale in zip(self.blocks, self.proj, self.base_scales, strict=True):
            out[:, s:e] = l2_normalize(y[:, s:e] @ np.linalg.inv(p).astype(np.float32)) * scale
        return l2_normalize(out)

    def state(self) -> dict[str, np.ndarray]:
        dim = self.blocks[-1][1]
        full = np.zeros((dim, dim), np.float32)
        for (s, e), p in zip(self.blocks, self.proj, strict=True):
            full[s:e, s:e] = p
        extra = {}
        if self.photos is not None and self.right is not None:
            extra = {PREFIX + "photos": self.photos.astype(np.float16), PREFIX + "right": self.right}
        return {
            **extra,
            PREFIX + "method": np.array(self.method),
            PREFIX + "blocks": np.array(self.blocks, np.int64),
            PREFIX + "scales": self.scales,
            PREFIX + "base_scales": self.base_scales,
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
            state.get(PREFIX + "photos"),
            state.get(PREFIX + "right"),
            str(state[PREFIX + "method"]) if PREFIX + "method" in state else WHITENING,
            state.get(PREFIX + "base_scales"),
        )


def _photo_positives(
    n_tiles: int, weights: np.ndarray, keys: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(each photo's first pair row, each row's photo, each photo's weight summing to 1, and
    positive[photo, tile]: the tiles holding its footprint's centre)."""
    _, first, owner = np.unique(keys, return_index=True, return_inverse=True)
    positive = np.zeros((len(first), n_tiles), bool)
    for row, p in zip(right, owner, strict=True):
        positive[p, row[(row >= 0) & (row < n_tiles)]] = True
    photo_w = np.bincount(owner, weights=np.asarray(weights, np.float64))
    return first, owner, photo_w / photo_w.sum(), positive


def block_weights(
    tiles: np.ndarray,
    blocks: list[tuple[int, int]],
    scales: np.ndarray,
    weights: np.ndarray,
    keys: np.ndarray,
    photos: np.ndarray,
    right: np.ndarray,
) -> np.ndarray:
    """Each block's weight (its norm in the descriptor; see REWEIGHT) so that the confirmed photos
    rank the tiles holding their footprint's centre first, shrunk towards `scales`."""
    import torch

    rng = np.random.default_rng(0)
    chosen = np.arange(len(tiles))
    if len(tiles) > NEGATIVE_TILES:
        chosen = np.union1d(
            rng.choice(len(tiles), NEGATIVE_TILES, replace=False), np.unique(right[right >= 0])
        )
    remap = np.full(len(tiles), -1, np.int64)
    remap[chosen] = np.arange(len(chosen))
    first, _, photo_w, positive = _photo_positives(
        len(chosen), weights, keys, np.where(right >= 0, remap[np.maximum(right, 0)], -1)
    )
    x, t = np.asarray(photos, np.float32)[first], np.asarray(tiles[chosen], np.float32)
    # per block cosine similarity of every photo with every tile: (photos, tiles, blocks)
    sims = torch.tensor(
        np.stack([l2_normalize(x[:, s:e]) @ l2_normalize(t[:, s:e]).T for s, e in blocks], -1)
    )
    mask, w_photo = torch.tensor(positive), torch.tensor(photo_w, dtype=torch.float32)
    prior = np.asarray(scales, np.float64) ** 2 / (np.asarray(scales, np.float64) ** 2).sum()
    logit = torch.nn.Parameter(torch.tensor(np.log(prior), dtype=torch.float32))
    opt = torch.optim.Adam([logit], lr=WEIGHT_LEARNING_RATE)
    for _ in range(WEIGHT_STEPS):
        logits = (sims * torch.softmax(logit, 0)).sum(-1) / TAU
        log_p = torch.logsumexp(logits.masked_fill(~mask, -1e9), 1) - torch.logsumexp(logits, 1)
        loss = -(w_photo * log_p).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    alpha = len(first) / (len(first) + SHRINK_PHOTOS)
    share = alpha * torch.softmax(logit, 0).detach().numpy() + (1 - alpha) * prior
    return (np.sqrt(share / share.sum()) * np.linalg.norm(scales)).astype(np.float32)


def contrastive_projections(
    tiles: np.ndarray,
    blocks: list[tuple[int, int]],
    diffs: np.ndarray,
    weights: np.ndarray,
    keys: np.ndarray,
    photos: np.ndarray,
    right: np.ndarray,
) -> list[np.ndarray]:
    """Per block M = I + alpha U V^T (see RANK ... SHRINK_PHOTOS), trained on CPU so that every
    confirmed photo, mapped by M, is nearer its references and its tiles than any other tile
    (tiles mapped by the same M: queries and index stay in one space)."""
    import torch

    uniq, first, owner = np.unique(keys, return_index=True, return_inverse=True)
    n = len(uniq)
    rng = np.random.default_rng(0)
    wanted = np.unique(right[right >= 0])
    chosen = np.arange(len(tiles))
    if len(tiles) > NEGATIVE_TILES:
        chosen = np.union1d(rng.choice(len(tiles), NEGATIVE_TILES, replace=False), wanted)
    column = {int(t): c for c, t in enumerate(chosen)}
    positive = torch.zeros((n, len(chosen)), dtype=torch.bool)
    for row, p in zip(right, owner, strict=True):
        for t in row[row >= 0]:
            if int(t) in column:
                positive[p, column[int(t)]] = True
    photo_w = torch.tensor(np.bincount(owner, weights=np.asarray(weights, np.float64)), dtype=torch.float32)
    photo_w = photo_w / photo_w.sum()
    x_all = torch.tensor(np.asarray(photos, np.float32)[first])
    r_all = torch.tensor(np.asarray(photos, np.float32) - np.asarray(diffs, np.float32))
    t_all = torch.tensor(np.asarray(tiles[chosen], np.float32))
    own = torch.tensor(owner)[None, :] == torch.arange(n)[:, None]
    mask = torch.cat([own, positive], 1)
    alpha = n / (n + SHRINK_PHOTOS)
    generator = torch.Generator().manual_seed(0)
    out = []
    for s, e in blocks:
        d = e - s
        u = torch.nn.Parameter(torch.randn(d, RANK, generator=generator) * 1e-3)
        v = torch.nn.Parameter(torch.randn(d, RANK, generator=generator) * 1e-3)
        opt = torch.optim.Adam([u, v], lr=LEARNING_RATE)
        x, r, t = x_all[:, s:e], r_all[:, s:e], t_all[:, s:e]
        eye = torch.eye(d)
        for _ in range(STEPS):
            m = eye + u @ v.T
            fx, fr, ft = (torch.nn.functional.normalize(z @ m, dim=1) for z in (x, r, t))
            logits = torch.cat([fx @ fr.T, fx @ ft.T], 1) / TAU
            log_p = torch.logsumexp(logits.masked_fill(~mask, -1e9), 1) - torch.logsumexp(logits, 1)
            loss = -(photo_w * log_p).sum() + WEIGHT_DECAY * (u.pow(2).sum() + v.pow(2).sum())
            opt.zero_grad()
            loss.backward()
            opt.step()
        out.append((np.eye(d) + alpha * (u @ v.T).detach().numpy()).astype(np.float32))
    return out


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
