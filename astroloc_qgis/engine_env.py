"""Where the engine's Python lives, and how to create that environment on first use.

Order of preference for the interpreter:
1. the `astroloc/engine_python` setting;
2. `<engine_env>/bin/python` when `astroloc/engine_env` is set;
3. `.venv-engine/bin/python` next to a development checkout (the plugin folder's parent);
4. the environment in the user's QGIS data folder (outside the plugin folder, so plugin updates
   do not wipe it), created on demand by `EnvSetupTask`.

Never `sys.executable`: inside QGIS it is whatever `python3` was first on PATH.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import QgsApplication, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from . import settings
from .paths import PLUGIN_DIR, shipped_file
from .translate import translate

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


def engine_requirements() -> Path | None:
    """requirements/engine.txt: inside the packaged plugin, or at the top of a checkout."""
    return shipped_file("requirements", "engine.txt")


def base_python() -> str | None:
    """The system interpreter used to create the environment (Debian's, not pyenv's)."""
    if Path("/usr/bin/python3").exists():
        return "/usr/bin/python3"
    return shutil.which("python3")


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
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(_DROPPED_PREFIXES) and key not in _DROPPED_NAMES}
    env["PYTHONUNBUFFERED"] = "1"  # only for pip's streamed log; the worker runs with -E
    env.update(extra or {})
    return env


def setup_commands(env_dir: Path, requirements: Path, wheel_folder: str = "") -> list[list[str]]:
    python = base_python()
    if python is None:
        raise FileNotFoundError(translate("EngineEnv", "No system Python 3 found to create the engine environment."))
    pip = [str(venv_python(env_dir)), "-m", "pip", "install", "--disable-pip-version-check",
           "--progress-bar", "off"]
    if wheel_folder:
        pip += ["--no-index", "--find-links", wheel_folder]
    return [[python, "-m", "venv", str(env_dir)], [*pip, "-r", str(requirements)]]


class EnvSetupTask(QgsTask):
    """Creates the engine environment (venv + pip install) and streams the log."""

    logLine = pyqtSignal(str)

    def __init__(self, env_dir: Path, wheel_folder: str = "", requirements: Path | None = None):
        super().__init__(translate("EngineEnv", "Creating the AstroLoc engine environment"), QgsTask.CanCancel)
        self.env_dir = env_dir
        self.wheel_folder = wheel_folder
        self.requirements = requirements
        self.error = ""
        self._process: subprocess.Popen | None = None

    def run(self) -> bool:
        requirements = self.requirements or engine_requirements()
        if requirements is None:
            self.error = translate("EngineEnv", "requirements/engine.txt is missing from the plugin; reinstall the plugin.")
            return False
        try:
            commands = setup_commands(self.env_dir, requirements, self.wheel_folder)
        except FileNotFoundError as exc:
            self.error = str(exc)
            return False
        expected = max(1, sum(1 for line in requirements.read_text().splitlines()
                              if line.strip() and not line.startswith("#")))
        seen = 0
        for step, command in enumerate(commands):
            self.logLine.emit("$ " + " ".join(command))
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=clean_environment(), text=True, bufsize=1)
            assert self._process.stdout is not None
            for line in self._process.stdout:
                if self.isCanceled():
                    self._process.kill()
                    break
                line = line.rstrip()
                if re.match(r"\s*(Collecting|Processing|Looking in links)", line):
                    seen += 1
                # dependencies are pulled too: assume about 3 packages per requirement line
                self.setProgress(5 if step == 0 else min(95.0, 10 + 85 * seen / (3 * expected)))
                self.logLine.emit(line)
            code = self._process.wait()
            if self.isCanceled():
                self.error = translate("EngineEnv", "Cancelled.")
                return False
            if code != 0:
                self.error = translate("EngineEnv", "The command failed (exit code {}): {}").format(code, " ".join(command))
                return False
        settings.set_value(settings.ENGINE_ENV, str(self.env_dir))
        self.setProgress(100)
        return True

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        super().cancel()
