"""Photo-like views of index tiles and the whitening learned from them (models/views.py, models/vlad.py)."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
import rasterio
from conftest import SAMPLE

from astroloc_qgis.engine.models import get_model
from astroloc_qgis.engine.models.views import ViewSet, photo_like_view, view_quad

TILE = 128   # native pixels of a tile of the sample raster
STEP = 64


def _sample_rgb() -> np.ndarray:
    with rasterio.open(SAMPLE / "naip_nd_2009.tif") as ds:
        return np.ascontiguousarray(np.moveaxis(ds.read([1, 2, 3]), 0, -1))


def _tiles_and_contexts(rgb: np.ndarray, size: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Tiles of the sample raster (resized to `size`) and their 2x contexts (resized to 2 * size)."""
    pad = cv2.copyMakeBorder(rgb, TILE // 2, TILE // 2, TILE // 2, TILE // 2, cv2.BORDER_REFLECT)
    tiles, contexts = [], []
    for y in range(0, rgb.shape[0] - TILE + 1, STEP):
        for x in range(0, rgb.shape[1] - TILE + 1, STEP):
            tiles.append(cv2.resize(rgb[y:y + TILE, x:x + TILE], (size, size), interpolation=cv2.INTER_LINEAR))
            contexts.append(cv2.resize(pad[y:y + 2 * TILE, x:x + 2 * TILE], (2 * size, 2 * size),
                                       interpolation=cv2.INTER_LINEAR))
    return tiles, contexts


def test_view_quad_is_a_pinhole_trapezoid():
    nadir = view_quad(100.0, 0.0, 0.0, 4 / 3)
    w, h = np.ptp(nadir[:, 0]), np.ptp(nadir[:, 1])
    assert np.isclose(w / h, 4 / 3) and np.isclose(w * h, 100.0 ** 2)
    tilted = view_quad(100.0, 0.0, 40.0, 1.0)
    top, bottom = tilted[1, 0] - tilted[0, 0], tilted[2, 0] - tilted[3, 0]
    assert top > 1.5 * bottom                       # the far (upper) edge is the wider one
    turned = view_quad(100.0, 90.0, 0.0, 4 / 3)
    assert np.isclose(np.ptp(turned[:, 1]) / np.ptp(turned[:, 0]), 4 / 3)


def test_photo_like_view_is_repeatable_and_shows_the_tile():
    _, contexts = _tiles_and_contexts(_sample_rgb(), 128)
    a = photo_like_view(contexts[10], np.random.default_rng(3), 128)
    b = photo_like_view(contexts[10], np.random.default_rng(3), 128)
    c = photo_like_view(contexts[10], np.random.default_rng(4), 128)
    assert a.dtype == np.uint8 and a.ndim == 3 and np.array_equal(a, b) and not np.array_equal(a, c)
    assert 0.8 < a.shape[0] * a.shape[1] / 128 ** 2 < 1.2


def test_photo_like_view_frames_the_tile():
    """Offset, size, tilt and rotation keep the view on the tile: most of it shows the tile's area."""
    context = np.full((256, 256, 3), 40, np.uint8)
    context[64:192, 64:192] = 220            # the tile is the central half of its context
    inside = []
    for seed in range(20):
        view = cv2.cvtColor(photo_like_view(context, np.random.default_rng(seed), 128), cv2.COLOR_RGB2GRAY)
        threshold, _ = cv2.threshold(view, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        inside.append(float((view > threshold).mean()) if view.std() > 5 else 1.0)
    assert np.median(inside) > 0.6 and min(inside) > 0.25, inside


def test_learned_whitening_shrinks_tile_to_view_distances():
    """Whitening learned from tile/view pairs makes a tile and a photo-like view of it closer,
    relative to the distance between two different tiles, than PCA-whitening of the same codebook
    does: on the fit's pairs (what it optimises) and on tiles and views it never saw.

    (That this ranks the right tiles higher on cross-year imagery is measured by `make
    bench-retrieval`; the sample raster here is too small to show it.)
    """
    model = get_model("xfeat-vlad")
    size = 128   # smaller than an index tile image (256 px), to keep the test quick
    tiles, contexts = _tiles_and_contexts(_sample_rgb(), size)
    fit_ids, test_ids = list(range(0, len(tiles), 2)), list(range(1, len(tiles), 2))
    rng = np.random.default_rng(11)
    views = [(j, photo_like_view(contexts[i], rng, size)) for j, i in enumerate(fit_ids) for _ in range(2)]
    fit_tiles = [tiles[i] for i in fit_ids]
    held_views = [photo_like_view(contexts[i], rng, size) for i in test_ids]

    def ratio(m, tile_imgs: list[np.ndarray], view_imgs: list[np.ndarray]) -> float:
        t, v = m.embed(tile_imgs), m.embed(view_imgs)
        pair = ((t - v) ** 2).sum(axis=1).mean()
        other = ((t[:, None] - t[None]) ** 2).sum(axis=-1).sum() / (len(t) * (len(t) - 1))
        return float(pair / other)

    def ratios(m) -> tuple[float, float]:
        return (ratio(m, [fit_tiles[j] for j, _ in views], [v for _, v in views]),
                ratio(m, [tiles[i] for i in test_ids], held_views))

    model.fit(fit_tiles)
    plain = ratios(model)
    model.fit(fit_tiles, ViewSet.of(views))
    learned = ratios(model)
    assert model.descriptor_dim >= 16
    assert learned[0] < 0.9 * plain[0], (learned, plain)
    assert learned[1] < plain[1], (learned, plain)


def test_view_set_renders_in_order_once():
    made: list[int] = []
    views = ViewSet([0, 0, 1], lambda j: made.append(j) or np.zeros((2, 2, 3), np.uint8))
    assert len(views) == 3 and views.owners.tolist() == [0, 0, 1]
    assert len(views.images(0, 2)) == 2 and len(views.images(2, 99)) == 1 and made == [0, 1, 2]
    with pytest.raises(RuntimeError, match="in order"):
        views.images(0, 1)
