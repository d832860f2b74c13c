"""Review mode: ties the session, the review controller, the Review tab, the map and the canvas keys.

Owned by the plugin; results the plugin localizes arrive through `add_result`.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsTask
from qgis.PyQt.QtCore import QElapsedTimer, QObject, QThread, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QFileDialog

from .. import settings
from ..definitions import LOG_TAG
from ..session.export import ExportError, export_confirmed
from ..session.store import Session, SessionError, create_session_file
from ..session.writer import SessionWriter
from ..translate import translate
from .controller import ReviewController
from .keys import ReviewKeys
from .map import ReviewMap

RETRY_MS = 5000
SYNC_MS = 3000


def default_session_path() -> str:
    return str(Path(QgsApplication.qgisSettingsDirPath()) / "astroloc" / "review-session.gpkg")


class ReviewMode(QObject):
    # emitted from the SessionWriter's thread (queued to the GUI thread): results were committed
    resultsWritten = pyqtSignal()
    sessionOpened = pyqtSignal(object)  # the Session (the batch queue offers what an interrupted batch left)

    def __init__(self, iface, dock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.dock = dock
        self.panel = dock.review
        self.session: Session | None = None
        self.writer: SessionWriter | None = None
        self._create_task: QgsTask | None = None
        self.resultsWritten.connect(self._drain_written)
        self.controller: ReviewController | None = None
        self.map = ReviewMap(iface)
        dock.tabChanged.connect(self._tab_changed)
        self.forced_active: bool | None = None  # tests and scripts can force the keys on
        self._stale = False
        self.panel.actionRequested.connect(self.do)
        self.panel.photoSelected.connect(self._select)
        self.panel.orderChanged.connect(self._order)
        self.panel.openRequested.connect(self.browse_open)
        self.panel.newRequested.connect(self.browse_new)
        self.panel.exportRequested.connect(self.browse_export)
        canvas = iface.mapCanvas() if iface is not None else None
        self.keys = ReviewKeys(canvas, self.do, self.is_active, lambda: self.map.editing) if canvas else None
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self._retry_pending)
        self._sync = QTimer(self)
        self._sync.setInterval(SYNC_MS)
        self._sync.timeout.connect(self._sync_other_windows)

    # ------------------------------------------------------------------ state
    def is_active(self) -> bool:
        """Keys are live while a session is open and the Review tab is shown (or forced)."""
        if self.session is None:
            return False
        if self.forced_active is not None:
            return self.forced_active
        return self.dock.review_shown()

    def reviewer(self) -> str:
        return settings.get_str(settings.REVIEWER)

    # ------------------------------------------------------------------ session
    def open_session(self, path: str, create: bool = True) -> bool:
        try:
            session = Session(path, reviewer=self.reviewer(), create=create, on_message=self._session_message)
        except SessionError as exc:
            self._notify(str(exc), error=True)
            return False
        self.close_session()
        self.session = session
        self.writer = SessionWriter(
            session.path, lambda _op, _error: self.resultsWritten.emit(), session.busy_timeout_s
        )
        self.controller = ReviewController(session, order=self.panel.order())
        self.controller.changed.connect(self._refresh)
        self.controller.message.connect(lambda text, error: self._notify(text, error))
        settings.set_value(settings.SESSION_PATH, session.path)
        self.panel.show_session(session.path)
        self._sync.start()
        self._refresh(zoom=True)
        if session.pending_count:
            self._retry.start()
        self.sessionOpened.emit(session)
        return True

    def close_session(self) -> None:
        self._retry.stop()
        self._sync.stop()
        self.map.clear()
        if self.writer is not None:
            self.writer.close()  # queued results are committed (or stay in the journal)
            self._drain_written()
            self.writer = None
        if self.controller is not None:
            self.controller.changed.disconnect(self._refresh)
            self.controller = None
        if self.session is not None:
            self.session.close()
            self.session = None
        self.panel.show_session(None)
        self._show_pending_count()

    def restore(self) -> None:
        """Reopen the last session at start-up (everything, also after QGIS was killed), or get
        the default one ready: creating a GeoPackage takes GDAL ~80 ms, done in a task so that
        neither the start-up nor the first result pays for it on the GUI thread."""
        path = settings.get_str(settings.SESSION_PATH) or default_session_path()
        if Path(path).is_file():
            self.open_session(path, create=False)
            return

        def create(_task: QgsTask) -> None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            create_session_file(path)

        def created(exception, _result=None) -> None:
            if self._create_task is None:
                return  # unloaded meanwhile
            self._create_task = None
            if exception is None and self.session is None and Path(path).is_file():
                self.open_session(path, create=False)

        self._create_task = QgsTask.fromFunction(
            translate("ReviewMode", "AstroLoc: creating the review session"), create, on_finished=created
        )
        QgsApplication.taskManager().addTask(self._create_task)

    def add_result(self, collection: dict, *_args) -> str | None:
        """Record one localization result in the session (a default one if none is open).

        The result is journaled at once (fsynced) and written into the GeoPackage by the
        session's writer thread: the GUI thread never waits on SQLite here."""
        if self.ensure_session() is None:
            return None
        op = self.session.add_result_journaled(collection)
        self.writer.submit(op)
        self.map.forget_overlay(op["photo_id"])
        self._show_pending_count()
        if self.is_active():
            self.controller.rebuild()
        else:
            self._stale = True  # refreshed when the Review tab is shown: keep the Locate path light
        return op["photo_id"]

    def ensure_session(self) -> Session | None:
        """The open session, or the last (default) one opened now; None with a message if it cannot be."""
        if self.session is None:
            if self._create_task is not None:
                self._create_task.waitForFinished(10000)  # rare: a result before the task ended
                self._create_task = None  # opened here; its on_finished then does nothing
            if self.session is None:
                self.open_session(settings.get_str(settings.SESSION_PATH) or default_session_path())
        return self.session

    def wait_written(self, timeout_ms: int = 10000) -> bool:
        """Wait until the writer has committed every result (tests, scripts, export)."""
        if self.writer is None:
            return True
        timer = QElapsedTimer()
        timer.start()
        while not self.writer.idle() and timer.elapsed() < timeout_ms:
            QThread.msleep(5)
        self._drain_written()
        return self.writer.idle()

    def _drain_written(self) -> None:
        """Apply the writer's finished results to the session (GUI thread)."""
        if self.writer is None or self.session is None:
            return  # closed meanwhile: the journal still holds anything unwritten
        finished = self.writer.take_finished()
        for op, error in finished:
            self.session.result_written(op, error)
        if any(error is not None for _op, error in finished):
            self._notify(self.session.last_error, True)
            self._retry.start()
        elif finished and self.is_active():
            self.map.reload()  # the review layers read the file: show the new rows

    def _show_pending_count(self) -> None:
        """Keep "Review (n pending)" right from every tab: counted in the session's memory."""
        pending = self.session.counts()["pending"] if self.session is not None else None
        text = (
            translate("ReviewMode", "Review")
            if pending is None
            else translate("ReviewMode", "Review ({0} pending)").format(pending)
        )
        self.dock.set_review_title(text)

    def _tab_changed(self) -> None:
        if self._stale and self.controller is not None and self.is_active():
            self._stale = False
            self.controller.rebuild()  # emits changed -> _refresh
        else:
            self._refresh()

    # ------------------------------------------------------------------ actions
    def do(self, action: str, argument: int = 0) -> None:
        ctl = self.controller
        if ctl is None:
            return
        self.session.reviewer = self.reviewer() or self.session.reviewer  # the settings may have changed
        if action == "edit":
            action = "save_edit" if self.map.editing else "start_edit"
        if action == "start_edit":
            self._start_edit(ctl)
            return
        if action == "save_edit":
            self._save_edit(ctl)
            return
        if action == "cancel_edit":
            self.map.cancel_edit()
            self.panel.set_editing(False)
            return
        if self.map.editing:
            self.map.cancel_edit()
            self.panel.set_editing(False)
        handlers = {
            "confirm": ctl.confirm,
            "reject": ctl.reject,
            "next": ctl.next,
            "prev": ctl.prev,
            "undo": ctl.undo,
            "redo": ctl.redo,
            "retry": ctl.retry,
        }
        if action == "choose":
            ctl.choose(argument)
        elif action in handlers:
            done = handlers[action]()
            if action in ("undo", "redo") and done is False:
                self._notify(
                    self.session.last_error
                    or translate("ReviewMode", "Nothing to {0}").format(
                        translate("ReviewMode", "undo")
                        if action == "undo"
                        else translate("ReviewMode", "redo")
                    ),
                    False,
                )

    def _start_edit(self, ctl: ReviewController) -> None:
        if ctl.current_id is None or not self.map.start_edit(self.session, ctl.current_id):
            self._notify(
                translate("ReviewMode", "This photo has no footprint to edit: take a candidate (1-9) first"),
                True,
            )
        self.panel.set_editing(self.map.editing)

    def _save_edit(self, ctl: ReviewController) -> None:
        geometry, photo_id = self.map.edited_geometry(), self.map.edit_photo
        self.map.cancel_edit()
        self.panel.set_editing(False)
        if geometry is not None and photo_id is not None:
            ctl.select(photo_id)
            if not ctl.save_edit(geometry):
                self._notify(translate("ReviewMode", "The edited footprint was not saved"), True)

    def _select(self, photo_id: str) -> None:
        if self.controller is not None:
            self.controller.select(photo_id)

    def _order(self, order: str) -> None:
        if self.controller is not None:
            self.controller.set_order(order)

    # ------------------------------------------------------------------ display
    def _refresh(self, zoom: bool = True) -> None:
        ctl, session = self.controller, self.session
        if ctl is None or session is None:
            return
        counts = ctl.counts()
        self.panel.show_counts(counts)
        self._show_pending_count()
        self.panel.show_queue(ctl.queue(), ctl.current_id)
        current = ctl.current()
        pid = current["photo_id"] if current else None
        self.panel.show_current(
            current,
            session.footprint(pid) if pid else None,
            len(session.candidates(pid)) if pid else 0,
            ctl.position,
            len(ctl.queue()),
        )
        if session.pending_count:
            self.panel.show_message(session.last_error, True, session.pending_count)
            self._retry.start()
        elif not self.panel.message_shown():
            self.panel.show_message("", False, 0)
        if not self.is_active():
            return  # the map layers follow the session while the Review tab is shown
        if not self.map.layers:
            self.map.show_session(session.path)
        else:
            self.map.reload()
        self.map.show_current(session, pid, zoom=zoom)

    def notify(self, text: str, error: bool) -> None:
        """A message in the Review tab (and the log; errors also in the message bar)."""
        self._notify(text, error)

    def _notify(self, text: str, error: bool) -> None:
        pending = self.session.pending_count if self.session else 0
        self.panel.show_message(text, error, pending)
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.Warning if error else Qgis.Info)
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is not None and error:
            bar.pushMessage(translate("ReviewMode", "AstroLoc review"), text, Qgis.Warning, 8)

    def _session_message(self, text: str) -> None:
        QgsMessageLog.logMessage(text, LOG_TAG, Qgis.Info)

    def _retry_pending(self) -> None:
        if self.session is None or not self.session.pending_count:
            self._retry.stop()
            return
        if self.controller.retry():
            self._retry.stop()
            self._notify(translate("ReviewMode", "All pending decisions were written to the session"), False)

    def _sync_other_windows(self) -> None:
        if self.controller is not None and not self.map.editing:
            before = self.session.data_version
            self.controller.sync()
            if self.session.data_version != before:
                self.map.reload()

    # ------------------------------------------------------------------ dialogs
    def browse_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.panel,
            translate("ReviewMode", "Open review session"),
            self._folder(),
            translate("ReviewMode", "Review session (*.gpkg)"),
        )
        if path:
            self.open_session(path, create=False)

    def browse_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.panel,
            translate("ReviewMode", "New review session"),
            self._folder(),
            translate("ReviewMode", "Review session (*.gpkg)"),
        )
        if path:
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
            if Path(path).exists():
                self._notify(
                    translate("ReviewMode", "{0} exists: use Open to continue that session").format(path),
                    True,
                )
                return
            self.open_session(path)

    def browse_export(self) -> None:
        if self.session is None:
            return
        only_gpkg = translate("ReviewMode", "GeoPackage (*.gpkg)")
        with_all = translate("ReviewMode", "GeoPackage, plus GeoJSON and CSV beside it (*.gpkg)")
        path, chosen = QFileDialog.getSaveFileName(
            self.panel,
            translate("ReviewMode", "Export confirmed footprints"),
            self._folder(),
            f"{only_gpkg};;{with_all}",
        )
        if path:
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
            self.export(path, ["gpkg", "geojson", "csv"] if chosen == with_all else ["gpkg"])

    def export(self, path: str, formats: list[str]) -> bool:
        self.wait_written()  # the export reads the file
        try:
            result = export_confirmed(self.session.path, path, formats)
        except ExportError as exc:
            self._notify(str(exc), True)
            return False
        self._notify(
            translate("ReviewMode", "{0} footprint(s) exported to {1}").format(result.count, path), False
        )
        return True

    def _folder(self) -> str:
        return str(Path(self.session.path).parent) if self.session else str(Path.home())

    def unload(self) -> None:
        if self._create_task is not None:
            self._create_task.waitForFinished(10000)
            self._create_task = None
        if self.keys is not None:
            self.keys.remove()
            self.keys = None
        self.close_session()
