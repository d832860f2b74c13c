"""manifest.json: what an index folder holds and how it was built.

A newer format or a different model is refused with an error naming the folder and what to do,
never read as silent garbage.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import BadIndexError
from ..protocol import COVERAGE_LAYER, INDEX_GPKG, TILES_LAYER

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FAISS_FILE = "tiles.faiss"
TABLE_GPKG, TABLE_LAYER, COVERAGE_LAYER = INDEX_GPKG, TILES_LAYER, COVERAGE_LAYER  # coverage.py
TILES_NPZ = "tiles.npz"
MODEL_STATE = "model_state.npz"
EMBEDDINGS = "embeddings.f16.npy"


def read_manifest(index_dir: str | os.PathLike) -> dict[str, Any]:
    folder = Path(index_dir)
    path = folder / MANIFEST
    if not folder.is_dir():
        raise BadIndexError(
            f"{folder}: index folder not found", "build one with: index build SOURCES --out DIR"
        )
    if not path.is_file():
        raise BadIndexError(
            f"{folder}: not an AstroLoc index (no {MANIFEST})",
            "pick the folder made by 'index build', or build one",
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        version = int(manifest["format_version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise BadIndexError(f"{path}: damaged manifest ({exc})", "rebuild the index") from exc
    if version > FORMAT_VERSION:
        raise BadIndexError(
            f"{folder}: index format {version} is newer than this engine understands ({FORMAT_VERSION})",
            "update AstroLoc, or rebuild the index with this version",
        )
    return manifest


def write_manifest(index_dir: str | os.PathLike, manifest: dict[str, Any]) -> None:
    path = Path(index_dir) / MANIFEST
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, sort_keys=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def check_model(manifest: dict[str, Any], model_id: dict[str, Any], index_dir: str | os.PathLike) -> None:
    """The model about to be used must be the one the index was built with."""
    built = manifest.get("model", {})
    if built.get("name") != model_id.get("name"):
        raise BadIndexError(
            f"{index_dir}: index was built with model {built.get('name')!r}, not {model_id.get('name')!r}",
            f"search it with --model {built.get('name')}, or rebuild it with the model you want",
        )
    if built.get("weights_hash") != model_id.get("weights_hash"):
        raise BadIndexError(
            f"{index_dir}: index was built with other weights of {built.get('name')!r} "
            f"({str(built.get('weights_hash'))[:12]} vs {str(model_id.get('weights_hash'))[:12]})",
            "use the same weights file, or rebuild the index",
        )
