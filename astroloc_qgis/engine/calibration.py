"""The footprint confidence recalibrated on the analyst's own decisions (docs/adapt.md "Confidence").

The engine's confidence (footprint.py, a logistic fitted on the benchmarks) is remapped by
p' = logistic(a * logit(p) + b), (a, b) fitted on a review session's decisions: a footprint the
analyst confirmed as it was is 1, a rejected one 0 (edited footprints and chosen candidates are
neither: the engine's footprint was partly right, or not the answer at all, and not its
confidence's question). Two parameters, shrunk towards the identity (a = 1, b = 0) with a prior
worth PRIOR_DECISIONS decisions, so a small session moves it little. Fitted only with at least
MIN_DECISIONS decisions and MIN_PER_CLASS of each kind. Stored beside the index's manifest
(CALIBRATION_FILE); `locate` applies it to every confidence it reports and keeps the engine's own
as `confidence_raw`. Whether a footprint is accepted (locate.ACCEPT) stays on the raw confidence:
the decisions only ever see accepted footprints, so the fit says nothing below the threshold.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import protocol
from .errors import InputError

CALIBRATION_FILE = "calibration.json"
MIN_DECISIONS = protocol.CALIBRATION_MIN_DECISIONS
MIN_PER_CLASS = protocol.CALIBRATION_MIN_PER_CLASS
PRIOR_DECISIONS = 10.0  # the identity's weight in the fit (L2 on (a - 1, b))
EPS = 1e-4
_SQL = """SELECT status, chosen_rank, confidence FROM photos
    WHERE confidence IS NOT NULL AND status IN ('confirmed', 'rejected')"""


@dataclass
class Calibration:
    a: float
    b: float
    decisions: int
    confirmed: int
    rejected: int
    session: str = ""
    date: str = ""

    def apply(self, p: float) -> float:
        p = min(max(float(p), EPS), 1 - EPS)
        z = self.a * math.log(p / (1 - p)) + self.b
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def decisions(session: str | os.PathLike) -> tuple[np.ndarray, np.ndarray]:
    """(the engine's confidence, the analyst's verdict 1/0) of a review session's decided footprints."""
    path = Path(session)
    if not path.is_file():
        raise InputError(f"{path}: review session not found", "give the session GeoPackage of the Review tab")
    try:
        conn = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True, timeout=5.0)
        try:
            rows = conn.execute(_SQL).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise InputError(f"{path}: not a review session ({exc})", "give the session GeoPackage") from exc
    conf, label = [], []
    for status, chosen, confidence in rows:
        if status == "confirmed" and chosen:
            continue  # a candidate taken as the answer: the footprint was not the answer
        conf.append(float(confidence))
        label.append(1.0 if status == "confirmed" else 0.0)
    return np.array(conf, np.float64), np.array(label, np.float64)


def fit(confidence: np.ndarray, label: np.ndarray, prior: float = PRIOR_DECISIONS) -> tuple[float, float]:
    """(a, b) of logistic(a * logit(p) + b) by penalised maximum likelihood (Newton)."""
    p = np.clip(confidence, EPS, 1 - EPS)
    x = np.stack([np.log(p / (1 - p)), np.ones_like(p)], axis=1)
    w = np.array([1.0, 0.0])
    target = np.array([1.0, 0.0])
    for _ in range(50):
        q = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50, 50)))
        grad = x.T @ (q - label) + prior * (w - target)
        hess = (x * (q * (1 - q))[:, None]).T @ x + prior * np.eye(2)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), float(w[1])


def calibrate(index_dir: str | os.PathLike, session: str | os.PathLike, date: str = "") -> Calibration:
    """Fit on the session's decisions and store it with the index; refuses (InputError, the index
    untouched) with fewer than MIN_DECISIONS decisions or MIN_PER_CLASS of a kind."""
    conf, label = decisions(session)
    n, good = len(label), int(label.sum())
    bad = n - good
    if n < MIN_DECISIONS or min(good, bad) < MIN_PER_CLASS:
        raise InputError(
            f"{session}: {n} decided footprints ({good} confirmed, {bad} rejected); recalibrating the "
            f"confidence needs at least {MIN_DECISIONS}, with {MIN_PER_CLASS} of each",
            "review more photos (confirm the right footprints, reject the wrong ones)",
            code=protocol.CALIBRATION_REFUSED,
            details={"decisions": n, "confirmed": good, "rejected": bad},
        )
    a, b = fit(conf, label)
    cal = Calibration(round(a, 6), round(b, 6), n, good, bad, str(session), date)
    write(index_dir, cal)
    return cal


def write(index_dir: str | os.PathLike, cal: Calibration) -> None:
    path = Path(index_dir) / CALIBRATION_FILE
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(asdict(cal), indent=1))
    os.replace(tmp, path)


def read(index_dir: str | os.PathLike) -> Calibration | None:
    path = Path(index_dir) / CALIBRATION_FILE
    if not path.is_file():
        return None
    try:
        return Calibration(**json.loads(path.read_text()))
    except (ValueError, TypeError) as exc:
        raise InputError(f"{path}: damaged confidence calibration ({exc})", "delete it to go back") from exc


def apply_to_result(result: dict[str, Any], cal: Calibration | None) -> dict[str, Any]:
    """Every footprint and candidate confidence of a locate result through `cal` (in place); the
    engine's own stays as `confidence_raw`, and the footprint says on how many decisions."""
    if cal is None:
        return result
    for feature in result.get("features") or []:
        props = feature.get("properties") or {}
        if (
            props.get("kind") in (protocol.FOOTPRINT, protocol.CANDIDATE)
            and props.get("confidence") is not None
        ):
            props["confidence_raw"] = props["confidence"]
            props["confidence"] = round(cal.apply(props["confidence"]), 4)
            if props["kind"] == protocol.FOOTPRINT:
                props["calibrated_on"] = cal.decisions
    result["calibration"] = {"decisions": cal.decisions, "a": cal.a, "b": cal.b, "date": cal.date}
    return result
