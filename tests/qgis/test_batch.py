"""The batch queue in real QGIS processes with the real worker: a QGIS killed mid-batch, then the
session reopened and the batch resumed (with the worker killed during a request too): every photo
has exactly one result, none is lost, none was localized twice.

The QGIS processes are tools/batch_drive.py (the plugin's Locate and Review flows, headless), so
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

from astroloc_qgis.session.batch import DONE, BatchTable
from astroloc_qgis.session.store import Session
from tools.batch_photos import make_photos

CHEAP = ["--option", "top=1", "--option", "max_units=1"]  # the worker's cheapest real locate
TIMEOUT_S = 300


def start_child(tmp_path: Path, session: Path, index: Path, engine_python: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env.update(HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")  # its own QGIS settings
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.Popen([sys.executable, str(REPO / "tools" / "batch_drive.py"), str(session), str(index),
                             str(engine_python), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=env, cwd=REPO)


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
