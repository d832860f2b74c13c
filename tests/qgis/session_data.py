"""Hand-built localization results in the engine's documented format (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import hashlib
from typing import Any


def _square(lon: float, lat: float, half: float) -> dict[str, Any]:
    ring = [
        [lon - half, lat + half],
        [lon + half, lat + half],
        [lon + half, lat - half],
        [lon - half, lat - half],
        [lon - half, lat + half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def make_result(
    name: str,
    lon: float,
    lat: float,
    confidence: float | None = 0.8,
    n_candidates: int = 5,
    footprint: bool = True,
) -> dict[str, Any]:
    sha = hashlib.sha256(name.encode()).hexdigest()
    feats: list[dict[str, Any]] = []
    for rank in range(1, n_candidates + 1):
        feats.append(
            {
                "type": "Feature",
                "geometry": _square(lon + 0.05 * (rank - 1), lat, 0.02),
                "properties": {
                    "kind": "candidate",
                    "rank": rank,
                    "score": 0.9 - 0.1 * rank,
                    "tile_id": f"t{rank}",
                    "source": "naip.tif",
                    "scale": 1,
                    "window": [0, 0, 512, 512],
                    "rotation": 0.0,
                    "verified_inliers": 100 // rank,
                    "confidence": 0.9 / rank,
                },
            }
        )
    if footprint:
        fp = _square(lon, lat, 0.021)
        feats.append(
            {
                "type": "Feature",
                "geometry": fp,
                "properties": {
                    "kind": "footprint",
                    "confidence": confidence,
                    "inliers": 321,
                    "reprojection_px": 1.2,
                    "method": "xfeat+lighterglue homography",
                    "corners": fp["coordinates"][0][:4],
                    "candidate_rank": 1,
                    "area_km2": None,
                },
            }
        )
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon - 0.01, lat - 0.01]},
                "properties": {
                    "kind": "camera",
                    "altitude_m": 408000.0,
                    "lat": lat - 0.01,
                    "lon": lon - 0.01,
                    "tilt_deg": 12.5,
                    "azimuth_deg": 45.0,
                    "roll_deg": 1.0,
                    "hfov_deg": 10.0,
                    "vfov_deg": 7.0,
                    "focal_px": 5000.0,
                    "focal_source": "exif",
                },
            }
        )
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[lon - 0.01, lat - 0.01], [lon, lat]]},
                "properties": {"kind": "look"},
            }
        )
    return {
        "type": "FeatureCollection",
        "status": "ok" if footprint else "not_found",
        "photo": {
            "path": f"/photos/{name}",
            "name": name,
            "sha256": sha,
            "width": 4000,
            "height": 3000,
            "exif": {"datetime": "2024-05-06T07:08:09"},
        },
        "index": {"path": "/idx", "model": "xfeat-global-v1"},
        "timing": {"total": 1.0},
        "features": feats,
    }


def batch(n: int = 6) -> list[dict[str, Any]]:
    confs = [0.5, 0.9, 0.2, 0.7, 0.95, 0.35, 0.6, 0.1, 0.8, 0.4]
    return [
        make_result(f"photo_{i:02d}.jpg", -100.0 + 0.2 * i, 47.0 + 0.1 * i, confs[i % len(confs)])
        for i in range(n)
    ]
