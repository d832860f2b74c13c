"""A candidate's reference window (protocol.reference_window, matched_candidate) read back from
a real search."""

import numpy as np
import rasterio
from PIL import Image
from test_search import raster_crop

from astroloc_qgis.engine import api, protocol
from astroloc_qgis.engine.search import search


def test_reference_window_names_the_source_pixels_of_the_tile(built_index, raster_a, tmp_path):
    photo = tmp_path / "crop.png"
    Image.fromarray(raster_crop(raster_a, 128, 64, 128, 128)).save(photo)
    fc = search(str(photo), api.open_index(str(built_index)), k=5)
    best = protocol.matched_candidate(fc)
    assert best is fc["features"][0]  # no footprint: the first candidate
    source, (col, row, width, height) = protocol.reference_window(best)
    assert source == str(raster_a) and (col, row, width, height) == (128, 64, 128, 128)
    with rasterio.open(source) as ds:  # the window is in the source's own pixels and CRS
        assert 0 <= col and col + width <= ds.width and 0 <= row and row + height <= ds.height
        tile = np.moveaxis(ds.read([1, 2, 3], window=rasterio.windows.Window(col, row, width, height)), 0, -1)
    assert np.array_equal(tile, raster_crop(raster_a, 128, 64, 128, 128))


def test_matched_candidate_follows_the_footprint_tile():
    def feature(kind, **props):
        return {"type": "Feature", "geometry": None, "properties": {"kind": kind, **props}}

    fc = {
        "features": [
            feature("candidate", rank=1, tile_id=7, source="a.tif", window=[0, 0, 64, 64]),
            feature("candidate", rank=2, tile_id=9, source="b.tif", window=[64, 0, 64, 64]),
            feature("footprint", tile_id=9, candidate_rank=2),
        ]
    }
    assert protocol.matched_candidate(fc)["properties"]["tile_id"] == 9
    assert protocol.reference_window(fc["features"][1]) == ("b.tif", (64, 0, 64, 64))
    assert protocol.reference_window(feature("candidate", rank=3)) is None
    assert protocol.matched_candidate({"features": []}) is None
