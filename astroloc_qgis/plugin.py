"""The plugin class QGIS instantiates. It only wires: the translator, the Processing provider,
the dock, the two flows' controllers (locate/, review/), the canvas drop handler and the actions.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsSettings
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTranslator
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .definitions import LOG_TAG
from .dock import AstroLocDock
from .locate.compare import CompareTools
from .locate.controller import LocalizationController
from .locate.drop import PhotoDropHandler
from .paths import i18n_dir, icon_path
from .processing.dialogs import open_build_from_layer
from .processing.events import index_events
from .processing.provider import AstroLocProvider
from .review.adapt import IndexAdaptation
from .review.mode import ReviewMode
from .settings_dialog import SettingsDialog
from .translate import translate

MENU = "&AstroLoc"


class AstroLocPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.dock: AstroLocDock | None = None
        self.controller: LocalizationController | None = None
        self.compare: CompareTools | None = None
        self.review: ReviewMode | None = None
        self.adaptation: IndexAdaptation | None = None
        self.drop_handler: PhotoDropHandler | None = None
        self.provider: AstroLocProvider | None = None
        self.build_dialog = None
        self.actions: list[QAction] = []
        self.translator = self._install_translator()

    @staticmethod
    def _install_translator() -> QTranslator | None:
        locale = str(QgsSettings().value("locale/userLocale", "") or "")[:2]
        folder = i18n_dir()
        if not locale or folder is None:
            return None
        translator = QTranslator()
        if translator.load(str(folder / f"astroloc_{locale}.qm")):
            QCoreApplication.installTranslator(translator)
            return translator
        return None

    # --- QGIS entry points --------------------------------------------------------------
    def initProcessing(self) -> None:  # QGIS entry point
        if self.provider is not None:
            return
        provider = AstroLocProvider()
        registry = QgsApplication.processingRegistry()
        # addProvider deletes a provider whose id is taken (another copy registered it first)
        if registry.providerById(provider.id()) is None and registry.addProvider(provider):
            self.provider = provider

    def initGui(self) -> None:  # QGIS entry point
        self.initProcessing()
        self.dock = AstroLocDock(self.iface.mainWindow())
        self.iface.addDockWidget(Qt.RightDockWidgetArea, self.dock)
        self.controller = LocalizationController(self.iface, self.dock.locate)
        self.controller.setupRequested.connect(self.show_settings)
        self.compare = CompareTools(self.iface, self.dock, self.controller)
        self.review = ReviewMode(self.iface, self.dock)
        self.controller.resultAdded.connect(lambda _layers, collection: self.review.add_result(collection))
        self.controller.attach_review(self.review)
        self.review.restore()
        self.adaptation = IndexAdaptation(self.review, self.dock.locate, self.controller.client)
        self.dock.locate.settingsRequested.connect(self.show_settings)
        self.dock.build_action.triggered.connect(self.build_index_from_layer)
        index_events.indexBuilt.connect(self.dock.locate.choose_index)
        self._add_actions()
        self.controller.offer_engine_setup(Qgis.Info)  # first use: offer to create the environment
        self.drop_handler = PhotoDropHandler(self.controller.localize)
        self.iface.registerCustomDropHandler(self.drop_handler)
        QCoreApplication.instance().aboutToQuit.connect(self._shutdown_worker)

    def unload(self) -> None:
        try:
            QCoreApplication.instance().aboutToQuit.disconnect(self._shutdown_worker)
        except TypeError:
            pass  # initGui did not run
        if self.drop_handler is not None:
            self.iface.unregisterCustomDropHandler(self.drop_handler)
            self.drop_handler = None
        self._shutdown_worker()
        if self.build_dialog is not None and not sip.isdeleted(self.build_dialog):
            self.build_dialog.close()  # (a closed Processing dialog deletes itself)
        self.build_dialog = None
        if self.dock is not None:
            index_events.indexBuilt.disconnect(self.dock.locate.choose_index)
        if self.compare is not None:
            self.compare.unload()
            self.compare = None
        if self.adaptation is not None:
            self.adaptation.unload()
            self.adaptation = None
        if self.review is not None:
            self.review.unload()
            self.review = None
        self.controller = None
        self._remove_actions()
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.setParent(None)
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None

    # --- helpers ------------------------------------------------------------------------
    def _add_actions(self) -> None:
        panel = self.dock.toggleViewAction()
        panel.setIcon(QIcon(icon_path("astroloc")))
        panel.setText(translate("AstroLocPlugin", "AstroLoc panel"))
        self._add_action(panel, toolbar=True)
        self._add_action(
            self._action(
                "locate", translate("AstroLocPlugin", "Locate photos…"), self.dock.locate.browse_photos
            )
        )
        self._add_action(self.dock.build_action)
        self._add_action(
            self._action("settings", translate("AstroLocPlugin", "Settings…"), self.show_settings)
        )

    def _action(self, icon: str, text: str, slot) -> QAction:
        action = QAction(QIcon(icon_path(icon)), text, self.iface.mainWindow())
        action.triggered.connect(slot)
        return action

    def _add_action(self, action: QAction, toolbar: bool = False) -> None:
        self.iface.addPluginToMenu(MENU, action)
        if toolbar:
            self.iface.addToolBarIcon(action)
        self.actions.append(action)

    def _remove_actions(self) -> None:
        for action in self.actions:
            self.iface.removePluginMenu(MENU, action)
            self.iface.removeToolBarIcon(action)
        self.actions = []

    def _shutdown_worker(self) -> None:
        if self.controller is not None:
            try:
                self.controller.shutdown()
            except Exception as exc:  # never block QGIS from closing
                QgsMessageLog.logMessage(f"worker shutdown: {exc}", LOG_TAG)

    def build_index_from_layer(self) -> None:
        self.build_dialog = open_build_from_layer(self.iface)

    def show_settings(self) -> None:
        dialog = SettingsDialog(self.iface.mainWindow())
        if dialog.exec_() and self.dock is not None:
            self.dock.locate.refresh_indexes()
