"""The local tile cache: one MBTiles 1.3 file (sqlite3) per service, layer and year.

Tiles are committed in small transactions as they arrive, so an interrupted fetch keeps every
tile already written and the next run asks only for the others. GDAL's MBTiles driver reads the
file as a raster (the highest zoom as full resolution, the lower zooms as its overviews), so
the index is built from it like from any other raster. The service description (URL without
credentials, layer, attribution, licence, year, zooms, fetch date) is kept in the metadata table
under `astroloc_service`, from where the index build copies it into the manifest.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import DiskError, InputError
from .xyz import Tile

SERVICE_KEY = "astroloc_service"
SCHEMA = """
CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS name ON metadata (name);
CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX IF NOT EXISTS tile_index ON tiles (zoom_level, tile_column, tile_row);
"""


def _disk_error(path: Path, exc: Exception) -> DiskError:
    text = str(exc).lower()
    if "full" in text or getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return DiskError(
            f"{path}: disk full while caching tiles",
            "free some space and run the same command again: the tiles already cached are kept",
        )
    return DiskError(
        f"{path}: cannot write the tile cache ({exc})",
        "free some space or choose another --cache file, then run the same command again: "
        "the tiles already cached are kept",
    )


class TileCache:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).resolve()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise InputError(
                    f"--cache {self.path}: not an MBTiles file", "give a new file name or an MBTiles cache"
                ) from exc
            raise _disk_error(self.path, exc) from exc
        except OSError as exc:
            raise _disk_error(self.path, exc) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> TileCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def present(self, zoom: int) -> set[tuple[int, int]]:
        """(x, xyz row) of the tiles already cached at a zoom."""
        n = 1 << zoom
        rows = self.db.execute("SELECT tile_column, tile_row FROM tiles WHERE zoom_level=?", (zoom,))
        return {(c, n - 1 - r) for c, r in rows}

    def put_many(self, tiles: list[tuple[Tile, bytes]]) -> None:
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
                    [(t.z, t.x, t.tms_y, sqlite3.Binary(data)) for t, data in tiles],
                )
        except (sqlite3.OperationalError, OSError) as exc:
            raise _disk_error(self.path, exc) from exc

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM tiles").fetchone()[0])

    def data_bytes(self) -> int:
        return int(self.db.execute("SELECT coalesce(sum(length(tile_data)), 0) FROM tiles").fetchone()[0])

    def set_metadata(self, values: dict[str, Any]) -> None:
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO metadata VALUES (?, ?)",
                    [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in values.items()],
                )
        except (sqlite3.OperationalError, OSError) as exc:
            raise _disk_error(self.path, exc) from exc

    def metadata(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, value FROM metadata"))


def tile_format(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return ""


def service_info(path: str | os.PathLike) -> dict[str, Any]:
    """The `astroloc_service` record of a cache made by `index build --xyz/--wmts/--wms`, else {}."""
    if not str(path).lower().endswith(".mbtiles"):
        return {}
    try:
        db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM metadata WHERE name=?", (SERVICE_KEY,)).fetchone()
        finally:
            db.close()
        return json.loads(row[0]) if row else {}
    except (sqlite3.Error, ValueError):
        return {}
