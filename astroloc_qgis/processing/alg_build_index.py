"""Processing: Build tile index (the engine's `index_build` through a worker in its own Python)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..translate import translate
from ..worker.client import WorkerError
from ..worker.env import start_worker_client, worker_log
from . import engine

RASTER_SUFFIXES = {".tif", ".tiff", ".vrt", ".mbtiles", ".jp2", ".img"}


class BuildIndexAlgorithm(QgsProcessingAlgorithm):
    SOURCES, SOURCE_FOLDER, OUTPUT = "SOURCES", "SOURCE_FOLDER", "OUTPUT"
    MODEL, TILE_PX, SCALES, ENGINE_PYTHON = "MODEL", "TILE_PX", "SCALES", "ENGINE_PYTHON"
    TILES, COVERAGE = "TILES", "COVERAGE"

    def name(self) -> str:
        return "build_index"

    def displayName(self) -> str:
        return translate("AstroLocProcessing", "Build tile index")

    def group(self) -> str:
        return translate("AstroLocProcessing", "Index")

    def groupId(self) -> str:
        return "index"

    def shortDescription(self) -> str:
        return translate(
            "AstroLocProcessing", "Tile and embed georeferenced rasters into a new AstroLoc tile index."
        )

    def shortHelpString(self) -> str:
        return translate(
            "AstroLocProcessing",
            "Tiles georeferenced rasters at several scales, embeds every tile with the global descriptor "
            "model and writes a tile index folder (manifest, FAISS index, tile table tiles.gpkg).\n\n"
            "<b>Raster sources</b>: raster layers or files (GeoTIFF/COG, VRT, MBTiles), any CRS.\n"
            "<b>Folder of rasters</b> (optional): every raster file directly in this folder is added too.\n"
            "<b>Index folder</b>: where the index is written (an existing index there is replaced "
            "atomically).\n"
            "<b>Model</b> (optional): global descriptor, e.g. xfeat-vlad or sift-vlad; empty = the default "
            "chosen by the benchmark. An index only answers queries with the model it was built with.\n"
            "<b>Tile size</b> (optional): base tile size in source pixels (default 256).\n"
            "<b>Scales</b> (optional): tile sizes as multiples of the tile size, separated by spaces "
            "(default 1 2 4).\n"
            "<b>Engine Python</b> (optional): interpreter of the engine environment; default: the one set in "
            "AstroLoc settings.\n\n"
            "Outputs: the index folder, the number of tiles, and the coverage layer (tiles.gpkg).\n"
            "Cancelling stops the build; running it again resumes.",
        )

    def helpString(self) -> str:
        return self.shortHelpString()

    def createInstance(self) -> BuildIndexAlgorithm:
        return BuildIndexAlgorithm()

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.SOURCES,
                translate("AstroLocProcessing", "Raster sources"),
                QgsProcessing.TypeRaster,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.SOURCE_FOLDER,
                translate("AstroLocProcessing", "Folder of rasters"),
                QgsProcessingParameterFile.Folder,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.MODEL, translate("AstroLocProcessing", "Model"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.TILE_PX,
                translate("AstroLocProcessing", "Tile size"),
                QgsProcessingParameterNumber.Integer,
                optional=True,
                minValue=32,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.SCALES, translate("AstroLocProcessing", "Scales"), optional=True
            )
        )
        self.addParameter(engine.engine_python_parameter(self.ENGINE_PYTHON))
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                self.OUTPUT, translate("AstroLocProcessing", "Index folder")
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.TILES, translate("AstroLocProcessing", "Tiles")))
        self.addOutput(
            QgsProcessingOutputVectorLayer(
                self.COVERAGE,
                translate("AstroLocProcessing", "Index coverage"),
                QgsProcessing.TypeVectorPolygon,
            )
        )

    def processAlgorithm(self, parameters, context, feedback):
        sources = [
            layer.source().split("|")[0]
            for layer in self.parameterAsLayerList(parameters, self.SOURCES, context)
        ]
        folder = self.parameterAsFile(parameters, self.SOURCE_FOLDER, context)
        if folder:
            if not Path(folder).is_dir():
                raise QgsProcessingException(
                    translate("AstroLocProcessing", "The folder {0} does not exist").format(folder)
                )
            sources += sorted(str(p) for p in Path(folder).iterdir() if p.suffix.lower() in RASTER_SUFFIXES)
        if not sources:
            raise QgsProcessingException(
                translate(
                    "AstroLocProcessing", "No raster sources: give raster layers or a folder of rasters"
                )
            )
        out = self.parameterAsString(parameters, self.OUTPUT, context)
        python = engine.engine_python(self.parameterAsString(parameters, self.ENGINE_PYTHON, context))
        build = {
            "sources": sources,
            "out": out,
            "model": self.parameterAsString(parameters, self.MODEL, context) or None,
        }
        if parameters.get(self.TILE_PX) not in (None, ""):
            build["tile_px"] = self.parameterAsInt(parameters, self.TILE_PX, context)
        scales = self.parameterAsString(parameters, self.SCALES, context).replace(",", " ").split()
        if scales:
            try:
                build["scales"] = [int(s) for s in scales]
            except ValueError:
                raise QgsProcessingException(
                    translate("AstroLocProcessing", "Scales: '{0}' are not whole numbers").format(
                        " ".join(scales)
                    )
                ) from None
        feedback.pushInfo(
            translate("AstroLocProcessing", "Indexing {0} raster(s) into {1}").format(len(sources), out)
        )
        client = start_worker_client(python, worker_log("worker-processing.log"))
        try:
            engine.start(client, feedback)
            engine.request(client, "index_build", feedback, span=(0.0, 95.0), **build)
            info = engine.request(client, "index_info", feedback, span=(95.0, 100.0), index=out)
        except WorkerError as exc:
            if exc.code == "cancelled":
                raise QgsProcessingException(translate("AstroLocProcessing", "Cancelled.")) from exc
            raise QgsProcessingException(str(exc)) from exc
        finally:
            client.shutdown()
        feedback.setProgress(100.0)
        coverage = str(Path(out) / "tiles.gpkg")
        return {
            self.OUTPUT: out,
            self.TILES: int(info.get("tiles", 0)),
            self.COVERAGE: coverage if Path(coverage).is_file() else None,
        }
