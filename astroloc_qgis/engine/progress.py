"""Progress reporting with cancellation, shared by the long engine calls (index build, model fitting,
search, locate).

`Progress(stage, fraction 0..1, message)`; `Cancel()` is True once the user cancelled.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import Cancelled

Progress = Callable[[str, float, str], None]
Cancel = Callable[[], bool]


def raise_if_cancelled(cancel: Cancel | None, what: str, hint: str = "") -> None:
    """Raise Cancelled when the user cancelled `what` (hint: what they can do next)."""
    if cancel and cancel():
        raise Cancelled(f"{what} cancelled", hint)


def stepper(progress: Progress | None, cancel: Cancel | None, what: str, hint: str = "") -> Progress:
    """A `step(stage, fraction, message)` that raises Cancelled first if the user cancelled `what`
    (with no `cancel`: a report that never raises); fractions are clamped to 0..1."""

    def step(stage: str, fraction: float, message: str = "") -> None:
        raise_if_cancelled(cancel, what, hint)
        if progress:
            progress(stage, min(1.0, max(0.0, fraction)), message)

    return step


def scaled(progress: Progress | None, start: float, end: float) -> Progress | None:
    """`progress` as a part of the work sees it: the part's fractions 0..1 fill [start, end]."""
    if progress is None:
        return None

    def part(stage: str, fraction: float, message: str = "") -> None:
        progress(stage, start + (end - start) * fraction, message)

    return part
