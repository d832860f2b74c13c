"""Query photos: JPEG/PNG/TIFF read with Pillow, EXIF orientation applied, huge images downscaled.

A JPEG is decoded at reduced size by the decoder itself (Image.draft) and other formats are
reduced in place (Image.thumbnail), so a 100-megapixel photo never exists as several
full-resolution copies.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from .checksum import file_sha256
from .errors import InputError
from .exif_names import (
    DJI_XMP_NAMES,
    EXIF_NAMES,
    FOCAL_PLANE_NAMES,
    FOCAL_PLANE_SOURCE,
    GPS_DIRECTION_TAGS,
    IFD0_NAMES,
    iso_datetime,
)

MAX_PIXELS = 300_000_000
MIN_SIDE = 64
DEFAULT_MAX_SIDE = 1024


@dataclass
class Photo:
    path: str
    rgb: np.ndarray
    original_size: tuple[int, int]
    scale: float
    exif: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.shape[1], self.rgb.shape[0]

    def summary(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": Path(self.path).name,
            "sha256": self.sha256,
            "width": self.original_size[0],
            "height": self.original_size[1],
            "exif": self.exif,
            "datetime": self.exif.get("datetime"),
        }


def load_photo(path: str | os.PathLike, max_side: int = DEFAULT_MAX_SIDE) -> Photo:
    """Load a photo as RGB uint8, upright, longer side at most max_side; InputError when unusable."""
    path = os.path.abspath(str(path))
    if not os.path.isfile(path):
        raise InputError(f"{path}: no such photo", "check the path")
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path)
            original = img.size
            exif = exif_summary(img)
            if original[0] * original[1] > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            orientation = img.getexif().get(0x0112, 1)
            if img.format == "JPEG":
                # The decoder scales by 1/2, 1/4 or 1/8 while decoding (the draft stays >= requested size).
                img.draft("RGB", (max_side, max_side))
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(
            f"{path}: image is too large ({_mp(path)} megapixels, limit {MAX_PIXELS // 1_000_000})",
            "downscale it first",
        ) from exc
    except UnidentifiedImageError as exc:
        raise InputError(f"{path}: not an image Pillow can read", "use a JPEG, PNG or TIFF photo") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: damaged or truncated image ({exc})", "re-export the photo") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    rgb = _upright_rgb(img, orientation, max_side, path)
    if orientation in (5, 6, 7, 8):
        original = (original[1], original[0])
    if min(original) < MIN_SIDE:
        raise InputError(
            f"{path}: photo is too small ({original[0]}x{original[1]} px, minimum {MIN_SIDE})",
            "use a larger photo",
        )
    scale = rgb.shape[1] / original[0]
    return Photo(path=path, rgb=rgb, original_size=original, scale=scale, exif=exif, sha256=file_sha256(path))


def _upright_rgb(img: Image.Image, orientation: int, max_side: int, path: str) -> np.ndarray:
    """The decoded image as RGB uint8, longer side at most max_side, turned upright by its EXIF
    orientation."""
    try:
        # Shrink first (in place, via Image.reduce), so converting and transposing touch small copies only.
        if img.mode not in ("RGB", "RGBA", "L", "LA", "CMYK", "YCbCr"):
            img = _to_rgb(img)
        if max(img.size) > max_side:
            img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
        img = _to_rgb(img)
        if orientation != 1:
            img.getexif()[0x0112] = orientation
            img = ImageOps.exif_transpose(img)
        return np.asarray(img, dtype=np.uint8).copy()
    except OSError as exc:
        raise InputError(f"{path}: damaged or truncated image ({exc})", "re-export the photo") from exc


def _mp(path: str) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                return im.size[0] * im.size[1] // 1_000_000
    except Exception:
        return 0


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode == "RGB":
        return img
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float32)
        lo, hi = np.percentile(arr, [1, 99])
        arr = np.clip((arr - lo) * (255.0 / max(hi - lo, 1e-6)), 0, 255).astype(np.uint8)
        return Image.fromarray(arr).convert("RGB")
    if img.mode in ("RGBA", "LA", "P", "PA"):
        return img.convert("RGBA").convert("RGB") if img.mode != "RGBA" else img.convert("RGB")
    return img.convert("RGB")


def _ratio(value: Any) -> float | None:
    try:
        if isinstance(value, tuple) and len(value) == 2:
            return float(Fraction(int(value[0]), int(value[1]))) if value[1] else None
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _dms(values: Any, ref: str | None) -> float | None:
    try:
        d, m, s = (_ratio(v) for v in values)
        deg = d + m / 60.0 + s / 3600.0
    except (TypeError, ValueError):
        return None
    return -deg if ref in ("S", "W") else deg


def _sensor_width_mm(tags: dict[str, Any], width_px: int) -> float | None:
    """Sensor width from the focal-plane resolution (pixels per unit) and the full image width."""
    res = _ratio(tags.get("focal_plane_x_resolution"))
    unit_mm = {2: 25.4, 3: 10.0, 4: 1.0, 5: 0.001}.get(int(tags.get("focal_plane_resolution_unit", 2) or 2))
    if not res or res <= 0 or not unit_mm or not width_px:
        return None
    width = width_px / res * unit_mm
    return width if 1.0 < width < 100.0 else None


def exif_summary(img: Image.Image) -> dict[str, Any]:
    """datetime, camera make/model, focal length (mm and 35 mm-equivalent), GPS lat/lon/alt when present,
    named as in exif_names."""
    out: dict[str, Any] = {}
    try:
        exif = img.getexif()
    except Exception:
        return out
    if not exif:
        return out
    names = {**IFD0_NAMES, **EXIF_NAMES, **FOCAL_PLANE_NAMES}
    tags = {names[k]: v for k, v in (*exif.items(), *exif.get_ifd(ExifTags.IFD.Exif).items()) if k in names}

    def text(key: str) -> str | None:
        v = tags.get(key)
        return str(v).strip("\x00 ").strip() if v not in (None, "") else None

    if dt := (text("datetime_original") or text("datetime")):
        out["datetime"] = iso_datetime(dt)
    for key in ("camera_make", "camera_model"):
        if v := text(key):
            out[key] = v
    for key in ("focal_length_mm", "focal_length_35mm"):
        if (f := _ratio(tags.get(key))) is not None and f > 0:
            out[key] = round(f, 3)
    for key in ("exif_width", "exif_height"):
        if tags.get(key):
            out[key] = int(tags[key])
    _add_sensor_width(out, tags, out.get("exif_width") or img.size[0])
    _add_gps_and_xmp(out, exif.get_ifd(ExifTags.IFD.GPSInfo), img.info.get("xmp"))
    return out


def _add_gps_and_xmp(out: dict[str, Any], gps: dict[int, Any], xmp: bytes | str | None) -> None:
    """The GPS IFD's fields, then the DJI XMP's where the EXIF lacks them; exif_warnings for the
    values ignored."""
    warnings_: list[str] = []
    out.update(_gps_summary(gps, warnings_))
    if xmp:
        for key, value in xmp_summary(xmp, warnings_).items():
            out.setdefault(key, value)  # the EXIF GPS, where present, comes first
    if warnings_:
        out["exif_warnings"] = warnings_


_DJI_TAG = re.compile(r"drone-dji:(\w+)\s*=\s*[\"']([^\"']*)[\"']|<drone-dji:(\w+)>([^<]*)</drone-dji:\w+>")


def xmp_summary(xmp: bytes | str, warnings_: list[str]) -> dict[str, Any]:
    """The DJI `drone-dji:` tags of an XMP packet (attribute or element form) under their summary
    names (exif_names.DJI_XMP_NAMES); a value that is no number or outside its range is left out
    and said in warnings_. Stdlib only: a regular expression, no XML parser needed for these."""
    text = xmp.decode("utf-8", "replace") if isinstance(xmp, bytes) else str(xmp)
    out: dict[str, Any] = {}
    for match in _DJI_TAG.finditer(text):
        tag, raw = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        out["drone_xmp"] = True
        if tag not in DJI_XMP_NAMES:
            continue
        name, bounds = DJI_XMP_NAMES[tag]
        value = _checked_number(raw, bounds, f"drone-dji:{tag}", warnings_)
        if value is not None:
            out[name] = round(value, 7 if name in ("gps_lat", "gps_lon") else 3)
    if ("gps_lat" in out) != ("gps_lon" in out):
        out.pop("gps_lat", None)
        out.pop("gps_lon", None)
    return out


def _checked_number(
    raw: Any, bounds: tuple[float, float] | None, tag: str, warnings_: list[str]
) -> float | None:
    try:
        value = float(str(raw).strip().lstrip("+"))
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        warnings_.append(f"EXIF {tag} {raw!r} is not a number: ignored")
        return None
    if bounds and not bounds[0] <= value <= bounds[1]:
        warnings_.append(
            f"EXIF {tag} {value:g} is impossible (outside [{bounds[0]:g}, {bounds[1]:g}]): ignored"
        )
        return None
    return value


def _add_sensor_width(out: dict[str, Any], tags: dict[str, Any], width_px: int) -> None:
    """sensor_width_mm from the focal-plane tags, and the 35 mm-equivalent focal length from it when
    the photo does not give one."""
    if (sensor := _sensor_width_mm(tags, width_px)) is not None:
        out["sensor_width_mm"] = round(sensor, 3)
        if "focal_length_35mm" not in out and "focal_length_mm" in out:
            out["focal_length_35mm"] = round(out["focal_length_mm"] * 36.0 / sensor, 2)
            out["focal_length_35mm_source"] = FOCAL_PLANE_SOURCE


def _gps_summary(gps: dict[int, Any], warnings_: list[str]) -> dict[str, Any]:
    """gps_lat/gps_lon (both or neither), gps_alt_m and gps_img_direction_deg of an EXIF GPS IFD."""
    out: dict[str, Any] = {}
    if not gps:
        return out
    g = {ExifTags.GPSTAGS.get(k, k): v for k, v in gps.items()}
    lat = _dms(g.get("GPSLatitude"), g.get("GPSLatitudeRef")) if g.get("GPSLatitude") else None
    lon = _dms(g.get("GPSLongitude"), g.get("GPSLongitudeRef")) if g.get("GPSLongitude") else None
    if lat is not None and lon is not None:
        out["gps_lat"], out["gps_lon"] = round(lat, 7), round(lon, 7)
    if (alt := _ratio(g.get("GPSAltitude"))) is not None:
        ref = g.get("GPSAltitudeRef", 0)
        below = ref in (1, b"\x01") or (isinstance(ref, bytes) and ref[:1] == b"\x01")
        out["gps_alt_m"] = round(-alt if below else alt, 2)
    if (err := _ratio(g.get("GPSHPositioningError"))) is not None and 0 < err < 10_000:
        out["gps_h_error_m"] = round(err, 2)  # a phone's estimate of its fix's error (ground photos)
    direction = g.get(GPS_DIRECTION_TAGS[17])
    if direction is not None:
        value = _checked_number(_ratio(direction), (0.0, 360.0), "GPSImgDirection", warnings_)
        if value is not None:
            out["gps_img_direction_deg"] = round(value % 360.0, 3)
            ref = str(g.get(GPS_DIRECTION_TAGS[16]) or "T").strip("\x00 ") or "T"
            out["gps_img_direction_ref"] = ref
    return out
