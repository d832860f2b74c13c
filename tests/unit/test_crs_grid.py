import numpy as np
import pytest
import rasterio
from rasterio.warp import transform_bounds
from shapely.geometry import Polygon

from astroloc_qgis.engine import crs
from astroloc_qgis.engine.grid import GridSpec, tile_polygon, window_outline, window_polygon, windows


def test_transformers_are_xy_and_roundtrip():
    x, y = crs.from_wgs84("EPSG:32633").transform(15.0, 46.0)
    assert 400_000 < x < 600_000 and 5_000_000 < y < 5_200_000
    lon, lat = crs.to_wgs84("EPSG:32633").transform(x, y)
    assert lon == pytest.approx(15.0) and lat == pytest.approx(46.0)


def test_local_metric_crs_distances():
    local = crs.local_metric_crs(10.0, 50.0)
    x, y = crs.from_wgs84(local.to_wkt()).transform(10.0, 50.01)
    assert abs(x) < 1e-6 and y == pytest.approx(crs.geodesic_distance_m(10.0, 50.0, 10.0, 50.01), rel=1e-3)


def test_densify_and_area():
    sq = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    assert len(crs.densify_polygon(sq, 4).exterior.coords) == 17
    poly = crs.transform_geometry(
        Polygon([(0, 0), (0.1, 0), (0.1, 0.1), (0, 0.1)]), "EPSG:4326", "EPSG:3857", segments=4
    )
    assert poly.area > 0
    assert crs.geodesic_area_km2(Polygon([(0, 0), (0.1, 0), (0.1, 0.1), (0, 0.1)])) == pytest.approx(
        123.6, rel=0.01
    )


@pytest.mark.parametrize("w,h", [(1000, 700), (256, 256), (100, 90), (600, 257)])
def test_windows_cover_raster_with_overlap(w, h):
    spec = GridSpec(tile_px=128, scales=(1, 2, 4), overlap=0.5)
    tiles = windows(w, h, spec)
    base = [t for t in tiles if t.scale == 1]
    covered = np.zeros((h, w), bool)
    for t in base:
        covered[t.row : t.row + t.height, t.col : t.col + t.width] = True
        assert t.width == t.height == 128
    assert covered.all()
    for t in tiles:
        assert t.col >= 0 and t.row >= 0
        assert (t.col + t.width <= w and t.row + t.height <= h) or t.width > min(w, h)
    if w >= 256:
        cols = sorted({t.col for t in base})
        assert cols[1] - cols[0] == 64
    assert all(t.scale * 128 <= max(w, h) for t in tiles if t.scale > 1)


def test_gridspec_roundtrip_and_validation():
    spec = GridSpec(tile_px=200, scales=(4, 1, 2))
    assert spec.scales == (1, 2, 4)
    assert GridSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(ValueError):
        GridSpec(tile_px=4)


def test_full_window_polygon_matches_rasterio_bounds(raster_a):
    with rasterio.open(raster_a) as ds:
        outline = window_outline(0, 0, ds.width, ds.height, ds.transform)
        xs, ys = zip(*outline, strict=True)
        assert (min(xs), min(ys), max(xs), max(ys)) == pytest.approx(tuple(ds.bounds))
        poly = window_polygon(0, 0, ds.width, ds.height, ds.transform, ds.crs)
        expected = transform_bounds(ds.crs, "EPSG:4326", *ds.bounds, densify_pts=21)
        assert poly.bounds == pytest.approx(expected, abs=1e-7)


def test_tile_polygon_after_reprojection(raster_b):
    with rasterio.open(raster_b) as ds:
        tile = windows(ds.width, ds.height, GridSpec(tile_px=64, scales=(1,)))[5]
        poly = tile_polygon(tile, ds.transform, ds.crs)
        win_bounds = rasterio.windows.bounds(
            rasterio.windows.Window(tile.col, tile.row, tile.width, tile.height), ds.transform
        )
        expected = transform_bounds(ds.crs, "EPSG:4326", *win_bounds)
        assert poly.bounds == pytest.approx(expected, abs=1e-9)
        cx, cy = ds.transform @ (tile.col + 32, tile.row + 32)
        lon, lat = crs.to_wgs84(ds.crs).transform(cx, cy)
        assert poly.contains(Polygon([(lon, lat), (lon + 1e-9, lat), (lon, lat + 1e-9)]).centroid)
        assert poly.is_valid and len(poly.exterior.coords) == 33
