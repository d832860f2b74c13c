"""The batch queue in real QGIS processes with the real worker: a QGIS killed mid-batch, then the
session reopened and the batch resumed (with the worker killed during a request too): every photo
has exactly one result, none is lost, none was localized twice.

The QGIS processes are tests/helpers/batch_drive.py (the plugin's Locate and Review flows, headless), so
the kill is a real SIGKILL of QGIS, as in test_session_reliability.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from conftest import REPO

from astroloc_qgis.locate.batch import duration_text, eta_seconds
from astroloc_qgis.locate.batch_view import BatchView
from astroloc_qgis.session.batch import CANCELLED, DONE, FAILED, RUNNING, BatchPhoto, BatchTable, photo_key
from astroloc_qgis.session.store import Session
from tests.helpers.batch_photos import make_photos

CHEAP = ["--option", "top=1", "--option", "max_units=1"]  # the worker's cheapest real locate
TIMEOUT_S = 300


def start_child(
    tmp_path: Path, session: Path, index: Path, engine_python: Path, *args: str
) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env.update(HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")  # its own QGIS settings
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.helpers.batch_drive",
            str(session),
            str(index),
            str(engine_python),
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
    )


def events(child: subprocess.Popen):
    for line in child.stdout:
        if line.startswith("{"):
            yield json.loads(line)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_batch_killed_mid_way_resumes_without_duplicates(tmp_path, engine_python, sample_index):
    folder = tmp_path / "photos"
    photos = make_photos(folder, 8)
    shutil.copy(photos[0], folder / "same_as_0000.jpg")  # one photo under two names: located once
    expected = {sha(p) for p in photos}
    session = tmp_path / "batch.gpkg"

    first = start_child(tmp_path, session, sample_index, engine_python, *CHEAP, str(folder))
    done_before_kill = 0
    for event in events(first):
        assert "refused" not in event, event
        done_before_kill += event.get("state") == DONE
        if done_before_kill == 3:
            os.kill(first.pid, signal.SIGKILL)  # QGIS killed mid-batch
            break
    first.wait(TIMEOUT_S)
    assert done_before_kill == 3

    second = start_child(tmp_path, session, sample_index, engine_python, "--resume", "--kill-worker-at", "2")
    seen = list(events(second))
    assert second.wait(TIMEOUT_S) == 0
    offer = next(e["offer"] for e in seen if "offer" in e)
    assert 8 - 3 - 1 <= offer <= 8 - 3  # the photo running at the kill may already be journaled
    assert any(e.get("during") == "running" for e in seen), seen  # the worker died under a request
    assert seen[-1]["end"]["done"] == offer and seen[-1]["end"]["failed"] == 0, seen[-3:]

    with Session(str(session), create=False) as reopened:
        assert set(reopened.photo_ids()) == expected  # none lost
        results = Counter(e["photo_id"] for e in reopened.decisions() if e["action"] == "result")
        assert set(results.values()) == {1}  # none localized twice
        table = BatchTable(str(session))
        assert set(table.states().values()) == {DONE} and set(table.states()) == expected
        assert table.unfinished(set()) == []
        table.close()


def test_batch_table_keys_photos_by_content(tmp_path):
    """One row per SHA-256: a photo given twice, or already in the session, is not queued again."""
    photos = make_photos(tmp_path / "photos", 3)
    session = tmp_path / "s.gpkg"
    Session(str(session)).close()
    table = BatchTable(str(session))
    keyed = [BatchPhoto(photo_key(str(p)), str(p), "idx", 5, {"top": 1}) for p in photos]
    twice = BatchPhoto(keyed[1].sha256, str(tmp_path / "copy.jpg"), "idx", 5)
    queued = table.add("b1", [*keyed, twice], done={keyed[0].sha256})
    assert [p.sha256 for p in queued] == [keyed[1].sha256, keyed[2].sha256]
    table.mark(keyed[1].sha256, DONE)
    table.mark(keyed[2].sha256, RUNNING)
    left = table.unfinished(done=set())
    assert [(p.sha256, p.params, p.index, p.k) for p in left] == [(keyed[2].sha256, {"top": 1}, "idx", 5)]
    assert table.unfinished(done={keyed[2].sha256}) == []  # its result reached the session's journal
    table.discard([keyed[2].sha256])
    assert table.unfinished(done=set()) == [] and table.states()[keyed[2].sha256] == CANCELLED
    table.close()


def test_eta_follows_the_recent_pace():
    assert eta_seconds([], 10) is None and eta_seconds([5.0], 0) is None
    assert eta_seconds([100.0] + [2.0] * 20, 30) == 60.0  # the cold first photo has left the window
    assert duration_text(42) == "42 s" and duration_text(600) == "10 min"


def batch_with_one_done(plugin, qtbot, tmp_path: Path, count: int):
    """A folder of `count` photos dropped as a batch into a new session; returned once the first
    photo is done."""

    def cheapest(_photo: str) -> dict:  # the worker's cheapest real locate
        return {"top": 1, "max_units": 1}

    batch = plugin.controller.batch
    plugin.review.open_session(str(tmp_path / "s.gpkg"))
    folder = tmp_path / "photos"
    make_photos(folder, count)
    assert batch.start([str(folder)], plugin.controller.current_index(), 5, cheapest) == count
    qtbot.waitUntil(lambda: batch.counts()[DONE] >= 1, timeout=TIMEOUT_S * 1000)
    return batch


def test_pause_holds_the_next_photo_and_cancel_leaves_the_rest(configured, qtbot, tmp_path):
    """In the plugin: a dropped folder runs as a batch; paused, no photo starts; resumed, it goes
    on; cancelled, the rest is cancelled and not offered again; the results are in the session."""
    plugin = configured
    batch = batch_with_one_done(plugin, qtbot, tmp_path, 5)
    batch.pause()
    # a photo handed to the worker as pause was pressed still finishes: wait until the task holds
    qtbot.waitUntil(
        lambda: batch.task is not None and batch.task.holding and batch.counts()[RUNNING] == 0,
        timeout=TIMEOUT_S * 1000,
    )
    held = batch.counts()
    qtbot.wait(2000)
    assert batch.counts() == held and batch.paused()  # nothing started while paused
    view = plugin.dock.locate.findChild(BatchView)
    assert view.pause_button.text() == "Resume" and "paused" in view.summary.text()
    batch.resume()
    qtbot.waitUntil(lambda: batch.counts()[DONE] > held[DONE], timeout=TIMEOUT_S * 1000)
    batch.cancel()
    qtbot.waitUntil(lambda: not batch.running(), timeout=TIMEOUT_S * 1000)
    counts = batch.counts()
    assert counts[DONE] + counts[CANCELLED] + counts[FAILED] == 5 and counts[FAILED] == 0
    assert plugin.review.wait_written()
    assert len(plugin.review.session.photo_ids()) == counts[DONE]
    assert view.list.topLevelItemCount() == 5
    assert batch.check_interrupted(plugin.review.session) == 0  # cancelled photos are not offered


def test_closing_qgis_mid_batch_leaves_the_rest_to_resume(configured, qtbot, tmp_path):
    """QGIS closing (the plugin's shutdown) stops the batch without cancelling it: when the session
    opens again the photos not done are offered, and resuming them completes the batch."""
    plugin = configured
    batch = batch_with_one_done(plugin, qtbot, tmp_path, 4)
    batch.stop()
    qtbot.waitUntil(lambda: not batch.running(), timeout=30000)
    assert plugin.review.wait_written()
    done = len(plugin.review.session.photo_ids())
    assert 1 <= done < 4 and batch.counts()[CANCELLED] == 0
    assert batch.check_interrupted(plugin.review.session) == 4 - done
    view = plugin.dock.locate.findChild(BatchView)
    assert not view.offer.isHidden() and f"{4 - done} photo(s)" in view.offer_label.text()
    assert batch.resume_interrupted() == 4 - done and view.offer.isHidden()
    qtbot.waitUntil(lambda: not batch.running(), timeout=TIMEOUT_S * 1000)
    assert plugin.review.wait_written()
    assert len(plugin.review.session.photo_ids()) == 4 and batch.counts()[DONE] == 4 - done
