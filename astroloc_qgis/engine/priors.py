"""Search priors: the region (EPSG:4326) where a photo can have been taken, from what the analyst knows.

One `Prior` comes from the request's plain parameters (`from_params`, the keys of PARAM_KEYS):
a camera nadir with its altitude and largest off-nadir angle, a GPS fix with a radius, a polygon
file, a two-line element set plus the capture time, or a NASA-style frame catalogue. Several region
sources at once give their intersection. Search ranks only the tiles whose polygon intersects the
region (docs/PRIORS.md).
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.affinity
from pyproj import Geod
from shapely.geometry import Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from .crs import EARTH_RADIUS_M
from .errors import InputError, PriorError
from .nasa_frames import ISS_ALTITUDE_M, ISS_NORAD_ID, frame_id, iss_expedition
from .protocol import PRIOR, PRIOR_KEYS

TLE_MAX_AGE_DAYS = 14.0  # SGP4 errors grow to tens of km a week from epoch for the ISS
CIRCLE_POINTS = 360
MAX_ALTITUDE_M = 1e8
SOURCES = ("nadir", "tle", "catalogue", "near", "aoi", "exif_gps")  # the order of a combined source's name
PARAM_KEYS = PRIOR_KEYS  # the request keys, defined with the protocol (the plugin imports them)
_GEOD = Geod(ellps="WGS84")
_WORLD = box(-180.0, -90.0, 180.0, 90.0)

# Catalogue headers are compared lower-case with everything but letters and digits removed.
CATALOGUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "frame": ("frame", "frameid", "photo", "photoid", "image", "imageid", "id", "mrf", "filename", "name"),
    "lat": ("nadirlat", "nadirlatitude", "nadirlatdeg", "nlat", "lat", "latitude"),
    "lon": ("nadirlon", "nadirlong", "nadirlongitude", "nadirlondeg", "nlon", "lon", "long", "longitude"),
    "focal_mm": ("focallength", "focallengthmm", "focal", "focalmm", "fclt"),
    "camera": ("camera", "cameramodel", "cameraname", "cam"),
}


@dataclass
class Prior:
    region: BaseGeometry  # Polygon or MultiPolygon in EPSG:4326, split at the antimeridian
    source: str  # nadir | near | aoi | tle | catalogue, or several joined by '+'
    description: str
    nadir: tuple[float, float] | None = None  # (lat, lon) of the point below the camera
    altitude_m: tuple[float, float] | None = None  # (lowest, highest) camera altitude
    max_tilt_deg: float | None = None  # None: up to the horizon
    radius_km: float | None = None  # ground radius of a circular region
    focal_mm: float | None = None
    camera: str | None = None
    frame: str | None = None
    capture_time: str | None = None  # ISO 8601, UTC

    def summary(self, tiles_in_region: int | None = None) -> dict[str, Any]:
        """The result's top-level `prior` (plain JSON)."""
        west, south, east, north = self.region.bounds
        out: dict[str, Any] = {
            "source": self.source,
            "description": self.description,
            "nadir": [round(v, 6) for v in self.nadir] if self.nadir else None,
            "altitude_m": [round(v, 1) for v in self.altitude_m] if self.altitude_m else None,
            "max_tilt_deg": self.max_tilt_deg,
            "radius_km": round(self.radius_km, 3) if self.radius_km is not None else None,
            "focal_mm": self.focal_mm,
            "camera": self.camera,
            "frame": self.frame,
            "capture_time": self.capture_time,
            "bounds": [round(west, 6), round(south, 6), round(east, 6), round(north, 6)],
        }
        if tiles_in_region is not None:
            out["tiles_in_region"] = int(tiles_in_region)
        return out

    def feature(self, tiles_in_region: int) -> dict[str, Any]:
        """The `kind: prior` feature: the region, to draw as a layer."""
        geom = shapely.set_precision(self.region, 1e-7)
        return {
            "type": "Feature",
            "id": "prior",
            "geometry": mapping(geom),
            "properties": {
                "kind": PRIOR,
                "source": self.source,
                "description": self.description,
                "tiles_in_region": int(tiles_in_region),
            },
        }


# ---------------------------------------------------------------- geometry


def ground_radius_m(altitude_m: float, max_tilt_deg: float | None = None) -> float:
    """Arc length on a spherical Earth from the nadir to where a ray leaving the camera at
    `max_tilt_deg` off nadir meets the ground (the horizon when it misses, or when None)."""
    r, h = EARTH_RADIUS_M, float(altitude_m)
    horizon = math.acos(r / (r + h))
    if max_tilt_deg is None:
        return horizon * r
    tilt = math.radians(max_tilt_deg)
    sin_incidence = (r + h) / r * math.sin(tilt)  # law of sines in the Earth-centre triangle
    if sin_incidence >= 1.0:
        return horizon * r
    return (math.asin(sin_incidence) - tilt) * r


def _split_at_antimeridian(poly: Polygon) -> BaseGeometry:
    """A polygon drawn with continuous longitudes (possibly beyond +-180) folded into [-180, 180]."""
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        part = poly.intersection(box(-180.0 + shift, -90.0, 180.0 + shift, 90.0))
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, -shift, 0.0))
    out = shapely.union_all(pieces)
    return shapely.make_valid(out) if not out.is_valid else out


def geodesic_circle(lat: float, lon: float, radius_m: float) -> BaseGeometry:
    """Points within `radius_m` (along the WGS84 ellipsoid) of (lat, lon), as lon/lat polygon(s):
    split at the antimeridian, closed over a pole it contains, the complement of the antipode's
    circle beyond a quarter of the globe."""
    quarter = math.pi / 2 * EARTH_RADIUS_M
    if radius_m >= 2 * quarter:
        return _WORLD
    if radius_m > quarter:
        hole = geodesic_circle(-lat, lon + 180.0 if lon <= 0 else lon - 180.0, 2 * quarter - radius_m)
        return _WORLD.difference(hole)
    az = np.linspace(0.0, 360.0, CIRCLE_POINTS, endpoint=False)
    n = len(az)
    lons, lats, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, float(radius_m)))
    lons, lats = np.asarray(lons), np.asarray(lats)
    pole = next((p for p in (90.0, -90.0) if _GEOD.inv(lon, lat, lon, p)[2] < radius_m), None)
    if pole is not None:
        # The circle winds once round the pole: sort by longitude and close it along the pole's edge.
        order = np.argsort(lons)
        lo, la = lons[order], lats[order]
        gap = lo[0] + 360.0 - lo[-1]
        edge_lat = la[-1] + (la[0] - la[-1]) * (180.0 - lo[-1]) / gap if gap > 0 else la[0]
        ring = [
            (-180.0, edge_lat),
            *zip(lo, la, strict=True),
            (180.0, edge_lat),
            (180.0, pole),
            (-180.0, pole),
        ]
        return Polygon(ring)
    unwrapped = np.degrees(np.unwrap(np.radians(lons)))
    unwrapped += 360.0 * round((lon - unwrapped.mean()) / 360.0)  # keep the centre's own longitude
    poly = Polygon(list(zip(unwrapped, lats, strict=True)))
    return _split_at_antimeridian(poly) if (unwrapped.max() > 180 or unwrapped.min() < -180) else poly


# ---------------------------------------------------------------- parsing


def flag_key(flag: str) -> str:
    """The request key of a command-line flag: '--capture-time' -> 'capture_time'."""
    key = flag.lstrip("-").replace("-", "_")
    return "max_tilt_deg" if key == "max_tilt" else key


def parse_latlon(value: Any, name: str) -> tuple[float, float]:
    """'LAT,LON' or [lat, lon] -> (lat, lon), checked against [-90, 90] x [-180, 180]."""
    try:
        parts = [float(v) for v in (value.replace(";", ",").split(",") if isinstance(value, str) else value)]
        if len(parts) != 2 or not all(math.isfinite(v) for v in parts):
            raise ValueError
    except (TypeError, ValueError):
        raise PriorError(
            flag_key(name),
            f"{name} {value!r}: not a latitude,longitude pair",
            f"give it as LAT,LON in decimal degrees, e.g. {name} 28.5,-80.6",
        ) from None
    lat, lon = parts
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise PriorError(
            flag_key(name),
            f"{name} {lat:g},{lon:g}: outside [-90, 90] x [-180, 180]",
            "give latitude first, then longitude, in decimal degrees",
        )
    return lat, lon


def parse_altitude(value: Any) -> tuple[float, float]:
    """One altitude or a [lowest, highest] range, metres above the ellipsoid."""
    try:
        vals = [float(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
        if not 1 <= len(vals) <= 2 or not all(math.isfinite(v) for v in vals):
            raise ValueError
    except (TypeError, ValueError):
        raise PriorError(
            "altitude_m",
            f"--altitude-m {value!r}: not an altitude in metres",
            "give one number of metres, e.g. --altitude-m 415000",
        ) from None
    lo, hi = min(vals), max(vals)
    if lo <= 0 or hi > MAX_ALTITUDE_M:
        raise PriorError(
            "altitude_m",
            f"--altitude-m {value!r}: must be above 0 and below {MAX_ALTITUDE_M:.0f} m",
            "give the camera's altitude above the ground in metres (the ISS: 400000-420000)",
        )
    return lo, hi


def parse_time(value: Any, name: str = "--capture-time") -> datetime:
    """ISO 8601 -> aware UTC datetime; a time without a zone is UTC (ISS cameras keep GMT)."""
    try:
        t = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise PriorError(
            flag_key(name),
            f"{name} {value!r}: not a date and time",
            "give it as ISO 8601 UTC, e.g. 2020-03-28T12:34:56",
        ) from None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _frame_key(frame: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", frame.upper())


def _readable(path: Any, flag: str) -> Path:
    p = Path(os.path.expanduser(str(path)))
    if not p.is_file():
        raise PriorError(flag_key(flag), f"{flag} {p}: no such file", "check the path")
    return p


def _describe_circle(radius_m: float) -> str:
    return f"{radius_m / 1000:,.0f} km" if radius_m >= 10_000 else f"{radius_m / 1000:.2f} km"


# ---------------------------------------------------------------- constructors


def from_nadir(
    lat: float,
    lon: float,
    altitude_m: tuple[float, float] = ISS_ALTITUDE_M,
    max_tilt_deg: float | None = None,
    source: str = "nadir",
    what: str = "nadir",
    **extra: Any,
) -> Prior:
    """The ground the camera can see: a circle round its nadir up to `max_tilt_deg` off nadir
    (the horizon when None) from its highest altitude."""
    if max_tilt_deg is not None and not 0.0 < max_tilt_deg < 90.0:
        raise PriorError(
            "max_tilt_deg",
            f"--max-tilt {max_tilt_deg:g}: must be between 0 and 90 degrees off nadir",
            "leave it out to allow any angle up to the horizon",
        )
    radius = ground_radius_m(altitude_m[1], max_tilt_deg)
    alt = (
        f"{altitude_m[0] / 1000:g} km"
        if altitude_m[0] == altitude_m[1]
        else f"{altitude_m[0] / 1000:g}-{altitude_m[1] / 1000:g} km"
    )
    tilt = "up to the horizon" if max_tilt_deg is None else f"up to {max_tilt_deg:g} deg off nadir"
    desc = f"{what} {lat:.4f}, {lon:.4f}, altitude {alt}, {tilt}: within {_describe_circle(radius)}"
    return Prior(
        region=geodesic_circle(lat, lon, radius),
        source=source,
        description=desc,
        nadir=(lat, lon),
        altitude_m=altitude_m,
        max_tilt_deg=max_tilt_deg,
        radius_km=radius / 1000,
        **extra,
    )


def from_near(lat: float, lon: float, radius_km: Any) -> Prior:
    """Within radius_km of a point (a drone's or phone's GPS fix)."""
    try:
        r = float(radius_km)
    except (TypeError, ValueError):
        r = float("nan")
    if not math.isfinite(r) or r <= 0 or r >= math.pi * EARTH_RADIUS_M / 1000:
        raise PriorError(
            "radius_km",
            f"--radius-km {radius_km!r}: must be a distance above 0 km (and below half the globe)",
            "give how far from the --near point the photo can be, e.g. --radius-km 5",
        )
    return Prior(
        region=geodesic_circle(lat, lon, r * 1000),
        source="near",
        radius_km=r,
        description=f"near {lat:.5f}, {lon:.5f}: within {r:g} km",
    )


def from_aoi(path: Any) -> Prior:
    """The union of the polygons of a GeoJSON or GeoPackage file (first layer), in any CRS."""
    import pyogrio.raw

    from . import crs as crs_mod

    p = _readable(path, "--aoi")
    try:
        meta, _, wkb, _ = pyogrio.raw.read(str(p), columns=[], return_fids=False)
    except Exception as exc:
        raise PriorError(
            "aoi",
            f"--aoi {p}: not a polygon file GDAL can read ({str(exc).splitlines()[0][:120]})",
            "use a GeoJSON or GeoPackage of polygons",
        ) from None
    geoms = [g for g in shapely.from_wkb(wkb) if g is not None and not g.is_empty] if wkb is not None else []
    polys = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        raise PriorError(
            "aoi",
            f"--aoi {p}: holds no polygon ({len(geoms)} other geometries)",
            "draw or select the area as a polygon",
        )
    src_crs = meta.get("crs") or "EPSG:4326"
    region = shapely.union_all([shapely.make_valid(g) for g in polys])
    if crs_mod.crs_key(src_crs) != crs_mod.WGS84:
        region = crs_mod.transform_geometry(
            region.segmentize(_segment_length(region)), src_crs, crs_mod.WGS84
        )
    if not region.within(_WORLD.buffer(1e-9)):
        raise PriorError(
            "aoi",
            f"--aoi {p}: coordinates outside lon -180..180, lat -90..90 (CRS {src_crs})",
            "save the file with its CRS set",
        )
    west, south, east, north = region.bounds
    return Prior(
        region=region,
        source="aoi",
        description=f"area {p.name}: lon {west:.4f}..{east:.4f}, lat {south:.4f}..{north:.4f}",
    )


def _segment_length(geom: BaseGeometry) -> float:
    w, s, e, n = geom.bounds
    return max(e - w, n - s, 1e-9) / 64.0


# ---------------------------------------------------------------- TLE


def read_tles(path: Any) -> list[tuple[str, str]]:
    """(line 1, line 2) pairs of a TLE file (2- or 3-line format, several sets allowed)."""
    p = _readable(path, "--tle")
    try:
        lines = [ln.rstrip() for ln in p.read_text(encoding="ascii", errors="strict").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        raise PriorError(
            "tle",
            f"--tle {p}: unreadable ({exc.__class__.__name__})",
            "give a plain-text two-line element file",
        ) from None
    pairs = [
        (a, b) for a, b in zip(lines, lines[1:], strict=False) if a.startswith("1 ") and b.startswith("2 ")
    ]
    if not pairs:
        raise PriorError(
            "tle",
            f"--tle {p}: no two-line element set (lines starting '1 ' and '2 ')",
            "download the spacecraft's TLE (e.g. from CelesTrak) as plain text",
        )
    return pairs


def _satrecs(path: Any) -> list[Any]:
    from sgp4.api import Satrec

    out = []
    for l1, l2 in read_tles(path):
        try:
            out.append(Satrec.twoline2rv(l1, l2))
        except (ValueError, IndexError) as exc:
            raise PriorError(
                "tle",
                f"--tle {path}: damaged element set ({exc})",
                "download the TLE again; do not edit its columns",
            ) from None
    return out


def tle_subpoint(sat: Any, when: datetime) -> tuple[float, float, float]:
    """(lat, lon, altitude m) above the WGS84 ellipsoid of an sgp4 Satrec at a UTC time."""
    from sgp4.api import jday
    from sgp4.propagation import gstime

    from . import crs as crs_mod

    jd, fr = jday(
        when.year, when.month, when.day, when.hour, when.minute, when.second + when.microsecond / 1e6
    )
    err, r, _ = sat.sgp4(jd, fr)
    if err:
        raise PriorError(
            "tle",
            f"--tle: SGP4 cannot propagate satellite {sat.satnum} to {when.isoformat()} (error {err})",
            "use a TLE with an epoch close to the capture time",
        )
    # TEME -> Earth-fixed: a rotation by Greenwich mean sidereal time (UT1 ~ UTC; polar motion ignored).
    theta = gstime(jd + fr)
    c, s = math.cos(theta), math.sin(theta)
    x, y, z = (1000.0 * v for v in r)
    lon, lat, alt = crs_mod.transformer("EPSG:4978", "EPSG:4979").transform(c * x + s * y, -s * x + c * y, z)
    return float(lat), float(lon), float(alt)


def _pick_satrec(path: Any, when: datetime, photo_name: str) -> Any:
    sats = _satrecs(path)
    ids = sorted({int(s.satnum) for s in sats})
    if iss_expedition(photo_name) is not None:
        if ISS_NORAD_ID not in ids:
            raise PriorError(
                "tle",
                f"--tle {path}: element sets of satellite {', '.join(map(str, ids))}, but "
                f"{Path(photo_name).name} is an ISS frame (NORAD {ISS_NORAD_ID})",
                "give the ISS's TLE (catalogue number 25544)",
            )
        sats = [s for s in sats if int(s.satnum) == ISS_NORAD_ID]
    elif len(ids) > 1:
        raise PriorError(
            "tle",
            f"--tle {path}: element sets of {len(ids)} spacecraft ({', '.join(map(str, ids))})",
            "keep only the TLEs of the spacecraft that took the photo",
        )
    jd = _julian(when)
    best = min(sats, key=lambda s: abs(jd - s.jdsatepoch - s.jdsatepochF))
    age = jd - best.jdsatepoch - best.jdsatepochF
    if abs(age) > TLE_MAX_AGE_DAYS:
        epoch = _from_julian(best.jdsatepoch + best.jdsatepochF)
        raise PriorError(
            "tle",
            f"--tle {path}: epoch {epoch:%Y-%m-%d %H:%M} UTC is {abs(age):.0f} days from the capture "
            f"time {when:%Y-%m-%d %H:%M} UTC (valid within {TLE_MAX_AGE_DAYS:g} days)",
            "get a TLE of that week (e.g. from Space-Track's TLE history)",
        )
    return best


def _julian(when: datetime) -> float:
    from sgp4.api import jday

    jd, fr = jday(
        when.year, when.month, when.day, when.hour, when.minute, when.second + when.microsecond / 1e6
    )
    return jd + fr


def _from_julian(jd: float) -> datetime:
    return datetime.fromtimestamp((jd - 2440587.5) * 86400.0, tz=UTC)


def from_tle(
    path: Any,
    when: datetime,
    photo_name: str,
    altitude_m: tuple[float, float] | None = None,
    max_tilt_deg: float | None = None,
) -> Prior:
    """The spacecraft's sub-satellite point at the capture time, as a nadir prior; its propagated
    altitude is the altitude range unless one is given."""
    sat = _pick_satrec(path, when, photo_name)
    lat, lon, alt = tle_subpoint(sat, when)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return from_nadir(
        lat,
        lon,
        altitude_m or (alt, alt),
        max_tilt_deg,
        source="tle",
        what=f"TLE of satellite {int(sat.satnum)} at {stamp}: nadir",
        capture_time=stamp,
    )


# ---------------------------------------------------------------- catalogue


@lru_cache(maxsize=4)
def _catalogue_rows(path: str, mtime_ns: int) -> dict[str, dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            sample = fh.read(8192)
            fh.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            rows = list(csv.reader(fh, dialect))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PriorError(
            "catalogue",
            f"--catalogue {path}: unreadable ({exc.__class__.__name__})",
            "give a CSV file saved as UTF-8",
        ) from None
    if not rows:
        raise PriorError("catalogue", f"--catalogue {path}: empty", "give a CSV with a header row")
    header = [re.sub(r"[^a-z0-9]", "", h.lower()) for h in rows[0]]
    cols: dict[str, int] = {}
    for key, names in CATALOGUE_COLUMNS.items():
        found = next((header.index(n) for n in names if n in header), None)
        if found is not None:
            cols[key] = found
    missing = [k for k in ("frame", "lat", "lon") if k not in cols]
    if missing:
        raise PriorError(
            "catalogue",
            f"--catalogue {path}: no column for {', '.join(missing)} (header: {', '.join(rows[0])})",
            "name the columns frame, nadir_lat, nadir_lon, focal_length_mm, camera (docs/PRIORS.md)",
        )
    out = {}
    for row in rows[1:]:
        if len(row) > cols["frame"] and row[cols["frame"]].strip():
            out[_frame_key(row[cols["frame"]])] = {
                k: row[i].strip() if i < len(row) else "" for k, i in cols.items()
            }
    return out


def catalogue_entry(path: Any, photo_name: str) -> dict[str, Any]:
    """The catalogue row of the photo's frame: frame, lat, lon, focal_mm (or None), camera (or None)."""
    p = _readable(path, "--catalogue")
    frame = frame_id(photo_name)
    if frame is None:
        raise PriorError(
            "catalogue",
            f"--catalogue: the photo's file name {Path(photo_name).name} is not a frame id like "
            "ISS062-E-150758",
            "name the photo after its frame, or give --nadir instead",
        )
    row = _catalogue_rows(str(p.resolve()), p.stat().st_mtime_ns).get(_frame_key(frame))
    if row is None:
        raise PriorError(
            "catalogue",
            f"--catalogue {p}: no row for frame {frame}",
            "add the frame's nadir to the catalogue, or give --nadir LAT,LON",
        )
    lat, lon = parse_latlon(
        [row["lat"], row["lon"]] if row["lat"] and row["lon"] else "",
        f"--catalogue {p.name} frame {frame}: nadir",
    )
    focal: float | None = None
    if row.get("focal_mm"):
        try:
            focal = float(row["focal_mm"])
        except ValueError:
            raise PriorError(
                "catalogue",
                f"--catalogue {p} frame {frame}: focal length {row['focal_mm']!r} is not a number",
                "give millimetres, e.g. 400",
            ) from None
        focal = focal if focal > 0 else None
    return {"frame": frame, "lat": lat, "lon": lon, "focal_mm": focal, "camera": row.get("camera") or None}


def from_catalogue(
    path: Any,
    photo_name: str,
    altitude_m: tuple[float, float] = ISS_ALTITUDE_M,
    max_tilt_deg: float | None = None,
) -> Prior:
    e = catalogue_entry(path, photo_name)
    return from_nadir(
        e["lat"],
        e["lon"],
        altitude_m,
        max_tilt_deg,
        source="catalogue",
        what=f"catalogue {Path(str(path)).name} frame {e['frame']}: nadir",
        focal_mm=e["focal_mm"],
        camera=e["camera"],
        frame=e["frame"],
    )


# ---------------------------------------------------------------- from the request


def _photo_name_and_time(photo: Any) -> tuple[str, str | None]:
    """(file name, EXIF capture time) of a Photo or a photo path, without decoding pixels."""
    if hasattr(photo, "exif") and hasattr(photo, "path"):
        return Path(photo.path).name, photo.exif.get("datetime")
    from PIL import Image

    from .photo import exif_summary

    path = Path(str(photo))
    if not path.is_file():
        raise InputError(f"{path}: no such photo", "check the path")
    try:
        with Image.open(path) as img:
            return path.name, exif_summary(img).get("datetime")
    except Exception:
        return path.name, None  # the search reports an unreadable photo itself


def from_params(params: dict[str, Any] | None, photo: Any) -> Prior | None:
    """A Prior from the plain request keys (PARAM_KEYS), None when no region is asked for.

    `altitude_m` alone is no region (it is also the pose's altitude). Several region sources give
    their intersection.
    """
    params = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
    orbital = _check_keys(params)
    if not orbital and "near" not in params and "aoi" not in params:
        return None
    altitude = parse_altitude(params["altitude_m"]) if "altitude_m" in params else None
    tilt = _max_tilt(params)
    priors: list[Prior] = []
    if "nadir" in params:
        lat, lon = parse_latlon(params["nadir"], "--nadir")
        priors.append(from_nadir(lat, lon, altitude or ISS_ALTITUDE_M, tilt))
    if "tle" in params or "catalogue" in params:
        name, exif_time = _photo_name_and_time(photo)
        if "tle" in params:
            _readable(params["tle"], "--tle")
            when = params.get("capture_time") or exif_time
            if not when:
                raise PriorError(
                    "tle",
                    f"--tle: {name} has no capture time (no EXIF DateTimeOriginal)",
                    "give it with --capture-time YYYY-MM-DDTHH:MM:SS (UTC), or use --nadir",
                )
            priors.append(from_tle(params["tle"], parse_time(when), name, altitude, tilt))
        if "catalogue" in params:
            priors.append(from_catalogue(params["catalogue"], name, altitude or ISS_ALTITUDE_M, tilt))
    if "near" in params:
        lat, lon = parse_latlon(params["near"], "--near")
        priors.append(from_near(lat, lon, params["radius_km"]))
    if "aoi" in params:
        priors.append(from_aoi(params["aoi"]))
    return combine(priors)


def _check_keys(params: dict[str, Any]) -> list[str]:
    """Refuses unknown keys and keys that need another; the orbital region sources asked for."""
    unknown = sorted(set(params) - set(PARAM_KEYS))
    if unknown:
        raise PriorError(
            PRIOR, f"unknown prior parameter {', '.join(unknown)}", f"use {', '.join(PARAM_KEYS)}"
        )
    orbital = [k for k in ("nadir", "tle", "catalogue") if k in params]
    if "max_tilt_deg" in params and not orbital:
        raise PriorError(
            "max_tilt_deg", "--max-tilt needs the camera's nadir", "add --nadir, --tle or --catalogue"
        )
    if ("near" in params) != ("radius_km" in params):
        raise PriorError(
            "near", "--near and --radius-km go together", "give both: --near LAT,LON --radius-km R"
        )
    return orbital


def _max_tilt(params: dict[str, Any]) -> float | None:
    tilt = params.get("max_tilt_deg")
    if tilt is not None:
        try:
            tilt = float(tilt)
        except (TypeError, ValueError):
            raise PriorError(
                "max_tilt_deg", f"--max-tilt {tilt!r}: not a number of degrees", "e.g. --max-tilt 60"
            ) from None
    return tilt


def combine(priors: list[Prior]) -> Prior:
    """The intersection of several priors; the camera facts come from the first that has them."""
    if len(priors) == 1:
        return priors[0]
    priors = sorted(priors, key=lambda p: SOURCES.index(p.source))
    region = priors[0].region
    for p in priors[1:]:
        region = region.intersection(p.region)
    if region.is_empty or region.area == 0:
        raise PriorError(
            PRIOR,
            "the priors do not overlap: " + "; ".join(p.description for p in priors),
            "check each prior, or give only one",
        )

    def first(attr: str) -> Any:
        return next((getattr(p, attr) for p in priors if getattr(p, attr) is not None), None)

    return Prior(
        region=region,
        source="+".join(p.source for p in priors),
        description=" and ".join(p.description for p in priors),
        **{
            a: first(a)
            for a in ("nadir", "altitude_m", "max_tilt_deg", "focal_mm", "camera", "frame", "capture_time")
        },
    )


# ---------------------------------------------------------------- drone photos (kind)

DRONE_MAKES = ("dji", "parrot", "autel", "skydio", "yuneec")
DRONE_MAX_ALTITUDE_M = 1_000.0  # a GPS fix below this: a drone (or a photo from the ground)
DRONE_DEFAULT_HEIGHT_M = 500.0  # no altitude in the EXIF: far above what drones may fly (120 m)
DRONE_MAX_OFF_NADIR_DEG = 80.0  # the optical axis meets the ground at most this far off nadir
DRONE_UNKNOWN_OFF_NADIR_DEG = 60.0  # no gimbal pitch: an oblique view is assumed at most this steep
DRONE_PITCH_MARGIN_DEG = 5.0  # the gimbal's pitch error and the drone's sway
DRONE_GPS_MARGIN_M = 100.0  # GPS error, terrain and the tile around the centre
DRONE_MIN_RADIUS_M = 250.0


def photo_kind(exif: dict[str, Any], requested: str | None = "auto") -> tuple[str, str]:
    """(kind, why): the kind asked for, or for `auto` a drone when the EXIF says so (a drone
    maker's camera, DJI's XMP tags, or a GPS altitude below DRONE_MAX_ALTITUDE_M), else aerial."""
    from .protocol import KINDS

    requested = (requested or "auto").strip().lower()
    if requested not in KINDS:
        raise InputError(
            f"--kind {requested!r}: not a kind of photo", f"use one of {', '.join(KINDS)}", field="kind"
        )
    if requested != "auto":
        return requested, "given"
    make = str(exif.get("camera_make") or "").lower()
    if any(make.startswith(m) for m in DRONE_MAKES):
        return "drone", f"camera make {exif['camera_make']}"
    if exif.get("drone_xmp"):
        return "drone", "DJI drone-dji XMP tags"
    altitude = exif.get("relative_alt_m", exif.get("gps_alt_m"))
    if "gps_lat" in exif and isinstance(altitude, int | float) and altitude < DRONE_MAX_ALTITUDE_M:
        return "drone", f"EXIF GPS altitude {altitude:g} m (below {DRONE_MAX_ALTITUDE_M:g} m)"
    return "aerial", "no drone in the EXIF"


def drone_height_m(exif: dict[str, Any]) -> tuple[float, str]:
    """The camera's height above the ground, at most: the relative altitude (above take-off), else
    the GPS altitude (above sea level: no less than above the ground, for ground above sea level)."""
    for key, what in (("relative_alt_m", "relative altitude"), ("gps_alt_m", "GPS altitude")):
        value = exif.get(key)
        if isinstance(value, int | float) and value > 0:
            return float(value), f"{what} {value:g} m"
    return DRONE_DEFAULT_HEIGHT_M, f"no altitude in the EXIF: {DRONE_DEFAULT_HEIGHT_M:g} m assumed"


def drone_radius_m(exif: dict[str, Any]) -> float:
    """How far from the camera's GPS fix the photo's centre can lie: where the optical axis meets
    the ground, height * tan(off nadir), off nadir = 90 + gimbal pitch (plus its margin), with a
    quarter more and DRONE_GPS_MARGIN_M for the terrain and the GPS."""
    height, _ = drone_height_m(exif)
    pitch = exif.get("gimbal_pitch_deg")
    if isinstance(pitch, int | float):
        off_nadir = 90.0 + float(pitch) + DRONE_PITCH_MARGIN_DEG
    else:
        off_nadir = DRONE_UNKNOWN_OFF_NADIR_DEG
    off_nadir = min(max(off_nadir, 0.0), DRONE_MAX_OFF_NADIR_DEG)
    reach = height * math.tan(math.radians(off_nadir))
    return max(DRONE_MIN_RADIUS_M, 1.25 * reach + DRONE_GPS_MARGIN_M)


def from_drone_exif(exif: dict[str, Any]) -> Prior | None:
    """The search region of a drone photo: a circle of drone_radius_m round its EXIF GPS fix
    (source `exif_gps`); None without a fix."""
    if "gps_lat" not in exif or "gps_lon" not in exif:
        return None
    lat, lon = float(exif["gps_lat"]), float(exif["gps_lon"])
    radius = drone_radius_m(exif)
    _, height = drone_height_m(exif)
    pitch = exif.get("gimbal_pitch_deg")
    looks = f"gimbal pitch {pitch:g} deg" if isinstance(pitch, int | float) else "no gimbal pitch"
    return Prior(
        region=geodesic_circle(lat, lon, radius),
        source="exif_gps",
        radius_km=radius / 1000,
        description=f"near the EXIF GPS {lat:.5f}, {lon:.5f} ({height}, {looks}): within "
        f"{radius / 1000:.2f} km",
    )
