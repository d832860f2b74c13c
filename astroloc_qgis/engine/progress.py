"""Progress reporting with cancellation, shared by the long engine calls (index build, search, locate).

`Progress(stage, fraction 0..1, message)`; `Cancel()` is True once the user cancelled.
"""
from __future__ import annotations

from collections.abc import Callable

from .errors import Cancelled

Progress = Callable[[str, float, str], None]
Cancel = Callable[[], bool]


def stepper(progress: Progress | None, cancel: Cancel | None, what: str) -> Progress:
    """A `step(stage, fraction, message)` that raises Cancelled first if the user cancelled `what`."""

    def step(stage: str, fraction: float, message: str = "") -> None:
        if cancel and cancel():
            raise Cancelled(f"{what} cancelled")
        if progress:
            progress(stage, fraction, message)

    return step
