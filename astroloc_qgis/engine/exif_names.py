"""The EXIF vocabulary of both processes. Stdlib only: imported by the plugin too.

A photo's EXIF summary names its fields as below, whichever reader made it: the plugin's
(`astroloc_qgis/exif.py`, stdlib) or the engine's (`engine/photo.py`, Pillow); `engine/pose.py`
reads these names. The capture time is ISO 8601 (`iso_datetime`) in every summary.
"""

from __future__ import annotations

# EXIF tag -> summary name, by the IFD the tag lives in.
IFD0_NAMES = {0x010F: "camera_make", 0x0110: "camera_model", 0x0112: "orientation", 0x0132: "datetime"}
EXIF_NAMES = {
    0x9003: "datetime_original",
    0x920A: "focal_length_mm",
    0xA405: "focal_length_35mm",
    0xA002: "exif_width",
    0xA003: "exif_height",
}
# Read by the engine only: with the image width they give the sensor width (`sensor_width_mm`).
FOCAL_PLANE_NAMES = {0xA20E: "focal_plane_x_resolution", 0xA210: "focal_plane_resolution_unit"}
# `focal_length_35mm_source` when the 35 mm equivalent was derived from the sensor width.
FOCAL_PLANE_SOURCE = "focal_plane_resolution"


def iso_datetime(value: object) -> str | None:
    """EXIF writes `YYYY:MM:DD HH:MM:SS`; summaries hold ISO 8601 (an ISO value stays)."""
    if not value:
        return None
    text = str(value).strip()
    if len(text) >= 19 and text[4] == ":" and text[7] == ":":
        text = text[:10].replace(":", "-") + "T" + text[11:]
    return text
