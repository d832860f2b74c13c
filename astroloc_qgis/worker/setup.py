"""Creating the engine environment on first use: a virtual environment of the system Python
with requirements/engine.txt pip-installed, run as a QgsTask that streams its log."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from .. import settings
from ..paths import shipped_file
from ..translate import translate
from .env import clean_environment, venv_python


def base_python() -> str | None:
    """The system interpreter used to create the environment (Debian's, not pyenv's)."""
    if Path("/usr/bin/python3").exists():
        return "/usr/bin/python3"
    return shutil.which("python3")


def engine_requirements() -> Path | None:
    """requirements/engine.txt: inside the packaged plugin, or at the top of a checkout."""
    return shipped_file("requirements", "engine.txt")


def setup_commands(env_dir: Path, requirements: Path, wheel_folder: str = "") -> list[list[str]]:
    python = base_python()
    if python is None:
        raise FileNotFoundError(
            translate("EngineEnv", "No system Python 3 found to create the engine environment.")
        )
    pip = [
        str(venv_python(env_dir)),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
    ]
    if wheel_folder:
        pip += ["--no-index", "--find-links", wheel_folder]
    return [[python, "-m", "venv", str(env_dir)], [*pip, "-r", str(requirements)]]


class EnvSetupTask(QgsTask):
    """Creates the engine environment (venv + pip install) and streams the log."""

    logLine = pyqtSignal(str)

    def __init__(self, env_dir: Path, wheel_folder: str = "", requirements: Path | None = None):
        super().__init__(
            translate("EngineEnv", "Creating the AstroLoc engine environment"), QgsTask.CanCancel
        )
        self.env_dir = env_dir
        self.wheel_folder = wheel_folder
        self.requirements = requirements
        self.error = ""
        self._process: subprocess.Popen | None = None

    def run(self) -> bool:
        requirements = self.requirements or engine_requirements()
        if requirements is None:
            self.error = translate(
                "EngineEnv", "requirements/engine.txt is missing from the plugin; reinstall the plugin."
            )
            return False
        try:
            commands = setup_commands(self.env_dir, requirements, self.wheel_folder)
        except FileNotFoundError as exc:
            self.error = str(exc)
            return False
        expected = max(
            1,
            sum(
                1
                for line in requirements.read_text().splitlines()
                if line.strip() and not line.startswith("#")
            ),
        )
        seen = 0
        for step, command in enumerate(commands):
            self.logLine.emit("$ " + " ".join(command))
            self._process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=clean_environment(),
                text=True,
                bufsize=1,
            )
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
                self.error = translate("EngineEnv", "The command failed (exit code {}): {}").format(
                    code, " ".join(command)
                )
                return False
        settings.set_value(settings.ENGINE_ENV, str(self.env_dir))
        self.setProgress(100)
        return True

    def cancel(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        super().cancel()
