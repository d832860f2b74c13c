"""The shards of an index build: the unit of embedding work (a local build's loop and a Dask task run
the same `embed_chunk`), of saving and of resume. Shared by build.py (local) and cluster.py (Dask);
neither imports the other for these."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ..errors import DiskError
from ..models import GlobalModel
from ..rasters import RasterSource, SourceReader, read_tile

CHUNK = 256  # candidate tiles per shard (the unit of resume and of a Dask task)
SHARDS = "shards"
BATCH = 16
WHAT, RESUME_HINT = "index build", "run the same command again to resume"


@contextmanager
def disk_guard(target: Path, cleanup: Path | None = None) -> Iterator[None]:
    """OSError while writing -> DiskError naming the target; the staging folder is removed."""
    try:
        yield
    except OSError as exc:
        if cleanup is not None:
            shutil.rmtree(cleanup, ignore_errors=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskError(
                f"{target}: disk full while writing the index",
                "free some space and run the command again (the previous index is intact)",
            ) from exc
        raise DiskError(
            f"{target}: cannot write ({exc.strerror or exc})",
            "choose a writable folder (the previous index is intact)",
        ) from exc


class Readers:
    """The rasters of a build opened once each, by source index (`offset`: the index of sources[0])."""

    def __init__(self, sources: list[RasterSource], offset: int = 0):
        self.sources, self.offset, self.open = sources, offset, {}

    def read(self, src_idx: int, window: tuple[int, int, int, int], size: int) -> tuple[np.ndarray, float]:
        if src_idx not in self.open:
            self.open[src_idx] = SourceReader(self.sources[src_idx - self.offset])
        return read_tile(self.open[src_idx], window, size)

    def close(self) -> None:
        for r in self.open.values():
            r.close()


def window(cands: dict[str, np.ndarray], i: int) -> tuple[int, int, int, int]:
    return (int(cands["col"][i]), int(cands["row"][i]), int(cands["width"][i]), int(cands["height"][i]))


def embed_chunk(
    model: GlobalModel,
    readers: Readers,
    cands: dict[str, np.ndarray],
    start: int,
    stop: int,
    min_valid: float,
    before_batch: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Embed candidates start..stop-1 in batches of BATCH: (kept indices, valid fractions, embeddings).
    The one unit of work of a local and of a Dask build (a shard), so both give the same vectors.
    `before_batch(first index)` is called before each batch (cancel and progress)."""
    kept, valid, embs = [], [], []
    for b0 in range(start, stop, BATCH):
        if before_batch is not None:
            before_batch(b0)
        imgs, ids, vals = [], [], []
        for i in range(b0, min(b0 + BATCH, stop)):
            img, v = readers.read(int(cands["source"][i]), window(cands, i), model.input_size)
            if v >= min_valid:
                imgs.append(img), ids.append(i), vals.append(v)
        if imgs:
            embs.append(model.embed(imgs))
            kept.extend(ids), valid.extend(vals)
    e = np.concatenate(embs).astype(np.float32) if embs else np.zeros((0, model.descriptor_dim), np.float32)
    return np.array(kept, np.int64), np.array(valid, np.float32), e


def shard_path(work: Path, start: int) -> Path:
    return work / SHARDS / f"chunk_{start:09d}.npz"


def load_shard(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """A finished shard, or None when absent or cut short by an interruption (then it is redone)."""
    if not path.is_file():
        return None
    try:
        with np.load(path) as z:
            return z["kept"], z["valid"], z["emb"]
    except (OSError, ValueError, KeyError):
        path.unlink(missing_ok=True)
        return None


def save_shard(path: Path, kept: np.ndarray, valid: np.ndarray, emb: np.ndarray) -> None:
    """Whole or absent, however the build stops (written aside, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with disk_guard(path.parent), open(tmp, "wb") as fh:
        np.savez(fh, kept=kept, valid=valid, emb=emb)
    os.replace(tmp, path)


def merge_shards(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], dim: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The shards, in candidate order, as one (kept, valid, embeddings)."""
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros((0, dim), np.float32)
    return tuple(np.concatenate([p[j] for p in parts]) for j in range(3))  # type: ignore[return-value]
