"""The engine as the Processing algorithms use it: which interpreter, and one request through the
worker with the engine's progress messages as Processing progress."""

from __future__ import annotations

from qgis.core import QgsProcessingException, QgsProcessingFeedback, QgsProcessingParameterString

from ..engine import protocol
from ..translate import translate
from ..worker.client import WorkerClient, WorkerError
from ..worker.env import find_engine_python


def engine_python_parameter(name: str) -> QgsProcessingParameterString:
    """The optional engine interpreter parameter every algorithm offers. A string, not a file
    parameter: the venv's python is a symlink without an extension."""
    return QgsProcessingParameterString(name, translate("AstroLocProcessing", "Engine Python"), optional=True)


def engine_python(explicit: str = "") -> str:
    """The engine interpreter: the algorithm's parameter, else the plugin's settings/discovery."""
    if explicit:
        return explicit
    location = find_engine_python()
    if not location.found:
        raise QgsProcessingException(
            translate(
                "AstroLocProcessing",
                "The AstroLoc engine environment is not set up (looked in: {0}). Set the "
                "ENGINE_PYTHON parameter or create the environment in AstroLoc settings.",
            ).format(", ".join(location.tried))
        )
    return str(location.python)


def request(
    client: WorkerClient,
    op: str,
    feedback: QgsProcessingFeedback,
    span: tuple[float, float] = (0.0, 100.0),
    **params,
) -> dict:
    """Send `op` to the worker and wait for its result; its progress messages fill `span` of the
    algorithm's progress bar; cancelling the algorithm cancels the request. Raises WorkerError."""
    low, high = span

    def show(message: dict) -> None:
        if message.get("type") == protocol.PROGRESS:
            feedback.setProgress(low + (high - low) * min(1.0, float(message.get("fraction", 0.0))))
            feedback.setProgressText(f"{message.get('stage', '')}: {message.get('message', '')}".strip(": "))

    return client.submit(op, feedback.isCanceled, **params).result(feedback.isCanceled, show)


def start(client: WorkerClient, feedback: QgsProcessingFeedback) -> None:
    """Start the worker (the first request would too: this says so, and fails the algorithm clearly)."""
    feedback.setProgressText(translate("AstroLocProcessing", "Starting the engine…"))
    try:
        client.ensure_started(feedback.isCanceled)
    except WorkerError as exc:
        raise QgsProcessingException(str(exc)) from exc
