"""The Processing provider `astroloc` (toolbox, modeller, `qgis_process run astroloc:<algorithm>`)."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..paths import icon_path
from ..translate import translate
from .alg_build_from_layer import BuildIndexFromLayerAlgorithm
from .alg_build_index import BuildIndexAlgorithm
from .alg_export import ExportConfirmedAlgorithm
from .alg_localize import LocalizePhotosAlgorithm


class AstroLocProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "astroloc"

    def name(self) -> str:
        return translate("AstroLocProcessing", "AstroLoc")

    def longName(self) -> str:
        return translate("AstroLocProcessing", "AstroLoc: find where photos were taken")

    def icon(self) -> QIcon:
        return QIcon(icon_path("astroloc"))

    def loadAlgorithms(self) -> None:
        for alg in (
            BuildIndexAlgorithm(),
            BuildIndexFromLayerAlgorithm(),
            LocalizePhotosAlgorithm(),
            ExportConfirmedAlgorithm(),
        ):
            self.addAlgorithm(alg)
