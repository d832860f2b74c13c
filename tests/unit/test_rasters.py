import numpy as np
import pytest
import rasterio
import rasterio.shutil
from conftest import texture, write_raster
from rasterio.transform import from_origin

from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.rasters import SourceReader, expand_sources, open_source, read_region, read_tile


def test_open_source_metadata(raster_a):
    src = open_source(str(raster_a))
    assert src.crs == "EPSG:32633" and (src.width, src.height) == (384, 320)
    assert len(src.sha256) == 64 and src.size_bytes > 0
    w, s, e, n = src.bounds_wgs84
    assert -180 <= w < e <= 180 and -90 <= s < n <= 90


def test_raster_without_crs_is_rejected_naming_file(tmp_path):
    path = write_raster(tmp_path / "nocrs.tif", texture(64, 64, 3), crs=None)
    with pytest.raises(InputError) as err:
        open_source(str(path))
    assert "nocrs.tif" in err.value.message and "no CRS" in err.value.message


def test_raster_outside_the_earth_is_rejected(tmp_path):
    path = write_raster(
        tmp_path / "far.tif",
        texture(64, 64, 3),
        crs="EPSG:4326",
        transform=from_origin(500000, 5200000, 10, 10),
    )
    with pytest.raises(InputError, match="far.tif"):
        open_source(str(path))


def test_not_a_raster_and_missing_paths(tmp_path):
    bad = tmp_path / "bad.tif"
    bad.write_bytes(b"not a tiff at all")
    with pytest.raises(InputError, match="bad.tif"):
        open_source(str(bad))
    with pytest.raises(InputError, match="no such file"):
        expand_sources([tmp_path / "missing.tif"])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no rasters"):
        expand_sources([empty])


def test_folder_and_vrt_sources(tmp_path, raster_a):
    folder = tmp_path / "folder"
    folder.mkdir()
    write_raster(folder / "x.tif", texture(64, 64, 4))
    write_raster(folder / "y.tif", texture(64, 64, 5))
    assert [p.split("/")[-1] for p in expand_sources([folder])] == ["x.tif", "y.tif"]
    vrt = tmp_path / "a.vrt"
    rasterio.shutil.copy(raster_a, vrt, driver="VRT")
    src = open_source(str(vrt))
    with SourceReader(src) as r:
        rgb, valid = read_tile(r, [0, 0, 64, 64], 32)
    assert rgb.shape == (32, 32, 3) and valid == 1.0


def test_mbtiles_source(tmp_path):
    merc = write_raster(
        tmp_path / "merc.tif",
        texture(256, 256, 6),
        crs="EPSG:3857",
        transform=from_origin(0, 0, 152.87405657041106, 152.87405657041106),
        nodata=None,
    )
    mb = tmp_path / "x.mbtiles"
    rasterio.shutil.copy(merc, mb, driver="MBTiles")
    src = open_source(str(mb))
    assert src.crs == "EPSG:3857" and src.count >= 3
    with SourceReader(src) as r:
        rgb, valid = r.read(0, 0, 128, 128, 64, 64)
    assert rgb.shape == (64, 64, 3) and valid > 0.5


def test_uint16_stretch_and_single_band(tmp_path):
    data = texture(64, 64, 7)[..., :1].astype(np.uint16) * 40 + 1000
    path = write_raster(tmp_path / "u16.tif", data, nodata=None)
    src = open_source(str(path))
    assert src.stretch is not None and src.dtype == "uint16"
    with SourceReader(src) as r:
        rgb, _ = r.read(0, 0, 64, 64, 64, 64)
    assert rgb.dtype == np.uint8 and rgb.max() == 255 and rgb.min() == 0
    assert (rgb[..., 0] == rgb[..., 1]).all()


def test_nodata_fraction_and_boundless(tmp_path):
    data = texture(128, 128, 8)
    data[:, :64] = 0
    src = open_source(str(write_raster(tmp_path / "half.tif", data)))
    with SourceReader(src) as r:
        _, valid = r.read(0, 0, 128, 128, 32, 32)
        assert valid == pytest.approx(0.5, abs=0.05)
        rgb, valid = r.read(96, 96, 64, 64, 32, 32)  # half outside on both axes
        assert valid == pytest.approx(0.25, abs=0.05)
        assert (rgb[20:, 20:] == 0).all()


def test_read_region_transform(raster_a):
    src = open_source(str(raster_a), checksum=False)
    xmin, ymax = src.transform @ (100, 50)
    rgb, tr, crs_key = read_region(src, bounds=(xmin, ymax - 1000, xmin + 1500, ymax), resolution=20)
    assert rgb.shape == (50, 75, 3) and crs_key == "EPSG:32633"
    assert tr @ (0, 0) == pytest.approx((xmin, ymax))
    assert tr @ (75, 50) == pytest.approx((xmin + 1500, ymax - 1000))
    with rasterio.open(raster_a) as ds:
        native = np.moveaxis(ds.read([1, 2, 3], window=rasterio.windows.Window(100, 50, 150, 100)), 0, -1)
    coarse = native.reshape(50, 2, 75, 2, 3).mean(axis=(1, 3))
    assert np.abs(coarse - rgb.astype(float)).mean() < 12
    # crossing the raster edge: boundless, the outside part is empty
    rgb2, tr2, _ = read_region(src, window=(350, 300, 64, 64))
    assert rgb2.shape == (64, 64, 3) and (rgb2[40:, 40:] == 0).all()
