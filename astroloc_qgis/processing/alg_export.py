"""Processing: Export confirmed footprints of a review session (docs/EXPORT_SCHEMA.md)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterVectorDestination,
)

from ..session.export import ExportError, export_confirmed
from ..translate import translate


class ExportConfirmedAlgorithm(QgsProcessingAlgorithm):
    SESSION, OUTPUT, GEOJSON, CSV, COUNT = "SESSION", "OUTPUT", "GEOJSON", "CSV", "COUNT"

    def name(self) -> str:
        return "export_confirmed"

    def displayName(self) -> str:
        return translate("AstroLocProcessing", "Export confirmed footprints")

    def group(self) -> str:
        return translate("AstroLocProcessing", "Review")

    def groupId(self) -> str:
        return "review"

    def shortDescription(self) -> str:
        return translate(
            "AstroLocProcessing",
            "Export the confirmed and edited footprints of a review session as a GeoPackage.",
        )

    def shortHelpString(self) -> str:
        return translate(
            "AstroLocProcessing",
            "Writes the footprints of every photo confirmed or edited in a review session to a GeoPackage "
            "layer confirmed_footprints (Polygon, EPSG:4326) with a stable schema: photo file name and "
            "SHA-256, capture time from EXIF, area in km², nadir latitude/longitude, altitude, tilt, "
            "azimuth, "
            "confidence, method, model id, status, reviewer and decision time (docs/EXPORT_SCHEMA.md). "
            "Pending and rejected photos are left out. The session is only read, never changed.\n\n"
            "<b>Review session</b>: the session GeoPackage.\n"
            "<b>Confirmed footprints</b>: the GeoPackage to write (replaced if it exists).\n"
            "<b>Also write GeoJSON</b> / <b>Also write CSV</b>: the same rows next to it as .geojson "
            "(RFC 7946) and .csv (polygon as WKT).\n\n"
            "A missing or non-writable output folder is an error and nothing is written.",
        )

    def helpString(self) -> str:
        return self.shortHelpString()

    def createInstance(self) -> ExportConfirmedAlgorithm:
        return ExportConfirmedAlgorithm()

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.SESSION,
                translate("AstroLocProcessing", "Review session"),
                QgsProcessingParameterFile.File,
                extension="gpkg",
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(
                self.GEOJSON, translate("AstroLocProcessing", "Also write GeoJSON"), False
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.CSV, translate("AstroLocProcessing", "Also write CSV"), False)
        )
        self.addParameter(
            QgsProcessingParameterVectorDestination(
                self.OUTPUT,
                translate("AstroLocProcessing", "Confirmed footprints"),
                QgsProcessing.TypeVectorPolygon,
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.COUNT, translate("AstroLocProcessing", "Footprints exported"))
        )

    def processAlgorithm(self, parameters, context, feedback):
        session = self.parameterAsFile(parameters, self.SESSION, context)
        out = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        if not out.lower().endswith(".gpkg"):
            raise QgsProcessingException(
                translate("AstroLocProcessing", "The output must be a GeoPackage (.gpkg): {0}").format(out)
            )
        formats = ["gpkg"]
        if self.parameterAsBool(parameters, self.GEOJSON, context):
            formats.append("geojson")
        if self.parameterAsBool(parameters, self.CSV, context):
            formats.append("csv")
        try:
            result = export_confirmed(session, out, formats)
        except ExportError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for fmt, path in result.files.items():
            feedback.pushInfo(translate("AstroLocProcessing", "{0}: {1}").format(fmt, path))
        feedback.pushInfo(
            translate("AstroLocProcessing", "{0} confirmed footprint(s) exported").format(result.count)
        )
        return {self.OUTPUT: f"{out}|layername=confirmed_footprints", self.COUNT: result.count}
