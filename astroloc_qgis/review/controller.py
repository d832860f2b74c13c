"""The review controller: a queue of photos ordered by confidence and the analyst's actions on it.

Qt-free apart from a signal so the panel and the canvas keys can follow it; every action goes
through the session, so it is in the GeoPackage (or its journal) when the method returns.
"""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..definitions import PENDING
from ..session.store import Session
from ..translate import translate

LOWEST_FIRST, HIGHEST_FIRST = "lowest", "highest"


class ReviewController(QObject):
    changed = pyqtSignal()  # queue, current item or counts changed
    message = pyqtSignal(str, bool)  # text, is_error

    def __init__(
        self,
        session: Session,
        order: str = LOWEST_FIRST,
        auto_advance: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.order = order
        self.auto_advance = auto_advance
        self.current_id: str | None = None
        self._queue: list[str] = []
        self.rebuild()

    # ------------------------------------------------------------------ queue
    def rebuild(self, keep_current: bool = True) -> None:
        photos = self.session.photos()

        def key(p: dict[str, Any]) -> tuple[float, str]:
            c = p.get("confidence")
            c = 0.0 if c is None else float(c)
            return (c if self.order == LOWEST_FIRST else -c, p.get("name") or "")

        self._queue = [p["photo_id"] for p in sorted(photos, key=key)]
        if not (keep_current and self.current_id in self._queue):
            self.current_id = self._first_pending()
        self.changed.emit()

    def set_order(self, order: str) -> None:
        self.order = order
        self.rebuild()

    def sync(self) -> None:
        """Pick up results or decisions written by another window (cheap when nothing changed)."""
        if self.session.refresh_if_changed():
            self.rebuild()

    def queue(self) -> list[dict[str, Any]]:
        return [self.session.photo(pid) for pid in self._queue]

    def counts(self) -> dict[str, int]:
        return self.session.counts()

    def _first_pending(self) -> str | None:
        for pid in self._queue:
            if self.session.photo(pid)["status"] == PENDING:
                return pid
        return self._queue[0] if self._queue else None

    @property
    def position(self) -> int:
        return self._queue.index(self.current_id) if self.current_id in self._queue else -1

    def current(self) -> dict[str, Any] | None:
        return self.session.photo(self.current_id) if self.current_id else None

    def select(self, photo_id: str) -> None:
        if photo_id in self._queue:
            self.current_id = photo_id
            self.changed.emit()

    def next(self) -> None:
        self._step(+1)

    def prev(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self._queue:
            return
        i = self.position
        i = 0 if i < 0 else max(0, min(len(self._queue) - 1, i + delta))
        self.current_id = self._queue[i]
        self.changed.emit()

    def _advance(self) -> None:
        """After a decision, go to the next pending photo after the current one (wrapping)."""
        if not self.auto_advance or not self._queue:
            return
        start = max(self.position, 0)
        n = len(self._queue)
        for k in range(1, n + 1):
            pid = self._queue[(start + k) % n]
            if self.session.photo(pid)["status"] == PENDING:
                self.current_id = pid
                return

    # ------------------------------------------------------------------ actions
    def confirm(self) -> bool:
        cur = self.current()
        if cur is None:
            return False
        if self.session.footprint(cur["photo_id"]) is None:
            self.message.emit(
                translate("Review", "This photo has no footprint: take a candidate with 1-9, or reject it"),
                True,
            )
            return False
        return self._act(lambda: self.session.confirm(cur["photo_id"]), advance=True)

    def reject(self) -> bool:
        cur = self.current()
        return cur is not None and self._act(lambda: self.session.reject(cur["photo_id"]), advance=True)

    def choose(self, rank: int) -> bool:
        cur = self.current()
        if cur is None:
            return False
        if not any(c["rank"] == rank for c in self.session.candidates(cur["photo_id"])):
            self.message.emit(
                translate("Review", "There is no candidate {0} for this photo").format(rank), True
            )
            return False
        return self._act(lambda: self.session.choose(cur["photo_id"], rank), advance=True)

    def save_edit(self, geometry: dict[str, Any]) -> bool:
        cur = self.current()
        return cur is not None and self._act(
            lambda: self.session.edit(cur["photo_id"], geometry), advance=False
        )

    def undo(self) -> bool:
        return self._act(self.session.undo, advance=False, follow=True)

    def redo(self) -> bool:
        return self._act(self.session.redo, advance=False, follow=True)

    def retry(self) -> bool:
        ok = self.session.retry_pending()
        self.changed.emit()
        return ok

    def _act(self, fn: Any, advance: bool, follow: bool = False) -> bool:
        pending_before = self.session.pending_count
        entry = fn()
        if entry is None:
            return False
        if follow and entry.get("photo_id") in self._queue:
            self.current_id = entry["photo_id"]  # show what undo/redo changed
        if advance:
            self._advance()
        if self.session.pending_count and self.session.last_error:
            self.message.emit(self.session.last_error, True)
        elif pending_before:
            self.message.emit(translate("Review", "All pending decisions were written to the session"), False)
        self.changed.emit()
        return True
