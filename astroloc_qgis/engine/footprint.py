"""Verified footprint: match a photo against reference imagery, robust homography, iterate.

The homography H maps photo pixels (full resolution) to the reference raster's pixels. The
first match is against an axis-aligned window around a retrieval candidate (enlarged so a
photo straddling tile borders is covered), tried at the four right-angle rotations. Then, as
in EarthMatch, the reference is re-rendered into the photo's frame through the current H at
matching resolution and matched again; H is composed with the correction until the
corners stop moving. Degenerate homographies (horizon inside the photo, self-intersecting
or non-convex footprint, absurd scale or aspect) are rejected, never reported.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np
from shapely.geometry import Polygon

from .matchers import Features, Matcher
from .progress import Cancel, raise_if_cancelled
from .reference import Reference
from .structure import (
    Agreement,
    agreement,
    agreement_at_offset,
    block_matches,
    dense_matches,
    orientation_channels,
    smooth_field,
)

SIZES = (320, 448, 640, 800)  # long sides (px) at which photo and reference are matched
WINDOW_GROW = 1.6  # candidate window enlargement when the photo's ground scale is known
SCALE_GROWS = (1.6,)  # ... and the hypotheses tried while it is not (more cost more than they gained)
REFINE_MARGIN = 0.15  # reference rendered this much beyond each photo edge
VERIFY_SIZE = 448  # verification renders and keypoints are capped: it runs per candidate
VERIFY_KEYPOINTS = 512  # per photo rotation (the reference window gets twice as many)
MAX_ITER = 3
CONVERGED = 0.01  # corner shift / footprint diagonal at which iteration stops
RANSAC_PX = 4.0
MIN_INLIERS = 12
MAX_CONFIDENCE = 0.99  # a probability fitted on ~150 footprints is never certainty
MIN_TRUSTED_INLIERS = 15  # below this a footprint's confidence is capped at 0.05 (see confidence())
# A homography fitted to matches on a small part of the photo guesses the rest; through a strong
# perspective its corners can land hundreds of km off (a real ISS frame resized to 1024 px: matches
# on 6% of it, one corner 700 km away, confidence 0.99). Such a footprint is capped below
# acceptance. On bench_locate's orbital (seed 413) and cross-year (seed 7) runs no right accepted
# footprint was both below MIN_COVER and above MAX_EXTRAPOLATED_SCALE (right ones: cover <= 0.15
# only near nadir, scale ratio 1.0; ratio up to 19.8 only with cover >= 0.47).
MIN_COVER = 0.15
MAX_EXTRAPOLATED_SCALE = 4.0
EXTRAPOLATED_CAP = 0.3
STRUCTURE_SIZE = 320  # long side (px) of the dense structural check
STRUCTURE_MARGIN = 0.12  # ... and the reference margin around the photo (share of each side)
POLISH_MARGIN = 0.15  # polish: search area beyond each photo edge (share of each side)
POLISH_FINE_MARGIN = 0.05  # ... in the rounds after the first
POLISH_ITER = 4
POLISH_GRID = (7, 5)  # blocks across x down ...
POLISH_BLOCK = 64  # ... of this size (px at STRUCTURE_SIZE)
POLISH_MIN_BLOCKS = 6  # consistent blocks for an affine correction ...
POLISH_HOMOGRAPHY_BLOCKS = 12  # ... and for a homography correction
POLISH_RANSAC_PX = 3.0  # at STRUCTURE_SIZE
POSE_GRID = (14, 10)  # pose correspondences: blocks across x down ...
POSE_BLOCK = 96  # ... of this size, at the photo's working resolution (64 lost cross-year views)
POSE_MARGIN_PX = 12  # search radius around the footprint (px) ...
POSE_START_MARGIN_PX = 48  # ... once corrected by a wide search (working px) ...
POSE_START_GRID = (8, 6)  # ... of this grid at half the working resolution
POSE_MIN_DISTINCT = 0.03  # forward peak above every other offset 4+ px away
POSE_BACK_PX = 1.0  # forward-backward disagreement allowed (px)
POSE_FIELD_PX = (0.75, 2.0)  # a block is kept within 3 robust sigmas of the smooth field, clipped to this
POSE_MIN_BLOCKS = 24  # fewer consistent blocks: the match's points go to the pose as they are
GOOD_START = 60  # coarse matches with fewer inliers are refined from their similarity part

# Confidence = logistic(w . features), fitted on `make bench-locate` (tools/bench_locate.py
# --calibrate, every refined footprint of seeds 1 and 7: NAIP 2009 index vs 2014/2020 views and
# Pucallpa 2020 vs 1985/2000 views; refit 2026-11-23 for the refinement that weighs each
# correction by the edge layout); it approximates P(footprint IoU > 0.5).
# Features: see `confidence_features`; the edge-layout agreement carries most of the weight.
CONF_W = (-10.674, 2.241, -0.039, 0.260, -0.956, 3.158, 0.336)


@dataclass
class Match:
    H: np.ndarray | None  # photo px -> reference px (3x3)
    inliers: int = 0
    matches: int = 0
    reprojection_px: float = float("inf")  # RMS at matching resolution
    rotation: int = 0
    photo_pts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # inliers, photo px
    ref_pts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # inliers, reference px
    iterations: int = 0
    last_shift: float = 1.0
    reason: str = ""
    seconds: float = 0.0
    structure: Agreement | None = None  # dense edge-layout agreement at the final H (see structure.py)
    polished: bool = False  # H tightened by `polish` (the statistics stay the keypoint match's)
    support: int = 0  # RootSIFT matches that agree with H (screen.ContextScreen.frame_support), when counted
    cover: float | None = None  # share of the photo the inliers' convex hull spans, when measured
    scale_ratio: float | None = None  # largest over smallest ground scale of H at the photo corners
    through_camera: bool = False  # an orbital camera draws this footprint (not H's extrapolated corners)

    @property
    def inlier_ratio(self) -> float:
        return self.inliers / self.matches if self.matches else 0.0

    @property
    def ok(self) -> bool:
        return self.H is not None and not self.reason

    @property
    def extrapolated(self) -> bool:
        """Its corners a guess (`extrapolated` of its statistics)."""
        return extrapolated(self.inliers, self.support, self.cover, self.scale_ratio, self.through_camera)


class PhotoFeatures:
    """The photo at the matching resolutions, with features per (size, rotation) computed once."""

    def __init__(self, gray_full: np.ndarray, matcher: Matcher):
        self.full = gray_full
        self.size = (int(gray_full.shape[1]), int(gray_full.shape[0]))  # full-res (W, H)
        self.matcher = matcher
        self._images: dict[int, tuple[np.ndarray, float]] = {}
        self._features: dict[tuple[int, int, int], tuple[Features, np.ndarray]] = {}
        self._layout: np.ndarray | None = None

    def image(self, size: int) -> tuple[np.ndarray, float]:
        """Grayscale with long side <= size, and the factor full-res px = px * factor."""
        size = _snap(min(size, max(self.size)))
        if size not in self._images:
            w, h = self.size
            s = max(w, h) / size
            img = (
                self.full
                if s <= 1.0
                else cv2.resize(self.full, (round(w / s), round(h / s)), interpolation=cv2.INTER_AREA)
            )
            self._images[size] = (img, max(s, 1.0))
        return self._images[size]

    def features(
        self, size: int, rot: int = 0, max_keypoints: int | None = None
    ) -> tuple[Features, np.ndarray]:
        """Features of the photo turned clockwise by `rot` degrees, and the 3x3 map from the
        turned image's pixels back to the matching-size photo's pixels."""
        size = _snap(min(size, max(self.size)))
        key = (size, rot % 360, max_keypoints or 0)
        if key not in self._features:
            img, _ = self.image(size)
            turned, back = rotate_cw(img, rot % 360)
            self._features[key] = (self.matcher.detect(turned, max_keypoints), back)
        return self._features[key]

    def layout(self) -> np.ndarray:
        """The photo's edge-layout descriptor (structure.orientation_channels) at STRUCTURE_SIZE."""
        if self._layout is None:
            self._layout = orientation_channels(self.image(STRUCTURE_SIZE)[0])
        return self._layout


def rotate_cw(img: np.ndarray, deg: int) -> tuple[np.ndarray, np.ndarray]:
    """Clockwise rotation on an enlarged canvas, and the map turned px -> original px (pixel edges)."""
    if deg == 0:
        return img, np.eye(3)
    h, w = img.shape[:2]
    a = math.radians(deg)
    c, s = abs(math.cos(a)), abs(math.sin(a))
    nw, nh = round(w * c + h * s), round(w * s + h * c)
    # original -> turned: translate centre to origin, rotate clockwise (y down), move to new centre
    fwd = (
        np.array([[1, 0, nw / 2], [0, 1, nh / 2], [0, 0, 1]])
        @ np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
        @ np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]])
    )
    half = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
    to_cv = np.linalg.inv(half) @ fwd @ half  # OpenCV samples at pixel centres
    turned = cv2.warpAffine(img, to_cv[:2], (nw, nh), flags=cv2.INTER_LINEAR, borderValue=0)
    return turned, np.linalg.inv(fwd)


def rotation_order(first: int, step: int = 45) -> list[int]:
    """Clockwise photo rotations to try, nearest to `first` first."""
    out = [first % 360]
    for k in range(1, 360 // step // 2 + 1):
        for d in (k * step, -k * step):
            if (first + d) % 360 not in out:
                out.append((first + d) % 360)
    return out


def _snap(size: float) -> int:
    """Round matching sizes to a few values so features are reused between candidates."""
    for s in SIZES:
        if size <= s * 1.15:
            return s
    return SIZES[-1]


def prepare_photo(gray_full: np.ndarray, matcher: Matcher) -> PhotoFeatures:
    return PhotoFeatures(gray_full, matcher)


def _scale(s: float) -> np.ndarray:
    return np.diag([s, s, 1.0])


def apply_h(H: np.ndarray, pts: np.ndarray) -> np.ndarray:
    if len(pts) == 0:
        return np.zeros((0, 2))
    p = cv2.perspectiveTransform(np.asarray(pts, np.float64).reshape(-1, 1, 2), H)
    return p.reshape(-1, 2)


def photo_corners(w: float, h: float) -> np.ndarray:
    """UL, UR, LR, LL at the pixel edges."""
    return np.array([[0, 0], [w, 0], [w, h], [0, h]], float)


def robust_homography(p0: np.ndarray, p1: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    if len(p0) < MIN_INLIERS:
        return None, np.zeros(len(p0), bool)
    H, mask = cv2.findHomography(p0, p1, cv2.USAC_MAGSAC, RANSAC_PX, maxIters=5000, confidence=0.999)
    if H is None:
        return None, np.zeros(len(p0), bool)
    return H, mask.ravel().astype(bool)


def degeneracy(H: np.ndarray, w: float, h: float, ref_px_m: float = 1.0) -> str:
    """Why this photo->ground homography cannot be a camera view of a plane ('' when fine)."""
    if H is None or not np.all(np.isfinite(H)):
        return "no homography"
    # The horizon line (denominator = 0) must not cross the photo.
    pts = photo_corners(w, h)
    den = H[2, 0] * pts[:, 0] + H[2, 1] * pts[:, 1] + H[2, 2]
    if not (np.all(den > 0) or np.all(den < 0)):
        return "the horizon is inside the photo"
    c = apply_h(H, pts)
    poly = Polygon(c)
    if not poly.is_valid or poly.area <= 0:
        return "self-intersecting footprint"
    if poly.convex_hull.area > poly.area * 1.001:
        return "non-convex footprint"
    sides = np.linalg.norm(np.roll(c, -1, axis=0) - c, axis=1)
    if sides.min() <= 0 or sides.max() / sides.min() > 25:
        return "absurd footprint aspect"
    scale = math.sqrt(poly.area / (w * h))  # reference px per photo px
    if not 1e-3 < scale < 1e3:
        return "absurd footprint scale"
    # Opposite sides: a pinhole view up to ~75 deg off nadir stays well below this ratio.
    if max(sides[0] / sides[2], sides[2] / sides[0], sides[1] / sides[3], sides[3] / sides[1]) > 12:
        return "absurd perspective"
    return ""


def _fit(photo_pts: np.ndarray, ref_pts: np.ndarray) -> tuple[np.ndarray | None, np.ndarray, float]:
    H, mask = robust_homography(photo_pts, ref_pts)
    if H is None:
        return None, mask, float("inf")
    err = np.linalg.norm(apply_h(H, photo_pts[mask]) - ref_pts[mask], axis=1)
    return H, mask, float(np.sqrt(np.mean(err**2))) if len(err) else float("inf")


def coarse_match(
    pf: PhotoFeatures,
    ref: Reference,
    window: tuple[float, float, float, float],
    matcher: Matcher,
    rotations: Sequence[int] = (0, 90, 180, 270),
    grows: Sequence[float] = (WINDOW_GROW,),
    good_enough: int = 60,
    cancel: Cancel | None = None,
    max_size: int = VERIFY_SIZE,
    max_keypoints: int | None = VERIFY_KEYPOINTS,
    windows: dict | None = None,
) -> Match:
    """Match the photo against a window [col, row, w, h] (reference px) enlarged by each of
    `grows` (scale hypotheses: the photo may cover less or more ground than the tile), at
    each clockwise photo rotation in `rotations` (put the likeliest first). Stops at the first
    non-degenerate match with `good_enough` inliers. `windows`: a cache of the rendered and
    detected windows, for a caller that comes back to a window with other rotations.
    """
    t0 = time.perf_counter()
    key = (ref.path, tuple(window), tuple(grows), max_size, max_keypoints)
    cached = windows.get(key) if windows is not None else None
    if cached is None:
        cached = _window_views(ref, window, matcher, grows, max_size, max_keypoints)
        if windows is not None:
            windows[key] = cached
    views, max_keypoints = cached
    best = Match(None, reason="no match" if views else "reference window is empty")
    for rot in rotations:
        for M, fr, psize in views:
            raise_if_cancelled(cancel, "locate")
            fp, back = pf.features(psize, rot, max_keypoints)
            _, s = pf.image(psize)
            p0, p1 = matcher.match(fp, fr)
            H, mask, rms = _fit(p0, p1)
            if H is None or mask.sum() <= best.inliers:
                continue
            # photo full-res px -> match px -> rotated px -> window px -> reference px
            H_full = M @ H @ np.linalg.inv(back) @ _scale(1 / s)
            reason = degeneracy(H_full, *pf.size)
            if reason:
                # Few, clustered inliers often give a wild perspective part: keep the
                # similarity they support and let the refinement find the perspective.
                A, _ = cv2.estimateAffinePartial2D(p0[mask], p1[mask], method=cv2.LMEDS)
                if A is not None:
                    H_sim = M @ np.vstack([A, [0, 0, 1]]) @ np.linalg.inv(back) @ _scale(1 / s)
                    if not degeneracy(H_sim, *pf.size):
                        H_full, reason = H_sim, ""
            if reason and best.H is not None and not best.reason:
                continue  # never replace a sane match by a degenerate one
            best = Match(
                H_full,
                int(mask.sum()),
                len(p0),
                rms,
                rot,
                apply_h(back, p0[mask]) * s,
                apply_h(M, p1[mask]),
                reason=reason,
            )
        if best.inliers >= good_enough and not best.reason:
            break
    best.seconds = time.perf_counter() - t0
    return best


def _window_views(
    ref: Reference,
    window: tuple[float, float, float, float],
    matcher: Matcher,
    grows: Sequence[float],
    max_size: int,
    max_keypoints: int | None,
) -> tuple[list[tuple[np.ndarray, Features, int]], int | None]:
    """The window enlarged by each of `grows`, rendered and detected: (window px -> reference px,
    its features, the photo size to match it at) for each that is not empty, and the photo's
    keypoint budget (raised with a large window's)."""
    col, row, ww, wh = window
    cx, cy = col + ww / 2, row + wh / 2
    views = []
    for grow in grows:
        side = max(ww, wh) * grow
        if side > 1.5 * max_size and max_keypoints:
            # a large window squeezed into a small render loses the detail the photo shows
            max_size, max_keypoints = SIZES[-2], int(max_keypoints * 1.5)
        rsize = _snap(min(max(side, SIZES[0]), max_size))
        M = ref.window_map(cx - side / 2, cy - side / 2, side, side, rsize)  # window px -> ref px
        img = ref.render(M, (rsize, rsize))
        if img is None or _texture(img) < 2.0:
            continue
        psize = _snap(max(SIZES[0], rsize / grow * 1.1))
        views.append((M, matcher.detect(img, 2 * max_keypoints if max_keypoints else None), psize))
    return views, max_keypoints


def footprint_extent(H: np.ndarray, w: int, h: int) -> float:
    """Square root of the footprint area, in reference pixels."""
    return math.sqrt(Polygon(apply_h(H, photo_corners(w, h))).area)


def refine(
    pf: PhotoFeatures,
    ref: Reference,
    start: Match,
    matcher: Matcher,
    cancel: Cancel | None = None,
    max_iter: int = MAX_ITER,
) -> Match:
    """Iterate: render the reference into the photo frame through H, re-match, and move H by
    the correction whose footprint agrees best with the reference's edge layout.

    Across years a few dozen keypoint matches include consistent wrong ones, and a homography
    fitted to them can throw a right footprint far off (from the true footprint of a 1985 photo
    against 2020 imagery: IoU 0.99 -> 0.55 in one round). So each round weighs a homography, an
    affine and a similarity correction, and keeping H as it is, by the edge-layout agreement
    (`structural_agreement`) of the footprint each gives, and takes the best.
    """
    t0 = time.perf_counter()
    corners = photo_corners(*pf.size)
    H = start.H
    best = start
    trusted = False  # set when "no change" wins a round matched through H's similarity part
    for it in range(1, max_iter + 1):
        raise_if_cancelled(cancel, "locate")
        # Match at about the footprint's size in reference pixels (no point upsampling more).
        c = apply_h(H, corners)
        extent = max(np.linalg.norm(c[2] - c[0]), np.linalg.norm(c[3] - c[1])) / 1.25
        psize = _snap(min(max(extent, SIZES[0]), SIZES[-1]))
        small, s = pf.image(psize)
        w, h = small.shape[1], small.shape[0]
        mx, my = REFINE_MARGIN * w, REFINE_MARGIN * h
        out = (round(w + 2 * mx), round(h + 2 * my))
        # While the estimate is rough, re-cut the reference with the similarity (rotation, scale,
        # shift) closest to H: a wrong perspective would distort the view more than it helps.
        through_h = trusted or best.inliers >= GOOD_START
        M = _in_frame(H if through_h else _similarity(H, *pf.size), s, mx, my)
        img = ref.render(M, out)
        if img is None:
            break
        p0, p1 = matcher.match(pf.features(psize, 0)[0], matcher.detect(img))
        options = _corrections(p0, p1) + [("keep", np.linalg.inv(M) @ H @ _scale(s))]
        chosen = _best_correction(pf, ref, options, M, s)
        if chosen is None:
            break
        name, H_new, _ = chosen
        err = np.linalg.norm(apply_h(np.linalg.inv(M) @ H_new @ _scale(s), p0) - p1, axis=1)
        mask = err < RANSAC_PX
        rms = float(np.sqrt(np.mean(err[mask] ** 2))) if mask.any() else float("inf")
        shift = _corner_shift(c, apply_h(H_new, corners))
        best = Match(
            H_new,
            int(mask.sum()),
            len(p0),
            rms,
            start.rotation,
            p0[mask] * s,
            apply_h(M, p1[mask]),
            it,
            shift,
        )
        H = H_new
        if name == "keep" and not (trusted or best.inliers >= GOOD_START):
            trusted = True  # these matches were made through H's similarity part: look again through H
            continue
        if shift < CONVERGED:
            break
    best.reason = degeneracy(best.H, *pf.size) if best.H is not None else "no homography"
    if best.ok:
        best.structure = structural_agreement(pf, ref, best.H)
    best.seconds = start.seconds + time.perf_counter() - t0
    return best


def _corrections(p0: np.ndarray, p1: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Robust homography, affine and similarity fits of the matches (photo -> rendered frame)."""
    if len(p0) < MIN_INLIERS:
        return []
    out = []
    H, _ = robust_homography(p0, p1)
    if H is not None:
        out.append(("homography", H))
    for name, fit in (("affine", cv2.estimateAffine2D), ("similarity", cv2.estimateAffinePartial2D)):
        A, _ = fit(p0, p1, method=cv2.RANSAC, ransacReprojThreshold=RANSAC_PX, maxIters=5000)
        if A is not None:
            out.append((name, np.vstack([A, [0, 0, 1]])))
    return out


def _best_correction(
    pf: PhotoFeatures, ref: Reference, options: list[tuple[str, np.ndarray]], M: np.ndarray, s: float
) -> tuple[str, np.ndarray, float] | None:
    """The option (name, correction in the rendered frame) whose footprint's edge layout agrees
    best with the photo: (name, full-resolution H, agreement), or None if every one is degenerate."""
    best = None
    for name, Hd in options:
        H_new = M @ Hd @ _scale(1 / s)
        if degeneracy(H_new, *pf.size):
            continue
        score = layout_score(pf, ref, H_new)
        if score is not None and (best is None or score > best[2]):
            best = (name, H_new, score)
    return best


def polish(pf: PhotoFeatures, ref: Reference, match: Match, cancel: Cancel | None = None) -> Match:
    """Tighten an accepted footprint by dense block matching of edge-layout descriptors
    (structure.block_matches), iterated like `refine`. Keypoint matches across years are few and
    noisy; field boundaries are everywhere. The result is kept only when the edge-layout agreement
    at the footprint rises; its correspondences are the consistent blocks plus the keypoint
    inliers that agree with it (for the pose). The statistics, and so the confidence, stay the
    keypoint match's: the polish decides nothing about acceptance."""
    if not match.ok or match.structure is None:
        return match
    small, s = pf.image(STRUCTURE_SIZE)
    h, w = small.shape
    corners = photo_corners(*pf.size)
    H, blocks = match.H, None
    for it in range(POLISH_ITER):
        raise_if_cancelled(cancel, "locate")
        margin = POLISH_MARGIN if it == 0 else POLISH_FINE_MARGIN  # later rounds correct little
        mx, my = round(margin * w), round(margin * h)
        M = _in_frame(H, s, mx, my)
        img = ref.render(M, (w + 2 * mx, h + 2 * my))
        if img is None:
            break
        p0, p1 = block_matches(small, img, (mx, my), grid=POLISH_GRID, block=POLISH_BLOCK)
        Hd, mask = _block_fit(p0, p1)
        if Hd is None:
            break
        H_new = M @ Hd @ _scale(1 / s)
        if degeneracy(H_new, *pf.size):
            break
        shift = _corner_shift(apply_h(H, corners), apply_h(H_new, corners))
        H, blocks = H_new, (p0[mask] * s, apply_h(M, p1[mask]))
        if shift < CONVERGED:
            break
    if blocks is None:
        return match
    agreed = structural_agreement(pf, ref, H)
    if agreed is None or agreed.at_offset <= match.structure.at_offset:
        return match
    # keypoint inliers within the RANSAC threshold of the polished H (reference px)
    ref_px = math.sqrt(Polygon(apply_h(H, corners)).area / (pf.size[0] * pf.size[1])) * s
    near = np.zeros(len(match.photo_pts), bool)
    if len(near):
        near = np.linalg.norm(apply_h(H, match.photo_pts) - match.ref_pts, axis=1) < RANSAC_PX * ref_px
    return Match(
        H,
        match.inliers,
        match.matches,
        match.reprojection_px,
        match.rotation,
        np.vstack([blocks[0], match.photo_pts[near]]),
        np.vstack([blocks[1], match.ref_pts[near]]),
        match.iterations,
        match.last_shift,
        structure=match.structure,
        polished=True,
        seconds=match.seconds,
    )


def pose_correspondences(
    gray: np.ndarray, ref: Reference, match: Match
) -> tuple[np.ndarray, np.ndarray, float]:
    """Photo px <-> reference px pairs for the camera pose, sub-pixel and spread over the whole
    footprint: a fine grid of blocks (POSE_GRID) of the photo at its working resolution `gray`
    (the size the footprint's H maps from), each matched by edge-layout correlation against the
    reference rendered through the final H at the same scale, kept when its peak is distinct,
    comes back to itself (forward-backward) and agrees with a smooth displacement field. The
    points are local matches, not H's own: they carry the perspective and the Earth's curvature
    that H cannot. Returns (photo px, reference px, the residual
    sigma in px); with too few consistent blocks, the match's points and NaN."""
    fallback = (match.photo_pts, match.ref_pts, float("nan"))
    if not match.ok:
        return fallback
    h, w = gray.shape
    m = POSE_MARGIN_PX
    M = _in_frame(_pose_start(gray, ref, match.H), 1.0, m, m)
    img = ref.render(M, (w + 2 * m, h + 2 * m))
    if img is None:
        return fallback
    p0, p1 = dense_matches(gray, img, m, POSE_GRID, POSE_BLOCK, POSE_MIN_DISTINCT, POSE_BACK_PX)
    if len(p0) < POSE_MIN_BLOCKS:
        return fallback
    disp = p1 - m - p0  # departure from H, photo px
    keep = np.ones(len(p0), bool)
    for _ in range(2):  # refit without the blocks the first field rejects
        flow = smooth_field(p0[keep], disp[keep], (w, h))
        r = np.linalg.norm(disp - flow(p0), axis=1)
        thr = float(np.clip(3 * 1.4826 * np.median(r[keep]), *POSE_FIELD_PX))
        keep = r < thr
        if keep.sum() < POSE_MIN_BLOCKS:
            return fallback
    flow = smooth_field(p0[keep], disp[keep], (w, h))
    r = disp[keep] - flow(p0[keep])
    sigma = float(1.4826 * np.median(np.abs(r)))  # per coordinate
    # The match's own points are left out: keypoints matched at SIZES and polish blocks at
    # STRUCTURE_SIZE are ~1 px off where these are ~0.05 px, and even those within 1.5 px of the
    # field tripled the nadir error (docs/LOCATE.md, pose section).
    return p0[keep], apply_h(M, p1[keep]), sigma


def _pose_start(gray: np.ndarray, ref: Reference, H: np.ndarray) -> np.ndarray:
    """H corrected by block matches at half the working resolution with a wide search
    (POSE_START_MARGIN_PX): the polish works at STRUCTURE_SIZE and can leave the footprint a few
    working px off, more than the fine search covers. H itself where that finds too little."""
    h, w = gray.shape
    small = cv2.resize(gray, (round(w / 2), round(h / 2)), interpolation=cv2.INTER_AREA)
    s = w / small.shape[1]
    m = round(POSE_START_MARGIN_PX / s)
    M = _in_frame(H, s, m, m)
    img = ref.render(M, (small.shape[1] + 2 * m, small.shape[0] + 2 * m))
    if img is None:
        return H
    p0, p1 = block_matches(
        small, img, (m, m), grid=POSE_START_GRID, block=POSE_BLOCK, min_distinct=POSE_MIN_DISTINCT
    )
    if len(p0) < POLISH_HOMOGRAPHY_BLOCKS:
        return H
    Hd, mask = cv2.findHomography(p0, p1, cv2.USAC_MAGSAC, 1.5, maxIters=5000, confidence=0.999)
    if Hd is None or mask.sum() < POLISH_HOMOGRAPHY_BLOCKS:
        return H
    H_new = M @ Hd @ _scale(1 / s)
    return H if degeneracy(H_new, w, h) else H_new


def _block_fit(p0: np.ndarray, p1: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """A homography correction from block matches when there are enough, else an affine one."""
    if len(p0) >= POLISH_HOMOGRAPHY_BLOCKS:
        H, mask = cv2.findHomography(
            p0, p1, cv2.USAC_MAGSAC, POLISH_RANSAC_PX, maxIters=5000, confidence=0.999
        )
        if H is not None and mask.sum() >= POLISH_HOMOGRAPHY_BLOCKS:
            return H, mask.ravel().astype(bool)
    if len(p0) < POLISH_MIN_BLOCKS:
        return None, np.zeros(len(p0), bool)
    A, mask = cv2.estimateAffine2D(
        p0, p1, method=cv2.RANSAC, ransacReprojThreshold=POLISH_RANSAC_PX, maxIters=5000, confidence=0.999
    )
    if A is None or mask.sum() < POLISH_MIN_BLOCKS:
        return None, np.zeros(len(p0), bool)
    return np.vstack([A, [0, 0, 1]]), mask.ravel().astype(bool)


def structural_agreement(pf: PhotoFeatures, ref: Reference, H: np.ndarray) -> Agreement | None:
    """How well the photo's edge layout agrees with the reference rendered through H."""
    view = _structure_view(pf, ref, H)
    return None if view is None else agreement(pf.layout(), *view)


def layout_score(pf: PhotoFeatures, ref: Reference, H: np.ndarray) -> float | None:
    """`structural_agreement(...).at_offset` alone, for half the work: for comparing footprints."""
    view = _structure_view(pf, ref, H)
    return None if view is None else agreement_at_offset(pf.layout(), *view)


def _structure_view(
    pf: PhotoFeatures, ref: Reference, H: np.ndarray
) -> tuple[np.ndarray, tuple[int, int]] | None:
    """The reference rendered through H into the photo's frame at STRUCTURE_SIZE with its margin."""
    small, s = pf.image(STRUCTURE_SIZE)
    h, w = small.shape
    mx, my = round(STRUCTURE_MARGIN * w), round(STRUCTURE_MARGIN * h)
    img = ref.render(_in_frame(H, s, mx, my), (w + 2 * mx, h + 2 * my))
    return None if img is None else (img, (mx, my))


def _in_frame(H: np.ndarray, s: float, mx: float, my: float) -> np.ndarray:
    """Pixels of a view in the photo's frame (photo at 1/s of full resolution, margins mx, my)
    -> reference pixels, through H (full-resolution photo px -> reference px)."""
    return H @ _scale(s) @ np.array([[1, 0, -mx], [0, 1, -my], [0, 0, 1]], float)


def _corner_shift(old: np.ndarray, new: np.ndarray) -> float:
    """Largest corner move between two footprints, over the new footprint's diagonal."""
    diag = max(np.linalg.norm(new[2] - new[0]), np.linalg.norm(new[3] - new[1]), 1e-9)
    return float(np.max(np.linalg.norm(new - old, axis=1)) / diag)


def _similarity(H: np.ndarray, w: int, h: int) -> np.ndarray:
    """The rotation + uniform scale + translation that best maps the photo corners like H."""
    src = photo_corners(w, h)
    A, _ = cv2.estimateAffinePartial2D(src, apply_h(H, src), method=cv2.LMEDS)
    return H if A is None else np.vstack([A, [0, 0, 1]])


def confidence_features(
    inliers: int,
    inlier_ratio: float,
    rms: float,
    last_shift: float,
    structure: float = 0.0,
    structure_distinct: float = 0.0,
    support: int = 0,
) -> np.ndarray:
    """[1, log(1 + inliers), inlier ratio, match RMS (px, capped), last corner shift / diagonal
    (x10, capped at 5: a footprint still moving by half its size has not converged), edge-layout
    agreement at the footprint (x10) and how far it stands above every nearby offset (x10)].
    `support`: a second matcher's count of the matches that agree with the footprint; the larger
    of the two counts is the footprint's inliers (XFeat finds a dozen where RootSIFT finds a
    hundred on some hazy, cloudy orbital photos, and the reverse on others)."""
    return np.array(
        [
            1.0,
            math.log1p(max(inliers, support)),
            inlier_ratio,
            min(rms, 10.0),
            10 * min(last_shift, 0.5),
            10 * structure,
            10 * structure_distinct,
        ]
    )


def inlier_cover(photo_pts: np.ndarray, size: tuple[int, int]) -> float:
    """The share of the photo (w, h) that the convex hull of these photo px spans: a homography
    fitted to a small cluster of matches guesses the footprint's corners far from them."""
    if len(photo_pts) < 3:
        return 0.0
    hull = cv2.convexHull(np.asarray(photo_pts, np.float32))
    return float(min(cv2.contourArea(hull) / max(size[0] * size[1], 1), 1.0))


def scale_ratio(H: np.ndarray, size: tuple[int, int]) -> float:
    """The largest over the smallest area scale |det J| of H at the photo's corners: 1 for an
    affine map, a few for an oblique camera view, hundreds for a homography gone wild."""
    d = np.array([H[2, 0] * x + H[2, 1] * y + H[2, 2] for x, y in photo_corners(*size)])
    scales = abs(float(np.linalg.det(H))) / np.maximum(np.abs(d), 1e-12) ** 3
    return float(scales.max() / max(scales.min(), 1e-300))


def confidence(m: Match) -> float:
    if not m.ok:
        return 0.0
    s = m.structure or Agreement(0.0, 0.0)
    return confidence_from_features(
        m.inliers,
        m.inlier_ratio,
        m.reprojection_px,
        m.last_shift,
        s.at_offset,
        s.distinct,
        m.support,
        cover=m.cover,
        scale_ratio=m.scale_ratio,
        through_camera=m.through_camera,
    )


def extrapolated(
    inliers: int, support: int, cover: float | None, ratio: float | None, through_camera: bool = False
) -> bool:
    """Are the footprint's corners a guess: XFeat's inliers (not a larger second count) on less
    than MIN_COVER of the photo, through a perspective stronger than MAX_EXTRAPOLATED_SCALE, and no
    camera in orbit to draw the outline instead (locate.camera_footprint)?"""
    if cover is None or ratio is None or support > inliers or through_camera:
        return False
    return cover < MIN_COVER and ratio > MAX_EXTRAPOLATED_SCALE


def confidence_from_features(
    inliers: int,
    inlier_ratio: float,
    rms: float,
    last_shift: float,
    structure: float = 0.0,
    structure_distinct: float = 0.0,
    support: int = 0,
    *,
    cover: float | None = None,
    scale_ratio: float | None = None,
    through_camera: bool = False,
    weights: tuple[float, ...] = CONF_W,
) -> float:
    """The confidence of a footprint with these statistics (a result's `attempts` keep them;
    `support` as in `confidence_features`; `cover`, `scale_ratio`, `through_camera`: `extrapolated`;
    `weights`: other logistic weights, for the calibration benchmark)."""
    features = confidence_features(
        inliers, inlier_ratio, rms, last_shift, structure, structure_distinct, support
    )
    z = float(np.dot(weights, features))
    p = 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
    # The logistic has (almost) no data below this many inliers, and a homography from so few
    # cross-date matches is the likeliest to agree with the reference layout by chance.
    if extrapolated(inliers, support, cover, scale_ratio, through_camera):
        p = min(p, EXTRAPOLATED_CAP)
    return min(p, MAX_CONFIDENCE) if max(inliers, support) >= MIN_TRUSTED_INLIERS else min(p, 0.05)


def _texture(img: np.ndarray) -> float:
    return float(np.std(img))
