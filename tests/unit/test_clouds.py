"""Cloud mask and suppression, on the bundled photos with synthetic cumulus."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import SAMPLE

from astroloc_qgis.engine import clouds
from tests.helpers.camera_views import add_clouds


def _photo(name: str) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(SAMPLE / name)), cv2.COLOR_BGR2RGB)


@pytest.mark.parametrize("name", ["photo_naip_2020_nadir.jpg", "photo_naip_2020_oblique.jpg"])
def test_clear_photos_have_no_clouds_and_are_left_alone(name):
    rgb = _photo(name)
    assert not clouds.cloud_mask(rgb).any()
    out, share = clouds.suppress(rgb)
    assert share == 0.0 and out is rgb


@pytest.mark.parametrize("cover", [0.2, 0.4])
def test_synthetic_clouds_are_found_and_filled(cover):
    clear = _photo("photo_naip_2020_nadir.jpg")
    cloudy = add_clouds(clear, cover, np.random.default_rng(3))
    changed = np.abs(cloudy.astype(int) - clear.astype(int)).sum(axis=2) > 60  # where a cloud is visible
    opaque = changed & (cloudy.min(axis=2) >= 220)
    mask = clouds.cloud_mask(cloudy)
    assert mask[opaque].mean() > 0.97  # the clouds are covered ...
    assert mask[changed].mean() > 0.85  # ... and most of their thin edges
    assert mask.mean() < cover + 0.15  # and not much ground with them
    out, share = clouds.suppress(cloudy, mask)
    assert share == pytest.approx(mask.mean())
    far = ~cv2.dilate(mask.astype(np.uint8), np.ones((61, 61), np.uint8)).astype(bool)
    ground = far & ~changed
    assert ground.mean() > 0.1 and np.array_equal(
        out[ground], cloudy[ground]
    )  # clear ground keeps every pixel
    gray = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY).astype(float)
    assert gray[mask].std() < 0.5 * gray[~mask].std()  # no cloud texture or outline is left to match
    assert gray[mask].mean() < 200  # and nothing cloud-bright


def _hazy(rgb: np.ndarray, exposure: float) -> np.ndarray:
    """Seen from orbit through haze (transmission 0.6, bluish path radiance), under-exposed."""
    sky = np.array([120.0, 150.0, 220.0])
    return np.clip((rgb.astype(float) * 0.6 + sky * 0.4) * exposure, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("exposure", [0.7, 1.0])
def test_bright_hazy_desert_is_not_cloud(exposure):
    """Pale sand and salt flats, bright and nearly grey: ground, not cloud, under haze or not."""
    gray = cv2.cvtColor(_photo("photo_naip_2020_nadir.jpg"), cv2.COLOR_RGB2GRAY).astype(float)
    desert = np.clip(np.array([210.0, 190.0, 160.0]) + (gray[..., None] - gray.mean()) * 0.4, 0, 255).astype(
        np.uint8
    )
    assert not clouds.cloud_mask(_hazy(desert, exposure)).any()
    assert not clouds.cloud_mask(desert).any()


def test_orbital_views_cloud_layer_is_where_the_clouds_are():
    """The rendered orbital views' cloud opacity (the ground truth of bench-orbital --cloud-mask)."""
    from tests.helpers.orbital_views import add_scene_clouds

    ground = np.full((256, 384, 3), 0.3, np.float32)
    for seed in range(20):
        out, cover, alpha = add_scene_clouds(ground, np.random.default_rng(seed))
        assert alpha.shape == ground.shape[:2] and cover == pytest.approx((alpha > 0.5).mean())
        if cover > 0:
            assert out.mean(axis=2)[alpha > 0.5].min() > out.mean(axis=2)[alpha == 0].max()
            return
    raise AssertionError("no seed drew a cloud")
