"""CPU seconds per stage of a warm `locate` on rendered ISS photos (`make time-locate`).

The views and the index are bench_locate's orbital ones (`--orbital 12 --seed 414`, rendered
once into `--work`); the first view is located once to warm the process (models, reference
pyramids), then every view is located and each stage's CPU time is read off locate's progress
steps (`verify`, `refine`, `screen`, `polish`, `pose`; `retrieve` is everything before the first
verification). CPU time, not wall: the machine is shared, and the floor is per photo.

    .venv-engine/bin/python -m tools.time_locate [--only 1 2 3 5 9] [--profile OUT.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from pathlib import Path

from astroloc_qgis.engine import api
from tools.bench_locate import ROOT, build_orbital_index, make_orbital_views

STAGES = ("retrieve", "verify", "refine", "screen", "polish", "pose")
# progress stages -> the row's stage (search's own steps are retrieval; stage 3 reports `refine`)
OF_STEP = {"photo": "retrieve", "embed": "retrieve", "retrieve": "retrieve"}


class StageClock:
    """A locate progress callback that charges the CPU time between steps to the stage running."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.stage = "retrieve"
        self.t = time.process_time()

    def __call__(self, stage: str, fraction: float, message: str = "") -> None:
        self._charge()
        self.stage = OF_STEP.get(stage, stage)

    def _charge(self) -> None:
        now = time.process_time()
        self.cpu[self.stage] = self.cpu.get(self.stage, 0.0) + now - self.t
        self.t = now

    def done(self) -> dict[str, float]:
        self._charge()
        return self.cpu


def time_view(path: str, index_dir: Path, profile: cProfile.Profile | None = None) -> dict:
    clock = StageClock()
    t0, c0 = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    fc = api.locate(path, index_dir, progress=clock)
    if profile:
        profile.disable()
    cpu = clock.done()
    return {
        "status": fc["status"],
        "stage": (fc.get("cascade") or {}).get("stage"),
        "cpu": {k: round(v, 3) for k, v in cpu.items()},
        "cpu_total": round(time.process_time() - c0, 3),
        "wall": round(time.perf_counter() - t0, 3),
    }


def table(rows: list[dict]) -> str:
    cols = [s for s in STAGES if any(s in r["cpu"] for r in rows)]
    out = [
        "| view | answered by | " + " | ".join(cols) + " | CPU total | wall |",
        "|---" * (len(cols) + 4) + "|",
    ]
    for r in rows:
        cells = [f"{r['cpu'].get(s, 0.0):.2f}" for s in cols]
        stage = f"stage {r['stage']}" if r["stage"] else r["status"]
        out.append(
            f"| {r['view']} | {stage} | " + " | ".join(cells) + f" | {r['cpu_total']:.2f} | {r['wall']:.2f} |"
        )
    n = len(rows)
    mean = [f"{sum(r['cpu'].get(s, 0.0) for r in rows) / n:.2f}" for s in cols]
    total = sum(r["cpu_total"] for r in rows) / n
    wall = sum(r["wall"] for r in rows) / n
    out.append("| mean | | " + " | ".join(mean) + f" | {total:.2f} | {wall:.2f} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=str(ROOT / "out" / "bench_locate"))
    ap.add_argument("--orbital", type=int, default=12, help="bench_locate's orbital view set (N views)")
    ap.add_argument("--seed", type=int, default=414)
    ap.add_argument("--only", type=int, nargs="*", default=[1, 2, 3, 5, 9], help="1-based view numbers")
    ap.add_argument("--profile", help="write a cProfile of the timed locates to this file")
    ap.add_argument("--json", help="write the rows to this file")
    args = ap.parse_args(argv)
    work = Path(args.work)
    index_dir = build_orbital_index(work)
    views = make_orbital_views(
        args.orbital, args.seed, work / f"orbital_views_seed{args.seed}_{args.orbital}"
    )
    chosen = [(i, views[i - 1]) for i in args.only if 1 <= i <= len(views)]
    if not chosen:
        print(f"error: no view among --only {args.only} (1-{len(views)})", file=sys.stderr)
        return 2
    api.locate(chosen[0][1]["path"], index_dir)  # warm: models, index, reference pyramids
    profile = cProfile.Profile() if args.profile else None
    rows = []
    for i, v in chosen:
        rows.append({"view": i, **time_view(v["path"], index_dir, profile)})
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    if profile:
        profile.dump_stats(args.profile)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
