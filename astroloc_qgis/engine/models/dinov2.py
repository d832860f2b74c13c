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
                k = k[len(prefix) :]
        k = re.sub(r"^blocks\.\d+\.(\d+)\.", r"blocks.\1.", k) if re.match(r"^blocks\.\d+\.\d+\.", k) else k
        out[k] = v
    return out


def load_checkpoint(path: str) -> dict:
    import torch

    if not os.path.isfile(path):
        raise ModelError(
            f"{path}: DINOv2 checkpoint not found",
            f"point to a .pth file (model dinov2:/path/file.pth or {ENV_WEIGHTS})",
        )
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ModelError(
            f"{path}: not a loadable weights-only torch checkpoint ({str(exc).splitlines()[0][:160]})",
            "use Meta's DINOv2 .pth state dict",
        ) from exc
    if not isinstance(obj, dict):
        raise ModelError(f"{path}: checkpoint is not a state dict", "use Meta's DINOv2 .pth state dict")
    sd = _unwrap(obj)
    missing = [k for k in ("patch_embed.proj.weight", "cls_token", "pos_embed", "norm.weight") if k not in sd]
    if missing:
        raise ModelError(
            f"{path}: not a DINOv2 ViT checkpoint (missing {', '.join(missing)})",
            "use a checkpoint in Meta's DINOv2 key layout",
        )
    return sd


def build_vit(sd: dict):
    """A torch module matching the checkpoint's shapes, with the weights loaded."""
    from .vit import ViT, VitShape

    model = ViT(VitShape.of(sd), sd["pos_embed"])
    _load_weights(model, sd)
    return model.eval()


def _load_weights(model, sd: dict) -> None:
    """The checkpoint's tensors into `model`; ModelError when its layout is not the ViT's
    (a missing mask token is fine: only training uses it)."""
    keys = set(model.state_dict())
    sd = {k: v for k, v in sd.items() if k in keys or k.startswith("blocks.")}
    result = model.load_state_dict(sd, strict=False)
    missing = [k for k in result.missing_keys if k != "mask_token"]
    if missing or result.unexpected_keys:
        raise ModelError(
            f"DINOv2 checkpoint does not match the ViT layout (missing {missing[:4]}, "
            f"unexpected {result.unexpected_keys[:4]})",
            "use Meta's DINOv2 key layout",
        )


class DinoV2Gem(GlobalModel):
    name = "dinov2"
    input_size = 224
    needs_fit = False

    def __init__(self, weights: str | None = None, gem_p: float = 3.0, batch: int = 8):
        import torch

        weights = weights or os.environ.get(ENV_WEIGHTS)
        if not weights:
            raise ModelError(
                "the dinov2 model needs a checkpoint file",
                f"use --model dinov2:/path/to/dinov2_vits14_pretrain.pth or set {ENV_WEIGHTS}",
            )
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
                    chunk = idxs[s : s + self.batch]
                    _, patches = self.net.forward_tokens(
                        torch.from_numpy(np.stack([prepared[i] for i in chunk]))
                    )
                    gem = patches.clamp(min=1e-6).pow(self.gem_p).mean(dim=1).pow(1.0 / self.gem_p)
                    out[chunk] = gem.numpy()
        return l2_normalize(out)
