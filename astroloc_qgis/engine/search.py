"""Photo -> ranked candidate tiles, with test-time augmentation of the query.

The photo is embedded at several rotations (astronaut photos have any orientation) and, when it
is (near-)square and `aspects` asks for it, also un-squeezed to 3:2 and 2:3 (photos are often
delivered resized to a square without keeping aspect, and a squeezed frame is another image to a
global descriptor; measured and off by default, docs/index.md). Each tile
keeps its best score over the variants. `rotation` in the result is the counter-clockwise angle
(degrees) by which the photo was turned to match the north-up tile; `aspect` the width/height
stretch that won (1 = as delivered; verification always matches the photo as it is).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np
from shapely.geometry import mapping

from .clouds import suppress as suppress_clouds
from .errors import InputError, PriorError
from .index.store import TileIndex
from .photo import Photo, load_photo
from .priors import Prior
from .progress import Cancel, Progress, stepper
from .protocol import CANDIDATE, PRIOR, rounded_geometry

DEFAULT_ROTATIONS: tuple[int, ...] = (0, 90, 180, 270)
#: width/height stretches tried on a square photo: 1.5 undoes a 3:2 frame squeezed to a square
SQUARE_ASPECTS: tuple[float, ...] = (1.0, 1.5, 1 / 1.5)
SQUARE_TOLERANCE = 0.02  # |w/h - 1| below which a photo counts as square
#: off by default: +0.6 point R@1 on the orbital views (noise) for 3x the embedding (docs/index.md)
DEFAULT_ASPECTS: tuple[float, ...] = (1.0,)
QUERY_MAX_SIDE = 1024

#: a query variant: (counter-clockwise rotation in degrees, width/height stretch)
Variant = tuple[int, float]


def aspect_hypotheses(shape: Sequence[int], aspects: Sequence[float]) -> tuple[float, ...]:
    """The stretches to try on a photo of `shape`: `aspects` for a square one, none for the rest."""
    h, w = shape[:2]
    return tuple(aspects) if aspects and abs(w / h - 1) <= SQUARE_TOLERANCE else (1.0,)


def query_variants(rotations: Sequence[int], aspects: Sequence[float] = (1.0,)) -> list[Variant]:
    """The variants in the order embed_query embeds them (aspect-major)."""
    return [(int(r), float(a)) for a in aspects for r in rotations]


def unsqueeze(img: np.ndarray, aspect: float) -> np.ndarray:
    """Stretch the width by `aspect` (> 1) or the height by 1 / `aspect` (< 1)."""
    if abs(aspect - 1) < 1e-6:
        return img
    h, w = img.shape[:2]
    size = (round(w * aspect), h) if aspect > 1 else (w, round(h / aspect))
    return cv2.resize(img, size, interpolation=cv2.INTER_LINEAR)


def rotate(img: np.ndarray, degrees: int) -> np.ndarray:
    """Counter-clockwise rotation; multiples of 90 are exact, others keep the largest upright crop."""
    if degrees % 90 == 0:
        return np.ascontiguousarray(np.rot90(img, (degrees // 90) % 4))
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    rotated = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    # The largest axis-aligned rectangle inside the rotated frame avoids filled corners.
    a = math.radians(degrees % 180)
    s, c = abs(math.sin(a)), abs(math.cos(a))
    side_long, side_short = max(w, h), min(w, h)
    if side_short <= 2 * s * c * side_long or abs(s - c) < 1e-10:
        x = 0.5 * side_short
        wr, hr = (x / s, x / c) if w >= h else (x / c, x / s)
    else:
        cos2 = c * c - s * s
        wr, hr = (w * c - h * s) / cos2, (h * c - w * s) / cos2
    wr, hr = int(min(w, wr)), int(min(h, hr))
    x0, y0 = (w - wr) // 2, (h - hr) // 2
    return np.ascontiguousarray(rotated[y0 : y0 + hr, x0 : x0 + wr])


def query_image(rgb: np.ndarray, input_size: int) -> np.ndarray:
    """Resize so the photo has the pixel area of one index tile image (aspect kept)."""
    h, w = rgb.shape[:2]
    s = input_size / math.sqrt(h * w)
    if abs(s - 1) < 1e-3:
        return rgb
    size = (max(32, round(w * s)), max(32, round(h * s)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)


def embed_query(
    index: TileIndex, rgb: np.ndarray, rotations: Sequence[int], aspects: Sequence[float] = (1.0,)
) -> np.ndarray:
    """One descriptor per variant, in the order of query_variants(rotations, aspects)."""
    size = index.model.input_size
    bases = [query_image(unsqueeze(rgb, a), size) for a in aspects]
    return index.model.embed([rotate(base, r) for base in bases for r in rotations])


def retrieve(
    index: TileIndex,
    queries: np.ndarray,
    rotations: Sequence[Any],
    k: int,
    allowed: np.ndarray | None = None,
    nprobe: int | None = None,
) -> list[tuple[int, float, Any]]:
    """[(tile_id, score, label)] best first; a tile's score is its max over the query rows, the
    label that of the winning row (`rotations[row]`: a rotation or a Variant).
    `allowed`: the only tile ids FAISS may return (a prior's region); `nprobe`: IVF lists probed."""
    scores, ids = index.search(queries, k, ids=allowed, nprobe=nprobe)
    best: dict[int, tuple[float, int]] = {}
    for r, (srow, irow) in enumerate(zip(scores, ids, strict=True)):
        for s, i in zip(srow, irow, strict=True):
            if i < 0:
                continue
            if int(i) not in best or s > best[int(i)][0]:
                best[int(i)] = (float(s), rotations[r])
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:k]
    return [(tid, s, rot) for tid, (s, rot) in ranked]


def order_by_subdescriptor(
    index: TileIndex, queries: np.ndarray, rotations: Sequence[Any], ranked: list[tuple[int, float, Any]]
) -> list[tuple[int, float, Any]]:
    """Re-order the top-k by the cosine of the model's leading `order_dims` dimensions (max over
    rotations); the set of tiles is unchanged. A no-op for models without a sub-descriptor."""
    d = int(getattr(index.model, "order_dims", 0) or 0)
    if d <= 0 or not ranked:
        return ranked
    ids = np.array([t for t, _, _ in ranked])
    emb = np.asarray(index.embeddings()[np.sort(ids)], np.float32)[np.argsort(np.argsort(ids)), :d]
    q = queries[:, :d] / np.maximum(np.linalg.norm(queries[:, :d], axis=1, keepdims=True), 1e-12)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
    sims = q @ emb.T  # rotations x k
    best, score = sims.argmax(axis=0), sims.max(axis=0)
    order = np.argsort(-score, kind="stable")
    return [(int(ids[i]), float(score[i]), rotations[best[i]]) for i in order]


def candidate_features(index: TileIndex, ranked: list[tuple[int, float, Variant]]) -> list[dict[str, Any]]:
    feats = []
    for rank, (tid, score, (rot, aspect)) in enumerate(ranked, start=1):
        props = {
            "kind": CANDIDATE,
            "rank": rank,
            "score": round(score, 6),
            **index.tile(tid),
            "rotation": rot,
            "aspect": round(aspect, 3),
        }
        feats.append(
            {
                "type": "Feature",
                "id": f"candidate-{rank}",
                "geometry": rounded_geometry(mapping(index.tile_polygon(tid))),
                "properties": props,
            }
        )
    return feats


def check_georeferenced_photo(path: str, index: TileIndex) -> None:
    """A GeoTIFF query that carries its own georeference must overlap the index coverage."""
    if not str(path).lower().endswith((".tif", ".tiff")):
        return
    from shapely.geometry import box

    from .rasters import open_source

    try:
        src = open_source(str(path), checksum=False)
    except InputError:
        return  # a plain TIFF photo without georeference
    west, south, east, north = src.bounds_wgs84
    if not any(box(*s.bounds_wgs84).intersects(box(west, south, east, north)) for s in index.sources):
        raise InputError(
            f"{path}: georeferenced at lon {west:.3f}..{east:.3f}, lat {south:.3f}..{north:.3f}, "
            f"outside the index {index.path}",
            "add imagery of that area with 'index add', or search another index",
        )


def tiles_in_prior(index: TileIndex, prior: Prior) -> np.ndarray:
    """The ids of the tiles inside a prior's region; InputError when there is none."""
    ids = index.tiles_intersecting(prior.region)
    if len(ids) == 0:
        bounds = index.manifest.get("bounds_wgs84")
        where = (
            f" (the index covers lon {bounds[0]:.3f}..{bounds[2]:.3f}, lat {bounds[1]:.3f}..{bounds[3]:.3f})"
            if bounds
            else ""
        )
        raise PriorError(
            PRIOR,
            f"prior {prior.description}: no tile of the index {index.path} lies in that region{where}",
            "the photo's own GPS fix is not in this index: search an index that covers it, or the whole "
            "index with --kind aerial"
            if prior.source == "exif_gps"
            else "check the prior (latitude first, altitude, --max-tilt, the AOI's CRS), or search an "
            "index that covers it",
        )
    return ids


def search(
    photo: str | Photo,
    index: TileIndex,
    k: int = 100,
    rotations: Sequence[int] = DEFAULT_ROTATIONS,
    aspects: Sequence[float] = DEFAULT_ASPECTS,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    cleared: tuple[np.ndarray, float] | None = None,
    prior: Prior | None = None,
    nprobe: int | None = None,
) -> dict[str, Any]:
    """The FeatureCollection of docs/ARCHITECTURE.md with `kind: candidate` features.
    `cleared`: the photo with its clouds taken out and their share (clouds.suppress), when the
    caller already has them. `prior`: rank only the tiles inside its region (docs/PRIORS.md);
    the result then holds a `kind: prior` feature and a top-level `prior` summary.
    `aspects`: the stretches tried when the photo is square (aspect_hypotheses; SQUARE_ASPECTS for
    3:2 and 2:3); the default (1.0,) tries none. `nprobe`: inverted lists probed in an IVF-PQ index
    (default: the manifest's, chosen from the size; more is slower and finds more)."""
    timing: dict[str, float] = {}
    t0 = time.perf_counter()

    step = stepper(progress, cancel, "search")
    allowed = None
    if prior is not None:
        allowed = tiles_in_prior(index, prior)
        timing["prior"] = time.perf_counter() - t0

    step("photo", 0.0, "reading the photo")
    if not isinstance(photo, Photo):
        check_georeferenced_photo(photo, index)
        photo = load_photo(photo, max_side=QUERY_MAX_SIDE)
    timing["load_photo"] = time.perf_counter() - t0
    stretches = aspect_hypotheses(photo.rgb.shape, aspects)
    variants = query_variants(rotations, stretches)
    step("embed", 0.2, f"embedding the photo in {len(variants)} variants with {index.model_name}")
    t = time.perf_counter()
    # clouds would be searched for in cloudless imagery
    clear, cloud_share = cleared if cleared is not None else suppress_clouds(photo.rgb)
    queries = embed_query(index, clear, rotations, stretches)
    timing["embed"] = time.perf_counter() - t
    searched = len(index) if allowed is None else len(allowed)
    step("retrieve", 0.8, f"searching {searched} tiles" + ("" if allowed is None else " inside the prior"))
    t = time.perf_counter()
    ranked = order_by_subdescriptor(
        index, queries, variants, retrieve(index, queries, variants, k, allowed, nprobe)
    )
    timing["search"] = time.perf_counter() - t
    features = candidate_features(index, ranked)
    timing["total"] = time.perf_counter() - t0
    step("retrieve", 1.0, f"{len(features)} candidates")
    out = {
        "type": "FeatureCollection",
        "status": "ok" if features else "not_found",
        "photo": {**photo.summary(), "cloud_share": round(cloud_share, 3)},
        "index": {"path": str(index.path), "model": index.model_name, "tiles": len(index)},
        "timing": {key: round(v, 4) for key, v in timing.items()},
        "features": features,
    }
    if prior is not None:
        out["prior"] = prior.summary(searched)
        out["features"] = features + [prior.feature(searched)]
    return out
