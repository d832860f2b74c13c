"""A DINOv2-layout Vision Transformer in plain torch (no torchvision, no timm), sized by a checkpoint.

Imported by models/dinov2.py only when a ViT is built: the registry lists the models without torch.
Module and parameter names follow Meta's published state dict, so `load_state_dict` maps 1:1.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class VitShape:
    """What a checkpoint's tensors say about its network."""

    dim: int
    patch: int
    depth: int
    heads: int
    hidden: int  # MLP width (SwiGLU: both halves)
    swiglu: bool
    registers: int  # register tokens (DINOv2 "with registers"), 0 for none
    layerscale: bool

    @classmethod
    def of(cls, sd: dict) -> VitShape:
        dim, _, patch, _ = sd["patch_embed.proj.weight"].shape
        swiglu = "blocks.0.mlp.w12.weight" in sd
        return cls(
            dim=int(dim),
            patch=int(patch),
            depth=1 + max(int(m.group(1)) for k in sd if (m := re.match(r"blocks\.(\d+)\.", k))),
            heads=max(1, int(dim) // 64),
            hidden=int(sd["blocks.0.mlp.w12.weight" if swiglu else "blocks.0.mlp.fc1.weight"].shape[0]),
            swiglu=swiglu,
            registers=int(sd["register_tokens"].shape[1]) if "register_tokens" in sd else 0,
            layerscale="blocks.0.ls1.gamma" in sd,
        )


class LayerScale(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * self.gamma


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, dim = x.shape
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, dim // self.heads).permute(2, 0, 3, 1, 4)
        x = F.scaled_dot_product_attention(q, k, v)
        return self.proj(x.transpose(1, 2).reshape(b, n, dim))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class SwiGLU(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.w12 = nn.Linear(dim, hidden)
        self.w3 = nn.Linear(hidden // 2, dim)

    def forward(self, x):
        a, g = self.w12(x).chunk(2, dim=-1)
        return self.w3(F.silu(a) * g)


class Block(nn.Module):
    def __init__(self, shape: VitShape):
        super().__init__()
        dim = shape.dim
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, shape.heads)
        self.ls1 = LayerScale(dim) if shape.layerscale else nn.Identity()
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = SwiGLU(dim, shape.hidden) if shape.swiglu else Mlp(dim, shape.hidden)
        self.ls2 = LayerScale(dim) if shape.layerscale else nn.Identity()

    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class PatchEmbed(nn.Module):
    def __init__(self, dim: int, patch: int):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch)


class ViT(nn.Module):
    def __init__(self, shape: VitShape, pos_embed: torch.Tensor):
        super().__init__()
        dim = shape.dim
        self.patch_size = shape.patch
        self.embed_dim = dim
        self.n_reg = shape.registers
        #: > 0: resize the position grid by a scale factor of (grid + offset) / trained grid, as Meta's
        #: hub models do (0.1); 0: to the grid's size (models/dinov2.py's indexes were built so)
        self.interp_offset = 0.0
        self.patch_embed = PatchEmbed(dim, shape.patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros_like(pos_embed))  # its grid is the checkpoint's
        if self.n_reg:
            self.register_tokens = nn.Parameter(torch.zeros(1, self.n_reg, dim))
        self.mask_token = nn.Parameter(torch.zeros(1, dim))
        self.blocks = nn.ModuleList(Block(shape) for _ in range(shape.depth))
        self.norm = nn.LayerNorm(dim, eps=1e-6)

    def pos(self, gh: int, gw: int):
        """The position embedding for a gh x gw patch grid (bicubic from the trained square grid)."""
        dim = self.embed_dim
        cls_pos, patch_pos = self.pos_embed[:, :1], self.pos_embed[:, 1:]
        side = int(math.sqrt(patch_pos.shape[1]))
        if (gh, gw) != (side, side):
            grid = patch_pos.reshape(1, side, side, dim).permute(0, 3, 1, 2)
            if self.interp_offset:
                scale = ((gh + self.interp_offset) / side, (gw + self.interp_offset) / side)
                grid = F.interpolate(grid, scale_factor=scale, mode="bicubic", align_corners=False)
            else:
                grid = F.interpolate(grid, size=(gh, gw), mode="bicubic", align_corners=False)
            patch_pos = grid.permute(0, 2, 3, 1).reshape(1, gh * gw, dim)
        return torch.cat([cls_pos, patch_pos], dim=1)

    def forward_tokens(self, x):
        """(class token, patch tokens) of a batch of normalised images."""
        b, _, h, w = x.shape
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1)
        x = x + self.pos(h // self.patch_size, w // self.patch_size)
        if self.n_reg:
            x = torch.cat([x[:, :1], self.register_tokens.expand(b, -1, -1), x[:, 1:]], dim=1)
        for blk in self.blocks:
            x = blk(x)
        x = self.norm(x)
        return x[:, 0], x[:, 1 + self.n_reg :]
