"""Stage 2 of the cascade: a rotation- and scale-invariant screen of the deeper candidates.

Stage 1 verifies the top candidates with XFeat, which sees one rotation at a time and little
change of scale. On rendered ISS photos the right tile is often deeper than the top 8, and a
neighbour of it (a tile that holds part of the photo but not its centre) is often in the top 32:
RootSIFT on contrast-equalised (CLAHE) grey images, matched once per candidate at 512 px with an
affine RANSAC, locates the photo from either. Measured by `make bench-rerank` (docs/bench_rerank.md):
over the top 32 the candidate holding the strongest screen's place is right for 78% of 60 rendered
ISS views, where the retrieval's first tile is right for 55%; the misses are cross-date views
(land cover changed) and right tiles beyond rank 32. A fit no camera gives (MAX_STRETCH) is refused.
The same features count a refined footprint's support (`frame_support`) where XFeat found few inliers.
"""

from __future__ import annotations

import time

import cv2
import numpy as np

from . import footprint as fp
from .reference import Reference

SCREEN_PX = 512  # long side of the photo and of each candidate window as screened
SCREEN_GROW = 1.6  # the candidate's window enlarged by this (it may hold only part of the photo)
SIFT_FEATURES = 1500
SIFT_CONTRAST = 0.02  # half OpenCV's default: hazy orbital photos have little contrast
RATIO = 0.85
AFFINE_PX = 8.0  # RANSAC threshold at SCREEN_PX (an oblique photo is not affine: a loose fit)
MIN_HOMOGRAPHY_INLIERS = 12  # fewer affine inliers keep the affine (a homography would overfit them)
MIN_TEXTURE = 2.0  # grey-level std of a window below which it is not screened (water, blank)
SUPPORT_PX = 4.0  # frame_support: a match agrees with a footprint within this (px at SCREEN_PX)
# A camera view of the ground stretches one direction over the other by 1/cos(off-nadir angle), a
# photo resized from 3:2 to square by up to 1.5 more: 4 covers a squeezed photo 68 degrees off
# nadir. Right screens of the rendered ISS views stay <= 2.3 (at >= 8 inliers), wrong ones mostly
# exceed it (median 7.8; docs/bench_rerank.md).
MAX_STRETCH = 4.0


class ContextScreen:
    """The photo's RootSIFT features at SCREEN_PX, computed once; `match` screens one window."""

    # the detector's and the stretch check's (a benchmark's subclass may change them)
    features, contrast, max_stretch = SIFT_FEATURES, SIFT_CONTRAST, MAX_STRETCH

    def __init__(self, gray_full: np.ndarray):
        self._sift = cv2.SIFT_create(nfeatures=self.features, contrastThreshold=self.contrast)
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))
        h, w = gray_full.shape[:2]
        self.size = (w, h)
        self.scale = max(w, h) / SCREEN_PX  # full-res px per screen px
        small = (
            gray_full
            if self.scale <= 1.0
            else cv2.resize(
                gray_full, (round(w / self.scale), round(h / self.scale)), interpolation=cv2.INTER_AREA
            )
        )
        self.scale = max(self.scale, 1.0)
        self.small = small  # the photo as screened
        self.points, self.descriptors = self._features(small)

    def _features(self, gray: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return self._describe(self._clahe.apply(np.ascontiguousarray(gray, np.uint8)))

    def _describe(self, img: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        kps, desc = self._sift.detectAndCompute(img, None)
        if desc is None or len(kps) < 8:
            return np.zeros((0, 2), np.float32), None
        desc = np.sqrt(desc / (np.abs(desc).sum(axis=1, keepdims=True) + 1e-7)).astype(np.float32)
        return np.array([k.pt for k in kps], np.float32), desc

    def match(self, ref: Reference, window: tuple[float, float, float, float]) -> fp.Match:
        """The photo against the window [col, row, w, h] (reference px) enlarged by SCREEN_GROW:
        `inliers` are the affine RANSAC's; H (photo full-res px -> reference px) is a homography
        fitted to them when it is sane, else the affine."""
        t0 = time.perf_counter()
        got = self.window_features(ref, window, SCREEN_GROW)
        if isinstance(got, str):
            return fp.Match(None, reason=got, seconds=time.perf_counter() - t0)
        fit = self.affine(self.points, self.descriptors, *got[1:])
        return self.result(got[0], fit, t0)

    def frame_support(self, ref: Reference, H: np.ndarray) -> int:
        """How many of the photo's RootSIFT matches to the reference rendered into the photo's own
        frame through H (photo full-res px -> reference px) land within SUPPORT_PX of where they
        started: matches that agree with the footprint, counted by a matcher independent of XFeat.
        A wrong footprint puts other ground under the photo: its matches land anywhere."""
        h, w = self.small.shape[:2]
        img = ref.render(H @ np.diag([self.scale, self.scale, 1.0]), (w, h))
        if img is None or float(img.std()) < MIN_TEXTURE or self.descriptors is None:
            return 0
        pts, desc = self._features(img)
        if desc is None:
            return 0
        query, train = ratio_matches(self.descriptors, desc)
        d = self.points[query] - pts[train]
        return int((np.linalg.norm(d, axis=1) < SUPPORT_PX).sum())

    def window_features(
        self, ref: Reference, window: tuple[float, float, float, float], grow: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | str:
        """(M: screen px -> reference px, points, descriptors) of the window enlarged by `grow`
        about its centre, or why it cannot be screened."""
        col, row, ww, wh = window
        side = max(ww, wh) * grow
        M = ref.window_map(col + ww / 2 - side / 2, row + wh / 2 - side / 2, side, side, SCREEN_PX)
        img = ref.render(M, (SCREEN_PX, SCREEN_PX))
        if img is None or float(img.std()) < MIN_TEXTURE or self.descriptors is None:
            return "reference window is empty"
        pts, desc = self._features(img)
        if desc is None:
            return "no features in the reference window"
        return M, pts, desc

    def affine(
        self, points: np.ndarray, descriptors: np.ndarray, pts: np.ndarray, desc: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | int:
        """Ratio-test matches of the photo's (points, descriptors) to the window's and their affine
        RANSAC: (A, photo points, window points, matches) of the inliers, or the match count when
        there is no fit."""
        query, train = ratio_matches(descriptors, desc)
        if len(query) < 6:
            return len(query)
        p0, p1 = points[query], pts[train]
        A, mask = cv2.estimateAffine2D(p0, p1, method=cv2.RANSAC, ransacReprojThreshold=AFFINE_PX)
        if A is None:
            return len(query)
        inl = mask.ravel().astype(bool)
        return A, p0[inl], p1[inl], len(query)

    def result(
        self, M: np.ndarray, fit: tuple[np.ndarray, np.ndarray, np.ndarray, int] | int, t0: float
    ) -> fp.Match:
        """The Match of an affine fit in the window mapped by M (see `match`)."""
        if isinstance(fit, int):
            reason = "too few matches" if fit < 6 else "no affine fit"
            return fp.Match(None, matches=fit, reason=reason, seconds=time.perf_counter() - t0)
        A, p0, p1, n_good = fit
        to_full = np.diag([1 / self.scale, 1 / self.scale, 1.0])  # full-res px -> screen px
        T = np.vstack([A, [0, 0, 1]])
        H = M @ T @ to_full
        reason = fp.degeneracy(H, *self.size)
        if len(p0) >= MIN_HOMOGRAPHY_INLIERS:
            Hs, _ = cv2.findHomography(p0, p1, cv2.USAC_MAGSAC, AFFINE_PX)
            if Hs is not None and not fp.degeneracy(M @ Hs @ to_full, *self.size):
                T, H, reason = Hs, M @ Hs @ to_full, ""
        if not reason and stretch_of(H, self.size) > self.max_stretch:
            reason = (
                f"no camera view: the fit stretches one direction {stretch_of(H, self.size):.1f}x the other"
            )
        err = np.linalg.norm(fp.apply_h(T, p0) - p1, axis=1)
        return fp.Match(
            H,
            len(p0),
            n_good,
            float(np.sqrt(np.mean(err**2))) if len(err) else float("inf"),
            rotation_of(H, self.size),
            p0 * self.scale,
            fp.apply_h(M, p1),
            reason=reason,
            seconds=time.perf_counter() - t0,
        )


def ratio_matches(query: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(query rows, train rows) of the nearest neighbours (L2) that pass the ratio test: the pairs
    OpenCV's brute-force knnMatch(k=2) gives (but for float ties), by FAISS's exact search, which
    multiplies the descriptor matrices instead of comparing them pair by pair: 13 ms instead of
    59 for 1,500 x 1,500 on one core. One thread: a search this small spends more CPU waiting for
    a second one than it saves."""
    import faiss

    if len(train) < 2 or len(query) == 0:
        return np.zeros(0, int), np.zeros(0, int)
    index = faiss.IndexFlatL2(train.shape[1])
    index.add(np.ascontiguousarray(train, np.float32))
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        d2, nn = index.search(np.ascontiguousarray(query, np.float32), 2)
    finally:
        faiss.omp_set_num_threads(threads)
    d = np.sqrt(np.maximum(d2, 0.0))
    keep = np.flatnonzero(d[:, 0] < RATIO * d[:, 1])
    return keep, nn[keep, 0]


def stretch_of(H: np.ndarray, size: tuple[int, int]) -> float:
    """The ratio of H's largest to smallest stretch at the photo centre (1 for a similarity)."""
    w, h = size
    c = fp.apply_h(H, np.array([[w / 2, h / 2], [w / 2 + 1, h / 2], [w / 2, h / 2 + 1]]))
    sv = np.linalg.svd(np.stack([c[1] - c[0], c[2] - c[0]], 1), compute_uv=False)
    return float(sv[0] / max(sv[1], 1e-12))


def rotation_of(H: np.ndarray, size: tuple[int, int]) -> int:
    """The clockwise photo rotation (a multiple of 45 degrees) that best turns the photo's
    footprint north-up: stage 1's `rotation` convention, for the candidate's record."""
    w, h = size
    c = fp.apply_h(H, np.array([[w / 2, h / 2], [w / 2, 0.0]]))
    up = c[1] - c[0]  # photo "up" in reference px (y down)
    ang = np.degrees(np.arctan2(up[0], -up[1]))  # clockwise from reference north
    return int(round(ang / 45.0) * 45) % 360  # top to the east: turned 90 degrees clockwise


def centre_of(match: fp.Match, size: tuple[int, int]) -> np.ndarray:
    """The photo's centre in reference px through the match's H."""
    return fp.apply_h(match.H, np.array([[size[0] / 2, size[1] / 2]]))[0]
