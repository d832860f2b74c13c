"""A large index's coverage on the map (issue 17): the generalized coverage when zoomed out, the tiles
(read from tiles.gpkg by OGR) only when zoomed in; real QGIS, a synthetic 25,000-tile table written by
the engine (tests/helpers/synth_tiles.py)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from conftest import ENGINE_PYTHON, REPO
from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QSize

from astroloc_qgis.locate.controller import LocalizationController
from astroloc_qgis.map import coverage

TILES = 25_000


def _synthetic_index(folder: Path, *flags: str) -> Path:
    subprocess.run(
        [str(ENGINE_PYTHON), "-m", "tests.helpers.synth_tiles", str(folder), "--tiles", str(TILES), *flags],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


@pytest.fixture(scope="module")
def large_index(tmp_path_factory) -> Path:
    return _synthetic_index(tmp_path_factory.mktemp("large") / "index")


def _render_s(layers, extent: QgsRectangle, scale_width_px: int = 800) -> tuple[float, float]:
    """Seconds to draw `layers` over `extent` (EPSG:4326 canvas), and the scale it was drawn at."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setOutputSize(QSize(scale_width_px, scale_width_px * 3 // 4))
    settings.setExtent(extent)
    job = QgsMapRendererSequentialJob(settings)
    t = time.monotonic()
    job.start()
    job.waitForFinished()
    assert not job.renderedImage().isNull()
    return time.monotonic() - t, settings.scale()


def test_a_large_index_shows_its_coverage_zoomed_out_and_its_tiles_zoomed_in(qgis_new_project, large_index):
    controller = LocalizationController(None)  # no interface: messages go to the log
    try:
        t = time.monotonic()
        tiles = controller.show_index_coverage(str(large_index))
        added_s = time.monotonic() - t
        project = QgsProject.instance()
        outline = project.mapLayer(controller.coverage_outline_id or "")
        assert tiles is not None and outline is not None and tiles.featureCount() > coverage.LARGE_INDEX_TILES
        assert tiles.providerType() == "ogr" and "layername=tiles" in tiles.source()  # read in place
        assert outline.featureCount() == 4 * 3  # 4 sources at 3 scales
        assert added_s < 5, added_s
        threshold = tiles.minimumScale()
        assert tiles.hasScaleBasedVisibility() and outline.hasScaleBasedVisibility()
        assert outline.maximumScale() == threshold == pytest.approx(coverage.tiles_scale(outline))
        whole = tiles.extent()
        drawn_s, scale = _render_s([outline, tiles], whole)
        assert scale > threshold and not tiles.isInScaleRange(scale) and outline.isInScaleRange(scale)
        assert drawn_s < 5, drawn_s
        centre = whole.center()
        close = QgsRectangle(centre.x() - 0.2, centre.y() - 0.15, centre.x() + 0.2, centre.y() + 0.15)
        _, scale = _render_s([outline, tiles], close)
        assert scale < threshold and tiles.isInScaleRange(scale) and not outline.isInScaleRange(scale)
        # choosing another index replaces both layers
        before = {tiles.id(), outline.id()}
        assert controller.show_index_coverage(str(large_index)) is not None
        assert not before & set(project.mapLayers()) and len(project.mapLayers()) == 2
    finally:
        controller.shutdown()


def test_a_large_index_without_coverage_says_how_to_write_it(qgis_new_project, tmp_path):
    index = _synthetic_index(tmp_path / "old", "--no-coverage")
    controller = LocalizationController(None)
    try:
        tiles = controller.show_index_coverage(str(index))
        assert tiles is not None and tiles.isValid() and controller.coverage_outline_id is None
        assert not tiles.hasScaleBasedVisibility()
        assert any("astroloc index info" in text for _, text in controller.messages)
    finally:
        controller.shutdown()
