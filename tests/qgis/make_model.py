"""Writes the modeller model used by test_processing: build_index -> localize_photos -> export_confirmed.

/usr/bin/python3 tests/qgis/make_model.py OUT.model3
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from qgis.core import QgsApplication


def _pipeline_model(path: Path) -> None:
    """A graphical-modeller model: build_index -> localize_photos -> export_confirmed, saved as .model3."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
    )
    from qgis.core import QgsProcessingModelChildParameterSource as Source

    from astroloc_qgis.processing.provider import AstroLocProvider

    if QgsApplication.processingRegistry().providerById("astroloc") is None:
        QgsApplication.processingRegistry().addProvider(AstroLocProvider())
    model = QgsProcessingModelAlgorithm("pipeline", "AstroLoc pipeline", "tests")
    model.addModelParameter(
        QgsProcessingParameterFile("raster", "Raster"), QgsProcessingModelParameter("raster")
    )
    model.addModelParameter(
        QgsProcessingParameterFile("photos", "Photos", QgsProcessingParameterFile.Folder),
        QgsProcessingModelParameter("photos"),
    )

    def child(alg_id: str, child_id: str, sources: dict, outputs: dict[str, str]) -> None:
        c = QgsProcessingModelChildAlgorithm(alg_id)
        c.setChildId(child_id)
        c.setDescription(child_id)
        for name, source in sources.items():
            c.addParameterSources(name, [source])
        model_outputs = {}
        for name, child_output in outputs.items():
            out = QgsProcessingModelOutput(name)
            out.setChildId(child_id)
            out.setChildOutputName(child_output)
            model_outputs[name] = out
        c.setModelOutputs(model_outputs)
        model.addChildAlgorithm(c)

    child("astroloc:build_index", "build", {"SOURCES": Source.fromModelParameter("raster")}, {})
    child(
        "astroloc:localize_photos",
        "localize",
        {
            "FOLDER": Source.fromModelParameter("photos"),
            "INDEX": Source.fromChildOutput("build", "OUTPUT"),
            "K": Source.fromStaticValue(5),
        },
        {"session": "SESSION"},
    )
    child(
        "astroloc:export_confirmed",
        "export",
        {"SESSION": Source.fromChildOutput("localize", "SESSION")},
        {"confirmed": "OUTPUT"},
    )
    assert model.toFile(str(path))


if __name__ == "__main__":
    app = QgsApplication([], False)
    app.initQgis()
    _pipeline_model(Path(sys.argv[1]))
    os._exit(0)
