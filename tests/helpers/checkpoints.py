"""Random-weight checkpoints in the published key layouts of the checkpoint models
(models/earthloc.py, models/salad.py, models/spe.py), built from the networks' own key tables; the tests also
hold a handful of the published names and shapes, so a drift of the networks' layout fails there.
"""

from __future__ import annotations

import math

import torch

from astroloc_qgis.engine.models.earthloc import EarthLocNet
from astroloc_qgis.engine.models.salad import SaladNet
from astroloc_qgis.engine.models.spe import SpeLayout
from astroloc_qgis.engine.models.vit import VitShape

#: random numbers drawn once per call and sliced: drawing 86M (ViT-B) one by one takes seconds
_POOL = 1 << 22


def _table(net: torch.nn.Module) -> dict[str, tuple[tuple[int, ...], torch.dtype]]:
    return {k: (tuple(v.shape), v.dtype) for k, v in net.state_dict().items()}


def _shapes(table: dict[str, tuple[tuple[int, ...], torch.dtype]]) -> dict[str, tuple[int, ...]]:
    return {k: shape for k, (shape, _) in table.items()}


def _earthloc_table() -> dict[str, tuple[tuple[int, ...], torch.dtype]]:
    with torch.device("meta"):
        return _table(EarthLocNet())


def earthloc_shapes() -> dict[str, tuple[int, ...]]:
    return _shapes(_earthloc_table())


def salad_shapes(**config) -> dict[str, tuple[int, ...]]:
    """The key table of `_salad_table(**config)`."""
    return _shapes(_salad_table(**config))


def _salad_table(
    dim: int = 768,
    depth: int = 12,
    registers: int = 0,
    grid: int = 37,
    clusters: int = 64,
    cluster_dim: int = 128,
    token_dim: int = 256,
    layout: str = "salad",
) -> dict[str, tuple[tuple[int, ...], torch.dtype]]:
    """serizba/salad's layout ("salad", defaults: its published ViT-B/14 + 64 x 128 + 256) or
    EarthLoc2's ("earthloc2": pass registers=4, clusters=32, cluster_dim=64, token_dim=1024)."""
    shape = VitShape(dim, 14, depth, max(1, dim // 64), 4 * dim, False, registers, True)
    with torch.device("meta"):
        table = _table(SaladNet(shape, grid, clusters, cluster_dim, token_dim))
    if layout == "salad":
        return table
    # EarthLoc2: timm's ViT directly under backbone., `reg_token`, no mask token, no class-token position
    out = {}
    for key, (s, dtype) in table.items():
        key = key.replace("backbone.model.", "backbone.")
        if key == "backbone.mask_token":
            continue
        if key == "backbone.register_tokens":
            key = "backbone.reg_token"
        if key == "backbone.pos_embed":
            s = (1, s[1] - 1, s[2])
        out[key] = (s, dtype)
    return out


def _spe_table(
    dim: int = 768, depth: int = 12, grid: int = 37, classes: int = 701
) -> dict[str, tuple[tuple[int, ...], torch.dtype]]:
    """SPE-Net's `two_view_net` state dict as train_sues.py saves it (defaults: the published
    ViT-B/14 at 518 px, 701 classes)."""
    shape = VitShape(dim, 14, depth, max(1, dim // 64), 4 * dim, False, 0, True)
    with torch.device("meta"):
        return _table(SpeLayout(shape, grid, classes))


def spe_shapes(**config) -> dict[str, tuple[int, ...]]:
    """The key table of `_spe_table(**config)`."""
    return _shapes(_spe_table(**config))


def _fill(table: dict[str, tuple[tuple[int, ...], torch.dtype]], seed: int) -> dict[str, torch.Tensor]:
    """Values that keep activations in range: weights ~ 1/sqrt(fan-in), norms near 1, biases small."""
    g = torch.Generator().manual_seed(seed)
    pool = torch.randn(_POOL, generator=g)
    sd = {}
    for key, (shape, dtype) in table.items():
        if not dtype.is_floating_point:
            sd[key] = torch.zeros(shape, dtype=dtype)  # BatchNorm's num_batches_tracked
            continue
        n = math.prod(shape)
        start = int(torch.randint(0, _POOL, (1,), generator=g))
        r = pool[start : start + n] if start + n <= _POOL else pool.repeat(2 + n // _POOL)[start : start + n]
        r = r.reshape(shape).clone()
        leaf = key.rsplit(".", 1)[-1]
        if len(shape) >= 2 and leaf == "weight":
            sd[key] = r / math.sqrt(math.prod(shape[1:]))
        elif leaf in ("weight", "running_var"):
            sd[key] = 1 + 0.1 * r.abs() if leaf == "running_var" else 1 + 0.1 * r
        elif leaf == "gamma":
            sd[key] = 0.1 + 0.01 * r
        elif leaf == "dust_bin":
            sd[key] = torch.tensor(1.0)
        else:  # biases, running means, tokens, position embeddings
            sd[key] = 0.02 * r
    return sd


def earthloc_state_dict(seed: int = 0) -> dict[str, torch.Tensor]:
    return _fill(_earthloc_table(), seed)


def salad_state_dict(seed: int = 0, **config) -> dict[str, torch.Tensor]:
    """Random weights in the key table of `_salad_table(**config)`."""
    return _fill(_salad_table(**config), seed)


def spe_state_dict(seed: int = 0, **config) -> dict[str, torch.Tensor]:
    """Random weights in the key table of `_spe_table(**config)`."""
    return _fill(_spe_table(**config), seed)
