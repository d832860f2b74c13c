"""Reliability of the review session with real processes: SIGKILL, locks, read-only files, two windows."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from session_data import batch

from astroloc_qgis.session import Session

HERE = Path(__file__).parent
CHILD = HERE / "session_child.py"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    return env


class Child:
    """A QGIS process (offscreen) reviewing a session; commands over stdin, JSON replies."""

    def __init__(
        self,
        session: str,
        reviewer: str,
        timeout: float = 2.0,
        as_user: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        cmd = [PYTHON, str(CHILD), session, reviewer, str(timeout)]
        if as_user is not None:
            cmd = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", *cmd]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env or _env(), cwd="/"
        )
        self.hello = self.read()
        assert self.hello["ready"]

    def read(self) -> dict:
        line = self.proc.stdout.readline()
        assert line, f"child died (rc={self.proc.poll()})"
        return json.loads(line)

    def send(self, cmd: str) -> dict:
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=30)


def _make_session(path: Path, n: int = 10) -> list[str]:
    with Session(str(path), reviewer="setup") as s:
        return [s.add_result(fc) for fc in batch(n)]


def _decisions(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT photo_id, action, reviewer FROM decisions WHERE action != 'result' ORDER BY fid"
    ).fetchall()
    conn.close()
    return rows


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    res = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return res


def test_sigkill_mid_review_loses_nothing(tmp_path):
    path = tmp_path / "review.gpkg"
    ids = _make_session(path, 10)
    child = Child(str(path), "ann")
    acknowledged = []
    for i in range(7):
        reply = child.send(("confirm " if i % 2 == 0 else "reject ") + str(i))
        assert reply["ok"] and reply["pending"] == 0
        acknowledged.append(i)
    # One more decision in flight, then SIGKILL without any chance to clean up.
    child.proc.stdin.write("choose 7 2\n")
    child.proc.stdin.flush()
    os.kill(child.proc.pid, signal.SIGKILL)
    child.proc.wait(timeout=10)
    assert child.proc.returncode == -signal.SIGKILL

    assert _integrity(path) == "ok"
    with Session(str(path), reviewer="ann", create=False) as s:
        for i in acknowledged:
            assert s.photo(ids[i])["status"] == ("confirmed" if i % 2 == 0 else "rejected"), i
            assert s.footprint(ids[i])["status"] == s.photo(ids[i])["status"]
        assert s.photo(ids[7])["status"] in ("pending", "confirmed")  # the in-flight one: either, never torn
        logged = [(pid, action) for pid, action, _ in _decisions(path)]
        assert logged[:7] == [(ids[i], "confirm" if i % 2 == 0 else "reject") for i in acknowledged]
        assert s.can_undo()


def _lock_holder(path: Path) -> subprocess.Popen:
    """Another process holding SQLite's exclusive write lock until told to let go."""
    code = (
        "import sqlite3,sys\n"
        f"c=sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN EXCLUSIVE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
        "c.execute('ROLLBACK')\n"
    )
    proc = subprocess.Popen([PYTHON, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def _release(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait(timeout=10)


def test_locked_by_another_process_keeps_and_retries(tmp_path):
    path = tmp_path / "review.gpkg"
    ids = _make_session(path, 6)
    messages = []
    s = Session(str(path), reviewer="ann", busy_timeout_s=0.2, on_message=messages.append)
    holder = _lock_holder(path)
    try:
        s.confirm(ids[0])
        s.reject(ids[1])
        s.choose(ids[2], 2)
        assert s.pending_count == 3
        assert "locked by another program" in s.last_error and "nothing is lost" in s.last_error
        assert messages and "3 decision(s) are kept" in messages[-1]
        assert s.counts()["confirmed"] == 2 and s.counts()["rejected"] == 1  # the review goes on
        assert Path(s.journal_path).exists()  # and survives a crash: sidecar journal
        assert len(Path(s.journal_path).read_text().splitlines()) == 3
        assert s.retry_pending() is False
        assert _decisions(path) == []
    finally:
        _release(holder)
    assert s.retry_pending() is True
    assert s.pending_count == 0 and not Path(s.journal_path).exists()
    assert [a for _, a, _ in _decisions(path)] == ["confirm", "reject", "choose"]
    s.close()


def test_journal_replayed_after_a_crash_while_locked(tmp_path):
    path = tmp_path / "review.gpkg"
    ids = _make_session(path, 4)
    holder = _lock_holder(path)
    try:
        child = Child(str(path), "ann", timeout=0.2)
        assert child.send("confirm 0")["pending"] == 1
        reply = child.send("reject 1")
        assert reply["pending"] == 2 and "locked" in reply["error"]
        os.kill(child.proc.pid, signal.SIGKILL)  # QGIS dies with the decisions only in the journal
        child.proc.wait(timeout=10)
    finally:
        _release(holder)
    with Session(str(path), reviewer="ann", create=False) as s:  # reopening replays the journal once
        assert s.pending_count == 0
        assert s.photo(ids[0])["status"] == "confirmed" and s.photo(ids[1])["status"] == "rejected"
    with Session(str(path), reviewer="ann", create=False):
        pass
    assert [a for _, a, _ in _decisions(path)] == ["confirm", "reject"]


def test_read_only_session_keeps_decisions_and_writes_them_later(tmp_path, request):
    as_user = None
    env = _env()
    if os.geteuid() == 0:  # root ignores file modes: review as `nobody` instead
        as_user = 65534
        tmp_path = Path(tempfile.mkdtemp(prefix="astroloc-ro-"))  # pytest's tmp is root-only
        request.addfinalizer(lambda: shutil.rmtree(tmp_path, ignore_errors=True))
    folder = tmp_path / "shared"
    home = tmp_path / "home"
    folder.mkdir()
    home.mkdir()
    env["HOME"] = str(home)
    path = folder / "review.gpkg"
    ids = _make_session(path, 5)
    if as_user is not None:
        for p in (tmp_path, folder, home, *folder.iterdir()):
            os.chown(p, as_user, as_user)
    os.chmod(path, 0o444)
    child = Child(str(path), "ann", timeout=0.2, as_user=as_user, env=env)
    try:
        r1 = child.send("confirm 0")
        r2 = child.send("reject 3")
        assert r2["pending"] == 2 and "read-only" in r2["error"] and "nothing is lost" in r2["error"]
        assert r2["counts"]["confirmed"] == 1 and r2["counts"]["rejected"] == 1
        assert r1["ok"] and _decisions(path) == []
        os.chmod(path, 0o644)  # the analyst fixes the permissions; the next retry writes everything
        r3 = child.send("retry")
        assert r3["pending"] == 0 and r3["ok"], (r3["error"], r2["error"])
    finally:
        child.close()
    assert [(pid, a) for pid, a, _ in _decisions(path)] == [(ids[0], "confirm"), (ids[3], "reject")]
    assert not (folder / "review.gpkg.journal.jsonl").exists()


def test_two_processes_on_one_session_no_corruption(tmp_path):
    path = tmp_path / "review.gpkg"
    ids = _make_session(path, 10)
    a, b = Child(str(path), "ann"), Child(str(path), "bob")
    try:
        for i in range(5):  # interleaved writes from two QGIS processes
            ra = a.send(f"confirm {i}")
            rb = b.send(f"reject {i + 5}")
            assert ra["ok"] and rb["ok"] and ra["pending"] == 0 and rb["pending"] == 0
        # each sees the other's decisions after a sync (next command syncs first)
        assert a.send("choose 9 2")["counts"] == {
            "pending": 0,
            "confirmed": 6,
            "rejected": 4,
            "edited": 0,
            "total": 10,
        }
        # bob may not undo his reject of photo 9: ann has chosen a candidate there since
        refused = b.send("undo")
        assert not refused["ok"] and "changed since" in refused["error"]
        assert b.send("undo")["ok"] is False  # still refused: nothing silently skipped
    finally:
        a.close()
        b.close()
    assert _integrity(path) == "ok"
    rows = _decisions(path)
    assert len(rows) == 11
    assert {r for _, _, r in rows} == {"ann", "bob"}
    with Session(str(path), reviewer="x", create=False) as s:
        statuses = [s.photo(pid)["status"] for pid in ids]
        assert s.footprint(ids[9])["method"] == "candidate 2"
    assert statuses == ["confirmed"] * 5 + ["rejected"] * 4 + ["confirmed"]


@pytest.mark.parametrize("n", [40])
def test_many_quick_decisions_are_fast(tmp_path, n):
    path = tmp_path / "review.gpkg"
    with Session(str(path), reviewer="ann") as s:
        ids = [s.add_result(fc) for fc in batch(10)]
        t0 = time.perf_counter()
        for k in range(n):
            (s.confirm if k % 2 else s.reject)(ids[k % 10])
        per_decision = (time.perf_counter() - t0) / n
    assert per_decision < 0.25  # each one fsync'ed; far below the pace of a human


def test_qgis_layers_open_while_another_process_writes(tmp_path, qgis_app):
    """This process shows the session's layers through QGIS's OGR provider (as the map does) while
    another QGIS process reviews: the layers see the decisions after a reload, the file stays sound."""
    from qgis.core import QgsVectorLayer

    path = tmp_path / "review.gpkg"
    ids = _make_session(path, 6)
    footprints = QgsVectorLayer(f"{path}|layername=footprints", "fp", "ogr")
    cameras = QgsVectorLayer(f"{path}|layername=cameras", "cam", "ogr")
    assert {f["status"] for f in footprints.getFeatures()} == {"pending"}
    child = Child(str(path), "ann")
    try:
        for i in range(3):
            assert child.send(f"confirm {i}")["pending"] == 0
            footprints.dataProvider().reloadData()
            statuses = {f["photo_id"]: f["status"] for f in footprints.getFeatures()}
            assert statuses[ids[i]] == "confirmed"
        cameras.dataProvider().reloadData()
        assert sorted(f["status"] for f in cameras.getFeatures()) == ["confirmed"] * 3 + ["pending"] * 3
    finally:
        child.close()
    del footprints, cameras
    assert _integrity(path) == "ok"
