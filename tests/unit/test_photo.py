import io

import numpy as np
import pytest
from conftest import texture
from PIL import Image

from astroloc_qgis.engine import photo as photo_mod
from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.photo import load_photo


def _exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "NIKON CORPORATION"
    exif[0x0110] = "NIKON D5"
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = "2021:06:01 10:20:30"
    ifd[0x920A] = 400.0
    ifd[0xA405] = 600
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (47.0, 30.0, 0.0)
    gps[3], gps[4] = "W", (99.0, 15.0, 36.0)
    gps[5], gps[6] = b"\x00", 412000.0
    return exif


def test_jpeg_exif_summary_and_orientation(tmp_path):
    img = texture(100, 200, 1)  # landscape
    path = tmp_path / "rot.jpg"
    Image.fromarray(img).save(path, exif=_exif_with_gps(orientation=6))
    p = load_photo(path)
    assert p.rgb.shape == (200, 100, 3)  # orientation 6: displayed rotated 90 deg
    assert p.original_size == (100, 200)
    e = p.exif
    assert e["datetime"] == "2021-06-01T10:20:30" and e["camera_model"] == "NIKON D5"
    assert e["focal_length_mm"] == 400.0 and e["focal_length_35mm"] == 600.0
    assert e["gps_lat"] == pytest.approx(47.5) and e["gps_lon"] == pytest.approx(-99.26)
    assert e["gps_alt_m"] == pytest.approx(412000.0)
    assert len(p.sha256) == 64 and p.summary()["datetime"] == "2021-06-01T10:20:30"


def test_large_jpeg_is_downscaled(tmp_path):
    big = np.repeat(np.repeat(texture(300, 400, 2), 10, axis=0), 10, axis=1)  # 4000 x 3000
    path = tmp_path / "big.jpg"
    Image.fromarray(big).save(path, quality=80)
    p = load_photo(path, max_side=1024)
    assert max(p.rgb.shape[:2]) == 1024 and p.original_size == (4000, 3000)
    assert p.scale == pytest.approx(1024 / 4000)


def test_png_rgba_and_16bit_tiff(tmp_path):
    rgba = np.dstack([texture(80, 90, 3), np.full((80, 90), 255, np.uint8)])
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    assert load_photo(tmp_path / "a.png").rgb.shape == (80, 90, 3)
    arr16 = texture(70, 70, 4)[..., 0].astype(np.uint16) * 200
    Image.fromarray(arr16).save(tmp_path / "g.tif")
    p = load_photo(tmp_path / "g.tif")
    assert p.rgb.dtype == np.uint8 and p.rgb.shape == (70, 70, 3) and p.rgb.max() > 200


def test_bad_photos(tmp_path, monkeypatch):
    (tmp_path / "x.jpg").write_text("this is not an image")
    with pytest.raises(InputError, match="x.jpg"):
        load_photo(tmp_path / "x.jpg")
    buf = io.BytesIO()
    Image.fromarray(texture(300, 300, 5)).save(buf, format="JPEG")
    (tmp_path / "cut.jpg").write_bytes(buf.getvalue()[:2000])
    with pytest.raises(InputError, match="cut.jpg"):
        load_photo(tmp_path / "cut.jpg")
    Image.fromarray(texture(40, 300, 6)).save(tmp_path / "thin.png")
    with pytest.raises(InputError, match="too small"):
        load_photo(tmp_path / "thin.png")
    with pytest.raises(InputError, match="no such photo"):
        load_photo(tmp_path / "missing.jpg")
    Image.fromarray(texture(100, 100, 7)).save(tmp_path / "bomb.png")
    monkeypatch.setattr(photo_mod, "MAX_PIXELS", 5000)
    with pytest.raises(InputError, match="too large"):
        load_photo(tmp_path / "bomb.png")


def test_real_drone_photo_exif():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "IMG_9384_original_4000x3000.jpg"
    p = load_photo(path)
    assert p.original_size == (4000, 3000) and max(p.rgb.shape) == 1024
    assert p.exif["gps_lat"] == pytest.approx(30.170578, abs=1e-5)
    assert p.exif["gps_lon"] == pytest.approx(-98.089512, abs=1e-5)
    # no FocalLengthIn35mmFilm: derived from the focal-plane resolution (Canon SX260 wide end ~ 25 mm)
    assert p.exif["sensor_width_mm"] == pytest.approx(6.2, abs=0.05)
    assert p.exif["focal_length_35mm"] == pytest.approx(26.1, abs=0.3)
