"""A small EXIF reader (stdlib only): camera, capture time, focal length, GPS.

Pillow is not guaranteed inside QGIS, so this walks the TIFF structure of a JPEG's APP1
segment (or of a TIFF file) itself. Unknown or damaged data yields an empty summary.
The summary uses the names of `engine/exif_names.py` (camera_make, an ISO datetime, gps_alt_m,
...), as the engine's reader does, so a photo's EXIF reads the same in both processes.
"""

from __future__ import annotations

import struct
from pathlib import Path

from .engine.exif_names import EXIF_NAMES, IFD0_NAMES, iso_datetime

_GPS = {1: "lat_ref", 2: "lat", 3: "lon_ref", 4: "lon", 5: "alt_ref", 6: "alt"}
_EXIF_POINTER, _GPS_POINTER = 0x8769, 0x8825
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8}


def _tiff_block(path: Path) -> bytes | None:
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return head + handle.read(1 << 20)
        if head[:2] != b"\xff\xd8":
            return None
        handle.seek(2)
        while True:
            marker = handle.read(4)
            if len(marker) < 4 or marker[0] != 0xFF or marker[1] in (0xD9, 0xDA):
                return None
            size = struct.unpack(">H", marker[2:])[0]
            body = handle.read(size - 2)
            if marker[1] == 0xE1 and body.startswith(b"Exif\x00\x00"):
                return body[6:]


class _Tiff:
    def __init__(self, data: bytes):
        self.data = data
        self.order = "<" if data[:2] == b"II" else ">"

    def unpack(self, fmt: str, offset: int):
        return struct.unpack_from(self.order + fmt, self.data, offset)

    def ifd(self, offset: int, names: dict[int, str]) -> tuple[dict, dict[int, int]]:
        values: dict = {}
        pointers: dict[int, int] = {}
        (count,) = self.unpack("H", offset)
        for index in range(count):
            entry = offset + 2 + 12 * index
            tag, kind, n = self.unpack("HHI", entry)
            if tag in (_EXIF_POINTER, _GPS_POINTER):
                pointers[tag] = self.unpack("I", entry + 8)[0]
            elif tag in names and kind in _TYPE_SIZES:
                values[names[tag]] = self.value(entry, kind, n)
        return values, pointers

    def value(self, entry: int, kind: int, n: int):
        size = _TYPE_SIZES[kind] * n
        where = entry + 8 if size <= 4 else self.unpack("I", entry + 8)[0]
        if kind == 2:
            return self.data[where : where + n].split(b"\x00")[0].decode("utf-8", "replace").strip()
        if kind in (5, 10):
            pairs = [self.unpack("ii" if kind == 10 else "II", where + 8 * i) for i in range(n)]
            numbers = [num / den if den else 0.0 for num, den in pairs]
        else:
            fmt = {1: "B", 7: "B", 3: "H", 4: "I", 9: "i"}[kind]
            numbers = list(self.unpack(fmt * n, where))
        return numbers[0] if n == 1 else numbers


def _degrees(value, ref: str) -> float | None:
    if not isinstance(value, list) or len(value) != 3:
        return None
    degrees = value[0] + value[1] / 60 + value[2] / 3600
    return -degrees if ref in ("S", "W") else degrees


def read_exif(path: str | Path) -> dict:
    """A flat summary: camera_make, camera_model, datetime (ISO), focal_length_mm,
    gps_lat/gps_lon/gps_alt_m..."""
    try:
        data = _tiff_block(Path(path))
        if not data or len(data) < 8:
            return {}
        tiff = _Tiff(data)
        summary, pointers = tiff.ifd(tiff.unpack("I", 4)[0], IFD0_NAMES)
        if _EXIF_POINTER in pointers:
            summary.update(tiff.ifd(pointers[_EXIF_POINTER], EXIF_NAMES)[0])
        if _GPS_POINTER in pointers:
            gps = tiff.ifd(pointers[_GPS_POINTER], _GPS)[0]
            lat, lon = (
                _degrees(gps.get("lat"), gps.get("lat_ref", "")),
                _degrees(gps.get("lon"), gps.get("lon_ref", "")),
            )
            if lat is not None and lon is not None:
                summary["gps_lat"], summary["gps_lon"] = round(lat, 6), round(lon, 6)
            if isinstance(gps.get("alt"), float):
                summary["gps_alt_m"] = round(-gps["alt"] if gps.get("alt_ref") == 1 else gps["alt"], 1)
    except (OSError, struct.error, ValueError, KeyError, IndexError):
        return {}
    if "datetime_original" in summary:
        summary["datetime"] = summary.pop("datetime_original")
    if "datetime" in summary:
        summary["datetime"] = iso_datetime(summary["datetime"])
    return summary
