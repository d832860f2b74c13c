"""The engine façade used by the CLI and the worker (see docs/ARCHITECTURE.md).

Loaded indexes (with their model) stay cached between calls, so a warm worker answers a
search without reloading weights or FAISS files.
"""

from __future__ import annotations

import os
import platform
import threading
from collections import OrderedDict
from datetime import UTC
from pathlib import Path
from typing import Any

from . import protocol
from .progress import Cancel, Progress

ENGINE_VERSION = "0.1.0"

_CACHE_SIZE = 2
_cache: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def open_index(index_dir: str | os.PathLike, model: str | None = None):
    """A cached TileIndex; reopened when its manifest changed on disk."""
    from .index.manifest import MANIFEST
    from .index.store import TileIndex

    path = Path(index_dir).resolve()
    try:
        mtime = (path / MANIFEST).stat().st_mtime_ns
    except OSError:
        mtime = -1
    key = f"{path}|{model or ''}"
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == mtime:
            _cache.move_to_end(key)
            return hit[1]
    index = TileIndex.open(path, model=model)
    with _lock:
        _cache[key] = (mtime, index)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def build_index(
    sources: list[str],
    out_dir: str,
    model: str | None = None,
    scales: list[int] | None = None,
    tile_px: int | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    cluster: str | None = None,
) -> dict:
    """`cluster`: embed on Dask ("local:N" or "tcp://HOST:8786", docs/scale.md); None: here."""
    from .index.build import build_index as _build

    manifest = _build(
        sources,
        out_dir,
        model=model,
        scales=scales,
        tile_px=tile_px,
        progress=progress,
        cancel=cancel,
        cluster=cluster,
    )
    clear_cache()
    return manifest


def add_to_index(
    index_dir: str, sources: list[str], progress: Progress | None = None, cancel: Cancel | None = None
) -> dict:
    from .index.build import add_to_index as _add

    manifest = _add(index_dir, sources, progress=progress, cancel=cancel)
    clear_cache()
    return manifest


def build_from_service(params: dict, progress: Progress | None = None, cancel: Cancel | None = None) -> dict:
    """The worker's `index_build_service` (protocol.SERVICE_KEYS): build (or with "add" add to) the
    index "out" from a tile service; with "dry_run" only the estimate (tiles, bytes, seconds)."""
    from .errors import InputError
    from .index.services import build_from_arguments

    if not params.get("out"):
        raise InputError('index_build_service: no "out" index folder', "give the index folder", field="out")
    unknown = sorted(set(params) - set(protocol.SERVICE_KEYS))
    if unknown:
        raise InputError(
            f"index_build_service: unknown parameter(s) {', '.join(unknown)}",
            "update the plugin and the engine together",
            field=unknown[0],
        )
    result = build_from_arguments(
        params,
        params["out"],
        add=bool(params.get("add")),
        progress=progress,
        cancel=cancel,
        dry_run=bool(params.get("dry_run")),
    )
    if not params.get("dry_run"):
        clear_cache()
    return result


def adapt_index(
    index_dir: str,
    confirmed: str,
    photo_folders: list[str] | None = None,
    out_dir: str | None = None,
    other_index: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    force: bool = False,
):
    """An index adapted to the confirmed footprints of a session or export (index/adapt.py):
    (its manifest, the adapt Report)."""
    from .index.adapt import adapt_index as _adapt

    result = _adapt(
        index_dir,
        confirmed,
        photo_folders,
        out_dir,
        other_index=other_index,
        progress=progress,
        cancel=cancel,
        force=force,
    )
    clear_cache()
    return result


def index_info(index_dir: str) -> dict:
    """The manifest plus file sizes; checks the format but does not load the model. Writes the
    coverage layer of an index built before it existed (`coverage`: "written" then)."""
    from .index import coverage
    from .index.manifest import read_manifest

    path = Path(index_dir).resolve()
    manifest = read_manifest(path)
    try:
        state = "written" if coverage.ensure(path) else "present"
    except OSError as exc:  # a read-only index still answers; QGIS then draws its tiles only
        state = f"missing: cannot write it into {path} ({exc})"
    files = {f.name: f.stat().st_size for f in path.iterdir() if f.is_file()}
    n = max(1, int(manifest.get("tiles", 0)))
    return {
        **manifest,
        "path": str(path),
        "file_sizes": files,
        "bytes_per_tile": round(sum(files.values()) / n, 1),
        "coverage": state,
    }


def search(
    photo: str,
    index_dir: str,
    k: int = 100,
    model: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    prior: dict | None = None,
    nprobe: int | None = None,
) -> dict:
    """`prior`: the plain keys of priors.PARAM_KEYS (docs/PRIORS.md), or None for a global search."""
    from .priors import from_params
    from .search import search as _search

    region = from_params(prior, photo)  # before the index loads: a bad prior fails at once
    index = open_index(index_dir, model=model)
    return _search(photo, index, k=k, progress=progress, cancel=cancel, prior=region, nprobe=_nprobe(nprobe))


def _nprobe(nprobe: int | None) -> int | None:
    from .errors import InputError

    if nprobe is not None and int(nprobe) < 1:
        raise InputError(f"nprobe {nprobe}: must be at least 1", "give the number of IVF lists to probe")
    return None if nprobe is None else int(nprobe)


def locate(
    photo: str,
    index_dir: str,
    top: int | None = None,
    k: int = 100,
    altitude_m: float | None = None,
    focal_px: float | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    prior: dict | None = None,
    max_units: float | None = None,
    nprobe: int | None = None,
    kind: str | None = None,
    heading_deg: float | None = None,
    heading_sigma_deg: float | None = None,
    pitch_deg: float | None = None,
) -> dict:
    """`prior` as for search; `altitude_m` is the pose's altitude (give it in `prior` too to shape
    the region); `max_units` caps the verification cascade's matching work; `kind`: protocol.KINDS
    (None: auto from the EXIF; a drone photo without a prior is searched round its GPS fix).
    `kind="ground"`: x, y, yaw round the photo's GPS fix (ground.py; `altitude_m` is the camera's
    height above the ground, `heading_deg` / `heading_sigma_deg` / `pitch_deg` optional)."""
    from .calibration import apply_to_result, read
    from .locate import locate as _locate
    from .priors import from_params, photo_kind

    if photo_kind({}, kind)[0] == "ground":
        return _locate_ground(
            photo,
            index_dir,
            prior,
            altitude_m,
            focal_px,
            heading_deg,
            heading_sigma_deg,
            pitch_deg,
            progress,
            cancel,
        )
    region = from_params(prior, photo)
    index = open_index(index_dir)
    result = _locate(
        photo,
        index,
        top=top,
        k=k,
        altitude_m=altitude_m,
        focal_px=focal_px,
        progress=progress,
        cancel=cancel,
        prior=region,
        max_units=max_units,
        nprobe=_nprobe(nprobe),
        kind=kind,
    )
    return apply_to_result(result, read(index.path))


def calibrate_confidence(index_dir: str, session: str) -> dict:
    """The footprint confidence refitted on a review session's decisions, stored with the index
    (calibration.py); raises InputError (code protocol.CALIBRATION_REFUSED) when too few."""
    from dataclasses import asdict
    from datetime import datetime

    from .calibration import calibrate
    from .index.manifest import read_manifest

    read_manifest(index_dir)  # a bad index is refused as such (the model need not load)
    cal = calibrate(index_dir, session, datetime.now(UTC).isoformat(timespec="seconds"))
    return asdict(cal)


def _locate_ground(
    photo: str,
    index_dir: str,
    prior: dict | None,
    height_m: float | None,
    focal_px: float | None,
    heading_deg: float | None,
    heading_sigma_deg: float | None,
    pitch_deg: float | None,
    progress: Progress | None,
    cancel: Cancel | None,
) -> dict:
    """A ground photo: only the index's reference sources are read (its model is not loaded)."""
    from .ground import locate_ground
    from .ground_view import ground_prior
    from .index.manifest import read_manifest
    from .photo import load_photo
    from .rasters import RasterSource

    pic = load_photo(photo)
    ground_prior(pic.exif, prior, heading_deg, heading_sigma_deg)  # a photo without a fix fails first
    path = Path(index_dir).resolve()
    manifest = read_manifest(path)
    sources = [RasterSource.from_dict(s) for s in manifest["sources"]]
    return locate_ground(
        pic,
        sources,
        prior,
        heading_deg=heading_deg,
        heading_sigma_deg=heading_sigma_deg,
        pitch_deg=pitch_deg,
        height_m=height_m,
        focal_px=focal_px,
        index_info={"path": str(path), "model": manifest.get("model")},
        progress=progress,
        cancel=cancel,
    )


def versions() -> dict:
    out: dict[str, Any] = {
        "engine": ENGINE_VERSION,
        "protocol": protocol.VERSION,
        "python": platform.python_version(),
    }
    for mod in ("numpy", "torch", "faiss", "rasterio", "shapely", "pyproj", "cv2", "PIL", "pyogrio"):
        try:
            out[mod] = __import__(mod).__version__
        except Exception:
            out[mod] = None
    try:
        import rasterio

        out["gdal"] = rasterio.__gdal_version__
    except Exception:
        pass
    from .models import DEFAULT_MODEL, available_models

    out["models"] = available_models()
    out["default_model"] = DEFAULT_MODEL
    return out
