"""Every persistent setting of the plugin, in one place (QgsSettings under `astroloc/`).

An organisation can preset any of these keys in QGIS's global settings file
(`qgis_global_settings.ini`, section `[astroloc]`); see the README.
"""

from __future__ import annotations

from qgis.core import QgsSettings

from .engine.protocol import KINDS

PREFIX = "astroloc/"

ENGINE_PYTHON = "engine_python"  # explicit interpreter of the engine environment
ENGINE_ENV = "engine_env"  # folder of the engine virtual environment
INDEX_PATH = "index_path"  # default tile index folder
SESSION_PATH = "session_path"  # review session GeoPackage (issue 6)
REVIEWER = "reviewer"  # name written with every review decision
CANDIDATES = "candidates"  # number of candidates (k) asked from the engine
RECENT_INDEXES = "recent_indexes"  # most recent first
WHEEL_FOLDER = "wheel_folder"  # offline wheels for creating the engine environment
PHOTO_OPACITY = "photo_opacity"  # opacity of the warped photo layer, 0..1
LAST_PHOTO_FOLDER = "last_photo_folder"
PHOTO_KIND = "photo_kind"  # the Locate tab's "Kind of photo": one of protocol.KINDS
# The Locate tab's "Search area" (docs/PRIORS.md, "In QGIS"), as last typed.
PRIOR_MODE = "prior_mode"  # anywhere, nadir, near, canvas, layer, tle, catalogue
PRIOR_NADIR = "prior_nadir"  # "lat, lon"
PRIOR_ALTITUDE_KM = "prior_altitude_km"  # "400-420" or "410"
PRIOR_MAX_TILT = "prior_max_tilt"  # degrees off nadir, empty: up to the horizon
PRIOR_NEAR = "prior_near"  # "lat, lon"
PRIOR_RADIUS_KM = "prior_radius_km"
PRIOR_NEAR_GPS = "prior_near_gps"  # the photo's EXIF GPS, when it has one, is the point
PRIOR_TLE = "prior_tle"  # two-line element file
CATALOGUE_PATH = "catalogue_path"  # NASA-style frame catalogue CSV
PRIOR_KEYS = (
    PRIOR_MODE,
    PRIOR_NADIR,
    PRIOR_ALTITUDE_KM,
    PRIOR_MAX_TILT,
    PRIOR_NEAR,
    PRIOR_RADIUS_KM,
    PRIOR_NEAR_GPS,
    PRIOR_TLE,
    CATALOGUE_PATH,
)

DEFAULT_CANDIDATES = 10
MAX_RECENT = 8


def _settings() -> QgsSettings:
    return QgsSettings()


def get_str(key: str, default: str = "") -> str:
    value = _settings().value(PREFIX + key, default)
    return "" if value is None else str(value)


def set_value(key: str, value) -> None:
    _settings().setValue(PREFIX + key, value)


def candidates() -> int:
    try:
        return max(1, int(_settings().value(PREFIX + CANDIDATES, DEFAULT_CANDIDATES)))
    except (TypeError, ValueError):
        return DEFAULT_CANDIDATES


def photo_opacity() -> float:
    try:
        return min(1.0, max(0.0, float(_settings().value(PREFIX + PHOTO_OPACITY, 0.7))))
    except (TypeError, ValueError):
        return 0.7


def photo_kind() -> str:
    """The kind of photo last chosen (protocol.KINDS); auto when unset or no longer known."""
    value = get_str(PHOTO_KIND, "auto")
    return value if value in KINDS else "auto"


def recent_indexes() -> list[str]:
    value = _settings().value(PREFIX + RECENT_INDEXES, [])
    if isinstance(value, str):
        value = [value] if value else []
    return [str(v) for v in (value or []) if v]


def remember_index(path: str) -> None:
    """Make `path` the default index and the first of the recent ones."""
    recent = [p for p in recent_indexes() if p != path]
    set_value(RECENT_INDEXES, [path, *recent][:MAX_RECENT])
    set_value(INDEX_PATH, path)
