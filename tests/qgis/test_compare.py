"""Comparing a located photo with its reference (issue 15, item 1) and refusals said in the panel
(item 2): real QGIS, the real engine worker on the sample index."""

from __future__ import annotations

from pathlib import Path

from conftest import wait_for_queue
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QFileDialog, QPushButton
from test_localize import TIMEOUT_S, drop_on_panel
from test_plugin import _drop_on, _tiny_png

from astroloc_qgis.map import reference as reference_imagery
from astroloc_qgis.map import swipe


def _in_wgs84(layer) -> QgsRectangle:
    transform = QgsCoordinateTransform(
        layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    return transform.transformBoundingBox(layer.extent())


def _visible(layer) -> bool:
    return swipe.layer_visible(layer)


def test_reference_blink_swipe_thumbnails(configured, qgis_iface, qtbot, sample_photo):
    controller, panel = configured.controller, configured.dock.locate
    assert not panel.blink_button.isEnabled()  # nothing to compare yet
    drop_on_panel(configured.dock, [sample_photo])
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    result = controller.results[-1]

    # the reference imagery is in the photo's group, named after its source and year, at the bottom
    reference = result.reference_layer
    assert isinstance(reference, QgsRasterLayer) and reference.isValid()
    group_layers = [node.layer() for node in result.group.findLayers()]
    assert group_layers[-1] is reference
    assert reference.name() == "Reference — naip_nd_2009 (2009)"
    assert reference.crs().authid() == "EPSG:26914"  # the source's own CRS: QGIS reads its pixels
    source = QgsRasterLayer(next(result.vectors["candidates"].getFeatures())["source"])
    assert source.isValid() and source.extent().contains(reference.extent())
    # its extent: around the footprint, within the footprint grown by the margin (and the matched tile)
    footprint = next(result.vectors["footprint"].getFeatures()).geometry().boundingBox()
    around = _in_wgs84(reference)
    assert around.contains(footprint)
    share = reference_imagery.MARGIN + 0.02  # per axis; the source's grid is near north-up
    allowed = QgsRectangle(
        footprint.xMinimum() - share * footprint.width(),
        footprint.yMinimum() - share * footprint.height(),
        footprint.xMaximum() + share * footprint.width(),
        footprint.yMaximum() + share * footprint.height(),
    )
    allowed = allowed.intersect(_in_wgs84(source))
    assert allowed.contains(around), (around.toString(), allowed.toString())
    assert around.area() > 0.9 * allowed.area()  # the margin is there too, as far as the source goes
    # a frame, labelled, around the same window
    frame = result.vectors["reference_frame"]
    assert frame in group_layers and frame.labelsEnabled()
    assert next(frame.getFeatures())["label"] == reference.name()
    assert abs(frame.extent().area() / around.area() - 1) < 0.02

    # blink: the button and B on the map toggle the warped photo
    photo = result.photo_layer
    assert panel.blink_button.isEnabled() and _visible(photo)
    panel.blink_button.click()
    assert not _visible(photo) and _visible(reference)
    panel.blink_button.click()
    assert _visible(photo)
    canvas = qgis_iface.mapCanvas()
    QTest.keyClick(canvas, Qt.Key_B)
    assert not _visible(photo)
    QTest.keyClick(canvas, Qt.Key_B)
    assert _visible(photo)

    # swipe: the photo drawn left of the line by a canvas item, the layer hidden in the canvas
    previous_tool = canvas.mapTool()
    panel.swipe_button.setChecked(True)
    item = configured.compare.swipe_item
    assert item is not None and not _visible(photo)
    assert isinstance(canvas.mapTool(), swipe.SwipeTool)
    qtbot.waitUntil(lambda: not item.rendering() and not item.image.isNull(), timeout=20000)
    panel.swipe_slider.setValue(25)
    assert item.position == 0.25
    panel.swipe_button.setChecked(False)
    assert configured.compare.swipe_item is None and _visible(photo) and canvas.mapTool() is previous_tool

    # the result list shows each candidate's reference tile, from a cache
    tree = panel.results
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert all(not row.icon(1).isNull() for row in rows), [row.text(1) for row in rows]
    assert set(result.thumbnails) == {int(f["tile_id"]) for f in result.vectors["candidates"].getFeatures()}
    for path in result.thumbnails.values():
        image = QgsRasterLayer(path)
        assert image.isValid() and max(image.width(), image.height()) == reference_imagery.THUMBNAIL_PX


def test_thumbnails_are_cached(qgis_app, tmp_path):
    source = str(Path(__file__).resolve().parents[2] / "resources" / "sample" / "naip_nd_2009.tif")
    collection = {
        "features": [
            {
                "properties": {
                    "kind": "candidate",
                    "tile_id": 3,
                    "source": source,
                    "window": [128, 0, 256, 256],
                }
            }
        ]
    }
    first = reference_imagery.candidate_thumbnails(collection, tmp_path)
    stamp = Path(first[3]).stat().st_mtime_ns
    assert reference_imagery.candidate_thumbnails(collection, tmp_path) == first
    assert Path(first[3]).stat().st_mtime_ns == stamp and len(list(tmp_path.iterdir())) == 1
    collection["features"][0]["properties"]["window"] = [0, 0, 128, 64]
    other = reference_imagery.candidate_thumbnails(collection, tmp_path)[3]
    assert other != first[3] and QgsRasterLayer(other).width() == reference_imagery.THUMBNAIL_PX


def test_coverage_from_the_dock(configured):
    action = configured.dock.coverage_action
    project = QgsProject.instance()
    assert action.isChecked()  # choosing the index showed its coverage
    layer = project.mapLayer(configured.controller.coverage_layer_id)
    action.setChecked(False)
    assert not _visible(layer)
    action.setChecked(True)
    assert _visible(layer)
    project.removeMapLayer(layer.id())
    action.setChecked(False)
    action.setChecked(True)  # removed by the user: shown again
    again = project.mapLayer(configured.controller.coverage_layer_id)
    assert again is not None and again.isValid() and _visible(again)


def test_no_index_button_opens_the_chooser(plugin, qgis_iface, tmp_path, qtbot):
    photo = _tiny_png(tmp_path / "p.png")
    assert _drop_on(plugin.dock, [photo])
    panel = plugin.dock.locate
    assert panel.refusal.isVisibleTo(panel) and "No tile index chosen" in panel.refusal.text()
    buttons = [b for b in qgis_iface.messageBar().findChildren(QPushButton) if b.text() == "Choose index…"]
    assert buttons
    seen = []

    def close_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append((type(dialog), dialog.windowTitle() if dialog else None))
        if dialog is not None:
            dialog.reject()

    QTimer.singleShot(300, close_dialog)
    buttons[-1].click()
    assert seen and issubclass(seen[0][0], QFileDialog) and seen[0][1] == "Choose a tile index folder"
    qgis_iface.messageBar().clear_messages()
    assert "No tile index chosen" in panel.refusal.text()  # the panel still says why


def test_refusals_stay_in_the_panel(plugin, qgis_iface, tmp_path):
    panel = plugin.dock.locate
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")
    assert _drop_on(plugin.dock, [tmp_path])
    assert "No photos (JPEG, PNG, TIFF) in" in panel.refusal.text()  # a folder is a batch: of none
    assert _drop_on(plugin.dock, [text])
    assert "notes.txt is not an image" in panel.refusal.text()
    qgis_iface.messageBar().clear_messages()
    assert panel.refusal.isVisibleTo(panel)


def test_a_source_this_machine_cannot_read_is_said(plugin, tmp_path):
    gone = str(tmp_path / "elsewhere" / "mosaic_2021.tif")
    square = {
        "type": "Polygon",
        "coordinates": [
            [[-99.17, 47.02], [-99.16, 47.02], [-99.16, 47.01], [-99.17, 47.01], [-99.17, 47.02]]
        ],
    }
    collection = {
        "type": "FeatureCollection",
        "status": "not_found",
        "features": [
            {
                "type": "Feature",
                "geometry": square,
                "properties": {
                    "kind": "candidate",
                    "rank": 1,
                    "score": 0.4,
                    "tile_id": 5,
                    "source": gone,
                    "scale": 1,
                    "window": [0, 0, 256, 256],
                    "rotation": 0,
                },
            }
        ],
    }
    result = plugin.controller.add_result(collection, str(_tiny_png(tmp_path / "p.png")))
    panel = plugin.dock.locate
    assert result.reference_layer is None and "reference_frame" not in result.vectors
    assert result.thumbnails == {}
    assert not panel.blink_button.isEnabled() and not panel.swipe_button.isEnabled()
    assert panel.compare_note.isVisibleTo(panel) and gone in panel.compare_note.text()
