"""The one CRS helper: transformers to/from EPSG:4326, a local metric projection, geometry transforms.

Every transformer is built with always_xy=True, so coordinates are always (x, y) = (lon, lat)
for geographic CRSs whatever axis order the authority defines.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8  # mean radius: spherical-Earth formulas (prior regions, ray starts)

WGS84 = "EPSG:4326"
_GEOD = Geod(ellps="WGS84")


def to_crs(value: Any) -> CRS:
    """Accept a pyproj CRS, a rasterio CRS, an EPSG string/int or WKT."""
    if isinstance(value, CRS):
        return value
    if hasattr(value, "to_wkt"):
        return CRS.from_wkt(value.to_wkt())
    return CRS.from_user_input(value)


def crs_key(value: Any) -> str:
    """A hashable, stable text form of a CRS (used as cache key and stored in manifests)."""
    if isinstance(value, str):
        return value
    crs = to_crs(value)
    epsg = crs.to_epsg(min_confidence=90)
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


@lru_cache(maxsize=128)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def transformer(src: Any, dst: Any) -> Transformer:
    return _transformer(crs_key(src), crs_key(dst))


def to_wgs84(src: Any) -> Transformer:
    return transformer(src, WGS84)


def from_wgs84(dst: Any) -> Transformer:
    return transformer(WGS84, dst)


def local_metric_crs(lon: float, lat: float) -> CRS:
    """Azimuthal equidistant projection centred on (lon, lat): metres, little distortion nearby."""
    return CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat:.9f} +lon_0={lon:.9f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"
    )


def transform_geometry(
    geom: BaseGeometry, src: Any, dst: Any, densify_m: float | None = None, segments: int | None = None
) -> BaseGeometry:
    """Transform a shapely geometry, densifying edges first so curved images of straight lines survive.

    `segments` splits every edge into that many pieces; `densify_m` caps the edge length instead
    (in source units).
    """
    if segments and segments > 1 and isinstance(geom, Polygon):
        geom = densify_polygon(geom, segments)
    elif densify_m:
        geom = geom.segmentize(densify_m)
    tr = transformer(src, dst)
    return shapely.transform(geom, lambda x, y: tr.transform(x, y), interleaved=False)


def densify_polygon(poly: Polygon, segments: int) -> Polygon:
    """Split every exterior edge into `segments` equal pieces."""
    coords = list(poly.exterior.coords)
    out: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(coords[:-1], coords[1:], strict=True):
        for i in range(segments):
            t = i / segments
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    out.append(out[0])
    return Polygon(out)


def geodesic_area_km2(poly_wgs84: Polygon) -> float:
    area, _ = _GEOD.geometry_area_perimeter(poly_wgs84)
    return abs(area) / 1e6


def geodesic_distance_m(lon0: float, lat0: float, lon1: float, lat1: float) -> float:
    return float(_GEOD.inv(lon0, lat0, lon1, lat1)[2])
