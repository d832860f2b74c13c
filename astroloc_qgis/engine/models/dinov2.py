"""DINOv2-family ViT backbones from a user-supplied checkpoint, GeM-pooled patch tokens.

The network is written in plain torch for Meta's published state-dict layout:
patch_embed.proj, cls_token, pos_embed, optional register_tokens, blocks.N.{norm1, attn.qkv,
attn.proj, ls1.gamma, norm2, mlp.fc1/fc2 or mlp.w12/w3 (SwiGLU), ls2.gamma}, norm. Chunked
checkpoints (blocks.C.N.*) and wrapped ones ("teacher"/"model"/"state_dict", "backbone."/"module."
prefixes) are accepted. Nothing is downloaded; torch.load always runs with weights_only=True.
"""
from __future__ import annotations

import math
import os
import re

import numpy as np

from ..checksum import file_sha256
from ..errors import ModelError
from .base import GlobalModel, l2_normalize

ENV_WEIGHTS = "ASTROLOC_DINOV2_WEIGHTS"
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)


def _unwrap(obj: dict) -> dict:
    for key in ("teacher", "model", "state_dict", "module"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
    out = {}
    for k, v in obj.items():
        for prefix in ("module.", "backbone.", "encoder."):
            if k.startswith(prefix):
                k = k[len(prefix):]
        k = re.sub(r"^blocks\.\d+\.(\d+)\.", r"blocks.\1.", k) if re.match(r"^blocks\.\d+\.\d+\.", k) else k
        out[k] = v
    return out


def load_checkpoint(path: str) -> dict:
    import torch

    if not os.path.isfile(path):
        raise ModelError(f"{path}: DINOv2 checkpoint not found", f"point to a .pth file (model dinov2:/path/file.pth or {ENV_WEIGHTS})")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ModelError(f"{path}: not a loadable weights-only torch checkpoint ({str(exc).splitlines()[0][:160]})",
                         "use Meta's DINOv2 .pth state dict") from exc
    if not isinstance(obj, dict):
        raise ModelError(f"{path}: checkpoint is not a state dict", "use Meta's DINOv2 .pth state dict")
    sd = _unwrap(obj)
    missing = [k for k in ("patch_embed.proj.weight", "cls_token", "pos_embed", "norm.weight") if k not in sd]
    if missing:
        raise ModelError(f"{path}: not a DINOv2 ViT checkpoint (missing {', '.join(missing)})",
                         "use a checkpoint in Meta's DINOv2 key layout")
    return sd


def build_vit(sd: dict):
    """A torch module matching the checkpoint's shapes, with the weights loaded."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    dim, _, patch, _ = sd["patch_embed.proj.weight"].shape
    depth = 1 + max(int(m.group(1)) for k in sd if (m := re.match(r"blocks\.(\d+)\.", k)))
    heads = max(1, dim // 64)
    swiglu = "blocks.0.mlp.w12.weight" in sd
    hidden = sd["blocks.0.mlp.w12.weight" if swiglu else "blocks.0.mlp.fc1.weight"].shape[0]
    n_reg = sd["register_tokens"].shape[1] if "register_tokens" in sd else 0
    layerscale = "blocks.0.ls1.gamma" in sd

    class LayerScale(nn.Module):
        def __init__(self):
            super().__init__()
            self.gamma = nn.Parameter(torch.ones(dim))

        def forward(self, x):
            return x * self.gamma

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.qkv = nn.Linear(dim, dim * 3)
            self.proj = nn.Linear(dim, dim)

        def forward(self, x):
            b, n, _ = x.shape
            q, k, v = self.qkv(x).reshape(b, n, 3, heads, dim // heads).permute(2, 0, 3, 1, 4)
            x = F.scaled_dot_product_attention(q, k, v)
            return self.proj(x.transpose(1, 2).reshape(b, n, dim))

    class Mlp(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(dim, hidden)
            self.fc2 = nn.Linear(hidden, dim)

        def forward(self, x):
            return self.fc2(F.gelu(self.fc1(x)))

    class SwiGLU(nn.Module):
        def __init__(self):
            super().__init__()
            self.w12 = nn.Linear(dim, hidden)
            self.w3 = nn.Linear(hidden // 2, dim)

        def forward(self, x):
            a, g = self.w12(x).chunk(2, dim=-1)
            return self.w3(F.silu(a) * g)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm1 = nn.LayerNorm(dim, eps=1e-6)
            self.attn = Attention()
            self.ls1 = LayerScale() if layerscale else nn.Identity()
            self.norm2 = nn.LayerNorm(dim, eps=1e-6)
            self.mlp = SwiGLU() if swiglu else Mlp()
            self.ls2 = LayerScale() if layerscale else nn.Identity()

        def forward(self, x):
            x = x + self.ls1(self.attn(self.norm1(x)))
            return x + self.ls2(self.mlp(self.norm2(x)))

    class PatchEmbed(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Conv2d(3, dim, patch, patch)

    class ViT(nn.Module):
        def __init__(self):
            super().__init__()
            self.patch_size = patch
            self.embed_dim = dim
            self.n_reg = n_reg
            self.patch_embed = PatchEmbed()
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
            self.pos_embed = nn.Parameter(torch.zeros_like(sd["pos_embed"]))
            if n_reg:
                self.register_tokens = nn.Parameter(torch.zeros(1, n_reg, dim))
            self.mask_token = nn.Parameter(torch.zeros(1, dim))
            self.blocks = nn.ModuleList(Block() for _ in range(depth))
            self.norm = nn.LayerNorm(dim, eps=1e-6)

        def pos(self, gh: int, gw: int):
            cls_pos, patch_pos = self.pos_embed[:, :1], self.pos_embed[:, 1:]
            side = int(math.sqrt(patch_pos.shape[1]))
            if (gh, gw) != (side, side):
                grid = patch_pos.reshape(1, side, side, dim).permute(0, 3, 1, 2)
                grid = F.interpolate(grid, size=(gh, gw), mode="bicubic", align_corners=False)
                patch_pos = grid.permute(0, 2, 3, 1).reshape(1, gh * gw, dim)
            return torch.cat([cls_pos, patch_pos], dim=1)

        def forward_tokens(self, x):
            b, _, h, w = x.shape
            x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
            x = torch.cat([self.cls_token.expand(b, -1, -1), x], dim=1)
            x = x + self.pos(h // patch, w // patch)
            if self.n_reg:
                x = torch.cat([x[:, :1], self.register_tokens.expand(b, -1, -1), x[:, 1:]], dim=1)
            for blk in self.blocks:
                x = blk(x)
            x = self.norm(x)
            return x[:, 0], x[:, 1 + self.n_reg:]

    model = ViT()
    keys = set(model.state_dict())
    sd = {k: v for k, v in sd.items() if k in keys or k.startswith("blocks.")}
    result = model.load_state_dict(sd, strict=False)
    if result.missing_keys or result.unexpected_keys:
        missing = [k for k in result.missing_keys if k != "mask_token"]
        if missing or result.unexpected_keys:
            raise ModelError(f"DINOv2 checkpoint does not match the ViT layout (missing {missing[:4]}, "
                             f"unexpected {result.unexpected_keys[:4]})", "use Meta's DINOv2 key layout")
    return model.eval()


class DinoV2Gem(GlobalModel):
    name = "dinov2"
    input_size = 224
    needs_fit = False

    def __init__(self, weights: str | None = None, gem_p: float = 3.0, batch: int = 8):
        import torch

        weights = weights or os.environ.get(ENV_WEIGHTS)
        if not weights:
            raise ModelError("the dinov2 model needs a checkpoint file",
                             f"use --model dinov2:/path/to/dinov2_vits14_pretrain.pth or set {ENV_WEIGHTS}")
        self.weights = os.path.abspath(weights)
        sd = load_checkpoint(self.weights)
        self.net = build_vit(sd)
        self._hash = file_sha256(self.weights)
        self.gem_p = gem_p
        self.batch = batch
        self._torch = torch

    @property
    def descriptor_dim(self) -> int:
        return int(self.net.embed_dim)

    def weights_hash(self) -> str:
        return self._hash

    def model_id(self) -> dict:
        return {**super().model_id(), "weights_path": self.weights}

    def _prepare(self, img: np.ndarray) -> np.ndarray:
        import cv2

        p = self.net.patch_size
        h, w = img.shape[:2]
        s = self.input_size / math.sqrt(h * w)
        nh, nw = max(p, round(h * s / p) * p), max(p, round(w * s / p) * p)
        img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA)
        x = (img.astype(np.float32) / 255.0 - _MEAN) / _STD
        return np.ascontiguousarray(x.transpose(2, 0, 1))

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        torch = self._torch
        prepared = [self._prepare(img) for img in images]
        out = np.zeros((len(images), self.descriptor_dim), np.float32)
        groups: dict[tuple, list[int]] = {}
        for i, x in enumerate(prepared):
            groups.setdefault(x.shape, []).append(i)
        with torch.inference_mode():
            for idxs in groups.values():
                for s in range(0, len(idxs), self.batch):
                    chunk = idxs[s:s + self.batch]
                    _, patches = self.net.forward_tokens(torch.from_numpy(np.stack([prepared[i] for i in chunk])))
                    gem = patches.clamp(min=1e-6).pow(self.gem_p).mean(dim=1).pow(1.0 / self.gem_p)
                    out[chunk] = gem.numpy()
        return l2_normalize(out)
