"""SPE-Net (Structural Perception Enhancement, github.com/BistuCS/SPE-Net; UAV-to-satellite retrieval on
University-1652 / SUES-200): timm's DINOv2 ViT-B/14 (class token, no registers, LayerScale) with a Local
Region Mining head that only training uses. Its evaluation takes the ViT's class token after the final
norm, L2-normalised: that is the descriptor here (768-d for ViT-B), at the trained 518 x 518 px.

The checkpoint is the state dict train_sues.py saves of its `two_view_net` (no trained file is
published: the user trains one, docs/models.md). Its keys, `dim` the ViT's width:

- model_1.convnext.*: timm's ViT: cls_token, pos_embed (1, 1 + g * g, dim) (the class token's row
  included), patch_embed.proj, blocks.N.{norm1, attn.qkv, attn.proj, ls1.gamma, norm2, mlp.fc1,
  mlp.fc2, ls2.gamma}, norm
- model_1.classifier1, model_1.classifier_mcb1..4: add_block.{0: Linear(dim, 512), 1: BatchNorm1d},
  classifier.0: Linear(512, 701)
- model_1.tri_layer.{cw, hc}.conv.{conv: Conv2d(2, 1, 7, no bias), bn: BatchNorm2d(1)}
- model_1.proj, model_1.proj_obj: mlp.{0: Conv1d(dim, 2048, 1), 1: BatchNorm1d(2048), 3: Conv1d(2048,
  256, 1)}, no biases
- model_1.GateLinear: Linear(dim, dim + 7)
- logit_scale, logit_scale_blocks, w_blocks1..3: scalars

Every key is checked (present, with its shape, no other); only the ViT is kept to embed. The ViT's
width, depth, patch and position grid (so the input side) and the classifiers' class count are read
from the shapes; the rest must then match.
"""

from __future__ import annotations

import math
import re

import torch
from torch import nn
from torch.nn import functional as F

from .checkpoint import CheckpointModel, load_into
from .vit import ViT, VitShape

#: the published configuration (sample4geo/hand_dino: dinov2() ViT-B/14 at 518 px, 701 classes)
PUBLISHED = {"dim": 768, "patch": 14, "depth": 12, "grid": 37, "classes": 701}
#: widths fixed in the published head: ClassBlock's bottleneck, MLP1D's hidden and output widths,
#: GateLinear's extra outputs (6 gates + 1)
BOTTLENECK = 512
PROJ_HIDDEN = 2048
PROJ_OUT = 256
GATES = 7
_VIT = "model_1.convnext."
_SCALARS = ("logit_scale", "logit_scale_blocks", "w_blocks1", "w_blocks2", "w_blocks3")


class _Module(nn.Module):
    """A named container: the training head is only laid out (its keys and shapes), never run."""

    def __init__(self, **children: nn.Module):
        super().__init__()
        for name, child in children.items():
            setattr(self, name, child)


def _class_block(dim: int, classes: int) -> nn.Module:
    return _Module(
        add_block=nn.Sequential(
            nn.Linear(dim, BOTTLENECK), nn.BatchNorm1d(BOTTLENECK), nn.SiLU(), nn.Dropout(0.5)
        ),
        classifier=nn.Sequential(nn.Linear(BOTTLENECK, classes)),
    )


def _attention_gate() -> nn.Module:
    return _Module(conv=_Module(conv=nn.Conv2d(2, 1, 7, padding=3, bias=False), bn=nn.BatchNorm2d(1)))


def _mlp1d(dim: int) -> nn.Module:
    return _Module(
        mlp=nn.Sequential(
            nn.Conv1d(dim, PROJ_HIDDEN, 1, bias=False),
            nn.BatchNorm1d(PROJ_HIDDEN),
            nn.SiLU(),
            nn.Conv1d(PROJ_HIDDEN, PROJ_OUT, 1, bias=False),
        )
    )


def timm_vit(shape: VitShape, grid: int) -> ViT:
    """The ViT with timm's keys: Meta's less the mask token (timm's ViT has none)."""
    vit = ViT(shape, torch.empty(1, 1 + grid * grid, shape.dim))
    del vit.mask_token
    return vit


class SpeLayout(nn.Module):
    """`two_view_net` as its state dict lays it out: `model_1` (build_convnext) and five scalars."""

    def __init__(self, shape: VitShape, grid: int, classes: int):
        super().__init__()
        dim = shape.dim
        self.model_1 = _Module(
            convnext=timm_vit(shape, grid),
            classifier1=_class_block(dim, classes),
            tri_layer=_Module(cw=_attention_gate(), hc=_attention_gate()),
            **{f"classifier_mcb{i}": _class_block(dim, classes) for i in range(1, 5)},
            proj=_mlp1d(dim),
            proj_obj=_mlp1d(dim),
            GateLinear=nn.Linear(dim, dim + GATES),
        )
        for name in _SCALARS:
            setattr(self, name, nn.Parameter(torch.zeros(())))


class SpeNet(nn.Module):
    """The inference network: the ViT's class token after the final norm, L2-normalised."""

    def __init__(self, vit: ViT, grid: int):
        super().__init__()
        self.vit = vit
        self.descriptor_dim = vit.embed_dim
        self.input_size = vit.patch_size * grid

    def forward(self, x):
        cls, _ = self.vit.forward_tokens(x)
        return F.normalize(cls, dim=-1)


def _shapes(sd: dict[str, torch.Tensor]) -> tuple[VitShape, int, int]:
    """ViT shape, position grid and class count; the published value where the key that tells is
    missing (the layout check then names it)."""

    def size(key: str, default: int, axis: int = 0) -> int:
        return int(sd[key].shape[axis]) if key in sd and sd[key].ndim > axis else default

    p = PUBLISHED
    dim = size(_VIT + "patch_embed.proj.weight", p["dim"])
    depths = [int(m.group(1)) for k in sd if (m := re.match(re.escape(_VIT) + r"blocks\.(\d+)\.", k))]
    shape = VitShape(
        dim=dim,
        patch=size(_VIT + "patch_embed.proj.weight", p["patch"], 2),
        depth=1 + max(depths) if depths else p["depth"],
        heads=max(1, dim // 64),  # timm's DINOv2 ViT-S/B/L: 6/12/16 heads of 64
        hidden=4 * dim,  # timm's default MLP ratio, which SPE-Net's dinov2() keeps
        swiglu=False,
        registers=0,
        layerscale=True,  # dinov2(): init_values 1e-5
    )
    tokens = size(_VIT + "pos_embed", 1 + p["grid"] ** 2, 1) - 1
    grid = math.isqrt(max(tokens, 1))
    return shape, grid, size("model_1.classifier1.classifier.0.weight", p["classes"])


def build_spe(sd: dict[str, torch.Tensor], path: str = "checkpoint", hint: str = "") -> SpeNet:
    """The inference network from an SPE-Net state dict, after checking all of its keys."""
    shape, grid, classes = _shapes(sd)
    with torch.device("meta"):
        layout = SpeLayout(shape, grid, classes)
    optional = [k for k in layout.state_dict() if k.endswith("num_batches_tracked")]
    load_into(layout, sd, path, "SPE-Net", hint, optional)
    # the training head goes with `layout`: only the ViT is kept
    return SpeNet(layout.model_1.convnext, grid).eval()


class Spe(CheckpointModel):
    name = "spe"
    arch = "SPE-Net"
    weights_hint = "a state dict saved by SPE-Net's train_sues.py"
    input_size = PUBLISHED["patch"] * PUBLISHED["grid"]

    @property
    def descriptor_dim(self) -> int:
        return int(self.net.descriptor_dim)

    def build(self, sd):
        net = build_spe(sd, self.weights, self.hint)
        self.input_size = net.input_size
        return net
