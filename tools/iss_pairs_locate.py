"""`locate` on the two real ISS photos (make check-iss-pairs, part c): placed, and by which stage?

The satellite images of ../shared/data/iss_pairs carry no georeference. Each is given one here,
good to a few percent: the photo's corners, carried onto the satellite image by the photo ->
image homography of iss_pairs_check.match_pair, are fitted (least squares, an affine) to NASA's
footprint corners in a local azimuthal-equidistant frame. NASA's corner order does not say which
photo corner is which and NASA's footprints are parallelograms, so the four non-mirrored orders
fit about equally well; the order is chosen independently, by the correlation of the image
(blurred to 7.4 km) with the global Blue Marble mosaic of ../shared/data/global through each
candidate georeference (0.88 / 0.77 for the chosen orders against <= 0.34 for the others).
The image (upsampled to UPSAMPLED_PX, as part b does, so that one tile of the default grid holds
it) is added to bench_locate's orbital index (542 tiles of other places), and `api.locate` runs on
the photo as a user runs it: no prior, no hint.

What this cannot measure: the camera against NASA's recorded ISS nadir. These satellite images are
not maps but (most likely) crops warped to the retrieval system's footprint: rotated -75 and -97
degrees from north under the chosen order, the Arizona photo's corners on the image's corners,
and the Arizona match's perspective (ground scale 140 m/px at the photo's top, 148 at its bottom)
pointing the near side away from NASA's nadir. A pose on them says nothing about the real camera.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import cv2
import numpy as np
import rasterio
from PIL import Image
from pyproj import CRS, Transformer
from rasterio.transform import Affine
from shapely.geometry import Polygon, shape

from astroloc_qgis.engine import api
from astroloc_qgis.engine.footprint import apply_h, photo_corners

ROOT = Path(__file__).resolve().parents[1]
# NASA's footprint corners (lat, lon; NASA's order, counter-clockwise on the map), iss_pairs/README.md
NASA_CORNERS = {
    "ISS066-E-103558": [(28.081, -112.256), (26.494, -114.225), (25.362, -112.632), (26.950, -110.663)],
    "ISS047-E-99060": [(35.957, -112.398), (35.762, -113.311), (35.187, -113.097), (35.382, -112.184)],
}
BMNG = "global/bmng_world_5400x2700_epsg4326.tif"
BMNG_PX_M = 7400.0  # the mosaic's pixel at the equator
SAMPLE_STEP = 10  # satellite px between samples of the orientation check
CAMERA_KEYS = ("altitude_m", "tilt_deg", "pixel_aspect", "focal_source")
UPSAMPLED_PX = 1000  # as iss_pairs_check.UPSAMPLED_PX: a 4 x 256 px tile then holds the whole image


def local_crs(corners: list[tuple[float, float]]) -> CRS:
    lat0 = float(np.mean([c[0] for c in corners]))
    lon0 = float(np.mean([c[1] for c in corners]))
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat0:.5f} +lon_0={lon0:.5f} +datum=WGS84 +units=m")


def corner_fits(sat_corners: np.ndarray, ground: np.ndarray) -> list[dict]:
    """Affine satellite px -> local metres for each non-mirrored assignment of the photo's
    corners (carried onto the image) to NASA's, with the fit's RMS residual."""
    fits = []
    X = np.c_[sat_corners, np.ones(4)]
    for shift in range(4):
        order = [(shift - i) % 4 for i in range(4)]  # photo corners run clockwise, NASA's counter-
        A = np.linalg.lstsq(X, ground[order], rcond=None)[0].T
        if np.linalg.det(A[:, :2]) >= 0:  # y down in the image, north up on the map: a mirror
            continue
        rms = float(np.sqrt(((X @ A.T - ground[order]) ** 2).sum(axis=1).mean()))
        fits.append({"order": order, "A": A, "rms_m": rms})
    return fits


def bmng_correlation(sat: np.ndarray, A: np.ndarray, to_lonlat: Transformer, bmng: np.ndarray) -> float:
    """Grey-level correlation of the satellite image, blurred to the mosaic's pixel, with the Blue
    Marble mosaic sampled through the georeference A."""
    px_m = float(np.sqrt(abs(np.linalg.det(A[:, :2]))))
    blurred = cv2.GaussianBlur(sat.astype(np.float32).mean(axis=2), (0, 0), BMNG_PX_M / px_m / 2)
    ys, xs = np.mgrid[0 : sat.shape[0] : SAMPLE_STEP, 0 : sat.shape[1] : SAMPLE_STEP]
    xy = np.c_[xs.ravel(), ys.ravel(), np.ones(xs.size)] @ A.T
    lon, lat = to_lonlat.transform(xy[:, 0], xy[:, 1])
    h, w = bmng.shape
    col = ((np.asarray(lon) + 180.0) / 360.0 * w - 0.5).reshape(xs.shape).astype(np.float32)
    row = ((90.0 - np.asarray(lat)) / 180.0 * h - 0.5).reshape(xs.shape).astype(np.float32)
    ref = cv2.remap(bmng, col, row, cv2.INTER_LINEAR)
    return float(np.corrcoef(blurred[ys, xs].ravel(), ref.ravel())[0, 1])


def georeference(frame: str, sat: np.ndarray, H: np.ndarray, photo_size: tuple[int, int], data: Path) -> dict:
    """The satellite image's affine georeference (px centres -> local metres), the Blue Marble's
    choice among the corner orders, and every order's residual and correlation."""
    corners = NASA_CORNERS[frame]
    crs = local_crs(corners)
    to_local = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    to_lonlat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    ground = np.array([to_local.transform(lon, lat) for lat, lon in corners])
    with rasterio.open(data / BMNG) as ds:
        bmng = ds.read().astype(np.float32).mean(axis=0)
    fits = corner_fits(apply_h(H, photo_corners(*photo_size)), ground)
    for f in fits:
        f["bmng_corr"] = bmng_correlation(sat, f["A"], to_lonlat, bmng)
    fits.sort(key=lambda f: -f["bmng_corr"])
    return {"crs": crs, "to_lonlat": to_lonlat, "fits": fits, "A": fits[0]["A"]}


def to_lonlat(geo: dict, sat_px: np.ndarray) -> np.ndarray:
    xy = np.c_[sat_px, np.ones(len(sat_px))] @ geo["A"].T
    lon, lat = geo["to_lonlat"].transform(xy[:, 0], xy[:, 1])
    return np.c_[lon, lat]


def write_geotiff(sat: np.ndarray, geo: dict, path: Path) -> Path:
    """The image upsampled to UPSAMPLED_PX with its georeference (rasterio's transform maps pixel
    corners; A was fitted on pixel centres)."""
    k = sat.shape[1] / UPSAMPLED_PX
    img = cv2.resize(sat, (UPSAMPLED_PX, round(sat.shape[0] / k)), interpolation=cv2.INTER_CUBIC)
    A = geo["A"]
    transform = (
        Affine(A[0, 0], A[0, 1], A[0, 2], A[1, 0], A[1, 1], A[1, 2])
        * Affine.translation(-0.5, -0.5)
        * Affine.scale(k)
    )
    with rasterio.open(
        path, "w", driver="GTiff", width=img.shape[1], height=img.shape[0], count=3, dtype="uint8",
        crs=geo["crs"], transform=transform,
    ) as ds:  # fmt: skip
        ds.write(np.moveaxis(img, -1, 0))
    return path


def locate_photo(
    frame: str, photo: Path, size: tuple[int, int], sat_tif: Path, geo: dict, H: np.ndarray, work: Path
) -> dict:
    """api.locate on the photo with the georeferenced image added to bench_locate's orbital index."""
    from tools import bench_locate as bl

    index_dir = work / f"index-{frame}"
    if not (index_dir / "manifest.json").exists():  # one index for every form of the photo
        shutil.copytree(bl.build_orbital_index(ROOT / "out" / "bench_locate"), index_dir)
        api.add_to_index(str(index_dir), [str(sat_tif)])
    t0 = time.perf_counter()
    fc = api.locate(str(photo), str(index_dir))
    seconds = time.perf_counter() - t0
    kinds = [(f["properties"].get("kind"), f) for f in fc["features"]]
    feats = {k: f for k, f in kinds if k != "candidate"}
    cands = [f["properties"] for k, f in kinds if k == "candidate"]
    own = [c for c in cands if Path(c["source"]).resolve() == sat_tif.resolve()]
    matched = Polygon(to_lonlat(geo, apply_h(H, photo_corners(*size))))
    nasa = Polygon([(lon, lat) for lat, lon in NASA_CORNERS[frame]])
    foot, cam = feats.get("footprint"), feats.get("camera")
    return {
        "frame": frame,
        "status": fc.get("status"),
        "reason": fc.get("reason") or "",
        "stage": (fc.get("cascade") or {}).get("stage"),
        "first_own": bool(cands) and cands[0] in own,
        "own_retrieval_rank": min((c["retrieval_rank"] for c in own), default=None),
        "own_screen_inliers": max((c.get("screen_inliers") or 0 for c in own), default=0),
        "iou_match": _iou(foot, matched),
        "iou_nasa": _iou(foot, nasa),
        "camera": {k: cam["properties"].get(k) for k in CAMERA_KEYS} if cam else None,
        "seconds": seconds,
    }


def as_distributed(photo: Path, work: Path) -> Path:
    """The photo as issue 13's real set is distributed: resized to 1024 x 1024 (aspect not kept),
    no EXIF."""
    out = work / f"{photo.stem}_1024x1024.jpg"
    Image.open(photo).convert("RGB").resize((1024, 1024), Image.LANCZOS).save(out, quality=92)
    return out


def _iou(feature: dict | None, poly: Polygon) -> float | None:
    if not feature:
        return None
    g = shape(feature["geometry"])
    return float(g.intersection(poly).area / g.union(poly).area)


def table(rows: dict[str, dict], geos: dict[str, dict]) -> list[str]:
    lines = [
        "",
        "| photo | status (stage) | first candidate its own image | own image's best retrieval rank | "
        "own best screen inliers | IoU vs the match / vs NASA's corners | camera altitude, tilt | "
        "georeference: corner residual, Blue Marble correlation (next best) | locate s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for frame, r in rows.items():
        fits = geos[r["frame"]]["fits"]
        cam = r["camera"]
        camera = f"{cam['altitude_m'] / 1000:.0f} km, {cam['tilt_deg']:.0f} deg" if cam else "-"
        iou = "-" if r["iou_match"] is None else f"{r['iou_match']:.2f} / {r['iou_nasa']:.2f}"
        lines.append(
            f"| {frame} | {r['status']} ({r['stage'] or '-'}){' ' + r['reason'] if r['reason'] else ''} | "
            f"{'yes' if r['first_own'] else 'no'} | {r['own_retrieval_rank']} | {r['own_screen_inliers']} | "
            f"{iou} | {camera} | {fits[0]['rms_m'] / 1000:.1f} km, {fits[0]['bmng_corr']:.2f} "
            f"({fits[1]['bmng_corr']:.2f}) | {r['seconds']:.0f} |"
        )
    return lines
