"""Cloud mask and suppression, on the bundled photos with synthetic cumulus."""
from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import SAMPLE

from astroloc_qgis.engine import clouds
from tools.camera_views import add_clouds


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
    changed = np.abs(cloudy.astype(int) - clear.astype(int)).sum(axis=2) > 60   # where a cloud is visible
    opaque = changed & (cloudy.min(axis=2) >= 220)
    mask = clouds.cloud_mask(cloudy)
    assert mask[opaque].mean() > 0.97                      # the clouds are covered ...
    assert mask[changed].mean() > 0.85                     # ... and most of their thin edges
    assert mask.mean() < cover + 0.15                      # and not much ground with them
    out, share = clouds.suppress(cloudy, mask)
    assert share == pytest.approx(mask.mean())
    far = ~cv2.dilate(mask.astype(np.uint8), np.ones((61, 61), np.uint8)).astype(bool)
    ground = far & ~changed
    assert ground.mean() > 0.1 and np.array_equal(out[ground], cloudy[ground])   # clear ground keeps every pixel
    gray = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY).astype(float)
    assert gray[mask].std() < 0.5 * gray[~mask].std()      # no cloud texture or outline is left to match
    assert gray[mask].mean() < 200                         # and nothing cloud-bright


def _hazy(rgb: np.ndarray, exposure: float) -> np.ndarray:
    """Seen from orbit through haze (transmission 0.6, bluish path radiance), under-exposed."""
    sky = np.array([120.0, 150.0, 220.0])
    return np.clip((rgb.astype(float) * 0.6 + sky * 0.4) * exposure, 0, 255).astype(np.uint8)


def test_hazy_darker_exposed_clouds_are_found():
    clear = _photo("photo_naip_2020_nadir.jpg")
    cloudy = add_clouds(clear, 0.2, np.random.default_rng(3))
    opaque = (np.abs(cloudy.astype(int) - clear.astype(int)).sum(axis=2) > 60) & (cloudy.min(axis=2) >= 220)
    hazy = _hazy(cloudy, 0.7)
    assert hazy[opaque].min(axis=1).max() < 200            # no cloud pixel passes the absolute thresholds
    mask = clouds.cloud_mask(hazy)
    assert mask[opaque].mean() > 0.9
    assert mask.mean() < 0.2 + 0.15


@pytest.mark.parametrize("exposure", [0.6, 0.7, 0.85])
def test_bright_hazy_desert_is_not_cloud(exposure):
    """Pale sand and salt flats, as bright as clouds and grey: ground, not cloud, however hazy."""
    gray = cv2.cvtColor(_photo("photo_naip_2020_nadir.jpg"), cv2.COLOR_RGB2GRAY).astype(float)
    desert = np.clip(np.array([210.0, 190.0, 160.0]) + (gray[..., None] - gray.mean()) * 0.4, 0, 255).astype(np.uint8)
    assert not clouds.cloud_mask(_hazy(desert, exposure)).any()
    assert not clouds.cloud_mask(desert).any()
