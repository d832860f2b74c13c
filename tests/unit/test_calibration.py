"""The footprint confidence recalibrated on the analyst's decisions (engine/calibration.py)."""

from __future__ import annotations

import io
import json
import sqlite3

import numpy as np
import pytest

from astroloc_qgis.engine import calibration, cli, protocol
from astroloc_qgis.engine.errors import InputError
from astroloc_qgis.engine.index.manifest import write_manifest
from astroloc_qgis.engine.worker import Worker


def logit(p):
    return np.log(p / (1 - p))


def truth(p):
    """The analyst's P(confirm) given the engine's confidence: the engine is overconfident."""
    return 1 / (1 + np.exp(-(0.5 * logit(p) - 1.0)))


def write_session(path, rows: list[tuple[str, int | None, float | None]]) -> str:
    """A session's photos table (the columns calibration.py reads; session/gpkg.py SCHEMA names)."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE photos (fid INTEGER PRIMARY KEY, status TEXT, chosen_rank INTEGER, confidence REAL)"
        )
        db.executemany("INSERT INTO photos (status, chosen_rank, confidence) VALUES (?, ?, ?)", rows)
    return str(path)


def sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.5, 0.99, n)
    return p, (rng.uniform(0, 1, n) < truth(p)).astype(float)


def log_loss(q, y) -> float:
    q = np.clip(q, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def test_refit_on_decisions_beats_the_raw_confidence(tmp_path):
    p, y = sample(200, 0)
    rows = [("confirmed" if v else "rejected", None, float(c)) for c, v in zip(p, y, strict=True)]
    rows += [("edited", None, 0.9), ("confirmed", 3, 0.95), ("pending", None, 0.7), ("rejected", None, None)]
    session = write_session(tmp_path / "s.gpkg", rows)
    conf, label = calibration.decisions(session)
    assert len(conf) == 200 and label.sum() == y.sum()  # edited, chosen, pending and no-footprint rows: out
    index = tmp_path / "index"
    index.mkdir()
    write_manifest(index, {"format_version": 1, "kind": "astroloc-index"})
    out = io.StringIO()
    worker = Worker(out)  # the plugin's path: the worker op
    worker.reader(io.StringIO(protocol.request("c", "index_calibrate", index=str(index), session=session)))
    worker.run_requests()
    reply = json.loads(out.getvalue().splitlines()[-1])
    assert reply["type"] == protocol.RESULT, reply
    cal = calibration.read(index)
    assert reply["result"]["decisions"] == 200 and reply["result"]["a"] == cal.a
    assert 0.2 < cal.a < 0.9 and cal.b < -0.3, cal  # towards the truth (0.5, -1.0)
    assert cal.decisions == 200 and cal.confirmed == int(y.sum())
    test_p, test_y = sample(4000, 1)
    after = log_loss(np.array([cal.apply(v) for v in test_p]), test_y)
    assert after < log_loss(test_p, test_y) - 0.05
    # Few decisions move it little (the prior towards the identity).
    few = calibration.fit(p[:20], y[:20])
    assert abs(few[0] - 1) < abs(cal.a - 1) + 0.3 and abs(few[1]) < 1.0


def test_too_few_decisions_refuse_and_write_nothing(tmp_path, capsys):
    index = tmp_path / "index"
    index.mkdir()
    write_manifest(index, {"format_version": 1, "kind": "astroloc-index"})
    need = protocol.CALIBRATION_MIN_DECISIONS
    short = write_session(
        tmp_path / "a.gpkg", [("confirmed", None, 0.8)] * 10 + [("rejected", None, 0.6)] * (need - 11)
    )
    with pytest.raises(InputError, match=f"needs at least {need}") as info:
        calibration.calibrate(index, short)
    assert info.value.code == protocol.CALIBRATION_REFUSED and info.value.details["decisions"] == need - 1
    one_sided = write_session(
        tmp_path / "b.gpkg", [("confirmed", None, 0.8)] * 30 + [("rejected", None, 0.6)] * 4
    )
    with pytest.raises(InputError, match="30 confirmed, 4 rejected"):
        calibration.calibrate(index, one_sided)
    assert cli.main(["index", "calibrate", str(index), "--session", one_sided]) == 2
    assert "with 5 of each" in capsys.readouterr().err
    assert not (index / calibration.CALIBRATION_FILE).exists()
