"""Published checkpoints a user brings: read one (weights only), check it key by key against the
plain-torch network of its architecture, and embed with it.

The networks (earthloc.py, salad.py) name their modules as the published code saves them, so a
checkpoint's state dict loads 1:1; a checkpoint of another layout is refused with the keys that
differ. Nothing is downloaded; torch.load always runs with weights_only=True.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
import torch
from torch import nn

from ..checksum import file_sha256
from ..errors import ModelError
from .base import GlobalModel, l2_normalize

#: ImageNet statistics: every published model here was trained with them
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
#: wrappers around the state dict: training checkpoints (EarthLoc's "ckpt_*.torch"), Lightning
_WRAPPERS = ("model_state_dict", "state_dict", "model", "net")
#: how many key names an error shows of each kind
_SHOWN = 4


def read_state_dict(path: str, arch: str, hint: str = "") -> dict[str, torch.Tensor]:
    """The checkpoint's tensors (float32), wrappers and DataParallel's "module." removed; `hint`
    (what to use instead) goes with every refusal."""
    hint = hint or f"use the published {arch} weights file"
    if not os.path.isfile(path):
        raise ModelError(f"{path}: {arch} checkpoint not found", hint)
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise ModelError(
            f"{path}: not a loadable weights-only torch checkpoint ({str(exc).splitlines()[0][:160]})",
            f"{hint}, a state dict of tensors",
        ) from exc
    while isinstance(obj, dict) and not any(isinstance(v, torch.Tensor) for v in obj.values()):
        inner = next((obj[k] for k in _WRAPPERS if isinstance(obj.get(k), dict)), None)
        if inner is None:
            break
        obj = inner
    if not isinstance(obj, dict) or not obj:
        raise ModelError(f"{path}: checkpoint holds no state dict", hint)
    out = {}
    for key, value in obj.items():
        if not isinstance(value, torch.Tensor):
            raise ModelError(
                f"{path}: checkpoint entry {key!r} is not a tensor ({type(value).__name__})",
                hint,
            )
        while key.startswith("module."):
            key = key[len("module.") :]
        out[key] = value.float() if value.is_floating_point() else value
    return out


def _names(keys: Iterable[str]) -> str:
    keys = sorted(keys)
    more = f", ... ({len(keys) - _SHOWN} more)" if len(keys) > _SHOWN else ""
    return ", ".join(keys[:_SHOWN]) + more


def layout_differences(
    expected: dict[str, tuple[int, ...]], sd: dict[str, torch.Tensor], optional: Iterable[str] = ()
) -> str:
    """ "" when `sd` has exactly the expected keys and shapes (an `optional` key may be absent),
    else what differs: counts and the first few names of each kind."""
    optional = set(optional)
    missing = [k for k in expected if k not in sd and k not in optional]
    unexpected = [k for k in sd if k not in expected]
    other = [k for k in expected if k in sd and tuple(sd[k].shape) != expected[k]]
    parts = []
    if missing:
        parts.append(f"{len(missing)} missing: {_names(missing)}")
    if unexpected:
        parts.append(f"{len(unexpected)} unexpected: {_names(unexpected)}")
    if other:
        shown = sorted(other)[:_SHOWN]
        more = f", ... ({len(other) - _SHOWN} more)" if len(other) > _SHOWN else ""
        parts.append(
            f"{len(other)} with other shapes: "
            + ", ".join(f"{k} {tuple(sd[k].shape)} vs {expected[k]}" for k in shown)
            + more
        )
    return "; ".join(parts)


def shape_table(net: nn.Module) -> dict[str, tuple[int, ...]]:
    return {k: tuple(v.shape) for k, v in net.state_dict().items()}


def load_into(
    net: nn.Module, sd: dict[str, torch.Tensor], path: str, arch: str, hint: str, optional=()
) -> None:
    """`sd` into `net` (built on the meta device: the checkpoint's tensors become its parameters);
    ModelError naming the keys when the layout is not the architecture's. An optional key that is
    absent is set to zeros."""
    expected = shape_table(net)
    diff = layout_differences(expected, sd, optional)
    if diff:
        raise ModelError(f"{path}: not the {arch} key layout ({diff})", hint)
    net.load_state_dict({k: v for k, v in sd.items() if k in expected}, strict=False, assign=True)
    for key in optional:
        if key not in sd:
            *owner, leaf = key.split(".")
            module = net.get_submodule(".".join(owner))
            current = getattr(module, leaf)
            zeros = torch.zeros(current.shape, dtype=current.dtype)
            setattr(
                module,
                leaf,
                nn.Parameter(zeros, requires_grad=False) if leaf in module._parameters else zeros,
            )
    net.eval().requires_grad_(False)


def as_rgb(img: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8: a grey image (H, W) or (H, W, 1) becomes three equal channels."""
    if img.ndim == 2:
        img = img[:, :, None]
    if img.shape[2] == 1:
        img = np.repeat(img, 3, axis=2)
    return img[:, :, :3]


class CheckpointModel(GlobalModel):
    """A published network from a checkpoint file the user names (`<name>:/path/file`).

    Every image (tile or photo) is resized to the square input the published model was evaluated
    at (aspect not kept: no part of the photo is cropped away) and ImageNet-normalised."""

    #: what the user is told to download, e.g. "EarthLoc"
    arch: str = ""
    #: what a refusal tells the user to use instead; "" for the published `arch` weights
    weights_hint: str = ""

    def __init__(self, weights: str | None, batch: int = 8):
        if not weights:
            raise ModelError(
                f"the {self.name} model needs a checkpoint file",
                f"use --model {self.name}:/path/to/checkpoint (docs/models.md says where to get it)",
            )
        self.weights = os.path.abspath(weights)
        self.hint = f"use {self.weights_hint or f'the published {self.arch} weights'} (docs/models.md)"
        sd = read_state_dict(self.weights, self.arch, self.hint)
        self.net = self.build(sd)
        self._hash = file_sha256(self.weights)
        self.batch = batch

    def build(self, sd: dict[str, torch.Tensor]) -> nn.Module:
        """The network with the checkpoint's weights; sets `input_size` where the layout decides it."""
        raise NotImplementedError

    def weights_hash(self) -> str:
        return self._hash

    def model_id(self) -> dict:
        return {**super().model_id(), "weights_path": self.weights}

    def _prepare(self, img: np.ndarray) -> np.ndarray:
        import cv2

        img = as_rgb(img)
        s = self.input_size
        small = img.shape[0] * img.shape[1] > s * s
        img = cv2.resize(img, (s, s), interpolation=cv2.INTER_AREA if small else cv2.INTER_LINEAR)
        x = (img.astype(np.float32) / 255.0 - MEAN) / STD
        return np.ascontiguousarray(x.transpose(2, 0, 1))

    def embed(self, images: list[np.ndarray]) -> np.ndarray:
        out = np.zeros((len(images), self.descriptor_dim), np.float32)
        with torch.inference_mode():
            for s in range(0, len(images), self.batch):
                x = torch.from_numpy(np.stack([self._prepare(img) for img in images[s : s + self.batch]]))
                out[s : s + len(x)] = self.net(x).numpy()
        return l2_normalize(out)
