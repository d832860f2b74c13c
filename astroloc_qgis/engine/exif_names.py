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


# GPS IFD tags beyond the position (the heading of the camera, the photo's direction).
GPS_DIRECTION_TAGS = {16: "GPSImgDirectionRef", 17: "GPSImgDirection"}
# DJI's XMP namespace (`drone-dji:` tags) -> summary name, with the range a real value lies in
# (inclusive; None: any finite number). A value outside it is ignored with a warning.
DJI_XMP_NAMES: dict[str, tuple[str, tuple[float, float] | None]] = {
    "GpsLatitude": ("gps_lat", (-90.0, 90.0)),
    "GpsLongitude": ("gps_lon", (-180.0, 180.0)),
    "GpsLongtitude": ("gps_lon", (-180.0, 180.0)),  # a misspelling some DJI firmware writes
    "AbsoluteAltitude": ("gps_alt_m", (-500.0, 10_000.0)),
    "RelativeAltitude": ("relative_alt_m", (-500.0, 10_000.0)),  # above the take-off point
    "GimbalPitchDegree": ("gimbal_pitch_deg", (-90.0, 30.0)),  # -90: straight down, 0: the horizon
    "GimbalYawDegree": ("gimbal_yaw_deg", (-180.0, 360.0)),  # clockwise from true north
    "GimbalRollDegree": ("gimbal_roll_deg", (-90.0, 90.0)),
    "FlightYawDegree": ("flight_yaw_deg", (-180.0, 360.0)),
}
# `gps_h_error_m`: GPSHPositioningError (tag 31), the fix's horizontal error a phone writes.
# `gps_img_direction_deg`: GPSImgDirection (0-360, clockwise from north), its reference (T or M)
# in `gps_img_direction_ref`. `drone_xmp`: True when the photo carries `drone-dji:` tags.
# `exif_warnings`: the tags ignored for an impossible value, one sentence each.
