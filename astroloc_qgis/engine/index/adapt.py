"""`index adapt`: learn from the analyst's confirmed footprints (docs/adapt.md).

For every confirmed footprint whose photo is found: the reference under it is cut from the
index's sources and warped into the photo's frame (so it is seen at the photo's scale and
geometry: what differs is what real photos change), and the tiles that hold the footprint are
taken as they are stored. Photo and references are embedded with the index's base model, and a
contrastive projection head is trained on them (photo -> its references and the tiles holding its
centre, against every tile; models/adapted.py), or, for an index adapted before it, the learned
whitening is extended with their differences. The tiles are re-projected (no re-embedding: the
adaptation is linear on the stored descriptors) into a new index, either a new folder (`out`) or
a new version of the same folder that keeps the previous one under `versions/`.

Nothing is written unless the adaptation can be made: every refusal leaves the index untouched.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from shapely.geometry import Polygon

from .. import protocol
from ..clouds import suppress as suppress_clouds
from ..crs import from_wgs84
from ..errors import InputError
from ..models.adapted import CONTRASTIVE, PRIOR_PAIRS, REWEIGHT, WHITENING, Adaptation, AdaptedModel
from ..photo import load_photo
from ..progress import Cancel, Progress, stepper
from ..rasters import SourceReader
from . import vectors
from .build import _now, _prepare_target, _swap_in
from .confirmations import Confirmation, find_photos, read_confirmations
from .manifest import EMBEDDINGS, FAISS_FILE, MANIFEST, MODEL_STATE, write_manifest
from .shards import disk_guard
from .store import TileIndex

MIN_CONFIRMATIONS = protocol.ADAPT_MIN_CONFIRMATIONS  # usable confirmations below which it refuses
MIN_VALID = 0.6  # share of the warped reference that must be inside the source
MAX_REFERENCES = 2  # sources (years) cut under one footprint
# Stored tiles paired with each photo (best overlap first): 0, measured: with 2 (weight 0.5 x IoU) the
# held-out R@1 of tests/unit/test_adapt.py's haze case fell 30 -> 20% where the warped references
# alone raise it (their offset and scale differences are not what real photos change).
TILE_PAIRS = 0
TILE_MIN_IOU = 0.2
TILE_WEIGHT = 0.5
CANDIDATE_WEIGHT = 0.5  # a footprint that is a retrieval candidate's tile, not the photo's corners
MAX_WINDOW_PX = 2048
# The guard and the method's choice: cross-validation by place. The new photos are split into
# VALIDATION_FOLDS regions (k-means of their footprints' centres); each region is held out whole
# and the adaptation fitted on the photos whose footprints do not touch it: what it does for places
# it has not seen. Folds by overlapping footprints were tried first: on tests/unit/test_adapt.py's
# haze case the 25 footprints form one connected group, so nothing was held out by place.
VALIDATION_FOLDS = 5
VALIDATION_TILES = 50_000  # distractor tiles the check ranks among (all below)
VERSIONS = "versions"
WHAT = "index adapt"
# Methods that keep the photos; the grouped cross-validation picks the one whose held-out-place R@1
# is highest. Ties go to the first: the contrastive head (bench-adapt: with 10 confirmations both tie
# at 20% and the reweighting lost one held-out view of 80, the head none; docs/bench_adapt.md run 4).
METHODS = (CONTRASTIVE, REWEIGHT)


@dataclass
class PhotoPair:
    """A photo and its references, ready to embed (all in the photo's frame, turned north-up)."""

    key: str
    photo: np.ndarray
    references: list[np.ndarray]
    tiles: list[tuple[int, float]]  # (tile id, weight)
    weight: float = 1.0
    right: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # tiles holding its centre
    footprint: Polygon | None = None


@dataclass
class Report:
    """What happened to each confirmation (the CLI prints it)."""

    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    def skipped(self) -> dict[str, list[str]]:
        """The skipped photos by name, by reason (the worker's reply and its refusals)."""
        return {
            "photo_not_found": self.missing,
            "outside_coverage": self.outside,
            "unreadable": self.unreadable,
        }

    def counts(self) -> dict[str, int]:
        return {
            "used": len(self.used),
            "photo_not_found": len(self.missing),
            "outside_coverage": len(self.outside),
            "unreadable": len(self.unreadable),
        }


def north_up_rotation(corners_px: np.ndarray) -> int:
    """The counter-clockwise 90-degree step (search.rotate) that turns a photo whose corners UL,
    UR, LR, LL lie at `corners_px` (source pixels, y down) closest to north-up."""
    up = (corners_px[0] + corners_px[1]) / 2 - (corners_px[3] + corners_px[2]) / 2
    azimuth = math.degrees(math.atan2(up[0], -up[1]))  # clockwise from north
    return int(-round(azimuth / 90) * 90) % 360


def source_pixels(src, corners_lonlat: list[tuple[float, float]]) -> np.ndarray:
    lon, lat = np.array(corners_lonlat, np.float64).T
    x, y = from_wgs84(src.crs).transform(lon, lat)
    inv = ~src.transform
    return np.stack([inv.a * x + inv.b * y + inv.c, inv.d * x + inv.e * y + inv.f], axis=1)


def reference_in_frame(
    reader: SourceReader, corners_px: np.ndarray, out_w: int, out_h: int
) -> np.ndarray | None:
    """The source under the footprint warped into the photo's frame (out_w x out_h), or None when
    too little of it is inside the source."""
    col0, row0 = corners_px.min(axis=0)
    col1, row1 = corners_px.max(axis=0)
    bw, bh = max(col1 - col0, 1.0), max(row1 - row0, 1.0)
    area = Polygon(corners_px).area
    f = math.sqrt(out_w * out_h / max(area, 1.0))
    f = min(f, MAX_WINDOW_PX / max(bw, bh))
    win_w, win_h = max(8, math.ceil(bw * f)), max(8, math.ceil(bh * f))
    img, valid = reader.read(col0, row0, bw, bh, win_w, win_h)
    if valid < MIN_VALID:
        return None
    dst = np.float32((corners_px - [col0, row0]) * [win_w / bw, win_h / bh])
    frame = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    h = cv2.getPerspectiveTransform(frame, dst)
    ref = cv2.warpPerspective(img, h, (out_w, out_h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    return ref if (ref.max(axis=2) > 0).mean() >= MIN_VALID else None


def _tile_pairs(index: TileIndex, footprint: Polygon, ids: np.ndarray) -> list[tuple[int, float]]:
    scored = []
    for tid in ids:
        tile = index.tile_polygon(int(tid))
        inter = tile.intersection(footprint).area
        iou = inter / max(tile.area + footprint.area - inter, 1e-12)
        if iou >= TILE_MIN_IOU:
            scored.append((int(tid), iou))
    scored.sort(key=lambda t: -t[1])
    return [(tid, TILE_WEIGHT * iou) for tid, iou in scored[:TILE_PAIRS]]


def photo_pair(index: TileIndex, conf: Confirmation, rgb: np.ndarray, readers: dict) -> PhotoPair | None:
    """The pair of one confirmation (None when the footprint is outside the index's coverage)."""
    from ..search import query_image, rotate

    footprint = conf.footprint
    ids = index.tiles_intersecting(footprint)
    if len(ids) == 0:
        return None
    counts = np.bincount(index.tiles["source"][ids])
    query = query_image(rgb, index.model.input_size)
    qh, qw = query.shape[:2]
    refs, rotation = [], None
    for s in np.argsort(-counts)[:MAX_REFERENCES]:
        if counts[s] == 0:
            break
        src = index.sources[int(s)]
        px = source_pixels(src, conf.corners)
        if rotation is None:
            rotation = north_up_rotation(px)
        if int(s) not in readers:
            readers[int(s)] = SourceReader(src)
        ref = reference_in_frame(readers[int(s)], px, qw, qh)
        if ref is not None:
            refs.append(rotate(ref, rotation))
    tiles = _tile_pairs(index, footprint, ids)
    if not refs and not tiles:
        return None
    weight = CANDIDATE_WEIGHT if conf.candidate else 1.0
    right = index.tiles_intersecting(footprint.centroid)
    return PhotoPair(conf.sha256.lower(), rotate(query, rotation or 0), refs, tiles, weight, right, footprint)


def pair_differences(
    model, pairs: list[PhotoPair], base_embeddings: np.ndarray, progress=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(photo minus reference descriptors, their weights, the photo key of each) in base space, and
    each photo's own descriptor (north-up)."""
    diffs, weights, keys, photos = [], [], [], []
    for n, p in enumerate(pairs):
        emb = model.embed([p.photo, *p.references])
        photos.append(emb[0])
        for ref in emb[1:]:
            diffs.append(emb[0] - ref), weights.append(p.weight / len(p.references)), keys.append(p.key)
        for tid, w in p.tiles:
            diffs.append(emb[0] - np.asarray(base_embeddings[tid], np.float32))
            weights.append(p.weight * w), keys.append(p.key)
        if progress:
            progress("embed", (n + 1) / len(pairs), f"{n + 1}/{len(pairs)} confirmed photos embedded")
    dim = base_embeddings.shape[1]
    return (
        np.array(diffs, np.float32).reshape(-1, dim),
        np.array(weights, np.float32),
        np.array(keys, dtype=str),
        np.array(photos, np.float32).reshape(-1, dim),
    )


def _check_origin(index: TileIndex, confs: list[Confirmation], file: Path, other_index: bool) -> None:
    """A session made with another model, or against another index, is refused unless asked."""
    if other_index:
        return
    models = {c.model_id for c in confs if c.model_id}
    foreign = sorted(m for m in models if m != index.model_name)
    if foreign:
        raise InputError(
            f"{file}: its footprints were found with model {', '.join(foreign)}, the index {index.path} "
            f"uses {index.model_name}",
            "adapt the index that session was made with, or pass --other-index to use its footprints anyway",
        )
    known = {str(index.path)} | {
        str(Path(h["from"]).resolve()) for h in _lineage(index.manifest) if h.get("from")
    }
    paths = {str(Path(c.index_path).resolve()) for c in confs if c.index_path}
    if paths and not paths & known:
        raise InputError(
            f"{file}: its photos were located in another index ({sorted(paths)[0]}), not {index.path}",
            "adapt that index, or pass --other-index to use its footprints anyway",
        )


def _lineage(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    a = manifest.get("adaptation")
    return [*a.get("history", []), a] if a else []


def collect_pairs(
    index: TileIndex,
    confs: list[Confirmation],
    photos: dict[str, str],
    report: Report,
    progress: Progress | None = None,
) -> list[PhotoPair]:
    readers: dict[int, SourceReader] = {}
    pairs: list[PhotoPair] = []
    try:
        for n, c in enumerate(confs):
            if progress:
                progress("references", n / max(len(confs), 1), f"cutting the reference under {c.name}")
            path = photos.get(c.sha256.lower())
            if path is None:
                continue
            try:
                rgb = suppress_clouds(load_photo(path).rgb)[0]
            except InputError:
                report.unreadable.append(c.name or path)
                continue
            pair = photo_pair(index, c, rgb, readers)
            if pair is None:
                report.outside.append(c.name or path)
                continue
            report.used.append(c.name or path)
            pairs.append(pair)
    finally:
        for r in readers.values():
            r.close()
    return pairs


def base_embeddings(index: TileIndex) -> np.ndarray:
    emb = np.asarray(index.embeddings(), np.float32)
    return index.model.adaptation.invert(emb) if isinstance(index.model, AdaptedModel) else emb


def fit_adaptation(
    index: TileIndex,
    pairs: list[PhotoPair],
    prior_pairs: float = PRIOR_PAIRS,
    progress=None,
    methods: tuple[str, ...] = METHODS,
) -> tuple[Adaptation, int, dict[str, Any]]:
    """The adaptation from these pairs and those the index was adapted with before (a photo
    confirmed again replaces its old pairs), by the method the cross-validation by place prefers;
    the number of confirmed photos it holds; and that validation (`validate`)."""
    base = index.model.base if isinstance(index.model, AdaptedModel) else index.model
    emb = base_embeddings(index)
    diffs, weights, keys, photos = pair_differences(base, pairs, emb, progress)
    owner = {p.key: i for i, p in enumerate(pairs)}
    rows = np.array([owner[k] for k in keys], np.int64)
    row_photos, row_right = photos[rows], _padded([pairs[i].right for i in rows])
    if isinstance(index.model, AdaptedModel):
        old = index.model.adaptation
        keep = ~np.isin(old.keys, keys)
        diffs = np.concatenate([old.diffs[keep], diffs])
        weights = np.concatenate([old.weights[keep], weights])
        keys = np.concatenate([old.keys[keep], keys])
        if old.photos is not None and old.right is not None:
            row_photos = np.concatenate([old.photos[keep], row_photos])
            row_right = _padded([*old.right[keep], *row_right])
        else:  # adapted by the whitening, whose pairs kept no photo: the whitening again
            row_photos = row_right = None
    order_dims = int(getattr(base, "order_dims", 0) or 0)
    extra = {} if row_photos is None else {"photos": row_photos, "right": row_right}
    if not extra:
        methods = (WHITENING,)

    def fit(method: str, train: np.ndarray | None = None) -> Adaptation:
        t = slice(None) if train is None else train
        more = {k: v[t] for k, v in extra.items()}
        return Adaptation.fit(
            emb, order_dims, diffs[t], weights[t], keys[t], prior_pairs, **more, method=method
        )

    checks = {m: validate(emb, keys, pairs, photos, lambda train, m=m: fit(m, train)) for m in methods}
    method = max(methods, key=lambda m: checks[m]["r1_after"])  # max keeps the first of equals
    check = {**checks[method], "method": method}
    if len(methods) > 1:
        check["methods"] = {m: round(c["r1_after"], 4) for m, c in checks.items()}
    return fit(method), len(set(keys.tolist())), check


def place_folds(pairs: list[PhotoPair], folds: int = VALIDATION_FOLDS) -> np.ndarray:
    """The fold of each photo: k-means of the footprints' centres into `folds` regions (seeded)."""
    n = len(pairs)
    k = min(folds, n)
    centres = np.array(
        [list(p.footprint.centroid.coords[0]) if p.footprint is not None else [0.0, 0.0] for p in pairs]
    )
    rng = np.random.default_rng(0)
    means = centres[rng.choice(n, k, replace=False)]
    for _ in range(20):
        fold = ((centres[:, None] - means[None]) ** 2).sum(-1).argmin(1)
        means = np.array([centres[fold == f].mean(0) if (fold == f).any() else means[f] for f in range(k)])
    return ((centres[:, None] - means[None]) ** 2).sum(-1).argmin(1)


def _padded(rows: list[np.ndarray]) -> np.ndarray:
    """Tile id lists as one array, -1 padded."""
    width = max([len(r) for r in rows] + [1])
    out = np.full((len(rows), width), -1, np.int64)
    for i, r in enumerate(rows):
        r = np.asarray(r, np.int64)
        r = r[r >= 0]
        out[i, : len(r)] = r
    return out


def validate(
    emb: np.ndarray, keys: np.ndarray, pairs: list[PhotoPair], photos: np.ndarray, fit
) -> dict[str, Any]:
    """R@1 of the new confirmed photos (north-up) among the tiles, before and after an adaptation
    `fit(train)` (train: a mask over the pair rows) fitted without their place: each fold of
    `place_folds` is held out with every photo whose footprint touches it (VALIDATION_FOLDS)."""
    rng = np.random.default_rng(0)
    n = len(pairs)
    fold = place_folds(pairs)
    sample = np.arange(len(emb))
    if len(emb) > VALIDATION_TILES:
        rights = np.concatenate([p.right for p in pairs])
        sample = np.union1d(rng.choice(len(emb), VALIDATION_TILES, replace=False), rights)
    tiles = np.asarray(emb[sample], np.float32)

    def hits(queries: np.ndarray, tile_emb: np.ndarray, members: np.ndarray) -> int:
        top = sample[(queries @ tile_emb.T).argmax(axis=1)]
        return sum(int(t in pairs[i].right) for t, i in zip(top, members, strict=True))

    before = hits(photos, tiles, np.arange(n))
    after, held_out = 0, []
    for f in np.unique(fold):
        members = np.flatnonzero(fold == f)
        place = [pairs[i].footprint for i in members if pairs[i].footprint is not None]
        near = [
            i
            for i in range(n)
            if i in members
            or any(pairs[i].footprint is not None and pairs[i].footprint.intersects(q) for q in place)
        ]
        held = np.isin(keys, [pairs[i].key for i in near])
        held_out.append(len(near))
        if held.all():  # nothing left to learn from: the fold counts as unchanged
            after += hits(photos[members], tiles, members)
            continue
        a = fit(~held)
        after += hits(a.apply(photos[members]), a.apply(tiles), members)
    return {
        "photos": n,
        "folds": len(held_out),
        "held_out_per_fold": held_out,
        "r1_before": before / n,
        "r1_after": after / n,
    }


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _write(
    index: TileIndex, out: Path, in_place: bool, adaptation: Adaptation, lineage: dict[str, Any], progress
) -> dict[str, Any]:
    report = stepper(progress, None, WHAT)
    report("write", 0.0, "re-projecting the tiles")
    emb = adaptation.apply(base_embeddings(index))
    threshold = int(index.manifest["faiss"].get("threshold", vectors.FLAT_THRESHOLD))
    faiss_index, params = vectors.make_index(emb, threshold)
    model = AdaptedModel(
        index.model.base if isinstance(index.model, AdaptedModel) else index.model, adaptation
    )
    stage = out.with_name(f".{out.name}.staging-{os.getpid()}")
    shutil.rmtree(stage, ignore_errors=True)
    manifest = dict(index.manifest)
    with disk_guard(out, cleanup=stage):
        stage.mkdir(parents=True)
        vectors.write(faiss_index, stage / FAISS_FILE)
        np.save(stage / EMBEDDINGS, emb.astype(np.float16))
        with open(stage / MODEL_STATE, "wb") as fh:
            np.savez(fh, **model.state())
        unchanged = {FAISS_FILE, EMBEDDINGS, MODEL_STATE, MANIFEST}
        for f in index.path.iterdir():
            if f.is_file() and f.name not in unchanged:
                _link_or_copy(f, stage / f.name)
        versions = list(manifest.get("versions", [])) if in_place else []
        if in_place:
            report("write", 0.5, "keeping the previous version")
            for root, _, files in os.walk(index.path / VERSIONS):
                for name in files:
                    full = Path(root) / name
                    _link_or_copy(full, stage / full.relative_to(index.path))
            previous = int(manifest.get("adaptation", {}).get("version", 0))
            kept = Path(VERSIONS) / f"v{previous}"
            for f in index.path.iterdir():
                if f.is_file():
                    _link_or_copy(f, stage / kept / f.name)
            versions.append({"version": previous, "path": str(kept), "adapted": previous > 0})
        manifest.update(
            {
                "updated": _now(),
                "model": {**manifest["model"], "state_sha256": model.state_hash()},
                "faiss": {**params, "file": FAISS_FILE, "ntotal": int(faiss_index.ntotal)},
                "adaptation": lineage,
                "versions": versions,
            }
        )
        manifest["files"] = {**manifest.get("files", {}), "model_state": MODEL_STATE}
        write_manifest(stage, manifest)
        report("write", 0.9, f"replacing {out}")
        _swap_in(stage, out)
    report("write", 1.0, f"adapted index written to {out}")
    return manifest


def _lineage_record(
    index: TileIndex,
    adaptation: Adaptation,
    n_photos: int,
    new: int,
    file: Path,
    report: Report,
    seconds: float,
) -> dict[str, Any]:
    previous = index.manifest.get("adaptation")
    base = index.manifest["model"]
    return {
        "version": int(previous.get("version", 0)) + 1 if previous else 1,
        "method": adaptation.method,
        "base_model": {"name": base.get("name"), "weights_hash": base.get("weights_hash")},
        "base_views": index.manifest.get("fit"),
        "confirmed_pairs": n_photos,
        "new_confirmations": new,
        "pairs": int(len(adaptation.diffs)),
        "prior_pairs": adaptation.prior_pairs,
        "blocks": len(adaptation.blocks),
        "date": _now(),
        "from": str(index.path),
        "confirmations": str(file),
        "skipped": {k: v for k, v in report.counts().items() if k != "used"},
        "seconds": round(seconds, 1),
        "history": _lineage(index.manifest),
    }


def adapt_index(
    index_dir: str | os.PathLike,
    confirmed: str | os.PathLike,
    photo_folders: list[str] | None = None,
    out_dir: str | os.PathLike | None = None,
    other_index: bool = False,
    prior_pairs: float = PRIOR_PAIRS,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    force: bool = False,
) -> tuple[dict[str, Any], Report]:
    """Adapt the index to the confirmed footprints of `confirmed` (a session or an export).
    Returns (the adapted index's manifest, what happened to each confirmation)."""
    t0 = time.monotonic()
    index = TileIndex.open(index_dir)
    file = Path(confirmed)
    out = Path(out_dir).resolve() if out_dir else index.path
    if out_dir and out == index.path:
        out_dir = None
    if out_dir:
        _prepare_target(out)
    step = stepper(progress, cancel, WHAT, "run the same command again")
    step("read", 0.0, f"reading the confirmations in {file.name}")
    confs = read_confirmations(file)
    if not confs:
        raise InputError(
            f"{file}: no confirmed or edited footprint", f"confirm at least {MIN_CONFIRMATIONS} photos first"
        )
    _check_origin(index, confs, file, other_index)
    report = Report()
    photos, missing = find_photos(confs, photo_folders or [])
    report.missing = [c.name or c.sha256[:12] for c in missing]
    pairs = collect_pairs(index, confs, photos, report, progress=step)
    if len(pairs) < MIN_CONFIRMATIONS:
        counts = report.counts()
        raise InputError(
            f"{file}: {len(pairs)} usable confirmations, the adaptation needs at least {MIN_CONFIRMATIONS} "
            f"({counts['photo_not_found']} photos not found, {counts['outside_coverage']} outside the index, "
            f"{counts['unreadable']} unreadable)",
            "give the photo folders with --photos, or confirm more photos inside the index's coverage",
            details={"used": len(pairs), "skipped": report.skipped()},
        )
    adaptation, n_photos, check = fit_adaptation(index, pairs, prior_pairs, progress=step)
    if check["r1_after"] < check["r1_before"] and not force:
        raise InputError(
            f"{file}: the adaptation would lower retrieval of places it has not seen: the confirmed photos, "
            f"each region held out in turn and adapted on the others (R@1 {check['r1_before']:.0%} -> "
            f"{check['r1_after']:.0%} over {check['photos']} photos); the index is unchanged",
            "confirm more photos, of more varied places, or pass --force to adapt anyway",
            code=protocol.ADAPT_GUARD,
            details={"used": len(pairs), "skipped": report.skipped(), "validation": check},
        )
    lineage = _lineage_record(index, adaptation, n_photos, len(pairs), file, report, time.monotonic() - t0)
    lineage["validation"] = {k: round(v, 4) if isinstance(v, float) else v for k, v in check.items()}
    manifest = _write(index, out, not out_dir, adaptation, lineage, progress)
    return manifest, report


__all__ = ["MIN_CONFIRMATIONS", "Report", "adapt_index", "read_confirmations"]
