"""Where the engine's Python lives, the environment it runs in, and the one way to start a worker.

Order of preference for the interpreter:
1. the `astroloc/engine_python` setting;
2. `<engine_env>/bin/python` when `astroloc/engine_env` is set;
3. `.venv-engine/bin/python` next to a development checkout (the plugin folder's parent);
4. the environment in the user's QGIS data folder (outside the plugin folder, so plugin updates
   do not wipe it), created on demand by `worker/setup.py`.

Never `sys.executable`: inside QGIS it is whatever `python3` was first on PATH.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import QgsApplication

from .. import settings
from ..paths import PLUGIN_DIR
from .client import WorkerClient

# Environment variables of QGIS's own process that would break a foreign Python.
_DROPPED_PREFIXES = ("PYTHON", "QT_", "GDAL_", "PROJ_")
_DROPPED_NAMES = ("LD_LIBRARY_PATH", "LD_PRELOAD", "CPL_ZIP_ENCODING")


def venv_python(env_dir: Path) -> Path:
    if sys.platform == "win32":
        return env_dir / "Scripts" / "python.exe"
    return env_dir / "bin" / "python"


def package_parent() -> Path:
    """The folder that contains the `astroloc_qgis` package (worker cwd for `-m`)."""
    return PLUGIN_DIR.parent


def user_env_dir() -> Path:
    """<QGIS data folder>/astroloc/engine-venv, shared by all profiles."""
    profile = Path(QgsApplication.qgisSettingsDirPath())
    return profile.parent.parent / "astroloc" / "engine-venv"


def configured_env_dir() -> Path:
    configured = settings.get_str(settings.ENGINE_ENV)
    return Path(configured).expanduser() if configured else user_env_dir()


@dataclass
class EngineLocation:
    python: Path | None
    source: str
    tried: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.python is not None


def find_engine_python() -> EngineLocation:
    tried: list[str] = []
    configured = settings.get_str(settings.ENGINE_PYTHON)
    if configured:
        path = Path(configured).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return EngineLocation(path, "setting", tried)
        tried.append(str(path))
    if settings.get_str(settings.ENGINE_ENV):
        path = venv_python(configured_env_dir())
        if path.is_file():
            return EngineLocation(path, "environment setting", tried)
        tried.append(str(path))
    dev = venv_python(PLUGIN_DIR.parent / ".venv-engine")
    if dev.is_file():
        return EngineLocation(dev, "development checkout", tried)
    tried.append(str(dev))
    user = venv_python(user_env_dir())
    if user.is_file():
        return EngineLocation(user, "user data folder", tried)
    tried.append(str(user))
    return EngineLocation(None, "", tried)


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """QGIS's environment minus what would make another Python load QGIS's libraries."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_DROPPED_PREFIXES) and key not in _DROPPED_NAMES
    }
    env["PYTHONUNBUFFERED"] = "1"  # only for pip's streamed log; the worker runs with -E
    env.update(extra or {})
    return env


def worker_log(name: str = "worker.log") -> Path:
    """<QGIS profile>/astroloc/<name>: where a worker's stderr goes."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "astroloc" / name


def start_worker_client(
    python: str | Path, log_path: str | Path, start_timeout: float = 180.0
) -> WorkerClient:
    """A client for a worker of `python` (started on its first request), run from the plugin's
    parent folder with QGIS's environment cleaned (the only way the shell makes one)."""
    return WorkerClient(
        python, package_parent(), log_path, env=clean_environment(), start_timeout=start_timeout
    )
