"""Web-Mercator (EPSG:3857) XYZ tiles: tile ranges of a bbox, tile bounds, URL templates.

Tiles follow the XYZ/"slippy map" convention (row 0 at the north); `{-y}` is the TMS row
(row 0 at the south) and `{q}` the Bing quadkey. MBTiles stores TMS rows (mbtiles.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError

ORIGIN = 20037508.342789244  # half the Web-Mercator world width, metres
MAX_LAT = 85.0511287798066
TILE_PX = 256
SCALE_DENOMINATOR_Z0 = 559082264.0287178  # WMTS GoogleMapsCompatible, 0.28 mm pixels


@dataclass(frozen=True, order=True)
class Tile:
    z: int
    x: int
    y: int

    @property
    def tms_y(self) -> int:
        return (1 << self.z) - 1 - self.y

    @property
    def quadkey(self) -> str:
        digits = []
        for i in range(self.z, 0, -1):
            mask = 1 << (i - 1)
            digits.append(str((1 if self.x & mask else 0) + (2 if self.y & mask else 0)))
        return "".join(digits)


def tile_bounds_3857(t: Tile) -> tuple[float, float, float, float]:
    size = 2 * ORIGIN / (1 << t.z)
    west = -ORIGIN + t.x * size
    north = ORIGIN - t.y * size
    return west, north - size, west + size, north


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_lonlat_bounds(t: Tile) -> tuple[float, float, float, float]:
    n = 1 << t.z

    def lat(y: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))

    return t.x / n * 360 - 180, lat(t.y + 1), (t.x + 1) / n * 360 - 180, lat(t.y)


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise InputError(
            f"--bbox {text}: expected four numbers W,S,E,N in degrees", "e.g. --bbox -99.2,47.0,-99.1,47.1"
        ) from exc
    if not (-180 <= w < e <= 180 and -MAX_LAT <= s < n <= MAX_LAT):
        raise InputError(
            f"--bbox {text}: empty or outside lon -180..180, lat -85.05..85.05",
            "give W,S,E,N with W < E and S < N (no antimeridian crossing: split it in two)",
        )
    return w, s, e, n


def parse_zooms(text: str) -> list[int]:
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text)
    if not m:
        raise InputError(f"--zooms {text}: expected a zoom or a range such as 9-11", "zoom levels are 0-22")
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if not 0 <= lo <= hi <= 22:
        raise InputError(f"--zooms {text}: expected 0 <= low <= high <= 22", "e.g. --zooms 9-11")
    if hi - lo > 4:
        raise InputError(
            f"--zooms {text}: at most 5 zoom levels in one index (one grid scale per level, x2 each)",
            "pick a narrower range, e.g. 9-11 for astronaut photos",
        )
    return list(range(lo, hi + 1))


def tiles_in(bbox: tuple[float, float, float, float], z: int) -> Iterator[Tile]:
    w, s, e, n = bbox
    x0, y0 = lonlat_to_tile(w, n, z)
    x1, y1 = lonlat_to_tile(e, s, z)
    for y in range(y0, y1 + 1):
        for x in range(x0, x1 + 1):
            yield Tile(z, x, y)


def count_tiles(bbox: tuple[float, float, float, float], zooms: list[int]) -> int:
    total = 0
    for z in zooms:
        x0, y0 = lonlat_to_tile(bbox[0], bbox[3], z)
        x1, y1 = lonlat_to_tile(bbox[2], bbox[1], z)
        total += (x1 - x0 + 1) * (y1 - y0 + 1)
    return total


def check_template(template: str) -> None:
    has_y = "{y}" in template or "{-y}" in template
    if "{q}" not in template and not ("{z}" in template and "{x}" in template and has_y):
        raise InputError(
            f"--xyz {template}: URL template needs {{z}}, {{x}} and {{y}} (or {{-y}}, or {{q}})",
            "e.g. --xyz 'https://server/tiles/{z}/{x}/{y}.png'",
        )
    if not template.lower().startswith(("http://", "https://")):
        raise InputError(f"--xyz {template}: not an http(s) URL", "give the tile URL template of the service")


def fill_template(template: str, t: Tile) -> str:
    return (
        template.replace("{z}", str(t.z))
        .replace("{x}", str(t.x))
        .replace("{-y}", str(t.tms_y))
        .replace("{y}", str(t.y))
        .replace("{q}", t.quadkey)
    )
