"""The Review tab's "Improve the index with N confirmations" (review/adapt.py) in real QGIS, with the
real engine worker: a session of confirmed hazy photos adapts a copy of the sample index, the
Locate tab switches to the adapted index, Undo switches back; refusals leave the index untouched."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from conftest import REPO
from imagery import hazy_photo, naip_source
from session_data import make_result

from astroloc_qgis.engine.protocol import ADAPT_MIN_CONFIRMATIONS
from astroloc_qgis.session import Session

WINDOWS = [(40, 30), (520, 60), (300, 300), (600, 380), (90, 400), (380, 120), (250, 20), (620, 200)]
SIDE = 300


def _result(path, corners, index) -> dict:
    """An engine result for `path` whose footprint is its true place, found in `index`."""
    fc = make_result(path.name, *corners[0])
    fc["photo"].update(path=str(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest())
    fc["index"] = {"path": str(index), "model": json.loads((index / "manifest.json").read_text())["model"]}
    for feature in fc["features"]:
        if feature["properties"]["kind"] == "footprint":
            feature["geometry"] = {"type": "Polygon", "coordinates": [[*corners, corners[0]]]}
            feature["properties"]["corners"] = corners
    return fc


def _session(path, results, confirmed: int, rejected: list | None = None) -> str:
    """The first `confirmed` results confirmed, every result of `rejected` rejected."""
    with Session(str(path), reviewer="ann") as s:
        ids = [s.add_result(fc) for fc in results]
        for pid in ids[:confirmed]:
            s.confirm(pid)
        for fc in rejected or []:
            s.reject(s.add_result(fc))
    return str(path)


@pytest.fixture()
def index(configured, sample_index, tmp_path):
    """A copy of the sample index (the adapted one is written beside it), chosen in the Locate tab."""
    copy = tmp_path / "idx" / "sample"
    shutil.copytree(sample_index, copy)
    configured.dock.locate.choose_index(str(copy))
    return copy


def _files(folder) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in folder.iterdir() if f.is_file()}


def test_improve_switch_and_undo(configured, index, tmp_path, qtbot):
    photos = tmp_path / "photos"
    photos.mkdir()
    results = []
    for n, (col, row) in enumerate(WINDOWS):
        path = photos / f"hazy_{n}.jpg"
        results.append(_result(path, hazy_photo(naip_source(), path, (col, row, SIDE, SIDE)), index))
    review, panel, adaptation = configured.review, configured.dock.review, configured.adaptation
    # Below the engine's minimum the button is off and says why.
    assert review.open_session(_session(tmp_path / "few.gpkg", results, ADAPT_MIN_CONFIRMATIONS - 1))
    assert not panel.adapt_button.isEnabled()
    assert f"at least {ADAPT_MIN_CONFIRMATIONS}" in panel.adapt_button.toolTip()
    # 8 confirmed and 12 rejected decisions: enough to refit the confidence too (>= 20, 5 of each).
    wrong = [make_result(f"wrong_{n}.jpg", -99.0, 47.0, confidence=0.6) for n in range(12)]
    assert review.open_session(_session(tmp_path / "all.gpkg", results, len(WINDOWS), wrong))
    assert panel.adapt_button.isEnabled()
    assert panel.adapt_button.text() == f"Improve the index with {len(WINDOWS)} confirmations"
    before = _files(index)

    with qtbot.waitSignal(adaptation.finished, timeout=120_000) as done:
        panel.adapt_button.click()
        assert panel.adapt_progress.isVisibleTo(panel) and panel.adapt_cancel_button.isVisibleTo(panel)
        assert not panel.adapt_button.isEnabled()  # one adaptation at a time
    assert done.args == [True], panel.message_label.text()
    adapted = index.parent / "sample-adapted-1"
    manifest = json.loads((adapted / "manifest.json").read_text())
    assert manifest["adaptation"]["confirmed_pairs"] == len(WINDOWS)
    assert configured.dock.locate.current_index() == str(adapted)
    assert f"{len(WINDOWS)} confirmed photos" in panel.message_label.text()
    calibration = json.loads((adapted / "calibration.json").read_text())
    assert (calibration["decisions"], calibration["confirmed"], calibration["rejected"]) == (20, 8, 12)
    assert "calibrated on 20 of your decisions (8 confirmed, 12 rejected)" in panel.message_label.text()
    assert not panel.adapt_progress.isVisibleTo(panel) and panel.adapt_button.isEnabled()
    assert _files(index) == before  # the chosen index itself is never modified
    assert panel.adapt_undo_button.isVisibleTo(panel)
    assert panel.adapt_undo_button.text() == "Undo: back to sample"

    panel.adapt_undo_button.click()
    assert configured.dock.locate.current_index() == str(index)
    assert not panel.adapt_undo_button.isVisibleTo(panel)
    assert "sample-adapted-1" in panel.message_label.text()

    # A result located on a calibrated index: the Locate tab says on how many decisions.
    located = _result(
        photos / "hazy_0.jpg", hazy_photo(naip_source(), photos / "hazy_0.jpg", (40, 30, SIDE, SIDE)), adapted
    )
    located["calibration"] = {"decisions": 20, "a": calibration["a"], "b": calibration["b"], "date": ""}
    configured.controller.add_result(located, str(photos / "hazy_0.jpg"))
    label = configured.dock.locate.calibration_label
    assert label.isVisibleTo(configured.dock.locate)
    assert label.text() == "Footprint confidence calibrated on 20 of your decisions"


def test_refusals_say_why_and_leave_the_index(configured, index, tmp_path, qtbot):
    gone = tmp_path / "gone"
    gone.mkdir()
    results = []
    for n, (col, row) in enumerate(WINDOWS[:6]):
        path = gone / f"moved_{n}.jpg"
        results.append(_result(path, hazy_photo(naip_source(), path, (col, row, SIDE, SIDE)), index))
    shutil.rmtree(gone)  # the photos were moved away since they were located
    review, panel, adaptation = configured.review, configured.dock.review, configured.adaptation
    assert review.open_session(_session(tmp_path / "moved.gpkg", results, 6))
    before = _files(index)

    with qtbot.waitSignal(adaptation.finished, timeout=120_000) as done:
        panel.adapt_button.click()
    assert done.args == [False]
    text = panel.message_label.text()
    assert "not adapted" in text and "0 usable confirmations, the adaptation needs at least" in text
    assert "6 skipped (photo not found): moved_0.jpg, moved_1.jpg" in text, text
    assert configured.dock.locate.current_index() == str(index) and _files(index) == before
    assert not (index.parent / "sample-adapted-1").exists() and not panel.adapt_undo_button.isVisibleTo(panel)

    # Cancelled at once: said so, nothing written.
    with qtbot.waitSignal(adaptation.finished, timeout=60_000) as done:
        panel.adapt_button.click()
        panel.adapt_cancel_button.click()
    assert done.args == [False] and "cancelled" in panel.message_label.text()
    assert configured.dock.locate.current_index() == str(index) and _files(index) == before


def test_adapt_strings_are_translated_to_french(qgis_app):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from astroloc_qgis.translate import translate

    translator = QTranslator()
    assert translator.load(str(REPO / "i18n" / "astroloc_fr.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        text = translate("ReviewPanel", "Improve the index with {0} confirmations")
        assert text == "Améliorer l’index avec {0} confirmations"
        assert translate("IndexAdaptation", "photo not found") == "photo introuvable"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_the_guards_refusal_in_words(qgis_app):
    """The engine's guard (the adaptation would not help the confirmed photos): its numbers in words."""
    from astroloc_qgis.engine import protocol
    from astroloc_qgis.review.adapt import refusal_text
    from astroloc_qgis.worker.client import WorkerError

    details = {
        "validation": {"photos": 12, "r1_before": 0.5, "r1_after": 0.25},
        "skipped": {"photo_not_found": [], "outside_coverage": ["far.jpg"], "unreadable": []},
    }
    text = refusal_text(
        WorkerError(protocol.ADAPT_GUARD, "would lower retrieval", "pass --force", "", details)
    )
    assert "R@1 50% -> 25% over 12 photos" in text and "adapt anyway" in text and "--force" not in text
    assert text.splitlines()[-1] == "1 skipped (outside the index's coverage): far.jpg"
