"""Review keys on the map canvas: A confirm, R reject, E edit, 1-9 candidate, N/P next/previous,
Ctrl+Z / Ctrl+Shift+Z undo/redo.

An event filter rather than QShortcuts: QGIS already owns window-wide shortcuts such as Ctrl+Z,
and two shortcuts on one key make Qt trigger neither. Claiming the key in the canvas's
ShortcutOverride event makes it reach us whenever the canvas has focus, and only then.
While a footprint is being edited, only E / Enter (save) and Esc (cancel) are ours: every
other key goes to QGIS's vertex tool.
"""

from __future__ import annotations

from collections.abc import Callable

from qgis.PyQt.QtCore import QEvent, QObject, Qt
from qgis.PyQt.QtGui import QKeyEvent

_PLAIN = {Qt.Key_A: "confirm", Qt.Key_R: "reject", Qt.Key_E: "edit", Qt.Key_N: "next", Qt.Key_P: "prev"}
_DIGITS = {getattr(Qt, f"Key_{d}"): d for d in range(1, 10)}


def action_for(event: QKeyEvent, editing: bool) -> tuple[str, int] | None:
    """(action, argument) for a key event, or None when the key is not a review key."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeypadModifier
    if editing:
        if mods == Qt.NoModifier and key in (Qt.Key_E, Qt.Key_Return, Qt.Key_Enter):
            return ("save_edit", 0)
        if mods == Qt.NoModifier and key == Qt.Key_Escape:
            return ("cancel_edit", 0)
        return None
    if key == Qt.Key_Z and mods == Qt.ControlModifier:
        return ("undo", 0)
    if key == Qt.Key_Z and mods == (Qt.ControlModifier | Qt.ShiftModifier):
        return ("redo", 0)
    if mods != Qt.NoModifier:
        return None
    if key in _PLAIN:
        return (_PLAIN[key], 0)
    if key in _DIGITS:
        return ("choose", _DIGITS[key])
    return None


class ReviewKeys(QObject):
    """Routes review keys typed on `canvas` to `handler(action, argument)` while `is_active()`."""

    def __init__(
        self,
        canvas,
        handler: Callable[[str, int], None],
        is_active: Callable[[], bool],
        is_editing: Callable[[], bool],
    ) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.handler = handler
        self.is_active = is_active
        self.is_editing = is_editing
        self._targets = [canvas, canvas.viewport()]
        for target in self._targets:
            target.installEventFilter(self)

    def remove(self) -> None:
        for target in self._targets:
            try:
                target.removeEventFilter(self)
            except RuntimeError:
                pass  # the canvas is gone already
        self._targets = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() not in (QEvent.ShortcutOverride, QEvent.KeyPress) or not self.is_active():
            return False
        if event.isAutoRepeat():
            return event.type() == QEvent.KeyPress and action_for(event, self.is_editing()) is not None
        action = action_for(event, self.is_editing())
        if action is None:
            return False
        event.accept()
        if event.type() == QEvent.KeyPress:
            self.handler(*action)
        return True
