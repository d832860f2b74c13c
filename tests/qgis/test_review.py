"""Review mode in the real plugin: queue, keys on the real map canvas, edit with the vertex tool,
undo/redo."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import wait_for_queue
from imagery import naip_source, photo_from
from qgis.core import QgsGeometry, QgsPointXY, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QKeySequence
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QShortcut
from session_data import batch, make_result

from astroloc_qgis.review.controller import HIGHEST_FIRST, ReviewController
from astroloc_qgis.session import Session


def _log(path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [
            r[0] for r in db.execute("SELECT action FROM decisions WHERE action != 'result' ORDER BY fid")
        ]


@pytest.fixture()
def session_file(tmp_path):
    path = tmp_path / "review.gpkg"
    with Session(str(path), reviewer="setup") as s:
        for fc in batch(6):  # confidences 0.5 0.9 0.2 0.7 0.95 0.35
            s.add_result(fc)
        s.add_result(make_result("lost.jpg", -99.0, 48.0, confidence=None, footprint=False))
    return path


def test_controller_queue_order_and_auto_advance(session_file, qgis_app):
    s = Session(str(session_file), reviewer="ann")
    ctl = ReviewController(s)
    names = [p["name"] for p in ctl.queue()]
    assert names == [
        "lost.jpg",
        "photo_02.jpg",
        "photo_05.jpg",
        "photo_00.jpg",
        "photo_03.jpg",
        "photo_01.jpg",
        "photo_04.jpg",
    ]
    assert ctl.current()["name"] == "lost.jpg"
    messages = []
    ctl.message.connect(lambda text, err: messages.append(text))
    assert ctl.confirm() is False and "no footprint" in messages[-1]  # nothing to confirm yet
    assert ctl.choose(9) is False and "no candidate 9" in messages[-1]
    assert ctl.choose(2) and ctl.current()["name"] == "photo_02.jpg"  # advanced to the next pending
    assert ctl.reject() and ctl.current()["name"] == "photo_05.jpg"
    ctl.prev()
    assert ctl.current()["name"] == "photo_02.jpg"
    ctl.set_order(HIGHEST_FIRST)
    assert [p["name"] for p in ctl.queue()][0] == "photo_04.jpg"
    assert ctl.counts() == {"pending": 5, "confirmed": 1, "rejected": 1, "edited": 0, "total": 7}
    assert ctl.undo() and ctl.current()["name"] == "photo_02.jpg"  # undo shows what it changed
    assert ctl.counts()["rejected"] == 0
    s.close()


@pytest.fixture()
def review(plugin, session_file, qgis_canvas, astroloc_settings):
    astroloc_settings.setValue("astroloc/reviewer", "ann")
    mode = plugin.review
    assert mode.open_session(str(session_file), create=False)
    mode.dock.tabs.setCurrentWidget(mode.panel)
    assert mode.is_active()
    qgis_canvas.setFocus()
    yield mode
    mode.close_session()


def key(canvas, k, mods=Qt.NoModifier):
    QTest.keyClick(canvas, k, mods)


def test_keys_on_the_real_canvas(review, qgis_canvas, monkeypatch):
    flashed = []
    monkeypatch.setattr(qgis_canvas, "flashGeometries", lambda geoms, crs=None: flashed.append(geoms))
    s, ctl = review.session, review.controller
    first = ctl.current()["photo_id"]
    assert review.panel.counts_label.text().count("<b>") == 4
    key(qgis_canvas, Qt.Key_3)  # take candidate 3 for the not-found photo
    assert s.photo(first)["status"] == "confirmed" and s.footprint(first)["method"] == "candidate 3"
    second = ctl.current()["photo_id"]
    assert flashed, "the current footprint is flashed"
    fp_box = QgsGeometry.fromRect(QgsRectangle(*_bbox(s.footprint(second)["geometry"])))
    assert QgsGeometry.fromRect(qgis_canvas.extent()).contains(fp_box)  # and zoomed to
    key(qgis_canvas, Qt.Key_R)
    assert s.photo(second)["status"] == "rejected"
    third = ctl.current()["photo_id"]
    key(qgis_canvas, Qt.Key_A)
    assert s.photo(third)["status"] == "confirmed"
    key(qgis_canvas, Qt.Key_N)
    key(qgis_canvas, Qt.Key_P)
    assert ctl.current()["photo_id"] != third
    assert _log(s.path) == ["choose", "reject", "confirm"]
    assert "Confirmed <b>2</b>" in review.panel.counts_label.text()
    assert "Rejected <b>1</b>" in review.panel.counts_label.text()

    key(qgis_canvas, Qt.Key_Z, Qt.ControlModifier)  # undo: the confirm
    assert s.photo(third)["status"] == "pending"
    key(qgis_canvas, Qt.Key_Z, Qt.ControlModifier)  # undo: the reject
    assert s.photo(second)["status"] == "pending"
    key(qgis_canvas, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # redo: the reject
    assert s.photo(second)["status"] == "rejected"
    assert _log(s.path) == ["choose", "reject", "confirm", "undo", "undo", "redo"]
    assert "Pending <b>5</b>" in review.panel.counts_label.text()
    assert review.dock.tabs.tabText(review.dock.tabs.indexOf(review.panel)) == "Review (5 pending)"


def _bbox(geom):
    xs = [p[0] for p in geom["coordinates"][0]]
    ys = [p[1] for p in geom["coordinates"][0]]
    return min(xs), min(ys), max(xs), max(ys)


def test_window_shortcut_on_the_same_key_does_not_steal_it(review, qgis_canvas, qgis_iface):
    fired = []
    window = qgis_iface.mainWindow()
    shortcut = QShortcut(QKeySequence("Ctrl+Z"), window)  # like QGIS's own Undo action
    shortcut.activated.connect(lambda: fired.append(1))
    window.activateWindow()
    qgis_canvas.setFocus()
    pid = review.controller.current()["photo_id"]
    key(qgis_canvas, Qt.Key_R)
    key(qgis_canvas, Qt.Key_Z, Qt.ControlModifier)
    assert review.session.photo(pid)["status"] == "pending"
    assert fired == []
    shortcut.setParent(None)


def test_keys_are_off_outside_review_mode(review, qgis_canvas):
    review.dock.tabs.setCurrentIndex(0)  # the Locate tab
    assert not review.is_active()
    key(qgis_canvas, Qt.Key_A)
    key(qgis_canvas, Qt.Key_R)
    assert _log(review.session.path) == []


def test_edit_footprint_with_the_vertex_tool(review, qgis_canvas, qgis_iface):
    s, ctl = review.session, review.controller
    key(qgis_canvas, Qt.Key_N)  # a photo with a footprint
    pid = ctl.current()["photo_id"]
    original = s.footprint(pid)["geometry"]
    key(qgis_canvas, Qt.Key_E)
    layer = review.map.edit_layer
    layer_id = layer.id() if layer is not None else None
    assert layer is not None and layer.isEditable() and QgsProject.instance().mapLayer(layer.id())
    assert qgis_iface.activeLayer() is layer
    qgis_iface.actionVertexTool().trigger.assert_called()  # QGIS's vertex tool is switched on
    key(qgis_canvas, Qt.Key_A)  # while editing, letters belong to the vertex tool: no decision
    assert _log(s.path) == []
    feature = next(layer.getFeatures())
    moved = feature.geometry()
    assert moved.moveVertex(
        original["coordinates"][0][0][0] - 0.01, original["coordinates"][0][0][1] + 0.01, 0
    )
    layer.changeGeometry(feature.id(), moved)  # what dragging a vertex does
    key(qgis_canvas, Qt.Key_E)  # E again saves
    assert review.map.edit_layer is None and QgsProject.instance().mapLayer(layer_id) is None
    fp = s.footprint(pid)
    assert s.photo(pid)["status"] == "edited" and fp["edited"] == 1
    assert fp["geometry"]["coordinates"][0][0] == pytest.approx(
        [original["coordinates"][0][0][0] - 0.01, original["coordinates"][0][0][1] + 0.01]
    )
    assert fp["original_geometry"] == original
    with sqlite3.connect(s.path) as db:  # in the file: edited geometry and the original kept
        row = db.execute(
            "SELECT status, edited, original_geojson FROM footprints WHERE photo_id=?", (pid,)
        ).fetchone()
    assert row[0] == "edited" and row[1] == 1 and '"coordinates"' in row[2]

    key(qgis_canvas, Qt.Key_E)
    assert review.map.editing
    key(qgis_canvas, Qt.Key_Escape)  # Esc cancels without a decision
    assert not review.map.editing and _log(s.path) == ["edit"]
    key(qgis_canvas, Qt.Key_Z, Qt.ControlModifier)
    assert s.footprint(pid)["geometry"] == original and s.photo(pid)["status"] == "pending"


def test_panel_buttons_mirror_the_keys(review):
    s, ctl = review.session, review.controller
    ctl.next()
    pid = ctl.current()["photo_id"]
    QTest.mouseClick(review.panel.buttons["confirm"], Qt.LeftButton)
    assert s.photo(pid)["status"] == "confirmed"
    QTest.mouseClick(review.panel.buttons["undo"], Qt.LeftButton)
    assert s.photo(pid)["status"] == "pending"
    ctl.select(pid)
    QTest.mouseClick(review.panel.candidate_buttons[1], Qt.LeftButton)
    assert s.footprint(pid)["method"] == "candidate 2"
    assert review.panel.queue.topLevelItemCount() == 7


def test_results_from_the_plugin_go_into_the_session(review, plugin):
    fc = make_result("fresh.jpg", -98.0, 47.5, confidence=0.01)
    plugin.controller.add_result(fc, "/photos/fresh.jpg")
    s = review.session
    names = [p["name"] for p in s.photos()]
    assert "fresh.jpg" in names and s.counts()["total"] == 8
    with open(s.journal_path, encoding="utf-8") as journal:  # durable before the file write ends
        assert "fresh.jpg" in journal.read()
    assert review.wait_written()
    assert s.pending_count == 0
    with sqlite3.connect(s.path) as db:
        assert db.execute("SELECT count(*) FROM photos WHERE name='fresh.jpg'").fetchone()[0] == 1
    assert review.panel.queue.topLevelItem(1).text(1) == "fresh.jpg"  # lowest first, after the not-found one


def test_tab_title_counts_pending_while_the_review_tab_is_hidden(review, plugin):
    tabs = review.dock.tabs
    title = lambda: tabs.tabText(tabs.indexOf(review.panel))  # noqa: E731
    assert title() == "Review (7 pending)"
    tabs.setCurrentIndex(0)  # the Locate tab
    assert not review.is_active()
    plugin.controller.add_result(make_result("hidden.jpg", -98.2, 47.1, confidence=0.4), "/photos/hidden.jpg")
    assert title() == "Review (8 pending)"
    tabs.setCurrentWidget(review.panel)
    assert review.controller.reject()
    tabs.setCurrentIndex(0)
    plugin.controller.add_result(
        make_result("hidden2.jpg", -98.3, 47.2, confidence=0.4), "/photos/hidden2.jpg"
    )
    assert title() == "Review (8 pending)"
    assert review.wait_written()


def test_session_reopens_with_the_plugin(plugin, session_file, astroloc_settings, qgis_iface):
    astroloc_settings.setValue("astroloc/session_path", str(session_file))
    plugin.review.close_session()
    plugin.review.restore()
    assert plugin.review.session is not None and plugin.review.session.counts()["total"] == 7
    assert plugin.review.panel.queue.topLevelItemCount() == 7
    plugin.review.dock.tabs.setCurrentWidget(plugin.review.panel)  # review mode shows the session's layers
    names = {layer.name() for layer in QgsProject.instance().mapLayers().values()}
    assert {"Footprints by status", "Cameras", "Candidates (current photo)"} <= names


@pytest.mark.slow
def test_real_localization_is_written_into_the_open_session(configured, tmp_path, qtbot, qgis_canvas):
    """The real engine worker localizes a real photo; the result lands in the session and is reviewable."""
    review = configured.review
    session = tmp_path / "live.gpkg"
    assert review.open_session(str(session))
    photo = tmp_path / "crop.jpg"
    lon, lat = photo_from(naip_source(), photo, (300, 200, 384, 288))
    assert configured.controller.localize([str(photo)])
    wait_for_queue(qtbot, configured.controller, 300)
    assert configured.controller.results, configured.controller.messages
    s = review.session
    assert s.counts() == {"pending": 1, "confirmed": 0, "rejected": 0, "edited": 0, "total": 1}
    photo_row = s.photos()[0]
    pid = photo_row["photo_id"]
    assert photo_row["name"] == "crop.jpg" and len(photo_row["sha256"]) == 64 and photo_row["model_id"]
    assert 1 <= len(s.candidates(pid)) <= 5
    fp = s.footprint(pid)
    if fp is not None:  # the engine's refined footprint covers the true place
        assert QgsGeometry.fromWkt(f"POINT ({lon} {lat})").within(
            QgsGeometry.fromPolygonXY([[QgsPointXY(x, y) for x, y in fp["geometry"]["coordinates"][0]]])
        )
    assert review.wait_written()  # the writer thread commits the result shortly after it arrived
    with sqlite3.connect(session) as db:
        assert db.execute("SELECT count(*) FROM candidates").fetchone()[0] == len(s.candidates(pid))

    review.dock.tabs.setCurrentWidget(review.panel)
    if fp is not None:  # review mode shows the photo warped onto its footprint
        assert review.map.overlay is not None and review.map.overlay.isValid()
    qgis_canvas.setFocus()
    key(qgis_canvas, Qt.Key_A if fp is not None else Qt.Key_1)
    assert s.photo(pid)["status"] == "confirmed" and _log(session) == ["confirm" if fp else "choose"]


def test_export_from_the_panel(review, tmp_path):
    s = review.session
    s.confirm(s.photo_ids()[0])
    assert review.export(str(tmp_path / "out.gpkg"), ["gpkg", "csv"])
    assert (tmp_path / "out.gpkg").is_file() and (tmp_path / "out.csv").is_file()
    assert "1 footprint(s) exported" in review.panel.message_label.text()
    assert not review.export(str(tmp_path / "missing" / "out.gpkg"), ["gpkg"])
    assert "does not exist" in review.panel.message_label.text()
    assert s.counts()["confirmed"] == 1  # the session is untouched


def test_reviewer_comes_from_the_settings(review, qgis_canvas, astroloc_settings):
    key(qgis_canvas, Qt.Key_R)
    astroloc_settings.setValue("astroloc/reviewer", "bob")  # changed in AstroLoc settings meanwhile
    key(qgis_canvas, Qt.Key_R)
    with sqlite3.connect(review.session.path) as db:
        who = [r[0] for r in db.execute("SELECT reviewer FROM decisions WHERE action='reject' ORDER BY fid")]
    assert who == ["ann", "bob"]
