"""Benchmark by kind of photo (`make bench-modes`): each mode's rows against the default aerial
path on the same photos; writes docs/bench_modes.md.

A mode is one module with `rows(out_dir, quick) -> str` (its section of the page, markdown);
add a mode with one line in MODES.

    .venv-engine/bin/python -m tools.bench_modes [--modes ground] [--quick] [--no-write]
"""

from __future__ import annotations

import argparse
import importlib
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = {
    "drone": "tools.bench_modes_drone",
    "ground": "tools.bench_modes_ground",
    "historical and satellite": "tools.bench_modes_historical",
}
HEADER = """# Benchmark by kind of photo (`make bench-modes`)

Each mode on photos made for it, against the default aerial path (`locate --kind aerial`) on the
same photos: does the mode help? Written by `tools/bench_modes.py` (one module per mode, the
`MODES` dict); 2 shared CPU cores, timings noisy.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--modes", nargs="*", default=list(MODES), choices=list(MODES))
    ap.add_argument("--quick", action="store_true", help="a few photos per mode (a smoke run)")
    ap.add_argument("--out", default=str(ROOT / "out" / "bench_modes"))
    ap.add_argument(
        "--no-write", action="store_true", help="print the page, do not write docs/bench_modes.md"
    )
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sections = []
    for mode in args.modes:
        t = time.perf_counter()
        section = importlib.import_module(MODES[mode]).rows(out / mode, args.quick)
        sections.append(section + f"\n\n({mode}: {time.perf_counter() - t:.0f} s for the whole section.)\n")
    page = HEADER + "\n" + "\n".join(sections)
    print(page)
    if not args.no_write:
        (ROOT / "docs" / "bench_modes.md").write_text(page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
