"""Historical photos (engine/film.py): grayscale detection, the restoration before matching
(vignetting, scratches, grain) and the refusal of a grey photo against a colour model. A locate
with --kind historical and --kind satellite: tests/unit/test_locate.py (it shares its index)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import SAMPLE

from astroloc_qgis.engine import cli, film
from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.locate import prepare_for_kind
from astroloc_qgis.engine.models.dinov2 import DinoV2Gem
from astroloc_qgis.engine.models.fused import FusedVlad
from astroloc_qgis.engine.models.sift_vlad import SiftVlad
from astroloc_qgis.engine.models.xfeat_mlvlad import XFeatMultiLayerVlad
from astroloc_qgis.engine.photo import Photo
from astroloc_qgis.engine.priors import photo_kind
from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import camera_for_target, load_rgb, render
from tests.helpers.film_views import aged, vignette_ratio

NAIP = SAMPLE / "naip_nd_2009.tif"


class _Model:
    def __init__(self, sees_colour: bool, name: str = "stand-in"):
        self.sees_colour, self.name = sees_colour, name


@pytest.fixture(scope="module")
def view() -> np.ndarray:
    ref = Reference(str(NAIP))
    c = ref.pixel_to_lonlat(np.array([[450.0, 340.0]]))[0]
    f = 640 / 2 / math.tan(math.radians(20))
    lon, lat = camera_for_target(c[0], c[1], 1500.0, 5.0, 30.0)
    return render(ref, load_rgb(str(NAIP)), lon, lat, 1500.0, 5.0, 30.0, 40.0, f, 640, 480).image


def test_grayscale_is_told_from_colour(view):
    assert not film.is_grayscale(view)
    grey = np.repeat(view.mean(axis=2, keepdims=True).astype(np.uint8), 3, axis=2)
    assert film.is_grayscale(grey) and film.is_grayscale(grey[..., 0])
    tinted = np.clip(grey.astype(int) + [2, 0, -1], 0, 255).astype(np.uint8)  # a sepia-ish scan
    assert film.is_grayscale(tinted)


def test_restore_flattens_the_vignette_and_takes_scratches_out(view):
    rng = np.random.default_rng(5)
    old = aged(view, rng)
    lit = vignette_ratio(view.mean(axis=2))  # corners over centre of the scene itself
    assert film.is_grayscale(old) and vignette_ratio(old) < lit - 0.3
    restored = film.restore(old, tuple(film.STEPS))
    assert restored.shape == old.shape and film.is_grayscale(restored)
    assert (restored[..., 0] == restored[..., 2]).all()
    assert abs(vignette_ratio(restored) - lit) < 0.08
    with pytest.raises(ValueError, match="unknown restoration steps"):
        film.restore(old, ("sharpen",))
    # by default (film.RESTORE_STEPS) only the grey conversion
    plain = film.restore(view)
    assert film.is_grayscale(plain) and plain.shape == view.shape
    # an evenly lit photo keeps its light: the scene's own brightness has no radial trend
    grey = view.mean(axis=2).astype(np.uint8)
    assert abs(vignette_ratio(film.flatten_illumination(grey)) - lit) < 0.02
    # a bright vertical scratch over a flat grey field is taken out, the field kept
    flat = np.full((200, 200, 3), 120, np.uint8)
    scratched = flat.copy()
    scratched[20:180, 100] = 230
    out = film.restore(scratched, ("scratches",))[..., 0].astype(int)
    assert abs(out[20:180, 100] - out[20:180, 90]).max() <= 6
    # the grain is smoothed: less pixel-to-pixel noise than in the aged view
    assert (
        np.abs(np.diff(restored[..., 0].astype(int), axis=1)).mean()
        < np.abs(np.diff(old[..., 0].astype(int), axis=1)).mean()
    )


def test_the_grey_models_and_the_colour_model():
    assert not FusedVlad.sees_colour and not XFeatMultiLayerVlad.sees_colour and not SiftVlad.sees_colour
    assert DinoV2Gem.sees_colour  # colour: a grey photo is refused against it
    film.check_model(_Model(False), True, "historical")  # a grey model takes a grey photo
    film.check_model(_Model(True), False, "aerial")  # a colour photo, a colour model: fine
    with pytest.raises(InputError, match="the index's model dinov2 compares colour") as err:
        film.check_model(_Model(True, "dinov2"), True, "auto")
    assert err.value.field == "kind" and "fused-vlad" in err.value.hint
    with pytest.raises(InputError, match="a historical \\(grey\\) photo"):
        film.check_model(_Model(True, "dinov2"), False, "historical")


def test_the_kinds_and_what_they_do_to_the_photo(view):
    assert photo_kind({}, "historical") == ("historical", "given")
    assert photo_kind({"camera_make": "DJI"}, "satellite") == ("satellite", "given")
    assert photo_kind({}) == ("aerial", "no drone in the EXIF")  # auto never guesses historical
    args = cli.build_parser().parse_args(["locate", "p.jpg", "--index", "i", "--kind", "historical"])
    assert args.kind == "historical"
    grey = np.repeat(view.mean(axis=2, keepdims=True).astype(np.uint8), 3, axis=2)
    photo = Photo("p.jpg", grey, (640, 480), 1.0)
    same, notes = prepare_for_kind(photo, "aerial", "auto", _Model(False))
    assert same is photo and "--kind historical" in notes[0]  # auto: only a note
    assert prepare_for_kind(photo, "aerial", "aerial", _Model(False))[1] == []
    restored, notes = prepare_for_kind(photo, "historical", "historical", _Model(False))
    assert notes == [] and restored.rgb.shape == grey.shape and restored is not photo
    with pytest.raises(InputError):
        prepare_for_kind(photo, "aerial", "auto", _Model(True, "dinov2"))
