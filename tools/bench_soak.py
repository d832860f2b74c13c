"""`make bench-soak`: 300 photos through the plugin's batch queue and the real worker, in a headless
QGIS (tests/helpers/batch_drive.py); RSS of both processes sampled every 10 photos; the session checked for
lost and duplicated results. Writes docs/bench_soak.md.

Cheap but real: 192 x 144 px crops of the sample imagery (each its own SHA-256) against the sample
index (41 tiles), each a full `locate` request with the cascade cut to its cheapest real path
(`top=1`, `max_units=1`: embed, retrieve, verify and refine one candidate).

    .venv-qgis/bin/python -m tools.bench_soak [--photos 300] [--out docs/bench_soak.md]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.helpers.batch_photos import make_photos
from tests.helpers.qgis_sample import ENGINE_PYTHON, REPO, build_index

CHEAP = ["--option", "top=1", "--option", "max_units=1"]


def run_batch(session: Path, index: Path, photos: Path, home: Path) -> tuple[list[dict], float]:
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    start = time.monotonic()
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.helpers.batch_drive",
            str(session),
            str(index),
            str(ENGINE_PYTHON),
            "--rss",
            *CHEAP,
            str(photos),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=3600,
    )
    events = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    if child.returncode != 0 or not events or "end" not in events[-1]:
        raise SystemExit(f"error: the batch did not end (exit {child.returncode}): {child.stderr[-500:]}")
    return events, time.monotonic() - start


def session_check(session: Path, photos: list[Path]) -> dict:
    from astroloc_qgis.session.store import Session

    expected = {hashlib.sha256(p.read_bytes()).hexdigest() for p in photos}
    with Session(str(session), create=False) as opened:
        ids = set(opened.photo_ids())
        results = Counter(e["photo_id"] for e in opened.decisions() if e["action"] == "result")
        located = sum(p["result_status"] == "ok" for p in opened.photos())
    return {
        "lost": len(expected - ids),
        "unexpected": len(ids - expected),
        "duplicated": sum(n > 1 for n in results.values()),
        "located": located,
    }


def table(events: list[dict], seconds: float, check: dict, count: int) -> str:
    samples = [e for e in events if e.get("rss")]
    first, last = samples[0], samples[-1]
    end = events[-1]["end"]
    lines = [
        "# Batch soak (`make bench-soak`)",
        "",
        f"{count} photos through the batch queue of a headless QGIS (tests/helpers/batch_drive.py) and the "
        "real engine worker: 192 x 144 px crops of the sample imagery against the sample index, each a full "
        "`locate` with the cascade at its cheapest real path (`top=1`, `max_units=1`). RSS (VmRSS) of the "
        "QGIS process and of the worker, sampled every 10 photos. The baseline is the first sample (10 "
        "photos: model loaded, caches warm); growth is measured from it.",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
        f"{os.getloadavg()[0]:.1f} on 2 cores (shared machine), `nice`.",
        "",
        "| photos done | QGIS RSS MB | worker RSS MB |",
        "|---:|---:|---:|",
    ]
    for s in samples:
        if s["done"] in (10, 50, 100, 150, 200, 250, 300) or s is last:
            lines.append(f"| {s['done']} | {s['qgis_kb'] / 1024:.0f} | {(s['worker_kb'] or 0) / 1024:.0f} |")
    tail = next((s for s in samples if s["done"] >= last["done"] - 100), first)
    tail_w = ((last["worker_kb"] or 0) - (tail["worker_kb"] or 0)) / 1024
    tail_q = (last["qgis_kb"] - tail["qgis_kb"]) / 1024
    grow_q = (last["qgis_kb"] - first["qgis_kb"]) / 1024
    grow_w = ((last["worker_kb"] or 0) - (first["worker_kb"] or 0)) / 1024
    lines += [
        "",
        "| figure | value | baseline |",
        "|---|---:|---:|",
        f"| QGIS RSS growth, photo {first['done']} to {last['done']} | {grow_q:+.0f} MB | 0 (photo "
        f"{first['done']}) |",
        f"| worker RSS growth, photo {first['done']} to {last['done']} | {grow_w:+.0f} MB | 0 (photo "
        f"{first['done']}) |",
        f"| RSS growth over the last photos {tail['done']} to {last['done']}, QGIS / worker | "
        f"{tail_q:+.0f} / {tail_w:+.0f} MB | 0 / 0 |",
        f"| photos done / failed / cancelled | {end['done']} / {end['failed']} / {end['cancelled']} | "
        f"{count} / 0 / 0 |",
        f"| results lost / duplicated / unexpected | {check['lost']} / {check['duplicated']} / "
        f"{check['unexpected']}"
        " | 0 / 0 / 0 |",
        f"| located (footprint accepted) | {check['located']} | - |",
        f"| wall time, QGIS start to end | {seconds:.0f} s ({seconds / count:.2f} s per photo) | - |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--out", default=str(REPO / "docs" / "bench_soak.md"))
    parser.add_argument("--work", default=str(REPO / "out" / "bench_soak"))
    args = parser.parse_args()
    work = Path(args.work)
    index = build_index(work)
    photos = make_photos(work / f"photos_{args.photos}", args.photos)
    with tempfile.TemporaryDirectory(prefix="astroloc-soak-") as tmp:
        session = Path(tmp) / "soak.gpkg"
        (Path(tmp) / "home").mkdir()
        events, seconds = run_batch(session, index, work / f"photos_{args.photos}", Path(tmp) / "home")
        check = session_check(session, photos)
    Path(args.work, "events.json").write_text(json.dumps(events))
    text = table(events, seconds, check, args.photos)
    Path(args.out).write_text(text)
    print(text)
    return 0 if check["lost"] == check["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
