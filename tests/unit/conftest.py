"""Shared fixtures for the engine unit tests: small textured GeoTIFFs written with rasterio."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

os.environ.setdefault("ASTROLOC_THREADS", "1")
from astroloc_qgis.engine.models import configure_threads

configure_threads()  # as the engine does: 1 thread; OpenMP spinning on a shared 2-core VM is very slow
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample"


def pytest_configure(config):
    # rasterio 1.4 itself still multiplies Affine objects with `*` (affine 3 deprecates it)
    config.addinivalue_line("filterwarnings", "ignore::PendingDeprecationWarning:rasterio")


def texture(h: int, w: int, seed: int) -> np.ndarray:
    """Blobs and edges at several scales, so local features have something to find."""
    import cv2

    rng = np.random.default_rng(seed)
    img = np.zeros((h, w, 3), np.float32)
    for cell in (64, 24, 8):
        small = rng.uniform(0, 1, (h // cell + 2, w // cell + 2, 3)).astype(np.float32)
        img += cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC if cell > 8 else cv2.INTER_NEAREST)
    for _ in range(h * w // 4000):
        x, y, r = int(rng.integers(0, w)), int(rng.integers(0, h)), int(rng.integers(2, 10))
        cv2.circle(img, (x, y), r, tuple(float(v) for v in rng.uniform(0, 3, 3)), -1)
    img = (img - img.min()) / (img.max() - img.min()) * 254 + 1
    return img.astype(np.uint8)


def write_raster(
    path: Path,
    data: np.ndarray,
    crs: str | None = "EPSG:32633",
    transform=None,
    nodata: float | None = 0,
    **kw,
) -> Path:
    """data: (H, W, bands)."""
    h, w, n = data.shape
    transform = transform or from_origin(500000, 5200000, 10, 10)
    profile = {
        "driver": "GTiff",
        "height": h,
        "width": w,
        "count": n,
        "dtype": data.dtype.name,
        "transform": transform,
        **({"crs": crs} if crs else {}),
        **({"nodata": nodata} if nodata is not None else {}),
        **kw,
    }
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(np.moveaxis(data, -1, 0))
    return path


@pytest.fixture(scope="session")
def raster_a(tmp_path_factory) -> Path:
    return write_raster(tmp_path_factory.mktemp("ra") / "a.tif", texture(320, 384, 1))


@pytest.fixture(scope="session")
def raster_b(tmp_path_factory) -> Path:
    return write_raster(
        tmp_path_factory.mktemp("rb") / "b_3857.tif",
        texture(256, 256, 2),
        crs="EPSG:3857",
        transform=from_origin(1_000_000, 6_000_000, 20, 20),
    )


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, raster_a) -> Path:
    """A small index (default model) over raster_a (tile 64 px, scales 1 and 2): shared, do not modify."""
    from astroloc_qgis.engine import api

    out = tmp_path_factory.mktemp("idx") / "index"
    api.build_index([str(raster_a)], str(out), scales=[1, 2], tile_px=64)
    return out
