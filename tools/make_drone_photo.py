"""A drone photo over the bundled sample imagery for `make screenshot-kinds`: a low nadir view
rendered from resources/sample/naip_nd_2009.tif (tests/helpers/camera_views.py) with a DJI EXIF
whose GPS fix is GPS_ERROR_M off the true camera, so the map shows the fix beside the estimate.

    .venv-engine/bin/python -m tools.make_drone_photo OUT.JPG
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from astroloc_qgis.engine.reference import Reference
from tests.helpers.camera_views import load_rgb, render
from tests.helpers.drone_exif import dji_xmp, save_drone_jpeg

ROOT = Path(__file__).resolve().parents[1]
NAIP = ROOT / "resources" / "sample" / "naip_nd_2009.tif"
HEIGHT_M = 900.0
GPS_ERROR_M, GPS_BEARING_DEG = 70.0, 45.0  # the fix 70 m north-east of the camera


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else ROOT / "out" / "screenshot_kinds" / "DJI_0001.JPG")
    out.parent.mkdir(parents=True, exist_ok=True)
    ref = Reference(str(NAIP))
    lon, lat = ref.pixel_to_lonlat(np.array([[450.0, 340.0]]))[0]
    focal = 800 / 2 / math.tan(math.radians(30))
    view = render(ref, load_rgb(str(NAIP)), lon, lat, HEIGHT_M, 0.0, 0.0, 25.0, focal, 800, 600)
    b = math.radians(GPS_BEARING_DEG)
    gps_lat = lat + GPS_ERROR_M * math.cos(b) / 111_200
    gps_lon = lon + GPS_ERROR_M * math.sin(b) / (111_200 * math.cos(math.radians(lat)))
    xmp = dji_xmp(
        gps_lat,
        gps_lon,
        RelativeAltitude=f"+{HEIGHT_M:.1f}",
        GimbalPitchDegree="-90.0",
        GimbalYawDegree="25.0",
    )
    save_drone_jpeg(out, view.image, xmp=xmp)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
