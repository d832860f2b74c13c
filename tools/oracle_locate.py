"""How far would a perfect coarse stage go? (diagnostic for docs/LOCATE.md)

For the benchmark views whose correct tile was in the retrieval top 10 (the floor's population,
read from a saved `make bench-locate` run), the pipeline's refinement, edge-layout check,
confidence and polish are started from a footprint taken from the ground truth instead of the
coarse match: the true homography, its similarity part (rotation, ground scale, position: what a
perfect coarse search would give), and that similarity turned by 22 degrees or scaled by 1.4
(half a rotation step, a typical scale-guess error). A view is placed when the refined footprint
is accepted (confidence >= locate.ACCEPT) and has IoU > 0.5 with the truth.

    .venv-engine/bin/python -m tools.oracle_locate [--seed 7 1 11] [--work out/bench_locate]
    .venv-engine/bin/python -m tools.oracle_locate --orbital 30 --seed 413   # rendered ISS photos, every view

The last column is the RootSIFT support (screen.ContextScreen.frame_support) of the true footprint:
how many matches a second matcher finds where XFeat's are few. Orbital views are numbered from 0, as
in docs/bench_rerank.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import cv2
import numpy as np
from shapely.geometry import Polygon

from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine.locate import ACCEPT, count_support, screen_of
from astroloc_qgis.engine.matchers import get_matcher
from astroloc_qgis.engine.photo import load_photo
from astroloc_qgis.engine.reference import open_reference
from tests.helpers.perturb import perturbed
from tools.bench_locate import make_orbital_views, make_views

ROOT = Path(__file__).resolve().parents[1]


def iou(a: np.ndarray, b: np.ndarray) -> float:
    pa, pb = Polygon(a), Polygon(b)
    if not pa.is_valid or not pb.is_valid:
        return 0.0
    return float(pa.intersection(pb).area / pa.union(pb).area)


def from_start(
    pf: fp.PhotoFeatures, ref, H0: np.ndarray, truth: np.ndarray, trusted: bool = False
) -> tuple[float, float, int]:
    """(confidence, IoU after refine (+ polish when accepted), inliers) started from H0; the
    refinement re-cuts through H0's similarity part unless the start is `trusted` (as it does
    for a coarse match with fewer than footprint.GOOD_START inliers)."""
    start = fp.Match(H0, inliers=fp.GOOD_START if trusted else 0, last_shift=1.0)
    m = fp.refine(pf, ref, start, pf.matcher)
    if not m.ok:
        return 0.0, 0.0, m.inliers
    count_support(pf, ref, m)
    conf = fp.confidence(m)
    if conf >= ACCEPT:
        m = fp.polish(pf, ref, m)
    return conf, iou(fp.apply_h(m.H, fp.photo_corners(*pf.size)), truth), m.inliers


STARTS = ("homography", "similarity", "rot 22", "scale 1.4")


def oracle(v: dict, matcher) -> tuple[dict[str, tuple[float, float, int]], int]:
    """Each start's (confidence, IoU, inliers), and the RootSIFT support of the true footprint."""
    ref = open_reference(v["indexed"])
    truth = ref.lonlat_to_pixel(np.array(v["corners"]))
    photo = load_photo(v["path"], max_side=1024)
    pf = fp.prepare_photo(cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2GRAY), matcher)
    w, h = photo.size
    Ht = cv2.getPerspectiveTransform(np.float32(fp.photo_corners(w, h)), np.float32(truth)).astype(float)
    S = fp._similarity(Ht, w, h)
    starts = {
        "homography": Ht,
        "similarity": S,
        "rot 22": perturbed(S, w, h, rot=22),
        "scale 1.4": perturbed(S, w, h, scale=1.4),
    }
    support = screen_of(pf).frame_support(ref, Ht)
    return {k: from_start(pf, ref, H0, truth, trusted=k == "homography") for k, H0 in starts.items()}, support


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, nargs="+", default=[7])
    ap.add_argument("--work", default=str(ROOT / "out" / "bench_locate"))
    ap.add_argument(
        "--orbital", type=int, default=0, help="N rendered ISS photos (as bench_locate --orbital N)"
    )
    args = ap.parse_args(argv)
    matcher = get_matcher("xfeat")
    total = {k: 0 for k in STARTS}
    pipeline = n = 0
    print(
        "| seed | view | query | tilt | rank | pipeline IoU | "
        + " | ".join(f"{k}: conf / IoU / inl" for k in STARTS)
        + " | RootSIFT support at the truth |"
    )
    print("|---|---|---|---|---|---|" + "---|" * (len(STARTS) + 1))
    for seed in args.seed:
        work = Path(args.work)
        with tempfile.TemporaryDirectory() as tmp:
            if args.orbital:
                views = make_orbital_views(
                    args.orbital, seed, work / f"orbital_views_seed{seed}_{args.orbital}"
                )
                saved = work / f"rows_cascade_orbital{args.orbital}_seed{seed}.json"
                rows = json.loads(saved.read_text())["rows"] if saved.is_file() else [{}] * len(views)
            else:
                views = make_views(3, seed, Path(tmp))
                rows = json.loads((work / f"rows_seed{seed}.json").read_text())["rows"]
            for i, (v, r) in enumerate(zip(views, rows, strict=True), start=1):
                if not args.orbital and (not r["rank"] or r["rank"] > 10):
                    continue
                res, support = oracle(v, matcher)
                n += 1
                pipeline += (r.get("iou") or 0) > 0.5
                for k, (c, u, _) in res.items():
                    total[k] += c >= ACCEPT and u > 0.5
                cells = " | ".join(f"{c:.2f} / {u:.2f} / {inl}" for c, u, inl in res.values())
                print(
                    f"| {seed} | {f'{i - 1:03d}' if args.orbital else i} | {Path(v['query']).stem} | "
                    f"{v['tilt']:.0f} | {r.get('rank')} | {r.get('iou') or 0:.2f} | {cells} | {support} |",
                    flush=True,
                )
    print(
        f"\nplaced (accepted, IoU > 0.5) of {n} views: pipeline {pipeline}; "
        + "; ".join(f"from the true {k} {total[k]}" for k in STARTS)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
