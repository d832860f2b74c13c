"""Processing: Build index from layer (any raster layer of the project: XYZ, WMTS, WMS or a file).

A service layer goes through the worker's `index_build_service` (tiles fetched into a local
MBTiles cache, then indexed), a file layer through `index_build`. Before any tile is fetched the
engine's estimate (tiles, cache size, time) is written to the log; above the engine's tile limit
the build needs the confirmation parameter.
"""

from __future__ import annotations

import json
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)

from ..translate import translate
from ..worker.client import WorkerError
from ..worker.env import start_worker_client, worker_log
from . import engine
from .events import index_events
from .layer_source import UnsupportedLayer, service_of_layer

# zoom presets (docs/IMAGERY.md): (low, high); their labels in preset_labels()
PRESETS = ((9, 11), (15, 17), (None, None))
MAX_LAT = 85.0511287798066  # Web-Mercator's limit (engine/index/xyz.py)


def preset_labels() -> list[str]:
    return [
        translate("AstroLocProcessing", "Astronaut photos (zooms 9-11, footprints of 20-200 km)"),
        translate("AstroLocProcessing", "Aerial and drone photos (zooms 15-17, footprints of 0.3-3 km)"),
        translate("AstroLocProcessing", "Custom (lowest and highest zoom below)"),
    ]


def duration(seconds: float) -> str:
    if seconds < 90:
        return translate("AstroLocProcessing", "{0:.0f} s").format(seconds)
    if seconds < 5400:
        return translate("AstroLocProcessing", "{0:.0f} min").format(seconds / 60)
    if seconds < 172800:
        return translate("AstroLocProcessing", "{0:.1f} h").format(seconds / 3600)
    return translate("AstroLocProcessing", "{0:.0f} days").format(seconds / 86400)


def estimate_text(estimate: dict) -> str:
    zooms = estimate["zooms"]
    return translate(
        "AstroLocProcessing",
        "Estimate: {0} tiles at zooms {1}-{2} ({3} already cached, {4} to fetch); cache ~{5:.0f} MB; "
        "fetch ~{6} at {7:g} requests/s, then indexing ~{8} ({9} index tiles at ~0.5 tiles/s, "
        "measured on 2 cores).",
    ).format(
        estimate["tiles"],
        zooms[0],
        zooms[-1],
        estimate["cached"],
        estimate["to_fetch"],
        estimate["bytes"] / 1e6,
        duration(estimate["fetch_s"]),
        estimate["rate"],
        duration(estimate["index_s"]),
        estimate["index_tiles"],
    )


class BuildIndexFromLayerAlgorithm(QgsProcessingAlgorithm):
    LAYER, EXTENT, AOI, PRESET, MIN_ZOOM, MAX_ZOOM = (
        "LAYER",
        "EXTENT",
        "AOI",
        "PRESET",
        "MIN_ZOOM",
        "MAX_ZOOM",
    )
    YEAR, ATTRIBUTION, LICENCE, CACHE = "YEAR", "ATTRIBUTION", "LICENCE", "CACHE"
    MAX_RATE, CONFIRM, ADD, MODEL, ENGINE_PYTHON = "MAX_RATE", "CONFIRM", "ADD", "MODEL", "ENGINE_PYTHON"
    OUTPUT, TILES, FETCHED, COVERAGE = "OUTPUT", "TILES", "FETCHED", "COVERAGE"

    def __init__(self):
        super().__init__()
        self._built = ""

    def name(self) -> str:
        return "build_index_from_layer"

    def displayName(self) -> str:
        return translate("AstroLocProcessing", "Build index from layer")

    def group(self) -> str:
        return translate("AstroLocProcessing", "Index")

    def groupId(self) -> str:
        return "index"

    def shortDescription(self) -> str:
        return translate(
            "AstroLocProcessing",
            "Build an AstroLoc tile index from a raster layer of the project (XYZ, WMTS, WMS or a file).",
        )

    def shortHelpString(self) -> str:
        return translate(
            "AstroLocProcessing",
            "Fetches the tiles of a service layer over an area into a local MBTiles cache, then tiles "
            "and embeds them into a tile index folder. The network is used only by this algorithm.\n\n"
            "<b>Raster layer</b>: an XYZ Tiles, WMTS or WMS layer (the tile URL comes from the layer's "
            "data source), or a raster file (then the whole file is indexed; area and zooms are not used).\n"
            "<b>Area (extent)</b>: the canvas extent, a rectangle drawn on the map or a layer's extent.\n"
            "<b>Area (polygon layer)</b> (optional): only tiles touching its polygons are fetched; it "
            "replaces the extent.\n"
            "<b>Zoom levels</b>: astronaut photos: zooms 9-11 (as EarthLoc); aerial and drone photos: zooms "
            "15-17; or custom.\n"
            "<b>Lowest zoom (custom)</b>, <b>Highest zoom (custom)</b>: the range of Custom (at most 5 "
            "levels).\n"
            "<b>Year or label</b>, <b>Attribution</b>, <b>Licence</b> (optional): kept per tile and in the "
            "manifest (give what the service asks for).\n"
            "<b>Tile cache</b> (optional): the MBTiles file (default: beside the index folder). A cancelled "
            "or failed fetch keeps it: running again resumes.\n"
            "<b>Requests per second</b>: the request rate cap (8 is polite for public servers).\n"
            "<b>Fetch more than 10,000 tiles</b>: the confirmation a larger build needs; the estimate "
            "(tiles, disk size, time) is in the log before anything is fetched.\n"
            "<b>Add to the index in the folder</b>: add another year or area to an existing index.\n"
            "<b>Model</b> (optional): global descriptor model; empty = the default.\n"
            "<b>Engine Python</b> (optional): interpreter of the engine environment; default: the one set "
            "in AstroLoc settings.\n"
            "<b>Index folder</b>: where the index is written.\n\n"
            "Outputs: the index folder, its number of tiles, the tiles fetched, the coverage layer "
            "(tiles.gpkg). Run from the AstroLoc panel, the new index is chosen there and its coverage "
            "shown.",
        )

    def helpString(self) -> str:
        return self.shortHelpString()

    def createInstance(self) -> BuildIndexFromLayerAlgorithm:
        return BuildIndexFromLayerAlgorithm()

    def initAlgorithm(self, config=None) -> None:
        self._add_source_parameters()
        self._add_service_parameters()
        self.addParameter(
            QgsProcessingParameterString(self.MODEL, translate("AstroLocProcessing", "Model"), optional=True)
        )
        self.addParameter(engine.engine_python_parameter(self.ENGINE_PYTHON))
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                self.OUTPUT, translate("AstroLocProcessing", "Index folder")
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.TILES, translate("AstroLocProcessing", "Tiles")))
        self.addOutput(
            QgsProcessingOutputNumber(self.FETCHED, translate("AstroLocProcessing", "Tiles fetched"))
        )
        self.addOutput(
            QgsProcessingOutputVectorLayer(
                self.COVERAGE,
                translate("AstroLocProcessing", "Index coverage"),
                QgsProcessing.TypeVectorPolygon,
            )
        )

    def _add_source_parameters(self) -> None:
        self.addParameter(
            QgsProcessingParameterRasterLayer(self.LAYER, translate("AstroLocProcessing", "Raster layer"))
        )
        self.addParameter(
            QgsProcessingParameterExtent(
                self.EXTENT, translate("AstroLocProcessing", "Area (extent)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AOI,
                translate("AstroLocProcessing", "Area (polygon layer)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.PRESET, translate("AstroLocProcessing", "Zoom levels"), preset_labels(), defaultValue=0
            )
        )
        for key, label in (
            (self.MIN_ZOOM, translate("AstroLocProcessing", "Lowest zoom (custom)")),
            (self.MAX_ZOOM, translate("AstroLocProcessing", "Highest zoom (custom)")),
        ):
            self.addParameter(
                QgsProcessingParameterNumber(
                    key, label, QgsProcessingParameterNumber.Integer, optional=True, minValue=0, maxValue=22
                )
            )

    def _add_service_parameters(self) -> None:
        for key, label in (
            (self.YEAR, translate("AstroLocProcessing", "Year or label")),
            (self.ATTRIBUTION, translate("AstroLocProcessing", "Attribution")),
            (self.LICENCE, translate("AstroLocProcessing", "Licence")),
        ):
            self.addParameter(QgsProcessingParameterString(key, label, optional=True))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.CACHE,
                translate("AstroLocProcessing", "Tile cache"),
                translate("AstroLocProcessing", "MBTiles (*.mbtiles)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_RATE,
                translate("AstroLocProcessing", "Requests per second"),
                QgsProcessingParameterNumber.Double,
                defaultValue=8.0,
                minValue=0.1,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.CONFIRM,
                translate("AstroLocProcessing", "Fetch more than 10,000 tiles"),
                defaultValue=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.ADD,
                translate("AstroLocProcessing", "Add to the index in the folder"),
                defaultValue=False,
            )
        )

    # --- running ------------------------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):
        self._built = ""
        layer = self.parameterAsRasterLayer(parameters, self.LAYER, context)
        if layer is None:
            raise QgsProcessingException(translate("AstroLocProcessing", "No raster layer given"))
        try:
            source = service_of_layer(layer.providerType(), layer.source())
        except UnsupportedLayer as exc:
            raise QgsProcessingException(
                translate(
                    "AstroLocProcessing", "Layer {0}: {1}. Use an XYZ, WMTS, WMS or raster file layer."
                ).format(layer.name(), exc)
            ) from exc
        out = self.parameterAsString(parameters, self.OUTPUT, context)
        python = engine.engine_python(self.parameterAsString(parameters, self.ENGINE_PYTHON, context))
        client = start_worker_client(python, worker_log("worker-processing.log"))
        try:
            engine.start(client, feedback)
            if "sources" in source:
                fetched = self._build_from_file(client, source, parameters, context, feedback, out)
            else:
                fetched = self._build_from_service(client, source, parameters, context, feedback, out)
            info = engine.request(client, "index_info", feedback, span=(99.0, 100.0), index=out)
        except WorkerError as exc:
            if exc.code == "cancelled":
                raise QgsProcessingException(
                    translate(
                        "AstroLocProcessing",
                        "Cancelled. The tiles fetched so far are kept in the cache: run again to resume.",
                    )
                ) from exc
            raise QgsProcessingException(str(exc)) from exc
        finally:
            client.shutdown()
        feedback.setProgress(100.0)
        self._built = out
        coverage = str(Path(out) / "tiles.gpkg")
        return {
            self.OUTPUT: out,
            self.TILES: int(info.get("tiles", 0)),
            self.FETCHED: fetched,
            self.COVERAGE: coverage if Path(coverage).is_file() else None,
        }

    def postProcessAlgorithm(self, context, feedback):
        if self._built:  # the main thread: the dock (if the plugin runs) chooses the new index
            index_events.indexBuilt.emit(self._built)
        return {}

    def _build_from_file(self, client, source: dict, parameters, context, feedback, out: str) -> int:
        if self.parameterAsBool(parameters, self.ADD, context):
            raise QgsProcessingException(
                translate(
                    "AstroLocProcessing",
                    "Adding a raster file to an index: use the engine's 'astroloc index add' command.",
                )
            )
        feedback.pushInfo(
            translate(
                "AstroLocProcessing",
                "{0} is a raster file: it is indexed whole (the area and zooms are for service layers).",
            ).format(source["sources"][0])
        )
        build = {"sources": source["sources"], "out": out}
        model = self.parameterAsString(parameters, self.MODEL, context)
        if model:
            build["model"] = model
        engine.request(client, "index_build", feedback, span=(0.0, 99.0), **build)
        return 0

    def _build_from_service(self, client, source: dict, parameters, context, feedback, out: str) -> int:
        request = {
            **source,
            **self._area(parameters, context),
            **self._options(parameters, context),
            "out": out,
        }
        shown = {k: v for k, v in request.items() if k != "aoi"}
        feedback.pushInfo(translate("AstroLocProcessing", "Service build: {0}").format(json.dumps(shown)))
        estimate = engine.request(
            client, "index_build_service", feedback, span=(0.0, 1.0), dry_run=True, **request
        )
        feedback.pushInfo(estimate_text(estimate))
        if estimate["over_limit"] and not request.get("yes"):
            raise QgsProcessingException(
                translate(
                    "AstroLocProcessing",
                    "{0} tiles is more than {1}: tick 'Fetch more than 10,000 tiles' to go ahead, or narrow "
                    "the area or the zooms. {2}",
                ).format(estimate["tiles"], estimate["max_tiles"], estimate_text(estimate))
            )
        manifest = engine.request(client, "index_build_service", feedback, span=(1.0, 99.0), **request)
        fetch = manifest.get("fetch") or {}
        feedback.pushInfo(
            translate("AstroLocProcessing", "Fetched {0} tiles ({1} already cached) into {2}").format(
                fetch.get("fetched", 0), fetch.get("cached_before", 0), fetch.get("cache", "")
            )
        )
        return int(fetch.get("fetched", 0))

    def _zooms(self, parameters, context) -> list[int]:
        low, high = PRESETS[self.parameterAsEnum(parameters, self.PRESET, context)]
        given = [
            self.parameterAsInt(parameters, key, context) if parameters.get(key) not in (None, "") else None
            for key in (self.MIN_ZOOM, self.MAX_ZOOM)
        ]
        if low is None:
            if None in given:
                raise QgsProcessingException(
                    translate(
                        "AstroLocProcessing", "Custom zoom levels: give the lowest and the highest zoom"
                    )
                )
            low, high = given
        if low > high:
            raise QgsProcessingException(
                translate("AstroLocProcessing", "Lowest zoom {0} is above highest zoom {1}").format(low, high)
            )
        return [low, high]

    def _area(self, parameters, context) -> dict:
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        aoi = self.parameterAsSource(parameters, self.AOI, context)
        if aoi is not None:
            return {"aoi": self._aoi_file(aoi, wgs84, context)}
        if parameters.get(self.EXTENT) in (None, ""):
            raise QgsProcessingException(
                translate(
                    "AstroLocProcessing",
                    "No area: give an extent (canvas extent or a drawn rectangle) or a polygon layer",
                )
            )
        box = self.parameterAsExtent(parameters, self.EXTENT, context, wgs84)
        west, east = max(box.xMinimum(), -180.0), min(box.xMaximum(), 180.0)
        south, north = max(box.yMinimum(), -MAX_LAT), min(box.yMaximum(), MAX_LAT)
        if not (west < east and south < north):
            raise QgsProcessingException(
                translate("AstroLocProcessing", "The extent is empty or outside the Web-Mercator world")
            )
        return {"bbox": [west, south, east, north]}

    @staticmethod
    def _aoi_file(aoi, wgs84, context) -> str:
        """The polygons in EPSG:4326 as a GeoJSON file the engine reads."""
        transform = QgsCoordinateTransform(aoi.sourceCrs(), wgs84, context.transformContext())
        features = []
        for feature in aoi.getFeatures(QgsFeatureRequest().setNoAttributes()):
            geometry = feature.geometry()
            if geometry.isEmpty():
                continue
            geometry.transform(transform)
            features.append({"type": "Feature", "properties": {}, "geometry": json.loads(geometry.asJson())})
        if not features:
            raise QgsProcessingException(translate("AstroLocProcessing", "The polygon layer has no polygon"))
        path = QgsProcessingUtils.generateTempFilename("astroloc_area.geojson")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        return path

    def _options(self, parameters, context) -> dict:
        options = {
            "zooms": self._zooms(parameters, context),
            "max_requests_per_s": self.parameterAsDouble(parameters, self.MAX_RATE, context),
            "yes": self.parameterAsBool(parameters, self.CONFIRM, context),
            "add": self.parameterAsBool(parameters, self.ADD, context),
        }
        for key, name in (
            (self.YEAR, "year"),
            (self.ATTRIBUTION, "attribution"),
            (self.LICENCE, "licence"),
            (self.MODEL, "model"),
        ):
            value = self.parameterAsString(parameters, key, context)
            if value:
                options[name] = value
        cache = self.parameterAsFileOutput(parameters, self.CACHE, context)
        if cache:
            options["cache"] = cache
        return options
