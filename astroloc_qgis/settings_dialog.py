"""AstroLoc settings: engine interpreter and environment, default index, reviewer, k.

"Test engine" starts a throw-away worker with the interpreter shown in the dialog (in a
QgsTask, so the dialog stays responsive) and prints the versions it reports.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from qgis.core import QgsApplication, QgsTask
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from . import settings
from .worker.env import configured_env_dir, find_engine_python, start_worker_client, user_env_dir
from .worker.setup_dialog import EnvSetupDialog


def _file_widget(mode, value: str, parent: QWidget, dialog_filter: str = "") -> QgsFileWidget:
    widget = QgsFileWidget(parent)
    widget.setStorageMode(mode)
    if dialog_filter:
        widget.setFilter(dialog_filter)
    widget.setFilePath(value)
    return widget


def probe_engine(python: str) -> dict:
    """Start a worker with `python`, ask `hello`, stop it. Blocking: runs in a task."""
    log = Path(tempfile.gettempdir()) / "astroloc-engine-test.log"
    client = start_worker_client(python, log, start_timeout=120)
    try:
        client.ensure_started()
        return client.submit("hello").result()
    finally:
        client.shutdown()


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("AstroLoc settings"))
        self.setMinimumWidth(560)
        self._task: QgsTask | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()

        found = find_engine_python()
        self.python = _file_widget(QgsFileWidget.GetFile, settings.get_str(settings.ENGINE_PYTHON), self)
        self.python.lineEdit().setPlaceholderText(
            str(found.python) if found.found else self.tr("not found: create the environment below")
        )
        form.addRow(self.tr("Engine Python"), self.python)
        self.env_dir = _file_widget(QgsFileWidget.GetDirectory, str(configured_env_dir()), self)
        form.addRow(self.tr("Environment folder"), self.env_dir)
        self.wheels = _file_widget(QgsFileWidget.GetDirectory, settings.get_str(settings.WHEEL_FOLDER), self)
        self.wheels.lineEdit().setPlaceholderText(self.tr("optional: offline wheel folder"))
        form.addRow(self.tr("Offline wheels"), self.wheels)
        self.index = _file_widget(QgsFileWidget.GetDirectory, settings.get_str(settings.INDEX_PATH), self)
        form.addRow(self.tr("Default index"), self.index)
        self.session = _file_widget(
            QgsFileWidget.SaveFile,
            settings.get_str(settings.SESSION_PATH),
            self,
            self.tr("GeoPackage (*.gpkg)"),
        )
        form.addRow(self.tr("Review session"), self.session)
        self.reviewer = QLineEdit(settings.get_str(settings.REVIEWER), self)
        form.addRow(self.tr("Reviewer"), self.reviewer)
        self.candidates = QSpinBox(self)
        self.candidates.setRange(1, 1000)
        self.candidates.setValue(settings.candidates())
        form.addRow(self.tr("Candidates (k)"), self.candidates)
        layout.addLayout(form)

        buttons_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test engine"), self)
        self.test_button.clicked.connect(self.test_engine)
        buttons_row.addWidget(self.test_button)
        self.setup_button = QPushButton(self.tr("Create environment…"), self)
        self.setup_button.clicked.connect(self.create_environment)
        buttons_row.addWidget(self.setup_button)
        buttons_row.addStretch(1)
        layout.addLayout(buttons_row)
        self.output = QPlainTextEdit(self)
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(2000)
        self.output.setPlaceholderText(self.tr("Engine versions and messages appear here."))
        layout.addWidget(self.output, 1)

        box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def engine_python(self) -> str:
        explicit = self.python.filePath().strip()
        if explicit:
            return explicit
        found = find_engine_python()
        return str(found.python) if found.found else ""

    def accept(self) -> None:
        settings.set_value(settings.ENGINE_PYTHON, self.python.filePath().strip())
        env_dir = self.env_dir.filePath().strip()
        if env_dir == str(user_env_dir()) and not settings.get_str(settings.ENGINE_ENV):
            env_dir = ""  # the default stays implicit, so it can follow QGIS's data folder
        settings.set_value(settings.ENGINE_ENV, env_dir)
        settings.set_value(settings.WHEEL_FOLDER, self.wheels.filePath().strip())
        index = self.index.filePath().strip()
        if index and index != settings.get_str(settings.INDEX_PATH):
            settings.remember_index(index)
        elif not index:
            settings.set_value(settings.INDEX_PATH, "")
        settings.set_value(settings.SESSION_PATH, self.session.filePath().strip())
        settings.set_value(settings.REVIEWER, self.reviewer.text().strip())
        settings.set_value(settings.CANDIDATES, self.candidates.value())
        super().accept()

    def test_engine(self) -> None:
        python = self.engine_python()
        if not python:
            self.output.setPlainText(self.tr("No engine Python found. Click 'Create environment…'."))
            return
        self.output.setPlainText(self.tr("Starting {} …").format(python))
        self.test_button.setEnabled(False)

        def done(exception, versions=None) -> None:
            self.test_button.setEnabled(True)
            self._task = None
            if exception is not None:
                self.output.appendPlainText(self.tr("The engine failed: {}").format(exception))
            else:
                self.output.appendPlainText(json.dumps(versions, indent=2, sort_keys=True))

        self._task = QgsTask.fromFunction(
            self.tr("Testing the AstroLoc engine"), lambda task: probe_engine(python), on_finished=done
        )
        QgsApplication.taskManager().addTask(self._task)

    def create_environment(self) -> None:
        folder = self.env_dir.filePath().strip() or str(configured_env_dir())
        dialog = EnvSetupDialog(Path(folder), self.wheels.filePath().strip(), self)
        dialog.exec_()
        if dialog.succeeded:
            self.env_dir.setFilePath(folder)
            self.output.setPlainText(self.tr("Environment ready in {}.").format(folder))
