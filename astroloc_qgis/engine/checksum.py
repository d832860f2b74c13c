"""A file's SHA-256, read in blocks (photos and index sources are recorded by it)."""

from __future__ import annotations

import hashlib
import os


def file_sha256(path: str | os.PathLike, block_size: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(block_size):
            h.update(block)
    return h.hexdigest()
