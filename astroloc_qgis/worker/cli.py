"""The engine's command line in a subprocess of the engine's Python (Processing's index build).

Nothing heavy is imported here: the engine (torch, faiss, rasterio) only ever runs in its own
interpreter. Progress lines of the CLI (`stage [####....]  42.0% message` on stderr) become
Processing progress; cancelling interrupts the CLI like Ctrl-C would.
"""
from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable

from qgis.core import QgsProcessingException, QgsProcessingFeedback

from ..translate import translate
from .client import ENGINE_ARGS
from .env import clean_environment, find_engine_python, package_parent

_PROGRESS = re.compile(r"^\s*(?P<stage>\S+)\s+\[[#.]+\]\s+(?P<pct>[\d.]+)%\s*(?P<msg>.*)$")


def engine_python(explicit: str = "") -> str:
    """The engine interpreter: the algorithm's parameter, else the plugin's settings/discovery."""
    if explicit:
        return explicit
    location = find_engine_python()
    if not location.found:
        raise QgsProcessingException(
            translate("AstroLocProcessing", "The AstroLoc engine environment is not set up (looked in: {0}). Set the ENGINE_PYTHON "
               "parameter or create the environment in AstroLoc settings.").format(", ".join(location.tried)))
    return str(location.python)


def run_cli(python: str, args: list[str], feedback: QgsProcessingFeedback | None,
            span: tuple[float, float] = (0.0, 100.0),
            on_line: Callable[[str], None] | None = None) -> str:
    """Run `python -m astroloc_qgis.engine ARGS`; returns stdout. Raises QgsProcessingException."""
    cmd = [python, *ENGINE_ARGS, *args]
    if feedback:
        feedback.pushCommandInfo(" ".join(cmd))
    try:
        proc = subprocess.Popen(cmd, cwd=str(package_parent()), env=clean_environment(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except OSError as exc:
        raise QgsProcessingException(translate("AstroLocProcessing", "Cannot start the engine {0}: {1}").format(python, exc)) from exc
    errors: list[str] = []

    def read_stderr() -> None:
        for line in proc.stderr:
            line = line.rstrip()
            m = _PROGRESS.match(line)
            if m and feedback:
                lo, hi = span
                feedback.setProgress(lo + (hi - lo) * min(100.0, float(m["pct"])) / 100.0)
                feedback.setProgressText(f"{m['stage']}: {m['msg']}".strip(": "))
            elif line:
                errors.append(line)
                if feedback:
                    feedback.pushInfo(line)
            if on_line:
                on_line(line)

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    out_chunks: list[str] = []
    out_reader = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    out_reader.start()
    interrupted = False
    while proc.poll() is None:
        if feedback and feedback.isCanceled() and not interrupted:
            proc.send_signal(signal.SIGINT)  # the CLI stops cleanly (an index build can resume)
            interrupted = time.monotonic()
        if interrupted and time.monotonic() - interrupted > 10:
            proc.kill()
        time.sleep(0.1)
    reader.join(5)
    out_reader.join(5)
    if feedback and feedback.isCanceled():
        raise QgsProcessingException(translate("AstroLocProcessing", "Cancelled."))
    if proc.returncode != 0:
        message = next((e for e in reversed(errors) if e.startswith("error:")), errors[-1] if errors else "")
        raise QgsProcessingException(translate("AstroLocProcessing", "The engine failed (exit {0}): {1}").format(proc.returncode, message))
    return "".join(out_chunks)
