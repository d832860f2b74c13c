"""The review session GeoPackage: results in, decisions committed at once, reopen, undo/redo via the log."""

from __future__ import annotations

import os
import sqlite3

import pytest
from qgis.core import QgsVectorLayer, QgsWkbTypes
from session_data import batch, make_result

from astroloc_qgis.session import Session, SessionError


@pytest.fixture()
def session(tmp_path):
    s = Session(str(tmp_path / "review.gpkg"), reviewer="ann")
    for fc in batch(6):
        s.add_result(fc)
    yield s
    s.close()


def _db(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def test_layers_open_in_qgis(session, qgis_app):
    for name, count, geom in (
        ("footprints", 6, "Polygon"),
        ("candidates", 30, "Polygon"),
        ("cameras", 6, "Point"),
        ("camera_looks", 6, "LineString"),
    ):
        lyr = QgsVectorLayer(f"{session.path}|layername={name}", name, "ogr")
        assert lyr.isValid(), name
        assert lyr.featureCount() == count
        assert lyr.crs().authid() == "EPSG:4326"
        assert QgsWkbTypes.displayString(lyr.wkbType()) == geom
        for field in ("confidence", "status", "reviewer", "created_at", "decided_at"):
            assert lyr.fields().indexOf(field) >= 0, (name, field)
        feats = list(lyr.getFeatures())
        assert all(f["status"] == "pending" for f in feats)
        assert all(not f.geometry().isEmpty() for f in feats)
    log = QgsVectorLayer(f"{session.path}|layername=decisions", "log", "ogr")
    assert log.isValid() and log.featureCount() == 6  # one `result` entry per photo
    with _db(session.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_each_decision_is_committed_when_made(session):
    ids = session.photo_ids()
    other = _db(session.path)  # an independent reader sees every decision right away
    session.confirm(ids[0])
    assert other.execute("SELECT status FROM photos WHERE photo_id=?", (ids[0],)).fetchone()[0] == "confirmed"
    session.reject(ids[1])
    assert (
        other.execute("SELECT status FROM footprints WHERE photo_id=?", (ids[1],)).fetchone()[0] == "rejected"
    )
    session.choose(ids[2], 3)
    rows = other.execute(
        "SELECT rank, status FROM candidates WHERE photo_id=? ORDER BY rank", (ids[2],)
    ).fetchall()
    assert [r[1] for r in rows] == ["pending", "pending", "confirmed", "pending", "pending"]
    actions = [
        r[0] for r in other.execute("SELECT action FROM decisions WHERE action != 'result' ORDER BY fid")
    ]
    assert actions == ["confirm", "reject", "choose"]
    other.close()


def test_reopen_restores_everything(session):
    ids = session.photo_ids()
    edited = {
        "type": "Polygon",
        "coordinates": [
            [[-100.03, 47.03], [-99.97, 47.03], [-99.97, 46.97], [-100.03, 46.97], [-100.03, 47.03]]
        ],
    }
    original = session.footprint(ids[0])["geometry"]
    session.edit(ids[0], edited)
    session.confirm(ids[1])
    session.choose(ids[2], 2)
    session.reject(ids[3])
    counts, log = session.counts(), session.decisions()
    path = session.path
    session.close()

    again = Session(path, reviewer="ann", create=False)
    assert again.counts() == counts == {"pending": 2, "confirmed": 2, "rejected": 1, "edited": 1, "total": 6}
    fp = again.footprint(ids[0])
    assert fp["status"] == "edited" and fp["edited"] == 1 and fp["method"] == "manual edit"
    assert fp["geometry"]["coordinates"] == edited["coordinates"]
    assert fp["original_geometry"]["coordinates"] == original["coordinates"]  # original kept
    assert fp["area_km2"] > 20
    assert again.footprint(ids[2])["method"] == "candidate 2"
    assert again.camera(ids[3])["status"] == "rejected"
    assert [e["journal_id"] for e in again.decisions()] == [e["journal_id"] for e in log]
    assert again.can_undo()  # the undo history comes back with the log
    again.undo()
    assert again.photo(ids[3])["status"] == "pending"
    again.close()


def test_undo_redo_append_to_the_log(session):
    ids = session.photo_ids()
    geom0 = session.footprint(ids[0])["geometry"]
    new = {"type": "Polygon", "coordinates": [[[-100, 47], [-99.9, 47], [-99.9, 46.9], [-100, 47]]]}
    session.confirm(ids[1])
    session.edit(ids[0], new)
    snapshot = [dict(r) for r in _db(session.path).execute("SELECT * FROM decisions ORDER BY fid")]

    assert session.undo()["action"] == "undo"
    assert session.photo(ids[0])["status"] == "pending"
    assert session.footprint(ids[0])["geometry"] == geom0
    assert session.undo()["action"] == "undo"
    assert session.photo(ids[1])["status"] == "pending"
    assert session.undo() is None and not session.can_undo()
    assert session.redo()["action"] == "redo"
    assert session.photo(ids[1])["status"] == "confirmed"
    assert session.redo()["action"] == "redo"
    assert session.footprint(ids[0])["geometry"] == new and session.photo(ids[0])["status"] == "edited"
    assert session.redo() is None
    session.undo()
    session.reject(ids[2])  # a new decision clears the redo stack
    assert not session.can_redo()

    rows = [dict(r) for r in _db(session.path).execute("SELECT * FROM decisions ORDER BY fid")]
    assert rows[: len(snapshot)] == snapshot  # append-only: nothing rewritten
    assert [r["action"] for r in rows[len(snapshot) :]] == ["undo", "undo", "redo", "redo", "undo", "reject"]
    with _db(session.path) as db:
        fp = db.execute("SELECT status FROM footprints WHERE photo_id=?", (ids[0],)).fetchone()[0]
    assert fp == "pending"


def test_undo_is_per_reviewer(session):
    ids = session.photo_ids()
    session.confirm(ids[0])
    bob = Session(session.path, reviewer="bob", create=False)
    bob.reject(ids[1])
    assert bob.undo()["photo_id"] == ids[1]
    assert bob.undo() is None  # ann's decision is not bob's to undo
    bob.close()
    session.refresh()
    assert session.undo()["photo_id"] == ids[0]


def test_not_found_result_and_choosing_a_candidate(tmp_path):
    s = Session(str(tmp_path / "s.gpkg"), reviewer="ann")
    pid = s.add_result(make_result("lost.jpg", 10.0, 50.0, footprint=False))
    assert s.footprint(pid) is None and s.photo(pid)["result_status"] == "not_found"
    s.choose(pid, 2)
    assert s.footprint(pid)["method"] == "candidate 2"
    assert s.photo(pid)["status"] == "confirmed"
    s.undo()
    assert s.footprint(pid) is None
    with _db(s.path) as db:
        assert db.execute("SELECT count(*) FROM footprints").fetchone()[0] == 0
    with pytest.raises(KeyError):
        s.choose(pid, 9)
    s.close()


def test_new_result_for_same_photo_replaces_and_logs(session):
    pid = session.photo_ids()[0]
    session.confirm(pid)
    fc = make_result("photo_00.jpg", 5.0, 5.0, confidence=0.99)
    assert session.add_result(fc) == pid
    assert session.photo(pid)["status"] == "pending" and session.photo(pid)["confidence"] == 0.99
    assert session.counts()["total"] == 6
    assert session.decisions()[-1]["action"] == "result"
    assert not session.can_undo()  # the confirm applied to the old result


def test_open_errors(tmp_path):
    with pytest.raises(SessionError, match="does not exist"):
        Session(str(tmp_path / "nope" / "s.gpkg"))
    with pytest.raises(SessionError, match="not found"):
        Session(str(tmp_path / "s.gpkg"), create=False)
    other = tmp_path / "other.gpkg"
    sqlite3.connect(other).execute("CREATE TABLE x(a)").connection.close()
    with pytest.raises(SessionError, match="not an AstroLoc review session"):
        Session(str(other))


def test_background_write_and_journal_replay(tmp_path):
    """A result is journaled before the writer thread commits it: a QGIS killed in between
    (no writer here) loses nothing, the next open writes it; a committed one is not doubled."""
    from astroloc_qgis.session.writer import SessionWriter

    path = str(tmp_path / "bg.gpkg")
    s = Session(path, reviewer="ann")
    unwritten = s.add_result_journaled(make_result("killed.jpg", -98.0, 47.0))
    assert s.counts()["pending"] == 1 and s.pending_count == 0  # in flight, not a failure
    s.close()  # "killed": the writer never ran
    with _db(path) as db:
        assert db.execute("SELECT count(*) FROM photos").fetchone()[0] == 0
    s = Session(path, reviewer="ann")  # replays the journal
    with _db(path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM photos")] == ["killed.jpg"]
    writer = SessionWriter(path, lambda op, error: None)
    op = s.add_result_journaled(make_result("live.jpg", -98.5, 47.2))
    writer.submit(op)
    writer.submit(unwritten)  # already in the file: the journal id makes it a no-op
    writer.close()
    done = writer.take_finished()
    assert [error for _op, error in done] == [None, None]
    for written, error in done:
        s.result_written(written, error)
    assert s.pending_count == 0 and not os.path.exists(s.journal_path)
    with _db(path) as db:
        assert sorted(r[0] for r in db.execute("SELECT name FROM photos")) == ["killed.jpg", "live.jpg"]
        assert db.execute("SELECT count(*) FROM decisions WHERE action='result'").fetchone()[0] == 2
    s.close()
