"""The one tile grid: multi-scale square windows with overlap, in each raster's own pixel space.

A tile of scale s covers `tile_px * s` source pixels on a side; windows step by
`size * (1 - overlap)` and the last row/column is aligned to the raster edge so every pixel
is covered. Tile polygons in EPSG:4326 come from transforming the densified window outline.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from affine import Affine
from shapely.geometry import Polygon

from . import crs as crs_mod

DEFAULT_TILE_PX = 256
DEFAULT_SCALES = (1, 2, 4)
DEFAULT_OVERLAP = 0.5
EDGE_SEGMENTS = 8


@dataclass(frozen=True)
class GridSpec:
    tile_px: int = DEFAULT_TILE_PX
    scales: tuple[int, ...] = DEFAULT_SCALES
    overlap: float = DEFAULT_OVERLAP

    def __post_init__(self) -> None:
        if self.tile_px < 16:
            raise ValueError("tile_px must be at least 16")
        if not self.scales or any(int(s) < 1 for s in self.scales):
            raise ValueError("scales must be positive integers")
        if not 0.0 <= self.overlap < 0.95:
            raise ValueError("overlap must be in [0, 0.95)")
        object.__setattr__(self, "scales", tuple(sorted({int(s) for s in self.scales})))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "scales": list(self.scales), "layout": "pixel-windows-v1"}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GridSpec:
        return cls(int(d["tile_px"]), tuple(int(s) for s in d["scales"]), float(d["overlap"]))


@dataclass(frozen=True)
class TileWindow:
    scale: int
    col: int
    row: int
    width: int
    height: int

    @property
    def window(self) -> list[int]:
        return [self.col, self.row, self.width, self.height]


def _starts(length: int, size: int, stride: int) -> list[int]:
    if size >= length:
        return [0]
    starts = list(range(0, length - size + 1, stride))
    if starts[-1] + size < length:
        starts.append(length - size)
    return starts


def windows(width: int, height: int, spec: GridSpec) -> list[TileWindow]:
    """All tile windows of a width x height raster, scale by scale, row-major.

    A scale whose tile is larger than the raster's longer side is skipped, except the smallest
    scale, so that a small raster still gets one (boundless, partly empty) tile.
    """
    out: list[TileWindow] = []
    for i, scale in enumerate(spec.scales):
        size = spec.tile_px * scale
        if i > 0 and size > max(width, height):
            continue
        stride = max(1, int(round(size * (1.0 - spec.overlap))))
        for row in _starts(height, size, stride):
            for col in _starts(width, size, stride):
                out.append(TileWindow(scale, col, row, size, size))
    return out


def window_outline(
    col: float, row: float, width: float, height: float, transform: Affine, segments: int = EDGE_SEGMENTS
) -> list[tuple[float, float]]:
    """Densified outline (closed ring, UL -> UR -> LR -> LL) of a pixel window in source coordinates."""
    corners = [(col, row), (col + width, row), (col + width, row + height), (col, row + height)]
    ring: list[tuple[float, float]] = []
    for (c0, r0), (c1, r1) in zip(corners, corners[1:] + corners[:1], strict=True):
        for k in range(segments):
            t = k / segments
            ring.append(transform @ (c0 + (c1 - c0) * t, r0 + (r1 - r0) * t))
    ring.append(ring[0])
    return ring


def window_polygon(
    col: float,
    row: float,
    width: float,
    height: float,
    transform: Affine,
    src_crs: Any,
    dst_crs: Any = crs_mod.WGS84,
    segments: int = EDGE_SEGMENTS,
) -> Polygon:
    """The window as a polygon in dst_crs (EPSG:4326 by default), densified before transforming."""
    ring = window_outline(col, row, width, height, transform, segments)
    tr = crs_mod.transformer(src_crs, dst_crs)
    xs, ys = tr.transform([p[0] for p in ring], [p[1] for p in ring])
    return Polygon(list(zip(xs, ys, strict=True)))


def tile_polygon(tile: TileWindow, transform: Affine, src_crs: Any, dst_crs: Any = crs_mod.WGS84) -> Polygon:
    return window_polygon(tile.col, tile.row, tile.width, tile.height, transform, src_crs, dst_crs)
