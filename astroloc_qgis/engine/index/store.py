"""Open an index folder: manifest checks, model with its learned state, FAISS vectors, tile table."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import BadIndexError, ModelError
from ..models import CHECKPOINT_MODELS, GlobalModel, get_model, split_name
from ..models.adapted import adapted_if_stored, split_state
from ..rasters import RasterSource
from . import pages, vectors
from . import table as table_mod
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
    """The registry name that recreates the index's model (a checkpoint model needs its path)."""
    m = manifest.get("model", {})
    name = m.get("name", "")
    base = split_name(name)[0]
    if base in CHECKPOINT_MODELS:
        path = m.get("weights_path")
        if base == "dinov2":
            from ..models.dinov2 import ENV_WEIGHTS

            path = os.environ.get(ENV_WEIGHTS) or path
        return f"{base}:{path}" if path else base
    return name


#: bytes of the envelope after a GeoPackage geometry header, by its envelope code (GPKG 1.3, 2.1.3)
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _gpkg_wkb(blob: bytes) -> bytes:
    """The WKB inside a GeoPackage geometry blob ('GP', version, flags, srs id, envelope, WKB)."""
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry")
    return blob[8 + _ENVELOPE_BYTES[(blob[3] >> 1) & 7] :]


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
        self._embeddings: np.ndarray | None = None
        self._populating: tuple | None = None  # pages.populate_in_background of the re-ranked rows

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
        index = cls(path, manifest, m, faiss_index, tiles, sources)
        if manifest["faiss"].get("type") == "ivfpq":
            try:  # the re-ranked rows mapped while the photo is embedded (a missing file: said by search)
                index.rerank_rows()
            except BadIndexError:
                pass
        return index

    @property
    def model_name(self) -> str:
        return self.manifest["model"]["name"]

    def __len__(self) -> int:
        return int(self.faiss.ntotal)

    def embeddings(self) -> np.ndarray:
        """The float16 embeddings, memory-mapped once per opened index: the pages a search touched stay
        mapped for the next (a fresh mapping per search faulted every re-ranked row in again)."""
        if self._embeddings is None:
            try:
                emb = np.load(self.path / EMBEDDINGS, mmap_mode="r")
                if emb.dtype != np.float16 or emb.ndim != 2:
                    raise ValueError(f"{emb.dtype} {emb.shape}, not 2-d float16")
                self._embeddings = emb
            except (OSError, ValueError) as exc:
                problem = f"{self.path / EMBEDDINGS}: missing or damaged"
                raise BadIndexError(problem, "rebuild the index") from exc
        return self._embeddings

    def rerank_rows(self) -> np.ndarray:
        """The embeddings as the re-ranking reads them: the first call starts mapping all their pages in
        the background (index/pages.py), so that a photo's rows do not fault in one by one."""
        emb = self.embeddings()
        if self._populating is None:
            self._populating = pages.populate_in_background(emb) or ()
        return emb

    def release_embeddings(self) -> None:
        """Unmap the embeddings (before the folder is replaced: an open mapping blocks it on Windows)."""
        if self._populating:
            thread, stop = self._populating
            stop.set()
            thread.join()
        self._populating = None
        self._embeddings = None

    def search(
        self,
        queries: np.ndarray,
        k: int,
        ids: np.ndarray | None = None,
        nprobe: int | None = None,
        rerank: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """FAISS top-k; with `ids` (sorted), only among those tiles: an ID selector inside FAISS with
        every inverted list probed, so a restricted search misses none of them (never a global top-k
        filtered afterwards). `nprobe` overrides the manifest's for an IVF index (speed vs recall).
        An IVF-PQ index's `rerank` x k candidates (the manifest's factor unless given) are re-scored
        exactly with the stored embeddings."""
        import faiss

        queries = np.ascontiguousarray(queries, dtype=np.float32)
        n = len(self)
        want = max(1, min(int(k), n if ids is None else len(ids)))
        ivf = faiss.try_extract_index_ivf(self.faiss)
        if ivf is None:
            rerank = 0
        elif rerank is None:
            rerank = int(self.manifest.get("faiss", {}).get("rerank", 0) or 0)
        fetch = min(want * max(rerank, 1), n if ids is None else len(ids))
        keep_alive = None
        if ids is not None:
            sel, keep_alive = vectors.selector(np.asarray(ids, np.int64), n)
            params = (
                faiss.SearchParametersIVF(sel=sel, nprobe=int(ivf.nlist))
                if ivf is not None
                else faiss.SearchParameters(sel=sel)
            )
        elif ivf is not None:
            params = faiss.SearchParametersIVF(nprobe=int(nprobe or ivf.nprobe))
        else:
            params = None
        if params is not None and isinstance(self.faiss, faiss.IndexPreTransform):
            params = faiss.SearchParametersPreTransform(index_params=params)
        scores, found = self.faiss.search(queries, fetch, params=params)
        del keep_alive
        if rerank:
            scores, found = self._rerank(queries, found, want)
        return scores, found

    def _rerank(self, queries: np.ndarray, found: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The exact inner products of each query's own candidates (float16 embeddings), best k first
        (-1 and -inf where a query has fewer). FAISS scores the float16 rows against the float32 query
        with SIMD as it reads them (a float16 -> float32 copy of the rows first cost 3x more at 1M,
        docs/bench_scale.md); each query's rows are read in file order."""
        import faiss

        emb = self.rerank_rows()
        width = min(int(k), found.shape[1])
        scores = np.full((len(found), width), -np.inf, np.float32)
        ids = np.full((len(found), width), -1, np.int64)
        fp16, ip = faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        exact = faiss.IndexScalarQuantizer(emb.shape[1], fp16, ip)
        for r, (query, cand) in enumerate(zip(queries, found, strict=True)):
            cand = np.unique(cand[cand >= 0])
            if len(cand) == 0:
                continue
            exact.reset()
            exact.add_sa_codes(np.take(emb, cand, axis=0).view(np.uint8))
            best, pos = exact.search(query[None], min(width, len(cand)))
            scores[r, : pos.shape[1]], ids[r, : pos.shape[1]] = best[0], cand[pos[0]]
        return scores, ids

    def tiles_intersecting(self, region) -> np.ndarray:
        """Sorted ids of the tiles whose EPSG:4326 polygon intersects a shapely geometry: candidates from
        the R-tree of tiles.gpkg (only their rows are read), then the exact test on their polygons."""
        import shapely

        try:
            tile_ids, geoms = self._rtree_candidates(region)
        except (OSError, ValueError, sqlite3.Error):
            tree, all_ids = self._tile_tree()
            return np.unique(all_ids[tree.query(region, predicate="intersects")])
        if len(tile_ids) == 0:
            return tile_ids
        shapely.prepare(region)
        return np.unique(tile_ids[shapely.intersects(region, geoms)])

    def _rtree_candidates(self, region) -> tuple[np.ndarray, np.ndarray]:
        """(tile ids, polygons) of the GeoPackage rows whose R-tree box meets a part of the region."""
        import shapely

        gpkg = self.path / TABLE_GPKG
        if not gpkg.is_file():
            raise OSError(f"{gpkg}: missing")
        con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
        try:
            (geom_col,) = con.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (TABLE_LAYER,)
            ).fetchone()
            fid = next(r[1] for r in con.execute(f'PRAGMA table_info("{TABLE_LAYER}")') if r[5])
            sql = (
                f'SELECT t.tile_id, t."{geom_col}" FROM "{TABLE_LAYER}" t JOIN '
                f'"rtree_{TABLE_LAYER}_{geom_col}" r ON t."{fid}" = r.id '
                "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ?"
            )
            rows = []
            for part in shapely.get_parts(region):
                west, south, east, north = part.bounds
                rows += con.execute(sql, (west, east, south, north)).fetchall()
        finally:
            con.close()
        n = len(self.tiles["source"])
        tile_ids = np.array([r[0] for r in rows], np.int64)
        if len(tile_ids) and (tile_ids.min() < 0 or tile_ids.max() >= n):
            raise ValueError("tile table and GeoPackage differ")
        geoms = shapely.from_wkb([_gpkg_wkb(r[1]) for r in rows]) if rows else np.zeros(0, object)
        return tile_ids, geoms

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
