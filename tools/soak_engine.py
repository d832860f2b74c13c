"""`make bench-soak-engine`: the engine alone, the soak's requests in one process (no worker, no QGIS):
RSS every 10 photos, to tell whether the worker's growth is the engine's and whether it levels off.

    .venv-engine/bin/python -m tools.soak_engine INDEX PHOTO_FOLDER [--photos 150]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from astroloc_qgis.engine import api


def rss_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("index")
    parser.add_argument("photos")
    parser.add_argument("--photos", dest="count", type=int, default=150)
    args = parser.parse_args()
    photos = sorted(Path(args.photos).glob("*.jpg"))
    if not photos:
        print(f"error: no JPEG photos in {args.photos}", file=sys.stderr)
        return 2
    print("| photos done | engine RSS MB |\n|---:|---:|")
    for i in range(args.count):
        api.locate(str(photos[i % len(photos)]), args.index, top=1, max_units=1)  # the soak's cheap path
        if i % 10 == 9:
            print(f"| {i + 1} | {rss_mb()} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
