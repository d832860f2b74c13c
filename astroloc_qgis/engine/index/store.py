"""Open an index folder: manifest checks, model with its learned state, FAISS vectors, tile table."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadIndexError, ModelError
from ..models import GlobalModel, get_model, split_name
from ..models.adapted import adapted_if_stored, split_state
from ..rasters import RasterSource
from . import table as table_mod
from . import vectors
from .manifest import (
    EMBEDDINGS,
    FAISS_FILE,
    MODEL_STATE,
    TABLE_GPKG,
    TABLE_LAYER,
    TILES_NPZ,
    check_model,
    read_manifest,
)


def model_name_for(manifest: dict[str, Any]) -> str:
    """The registry name that recreates the index's model (dinov2 needs its checkpoint path)."""
    m = manifest.get("model", {})
    name = m.get("name", "")
    if split_name(name)[0] == "dinov2":
        from ..models.dinov2 import ENV_WEIGHTS

        path = os.environ.get(ENV_WEIGHTS) or m.get("weights_path")
        return f"dinov2:{path}" if path else "dinov2"
    return name


class TileIndex:
    def __init__(
        self,
        path: Path,
        manifest: dict[str, Any],
        model: GlobalModel,
        faiss_index,
        tiles: dict[str, np.ndarray],
        sources: list[RasterSource],
    ):
        self.path = path
        self.manifest = manifest
        self.model = model
        self.faiss = faiss_index
        self.tiles = tiles
        self.sources = sources
        self._tree = None

    @classmethod
    def open(
        cls, index_dir: str | os.PathLike, model: str | None = None, model_instance: GlobalModel | None = None
    ) -> TileIndex:
        path = Path(index_dir).resolve()
        manifest = read_manifest(path)
        built = manifest.get("model", {}).get("name")
        if model and split_name(model)[0] != split_name(built or "")[0]:
            raise BadIndexError(
                f"{path}: index was built with model {built!r}, not {model!r}",
                f"search it with --model {built}, or rebuild it with the model you want",
            )
        try:
            m = model_instance or get_model(model if model and ":" in model else model_name_for(manifest))
        except ModelError as exc:
            raise BadIndexError(
                f"{path}: the index's model {built!r} cannot be loaded: {exc.message}", exc.hint
            ) from exc
        check_model(manifest, m.model_id(), path)
        state_file = path / MODEL_STATE
        if m.needs_fit and not state_file.is_file():
            raise BadIndexError(f"{state_file}: missing (the model's learned codebook)", "rebuild the index")
        if state_file.is_file():
            try:
                with np.load(state_file) as z:
                    state = {k: z[k] for k in z.files}
                if m.needs_fit:
                    m.load_state(split_state(state)[0])
                # An index adapted to confirmed photos (index/adapt.py) embeds through its adaptation.
                m = adapted_if_stored(m, state)
            except (OSError, ValueError, KeyError) as exc:
                raise BadIndexError(f"{state_file}: damaged ({exc})", "rebuild the index") from exc
        dim = int(manifest["descriptor_dim"])
        if m.descriptor_dim != dim:
            raise BadIndexError(
                f"{path}: model gives {m.descriptor_dim}-d descriptors, index holds {dim}-d",
                "rebuild the index",
            )
        try:
            tiles = table_mod.load_npz(path / TILES_NPZ)
        except (OSError, ValueError) as exc:
            raise BadIndexError(
                f"{path / TILES_NPZ}: tile table missing or damaged", "rebuild the index"
            ) from exc
        n = int(manifest["tiles"])
        if len(tiles["source"]) != n:
            raise BadIndexError(
                f"{path / TILES_NPZ}: {len(tiles['source'])} tiles, manifest says {n}", "rebuild the index"
            )
        faiss_index = vectors.read(path / FAISS_FILE, manifest["faiss"], n, dim)
        sources = [RasterSource.from_dict(s) for s in manifest["sources"]]
        return cls(path, manifest, m, faiss_index, tiles, sources)

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    def __len__(self) -> int:
        return int(self.faiss.ntotal)

    def embeddings(self) -> np.ndarray:
        try:
            return np.load(self.path / EMBEDDINGS, mmap_mode="r")
        except (OSError, ValueError) as exc:
            raise BadIndexError(f"{self.path / EMBEDDINGS}: missing or damaged", "rebuild the index") from exc

    def search(
        self, queries: np.ndarray, k: int, ids: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """FAISS top-k; with `ids`, only among those tiles (an ID selector inside FAISS, every
        inverted list probed, so a restricted search misses none of them)."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if ids is None:
            return self.faiss.search(queries, max(1, min(int(k), len(self))))
        import faiss

        ids = np.ascontiguousarray(ids, dtype=np.int64)
        selector = faiss.IDSelectorBatch(ids)
        ivf = faiss.try_extract_index_ivf(self.faiss)
        params = (
            faiss.SearchParametersIVF(sel=selector, nprobe=int(ivf.nlist))
            if ivf is not None
            else faiss.SearchParameters(sel=selector)
        )
        return self.faiss.search(queries, max(1, min(int(k), len(ids))), params=params)

    def tiles_intersecting(self, region) -> np.ndarray:
        """Sorted ids of the tiles whose EPSG:4326 polygon intersects a shapely geometry."""
        tree, tile_ids = self._tile_tree()
        return np.unique(tile_ids[tree.query(region, predicate="intersects")])

    def _tile_tree(self):
        """An STRtree of the tile polygons (read once per opened index from tiles.gpkg, or
        recomputed from the table when the GeoPackage is missing or out of step)."""
        if self._tree is None:
            import shapely

            n = len(self.tiles["source"])
            try:
                import pyogrio.raw

                _, _, wkb, fields = pyogrio.raw.read(
                    str(self.path / TABLE_GPKG), layer=TABLE_LAYER, columns=["tile_id"], return_fids=False
                )
                geoms, tile_ids = shapely.from_wkb(wkb), np.asarray(fields[0], np.int64)
                if len(tile_ids) != n or (len(tile_ids) and tile_ids.max() >= n):
                    raise ValueError("tile table and GeoPackage differ")
            except Exception:
                tile_ids = np.arange(n, dtype=np.int64)
                geoms = np.array(table_mod.polygons(self.tiles, self.sources, tile_ids), dtype=object)
            self._tree = (shapely.STRtree(geoms), tile_ids)
        return self._tree

    def tile(self, tile_id: int) -> dict[str, Any]:
        t = self.tiles
        src = self.sources[int(t["source"][tile_id])]
        return {
            "tile_id": int(tile_id),
            "source": src.path,
            "year": src.extra.get("year"),
            "scale": int(t["scale"][tile_id]),
            "window": [
                int(t["col"][tile_id]),
                int(t["row"][tile_id]),
                int(t["width"][tile_id]),
                int(t["height"][tile_id]),
            ],
        }

    def tile_polygon(self, tile_id: int):
        return table_mod.polygons(self.tiles, self.sources, np.array([tile_id]))[0]

    def source_of(self, tile_id: int) -> RasterSource:
        return self.sources[int(self.tiles["source"][tile_id])]
