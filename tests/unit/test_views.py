"""Photo-like views of index tiles and the whitening learned from them (models/views.py, models/vlad.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import rasterio
from conftest import SAMPLE

from astroloc_qgis.engine.models import get_model
from astroloc_qgis.engine.models.views import ViewSet, photo_like_view, view_quad

TILE = 128  # native pixels of a tile of the sample raster
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
            tiles.append(
                cv2.resize(rgb[y : y + TILE, x : x + TILE], (size, size), interpolation=cv2.INTER_LINEAR)
            )
            contexts.append(
                cv2.resize(
                    pad[y : y + 2 * TILE, x : x + 2 * TILE],
                    (2 * size, 2 * size),
                    interpolation=cv2.INTER_LINEAR,
                )
            )
    return tiles, contexts


def test_view_quad_is_a_pinhole_trapezoid():
    nadir = view_quad(100.0, 0.0, 0.0, 4 / 3)
    w, h = np.ptp(nadir[:, 0]), np.ptp(nadir[:, 1])
    assert np.isclose(w / h, 4 / 3) and np.isclose(w * h, 100.0**2)
    tilted = view_quad(100.0, 0.0, 40.0, 1.0)
    top, bottom = tilted[1, 0] - tilted[0, 0], tilted[2, 0] - tilted[3, 0]
    assert top > 1.5 * bottom  # the far (upper) edge is the wider one
    turned = view_quad(100.0, 90.0, 0.0, 4 / 3)
    assert np.isclose(np.ptp(turned[:, 1]) / np.ptp(turned[:, 0]), 4 / 3)


def test_photo_like_view_is_repeatable_and_shows_the_tile():
    _, contexts = _tiles_and_contexts(_sample_rgb(), 128)
    a = photo_like_view(contexts[10], np.random.default_rng(3), 128)
    b = photo_like_view(contexts[10], np.random.default_rng(3), 128)
    c = photo_like_view(contexts[10], np.random.default_rng(4), 128)
    assert a.dtype == np.uint8 and a.ndim == 3 and np.array_equal(a, b) and not np.array_equal(a, c)
    assert 0.8 < a.shape[0] * a.shape[1] / 128**2 < 1.2


def test_photo_like_view_frames_the_tile():
    """Offset, size, tilt and rotation keep the view on the tile: most of it shows the tile's area."""
    context = np.full((256, 256, 3), 40, np.uint8)
    context[64:192, 64:192] = 220  # the tile is the central half of its context
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
    size = 128  # smaller than an index tile image (256 px), to keep the test quick
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
        return (
            ratio(m, [fit_tiles[j] for j, _ in views], [v for _, v in views]),
            ratio(m, [tiles[i] for i in test_ids], held_views),
        )

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


# --- orbital views: the benchmark's renderer (tests/helpers/orbital_views.py) and the training views'
# orbital step


def _orbital_raster(tmp_path):
    """A 3 x 3 degree textured raster in EPSG:4326 (~300 km across): room for an ISS frame."""
    from conftest import texture, write_raster
    from rasterio.transform import from_origin

    return write_raster(
        tmp_path / "orbital.tif",
        texture(1200, 1200, 5),
        crs="EPSG:4326",
        transform=from_origin(10.0, 46.0, 3.0 / 1200, 3.0 / 1200),
    )


def test_orbital_view_footprint_is_the_camera_footprint(tmp_path):
    """A nadir ISS frame (FX body, 100 mm, 410 km) covers altitude * sensor / focal on the ground
    (147.6 x 98.4 km); the renderer's corners are camera_views' ray/ellipsoid intersections."""
    from astroloc_qgis.engine.pose import rotation_from_angles
    from astroloc_qgis.engine.reference import Reference
    from tests.helpers.camera_views import load_rgb, rays_to_ground, render
    from tests.helpers.orbital_views import FRAME_PX, SENSORS_MM, footprint_area_km2, nadir_footprint_km

    path = _orbital_raster(tmp_path)
    ref, rgb = Reference(str(path)), load_rgb(str(path))
    w, h = FRAME_PX
    f_px = 100.0 / SENSORS_MM["FX"][0] * w
    v = render(ref, rgb, 11.5, 44.5, 410e3, 0.0, 0.0, 0.0, f_px, w, h)
    assert v is not None
    across, along = nadir_footprint_km(410e3, 100.0, "FX")
    assert np.isclose(across, 147.6) and np.isclose(along, 98.4)
    area = footprint_area_km2(v.corners_lonlat)
    assert abs(area - across * along) / (across * along) < 0.01, area
    again = rays_to_ground(
        11.5,
        44.5,
        410e3,
        rotation_from_angles(0, 0, 0),
        f_px,
        w,
        h,
        np.array([[0, 0], [w, 0], [w, h], [0, h]], float),
    )
    assert np.allclose(again, v.corners_lonlat)


def test_orbital_frame_is_squeezed_to_a_square():
    """A 3:2 frame comes out 1024 x 1024 without keeping its aspect: a ground square becomes a
    rectangle 1.5x taller than wide."""
    from tests.helpers.orbital_views import FRAME_PX, OUT_PX, finish

    w, h = FRAME_PX
    frame = np.zeros((h, w, 3), np.float32)
    frame[h // 2 - 150 : h // 2 + 150, w // 2 - 150 : w // 2 + 150] = 1.0
    image, jpeg = finish(frame, np.random.default_rng(0))
    assert image.shape == (OUT_PX, OUT_PX, 3) and jpeg[:2] == b"\xff\xd8"
    ys, xs = np.nonzero(image.mean(axis=2) > 128)
    assert np.isclose((np.ptp(ys) + 1) / (np.ptp(xs) + 1), w / h, rtol=0.05)


def test_orbital_atmosphere_takes_more_blue_contrast_and_more_at_oblique_rays():
    from tests.helpers.orbital_views import atmosphere

    img = np.zeros((32, 32, 3), np.float32)
    img[:, 16:] = 0.8
    contrast = {}
    for down in (1.0, 0.5):
        out = atmosphere(img, np.full((32, 32), down, np.float32), np.random.default_rng(3))
        contrast[down] = out[:, 16:].mean(axis=(0, 1)) - out[:, :16].mean(axis=(0, 1))
    for c in contrast.values():
        assert c[2] < c[1] < c[0]  # R, G, B: blue keeps the least contrast
    assert np.all(contrast[0.5] < contrast[1.0])  # twice the air mass: less contrast in every channel


def test_training_views_orbital_step_squeezes_and_hazes_in_blue(monkeypatch):
    """Orbital photo-like views are resized to a square whatever their footprint's aspect, and
    their haze raises blue more than red and lowers contrast."""
    from astroloc_qgis.engine.models import views

    context = np.full((256, 256, 3), 90, np.uint8)
    context[::16] = 200
    monkeypatch.setattr(views, "ORBITAL_SHARE", 1.0)
    monkeypatch.setattr(views, "SQUEEZE_SHARE", 1.0)
    assert all(
        photo_like_view(context, np.random.default_rng(s), 128).shape == (128, 128, 3) for s in range(12)
    )
    monkeypatch.setattr(views, "ORBITAL_SHARE", 0.0)
    assert any(photo_like_view(context, np.random.default_rng(s), 128).shape[0] != 128 for s in range(12))
    img = np.zeros((64, 64, 3), np.float32)
    img[:, 32:] = 0.5
    outs = [views._orbital(img, np.random.default_rng(s)) for s in range(20)]
    blue_gain = np.mean([o[..., 2].mean() - o[..., 0].mean() for o in outs])
    contrast = np.mean([(o[:, 32:] - o[:, :32]).mean() for o in outs])
    assert blue_gain > 0.03 and contrast < 0.45, (blue_gain, contrast)
