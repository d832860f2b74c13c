"""Where does the coarse match lose a photo? (diagnostic for docs/LOCATE.md)

For benchmark views (tools/bench_locate.py's views, same seed) or the bundled demo photo, the
reference is rendered *into the photo's frame* through priors derived from the ground truth, and
matched with XFeat + LighterGlue (as `footprint.refine` does). Columns: inliers of a robust
homography, `*` when its corners are within 30% of the footprint's size of the truth.

- `homography`, `affine`, `similarity`: the true map and its affine / similarity parts (15% margin);
- `rot+-22`, `scale x1.4`, `scale x0.7`: the similarity perturbed by half a 45-degree rotation step
  or by a ground-scale error;
- `margin 0.5`: the true similarity with the reference rendered 50% of the photo beyond each edge
  (the area a coarse window must cover when the photo's position within a tile is unknown);
- `offset 0.3`: the same, centred 0.3 footprint sizes off.

    .venv-engine/bin/python -m tools.diag_coarse [--seed 1] [--views 1] [--only 3 5] [--demo]
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

import cv2
import numpy as np
from shapely.geometry import Polygon

from astroloc_qgis.engine import footprint as fp
from astroloc_qgis.engine.matchers import get_matcher
from astroloc_qgis.engine.photo import load_photo
from astroloc_qgis.engine.reference import open_reference
from tests.helpers.perturb import perturbed

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample"
SIZE = fp.VERIFY_SIZE  # matching size of the photo


def trial(pf: fp.PhotoFeatures, ref, G: np.ndarray, truth: np.ndarray, margin: float = 0.15) -> str:
    m = pf.matcher
    small, s = pf.image(SIZE)
    w, h = small.shape[1], small.shape[0]
    mx = margin * max(w, h)
    M = G @ fp._scale(s) @ np.array([[1, 0, -mx], [0, 1, -mx], [0, 0, 1]], float)
    img = ref.render(M, (round(w + 2 * mx), round(h + 2 * mx)))
    if img is None:
        return "empty"
    p0, p1 = m.match(pf.features(SIZE, 0)[0], m.detect(img, 2048))
    H, mask, _ = fp._fit(p0, p1)
    if H is None:
        return "0"
    c = fp.apply_h(M @ H @ fp._scale(1 / s), fp.photo_corners(*pf.size))
    ok = np.abs(c - truth).max() / math.sqrt(Polygon(truth).area) < 0.3
    return f"{int(mask.sum())}{'*' if ok else ''}"


def diagnose(photo_path: str, ref_path: str, truth: np.ndarray) -> dict[str, str]:
    ref = open_reference(ref_path)
    photo = load_photo(photo_path, max_side=1024)
    pf = fp.prepare_photo(cv2.cvtColor(photo.rgb, cv2.COLOR_RGB2GRAY), get_matcher("xfeat"))
    w, h = photo.size
    src = fp.photo_corners(w, h)
    Ht = cv2.getPerspectiveTransform(np.float32(src), np.float32(truth)).astype(float)
    A, _ = cv2.estimateAffine2D(src, truth, method=cv2.LMEDS)
    S = fp._similarity(Ht, w, h)
    ext = math.sqrt(Polygon(truth).area)
    return {
        "homography": trial(pf, ref, Ht, truth),
        "affine": trial(pf, ref, np.vstack([A, [0, 0, 1]]), truth),
        "similarity": trial(pf, ref, S, truth),
        "rot+22": trial(pf, ref, perturbed(S, w, h, rot=22), truth),
        "rot-22": trial(pf, ref, perturbed(S, w, h, rot=-22), truth),
        "scale x1.4": trial(pf, ref, perturbed(S, w, h, scale=1.4), truth),
        "scale x0.7": trial(pf, ref, perturbed(S, w, h, scale=0.7), truth),
        "margin 0.5": trial(pf, ref, S, truth, margin=0.5),
        "offset 0.3": trial(pf, ref, perturbed(S, w, h, dx=0.3 * ext), truth, margin=0.5),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--views", type=int, default=1, help="views per query raster and tilt bucket")
    ap.add_argument("--only", type=int, nargs="*", help="1-based view numbers")
    ap.add_argument("--demo", action="store_true", help="the bundled demo photo instead of benchmark views")
    args = ap.parse_args(argv)
    rows = []
    if args.demo:
        t = json.loads((SAMPLE / "photo_naip_2020_oblique.json").read_text())
        rows.append(
            (
                "demo",
                diagnose(
                    str(SAMPLE / "photo_naip_2020_oblique.jpg"),
                    str(SAMPLE / "naip_nd_2009.tif"),
                    np.array(t["footprint_px"], float),
                ),
            )
        )
    else:
        from tools.bench_locate import make_views

        with tempfile.TemporaryDirectory() as tmp:
            views = make_views(args.views, args.seed, Path(tmp))
            for i, v in enumerate(views, start=1):
                if args.only and i not in args.only:
                    continue
                truth = open_reference(v["indexed"]).lonlat_to_pixel(np.array(v["corners"]))
                rows.append((f"view {i} (tilt {v['tilt']:.0f})", diagnose(v["path"], v["indexed"], truth)))
    cols = list(rows[0][1]) if rows else []
    print("| view | " + " | ".join(cols) + " |")
    print("|---|" + "---|" * len(cols))
    for name, r in rows:
        print(f"| {name} | " + " | ".join(r[c] for c in cols) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
