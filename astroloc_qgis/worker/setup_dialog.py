"""Create the engine environment with a live log and a progress bar (the work is a QgsTask)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from .setup import EnvSetupTask


class EnvSetupDialog(QDialog):
    def __init__(self, env_dir: Path, wheel_folder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Create the AstroLoc engine environment"))
        self.resize(720, 420)
        self.succeeded = False
        layout = QVBoxLayout(self)
        source = wheel_folder or self.tr("the Python Package Index (internet)")
        layout.addWidget(
            QLabel(
                self.tr(
                    "Folder: {}\nPackages from: {}\nThis installs about 1.4 GB of packages "
                    "and takes a few minutes."
                ).format(env_dir, source),
                self,
            )
        )
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress)
        self.log = QPlainTextEdit(self)
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        layout.addWidget(self.log, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.task = EnvSetupTask(env_dir, wheel_folder)
        self.task.logLine.connect(self.log.appendPlainText)
        self.task.progressChanged.connect(lambda value: self.progress.setValue(int(value)))
        self.task.taskCompleted.connect(self._completed)
        self.task.taskTerminated.connect(self._terminated)
        QgsApplication.taskManager().addTask(self.task)

    def _completed(self) -> None:
        self.succeeded = True
        self.task = None
        self.progress.setValue(100)
        self.log.appendPlainText(self.tr("Done: the engine environment is ready."))
        self._close_button()

    def _terminated(self) -> None:
        error = self.task.error if self.task is not None else ""
        self.task = None
        self.log.appendPlainText(self.tr("Failed: {}").format(error or self.tr("see the log above")))
        self._close_button()

    def _close_button(self) -> None:
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.Close).clicked.connect(self.accept)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()
