"""An index's coverage on the map: its tiles, read from tiles.gpkg by OGR (with the GeoPackage's
spatial index: QGIS fetches only the tiles in view); for a large index the tiles only when zoomed in,
and above that scale the generalized coverage (one polygon per source and scale, the layer the
engine writes beside the tiles: engine/index/coverage.py)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsVectorLayer

from ..engine.protocol import COVERAGE_LAYER, TILES_LAYER
from ..translate import translate
from .canvas import apply_style

LARGE_INDEX_TILES = 20_000  # above this many tiles, the tiles only when zoomed in
TILES_ACROSS = 40  # the tiles show once about this many of the smallest fit across the canvas
CANVAS_WIDTH_M = 0.3  # a canvas's width on the screen, for the scale denominator


def _layer(gpkg: Path, layer: str, name: str) -> QgsVectorLayer:
    return QgsVectorLayer(f"{gpkg}|layername={layer}", name, "ogr")


def tiles_scale(outline: QgsVectorLayer) -> float:
    """The scale denominator below which the tiles are drawn: TILES_ACROSS of the smallest tiles
    (the coverage's `tile_km`) across the canvas."""
    field = outline.fields().indexOf("tile_km")
    sizes = [float(f.attribute(field)) for f in outline.getFeatures()] if field >= 0 else []
    sizes = [s for s in sizes if s > 0]
    return min(sizes) * 1000.0 * TILES_ACROSS / CANVAS_WIDTH_M if sizes else 0.0


def index_coverage_layers(gpkg: Path, index_name: str) -> tuple[QgsVectorLayer, QgsVectorLayer | None]:
    """(tiles, coverage): the tiles layer (invalid when unreadable) and, for a large index, the
    generalized coverage (None when the GeoPackage has none); the two take turns by scale."""
    tiles = _layer(gpkg, TILES_LAYER, translate("IndexCoverage", "Index coverage — {}").format(index_name))
    apply_style(tiles, "coverage")
    if not tiles.isValid() or tiles.featureCount() <= LARGE_INDEX_TILES:
        return tiles, None
    name = translate("IndexCoverage", "Index coverage (generalized) — {}").format(index_name)
    outline = _layer(gpkg, COVERAGE_LAYER, name)
    if not outline.isValid():
        return tiles, None
    threshold = tiles_scale(outline)
    if threshold <= 0:
        return tiles, None
    apply_style(outline, "coverage")
    tiles.setScaleBasedVisibility(True)
    tiles.setMinimumScale(threshold)  # the most zoomed-out scale at which the tiles are drawn
    outline.setScaleBasedVisibility(True)
    outline.setMaximumScale(threshold)  # the most zoomed-in scale at which the outline is drawn
    return tiles, outline
