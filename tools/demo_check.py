"""Compare a locate result with the sample photo's ground truth and print the footprint IoU.

python -m tools.demo_check RESULT.geojson TRUTH.json
"""

from __future__ import annotations

import json
import sys

from shapely.geometry import Polygon, shape

from astroloc_qgis.engine.crs import local_metric_crs, transform_geometry


def main(result_path: str, truth_path: str) -> int:
    result = json.load(open(result_path))
    truth = Polygon(json.load(open(truth_path))["footprint_lonlat"])
    for feature in result["features"]:
        props = feature["properties"]
        if props["kind"] in ("candidate", "footprint", "camera") and props.get("rank", 1) <= 5:
            shown = {
                k: props[k]
                for k in (
                    "rank",
                    "score",
                    "confidence",
                    "inliers",
                    "altitude_m",
                    "tilt_deg",
                    "azimuth_deg",
                    "lat",
                    "lon",
                )
                if props.get(k) is not None
            }
            print(f"  {props['kind']:<10} {shown}")
    footprints = [f for f in result["features"] if f["properties"]["kind"] == "footprint"]
    if result.get("status") != "ok" or not footprints:
        print(f"demo check: no footprint found (status {result.get('status')})")
        return 1
    found = shape(footprints[0]["geometry"])
    metric = local_metric_crs(truth.centroid.x, truth.centroid.y)
    a, b = (transform_geometry(p, "EPSG:4326", metric) for p in (found, truth))
    iou = a.intersection(b).area / a.union(b).area
    print(
        f"demo check: footprint IoU with the ground truth {iou:.3f} "
        f"(confidence {footprints[0]['properties'].get('confidence')})"
    )
    return 0 if iou > 0.5 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
