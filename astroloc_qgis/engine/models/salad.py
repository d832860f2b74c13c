"""DINOv2 + SALAD (Izquierdo & Civera, CVPR 2024): a DINOv2 ViT's patch tokens assigned to clusters
by optimal transport with a dustbin (Sinkhorn), aggregated per cluster, joined with an MLP of the
class token. Two published checkpoint layouts load (docs/models.md):

- github.com/serizba/salad `dino_salad.ckpt`: backbone.model.<Meta's DINOv2 ViT-B/14 keys>,
  aggregator.{token_features.{0,2}, cluster_features.{0,3}, score.{0,3}, dust_bin}; 64 clusters x
  128 + a 256-d token = 8448-d; 322 x 322 px input.
- github.com/pawelpiwowarski/EarthLoc2 (the EarthLoc code with AstroLoc's DINOv2 + SALAD):
  backbone.<timm's ViT-B/14 with 4 registers keys> (reg_token, a position grid without the class
  token's), the same aggregator keys; 32 x 64 + 1024 = 3072-d; 518 x 518 px input.

The ViT's size and the aggregator's clusters, cluster and token widths are read from the
checkpoint's shapes; every other key must then match exactly.
"""

from __future__ import annotations

import math
import re

import torch
from torch import nn
from torch.nn import functional as F

from ..errors import ModelError
from .checkpoint import CheckpointModel, load_into
from .vit import ViT, VitShape

#: the MLPs' hidden width and the Sinkhorn iterations of the published SALAD
HIDDEN = 512
SINKHORN_ITERS = 3
#: input side by layout: serizba/salad evaluates at 322 (README), EarthLoc2 at its ViT's 518
INPUT_SIZE = {"salad": 322, "earthloc2": 518}
#: serizba's DINOv2 ViT-B/14 + SALAD, the shapes assumed where a checkpoint lacks the key to read them
PUBLISHED = {
    "dim": 768,
    "patch": 14,
    "depth": 12,
    "grid": 37,
    "clusters": 64,
    "cluster_dim": 128,
    "token_dim": 256,
}
_VIT = "backbone.model."


def sinkhorn(scores: torch.Tensor, dustbin: torch.Tensor, iters: int = SINKHORN_ITERS) -> torch.Tensor:
    """(B, m, n) scores of n patches for m clusters -> (B, m + 1, n) transport plan (last row: the
    dustbin, which takes the n - m patches' worth of mass that belongs to no cluster)."""
    b, m, n = scores.shape
    s = torch.cat([scores, dustbin.expand(b, 1, n)], dim=1)
    norm = -math.log(n + m)
    log_a = torch.full((m + 1,), norm)
    log_a[-1] += math.log(n - m)
    log_b = torch.full((n,), norm)
    u, v = torch.zeros(b, m + 1), torch.zeros(b, n)
    for _ in range(iters):
        u = log_a - torch.logsumexp(s + v[:, None, :], dim=2)
        v = log_b - torch.logsumexp(s + u[:, :, None], dim=1)
    return (s + u[:, :, None] + v[:, None, :] - norm).exp()


def _mlp_1x1(cin: int, cout: int) -> nn.Sequential:
    # index 1 is the published dropout (identity at inference): it keeps the keys .0 and .3
    return nn.Sequential(nn.Conv2d(cin, HIDDEN, 1), nn.Identity(), nn.ReLU(), nn.Conv2d(HIDDEN, cout, 1))


class SaladAggregator(nn.Module):
    def __init__(self, channels: int, clusters: int, cluster_dim: int, token_dim: int):
        super().__init__()
        self.token_features = nn.Sequential(
            nn.Linear(channels, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, token_dim)
        )
        self.cluster_features = _mlp_1x1(channels, cluster_dim)
        self.score = _mlp_1x1(channels, clusters)
        self.dust_bin = nn.Parameter(torch.tensor(1.0))

    def forward(self, fmap, token):
        f = self.cluster_features(fmap).flatten(2)  # (B, l, n)
        p = sinkhorn(self.score(fmap).flatten(2), self.dust_bin)[:, :-1]  # (B, m, n)
        v = F.normalize(torch.einsum("bln,bmn->blm", f, p), dim=1).flatten(1)  # l-major, as published
        t = F.normalize(self.token_features(token), dim=-1)
        return F.normalize(torch.cat([t, v], dim=-1), dim=-1)


class _Backbone(nn.Module):
    """serizba/salad keeps the hub's DINOv2 as `backbone.model`."""

    def __init__(self, vit: ViT):
        super().__init__()
        self.model = vit


class SaladNet(nn.Module):
    def __init__(self, shape: VitShape, grid: int, clusters: int, cluster_dim: int, token_dim: int):
        super().__init__()
        self.backbone = _Backbone(ViT(shape, torch.empty(1, 1 + grid * grid, shape.dim)))
        self.aggregator = SaladAggregator(shape.dim, clusters, cluster_dim, token_dim)
        self.descriptor_dim = clusters * cluster_dim + token_dim

    def forward(self, x):
        vit = self.backbone.model
        cls, patches = vit.forward_tokens(x)
        b, _, h, w = x.shape
        fmap = patches.transpose(1, 2).reshape(b, -1, h // vit.patch_size, w // vit.patch_size)
        return self.aggregator(fmap, cls)


def to_serizba_layout(sd: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], str]:
    """The checkpoint in serizba/salad's key layout, and which layout it came in ("salad" or
    "earthloc2": timm's ViT directly under `backbone.`, its register tokens `reg_token`, its
    position grid without a class-token row, which here becomes a zero row: the same sum)."""
    if any(k.startswith(_VIT) for k in sd) or not any(k.startswith("backbone.") for k in sd):
        return sd, "salad"
    out = {}
    for key, value in sd.items():
        if key.startswith("backbone."):
            key = _VIT + key[len("backbone.") :]
            if key == _VIT + "reg_token":
                key = _VIT + "register_tokens"
            elif (
                key == _VIT + "pos_embed"
                and value.ndim == 3
                and math.isqrt(value.shape[1]) ** 2 == value.shape[1]
            ):
                value = torch.cat([torch.zeros_like(value[:, :1]), value], dim=1)
        out[key] = value
    return out, "earthloc2"


def _shapes(sd: dict[str, torch.Tensor]) -> tuple[VitShape, int, int, int, int]:
    """ViT shape, position grid, clusters, cluster and token widths; the published value where the
    key that tells is missing (the layout check then names it)."""

    def dim0(key: str, default: int, axis: int = 0) -> int:
        return int(sd[key].shape[axis]) if key in sd and sd[key].ndim > axis else default

    p = PUBLISHED
    dim = dim0(_VIT + "patch_embed.proj.weight", p["dim"])
    patch = dim0(_VIT + "patch_embed.proj.weight", p["patch"], 2)
    depths = [int(m.group(1)) for k in sd if (m := re.match(re.escape(_VIT) + r"blocks\.(\d+)\.", k))]
    swiglu = _VIT + "blocks.0.mlp.w12.weight" in sd
    hidden = dim0(_VIT + ("blocks.0.mlp.w12.weight" if swiglu else "blocks.0.mlp.fc1.weight"), 4 * dim)
    shape = VitShape(
        dim=dim,
        patch=patch,
        depth=1 + max(depths) if depths else p["depth"],
        heads=max(1, dim // 64),
        hidden=hidden,
        swiglu=swiglu,
        registers=dim0(_VIT + "register_tokens", 0, 1),
        layerscale=_VIT + "blocks.0.ls1.gamma" in sd or not depths,
    )
    tokens = dim0(_VIT + "pos_embed", 1 + p["grid"] ** 2, 1) - 1
    grid = math.isqrt(max(tokens, 1))
    return (
        shape,
        grid,
        dim0("aggregator.score.3.weight", p["clusters"]),
        dim0("aggregator.cluster_features.3.weight", p["cluster_dim"]),
        dim0("aggregator.token_features.2.weight", p["token_dim"]),
    )


def build_salad(
    sd: dict[str, torch.Tensor], path: str = "checkpoint", hint: str = ""
) -> tuple[SaladNet, str]:
    """The network with the checkpoint's weights, and its layout (INPUT_SIZE's key)."""
    sd, layout = to_serizba_layout(sd)
    shape, grid, clusters, cluster_dim, token_dim = _shapes(sd)
    with torch.device("meta"):
        net = SaladNet(shape, grid, clusters, cluster_dim, token_dim)
    # Meta's mask token is only used in training; timm's ViT has none
    load_into(net, sd, path, f"DINOv2 + SALAD ({layout} layout)", hint, optional=[_VIT + "mask_token"])
    vit = net.backbone.model
    vit.interp_offset = 0.1 if layout == "salad" else 0.0  # Meta's hub ViT; timm's runs at its own grid
    patches = (INPUT_SIZE[layout] // shape.patch) ** 2
    if patches <= clusters:
        raise ModelError(
            f"{path}: {clusters} SALAD clusters for {patches} patches (optimal transport needs more patches)",
            hint,
        )
    return net, layout


class DinoSalad(CheckpointModel):
    name = "salad"
    arch = "DINOv2 + SALAD"
    input_size = INPUT_SIZE["salad"]

    @property
    def descriptor_dim(self) -> int:
        return int(self.net.descriptor_dim)

    def build(self, sd):
        net, self.layout = build_salad(sd, self.weights, self.hint)
        self.input_size = INPUT_SIZE[self.layout]
        return net
