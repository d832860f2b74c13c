"""Drone-style JPEGs for the tests: a DJI XMP packet (drone-dji: tags) and EXIF make, GPS and
GPSImgDirection, written with Pillow."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image


def dji_xmp(lat: float, lon: float, **tags: str) -> bytes:
    """A DJI-style XMP packet: the angles and altitudes as attributes, the GPS as elements (DJI
    firmware writes both forms)."""
    attrs = " ".join(f'drone-dji:{k}="{v}"' for k, v in tags.items())
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" {attrs}>'
        f"<drone-dji:GpsLatitude>{lat}</drone-dji:GpsLatitude>"
        f"<drone-dji:GpsLongtitude>{lon}</drone-dji:GpsLongtitude>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = Fraction(round(((value - d) * 60 - m) * 60 * 10000), 10000)
    return Fraction(d), Fraction(m), s


def save_drone_jpeg(
    path: Path,
    rgb: np.ndarray,
    *,
    make: str | None = "DJI",
    gps: tuple[float, float, float] | None = None,
    direction: float | None = None,
    xmp: bytes | None = None,
    focal_35mm: float | None = None,
) -> Path:
    exif = Image.Exif()
    if make:
        exif[0x010F] = make
    if focal_35mm:
        exif.get_ifd(0x8769)[0xA405] = round(focal_35mm)
    if gps or direction is not None:
        ifd = exif.get_ifd(0x8825)
        if gps:
            lat, lon, alt = gps
            ifd.update({1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)})
            ifd.update({5: 0, 6: Fraction(round(alt * 100), 100)})
        if direction is not None:
            ifd.update({16: "T", 17: Fraction(round(direction * 100), 100)})
    Image.fromarray(rgb).save(path, quality=92, exif=exif, **({"xmp": xmp} if xmp else {}))
    return path
