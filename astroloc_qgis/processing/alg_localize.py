"""Processing: Localize photos into a review session (through the engine worker process)."""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from .. import settings
from ..definitions import PHOTO_SUFFIXES, photo_kind_label
from ..engine.protocol import KINDS
from ..locate import priors
from ..session.batch import CANCELLED, DONE, FAILED, RUNNING, BatchPhoto, BatchTable, photo_key
from ..session.store import Session, SessionError
from ..translate import translate
from ..worker.client import WorkerClient, WorkerError
from ..worker.env import start_worker_client, worker_log
from . import engine


def photo_paths(folder: str, listing: str, files: list[str] | None = None) -> list[str]:
    paths: list[str] = [item for item in files or [] if item]
    if folder:
        if not Path(folder).is_dir():
            raise QgsProcessingException(
                translate("AstroLocProcessing", "The photo folder {0} does not exist").format(folder)
            )
        paths += sorted(str(p) for p in Path(folder).iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
    for item in re.split(r"[;\n]", listing or ""):
        item = item.strip().strip('"')
        if item:
            paths.append(item)
    return list(dict.fromkeys(paths))


class LocalizePhotosAlgorithm(QgsProcessingAlgorithm):
    FOLDER, PHOTOS, PHOTO_FILES, INDEX, SESSION = "FOLDER", "PHOTOS", "PHOTO_FILES", "INDEX", "SESSION"
    K, REVIEWER, ENGINE_PYTHON = "K", "REVIEWER", "ENGINE_PYTHON"
    LOCATED, NOT_FOUND, FAILED, SKIPPED = "LOCATED", "NOT_FOUND", "FAILED", "SKIPPED"
    NADIR, ALTITUDE_KM, MAX_TILT, NEAR, RADIUS_KM = "NADIR", "ALTITUDE_KM", "MAX_TILT", "NEAR", "RADIUS_KM"
    AOI, TLE, CAPTURE_TIME, CATALOGUE = "AOI", "TLE", "CAPTURE_TIME", "CATALOGUE"
    KIND = "KIND"

    def name(self) -> str:
        return "localize_photos"

    def displayName(self) -> str:
        return translate("AstroLocProcessing", "Localize photos")

    def group(self) -> str:
        return translate("AstroLocProcessing", "Localization")

    def groupId(self) -> str:
        return "localization"

    def shortDescription(self) -> str:
        return translate(
            "AstroLocProcessing", "Find where photos were taken and write the results into a review session."
        )

    def shortHelpString(self) -> str:
        return translate(
            "AstroLocProcessing",
            "Finds where each photo was taken: retrieves the most similar tiles of the index, verifies them "
            "by "
            "feature matching and estimates the footprint and the camera pose. Every result is written into "
            "the review session as soon as it arrives (status pending), ready for review in the AstroLoc "
            "panel's Review tab.\n\n"
            "<b>Photo folder</b> (optional): every JPEG/PNG/TIFF/WebP photo directly in this folder.\n"
            "<b>Photo files</b> (optional): paths separated by semicolons or new lines.\n"
            "<b>Photos (pick several)</b> (optional): photo files chosen in the file dialog.\n"
            '<b>Tile index</b>: an index folder built with "Build tile index" or the engine command line.\n'
            "<b>Candidates</b>: number of ranked candidate tiles kept per photo (default 10).\n"
            "<b>Reviewer</b> (optional): name recorded in the session; default: AstroLoc settings.\n"
            "<b>Engine Python</b> (optional): interpreter of the engine environment; default: AstroLoc "
            "settings.\n"
            "<b>Kind of photo</b>: automatic (a drone photo when its EXIF says so), aerial or astronaut, "
            "drone (searched round its EXIF GPS fix), historical film scan (searched and matched in grey; "
            "a colour-only index model refuses it), satellite image (any rotation, the footprint only).\n"
            "<b>Review session</b>: GeoPackage; created if missing, results are added to an existing one.\n\n"
            "<b>Search area</b> (all optional; several give the area they share): <b>Camera nadir "
            "(lat,lon)</b> "
            "with <b>Camera altitude km</b> (410 or 400-420; default the ISS) and <b>Max off-nadir angle "
            "(degrees)</b>; <b>Near a point (lat,lon)</b> with <b>Radius km</b>; <b>Area of interest "
            "(polygon "
            "layer)</b>: all its polygons; <b>TLE file</b> of the spacecraft, with <b>Capture time "
            "(UTC)</b> when "
            "the photos have no EXIF time; <b>NASA frame catalogue (CSV)</b>: used for photos named like "
            "ISS062-E-150758. Only tiles inside the area are searched; a bad value stops the algorithm with "
            "a "
            "message.\n\n"
            "A photo is known by its content (SHA-256): one already in the session, or given twice, is "
            "skipped, so running the algorithm again on the same folder locates only the photos not done "
            "yet (the session's batch table records each photo's state).\n\n"
            "Outputs: the session, and the numbers of photos located, not found, failed and skipped. A "
            "photo that "
            "fails is reported in the log and the others go on. Cancelling stops after the current photo's "
            "engine request is cancelled; results already written stay in the session.",
        )

    def helpString(self) -> str:
        return self.shortHelpString()

    def createInstance(self) -> LocalizePhotosAlgorithm:
        return LocalizePhotosAlgorithm()

    def initAlgorithm(self, config=None) -> None:
        self.addParameter(
            QgsProcessingParameterFile(
                self.FOLDER,
                translate("AstroLocProcessing", "Photo folder"),
                QgsProcessingParameterFile.Folder,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.PHOTOS, translate("AstroLocProcessing", "Photo files"), multiLine=True, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.PHOTO_FILES,
                translate("AstroLocProcessing", "Photos (pick several)"),
                QgsProcessing.TypeFile,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.INDEX, translate("AstroLocProcessing", "Tile index"), QgsProcessingParameterFile.Folder
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.K,
                translate("AstroLocProcessing", "Candidates"),
                QgsProcessingParameterNumber.Integer,
                10,
                False,
                1,
                100,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.REVIEWER, translate("AstroLocProcessing", "Reviewer"), optional=True
            )
        )
        self.addParameter(engine.engine_python_parameter(self.ENGINE_PYTHON))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.KIND,
                translate("AstroLocProcessing", "Kind of photo"),
                options=[photo_kind_label(kind) for kind in KINDS],
                defaultValue=0,
            )
        )
        self._add_prior_parameters()
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.SESSION,
                translate("AstroLocProcessing", "Review session"),
                translate("AstroLocProcessing", "GeoPackage (*.gpkg)"),
            )
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.LOCATED, translate("AstroLocProcessing", "Photos located"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.NOT_FOUND, translate("AstroLocProcessing", "Photos not found"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(self.FAILED, translate("AstroLocProcessing", "Photos failed"))
        )
        self.addOutput(
            QgsProcessingOutputNumber(
                self.SKIPPED, translate("AstroLocProcessing", "Photos skipped (already in the session)")
            )
        )

    def _add_prior_parameters(self) -> None:
        def text(name: str, label: str) -> None:
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))

        def number(name: str, label: str) -> None:
            self.addParameter(
                QgsProcessingParameterNumber(name, label, QgsProcessingParameterNumber.Double, None, True)
            )

        def file(name: str, label: str, file_filter: str) -> None:
            self.addParameter(
                QgsProcessingParameterFile(
                    name, label, QgsProcessingParameterFile.File, optional=True, fileFilter=file_filter
                )
            )

        text(self.NADIR, translate("AstroLocProcessing", "Camera nadir (lat,lon)"))
        text(self.ALTITUDE_KM, translate("AstroLocProcessing", "Camera altitude km"))
        number(self.MAX_TILT, translate("AstroLocProcessing", "Max off-nadir angle (degrees)"))
        text(self.NEAR, translate("AstroLocProcessing", "Near a point (lat,lon)"))
        number(self.RADIUS_KM, translate("AstroLocProcessing", "Radius km"))
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                self.AOI,
                translate("AstroLocProcessing", "Area of interest (polygon layer)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        file(
            self.TLE,
            translate("AstroLocProcessing", "TLE file"),
            translate("AstroLocProcessing", "TLE files (*.tle *.txt);;All files (*)"),
        )
        text(self.CAPTURE_TIME, translate("AstroLocProcessing", "Capture time (UTC)"))
        file(
            self.CATALOGUE,
            translate("AstroLocProcessing", "NASA frame catalogue (CSV)"),
            translate("AstroLocProcessing", "CSV files (*.csv *.txt *.tsv);;All files (*)"),
        )

    def search_prior(self, parameters, context, aoi_dir: str | None = None) -> dict:
        """The engine's prior keys from the search-area parameters, the catalogue left out (it is
        per photo: `photo_prior`). A bad value raises QgsProcessingException naming the parameter."""

        def given(name: str) -> str:
            value = parameters.get(name)
            return "" if value is None else str(self.parameterAsString(parameters, name, context)).strip()

        prior: dict = {}
        field_names = {
            "nadir": self.NADIR,
            "altitude_km": self.ALTITUDE_KM,
            "max_tilt": self.MAX_TILT,
            "near": self.NEAR,
            "radius_km": self.RADIUS_KM,
            "layer": self.AOI,
            "tle": self.TLE,
            "capture_time": self.CAPTURE_TIME,
            "catalogue": self.CATALOGUE,
        }
        try:
            if given(self.NADIR):
                prior["nadir"] = priors.parse_lat_lon(given(self.NADIR), "nadir")
            if given(self.ALTITUDE_KM):
                prior["altitude_m"] = priors.parse_altitude_km(given(self.ALTITUDE_KM), "altitude_km")
            if given(self.MAX_TILT):
                prior["max_tilt_deg"] = priors.parse_number(given(self.MAX_TILT), "max_tilt", 0.0, 90.0)
            if given(self.NEAR) or given(self.RADIUS_KM):
                if not (given(self.NEAR) and given(self.RADIUS_KM)):
                    raise priors.PriorError(
                        "near", translate("AstroLocProcessing", "a point and its radius go together")
                    )
                prior["near"] = priors.parse_lat_lon(given(self.NEAR), "near")
                prior["radius_km"] = priors.parse_number(given(self.RADIUS_KM), "radius_km")
            if given(self.AOI):
                layer = self.parameterAsVectorLayer(parameters, self.AOI, context)
                prior["aoi"] = priors.layer_aoi(layer, False, aoi_dir)
            if given(self.TLE):
                prior["tle"] = priors.existing_file(given(self.TLE), "tle", "TLE")
            if given(self.CAPTURE_TIME):
                prior["capture_time"] = priors.parse_capture_time(given(self.CAPTURE_TIME), "capture_time")
            if given(self.CATALOGUE):
                priors.existing_file(given(self.CATALOGUE), "catalogue", "CSV")
        except priors.PriorError as error:
            raise QgsProcessingException(
                f"{field_names.get(error.field, error.field)}: {error.message}"
            ) from error
        return prior

    def photo_prior(self, prior: dict, catalogue: str, photo: str) -> dict:
        """A photo named like a NASA frame also takes its nadir from the catalogue."""
        return {**prior, "catalogue": catalogue} if catalogue and priors.is_frame_name(photo) else prior

    def photo_kind(self, parameters, context) -> str:
        """The KIND parameter as the request's "kind" (protocol.KINDS)."""
        position = self.parameterAsEnum(parameters, self.KIND, context)
        return KINDS[position] if 0 <= position < len(KINDS) else KINDS[0]

    def processAlgorithm(self, parameters, context, feedback):
        # the request keys every photo shares: the search prior's and the kind of photo
        prior = {
            **self.search_prior(parameters, context, tempfile.mkdtemp(prefix="astroloc-aoi-")),
            "kind": self.photo_kind(parameters, context),
        }
        catalogue = (
            self.parameterAsFile(parameters, self.CATALOGUE, context)
            if parameters.get(self.CATALOGUE)
            else ""
        )
        photos = photo_paths(
            self.parameterAsFile(parameters, self.FOLDER, context),
            self.parameterAsString(parameters, self.PHOTOS, context),
            self.parameterAsFileList(parameters, self.PHOTO_FILES, context),
        )
        if not photos:
            raise QgsProcessingException(
                translate("AstroLocProcessing", "No photos: give a photo folder or photo files")
            )
        index = self.parameterAsFile(parameters, self.INDEX, context)
        if not Path(index).is_dir():
            raise QgsProcessingException(
                translate("AstroLocProcessing", "The index folder {0} does not exist").format(index)
            )
        k = self.parameterAsInt(parameters, self.K, context)
        reviewer = self.parameterAsString(parameters, self.REVIEWER, context) or settings.get_str(
            settings.REVIEWER
        )
        session_path = self.parameterAsFileOutput(parameters, self.SESSION, context)
        python = engine.engine_python(self.parameterAsString(parameters, self.ENGINE_PYTHON, context))
        try:
            session = Session(session_path, reviewer=reviewer, on_message=feedback.reportError)
        except SessionError as exc:
            raise QgsProcessingException(str(exc)) from exc
        client = start_worker_client(python, worker_log("worker-processing.log"))
        counts = {self.LOCATED: 0, self.NOT_FOUND: 0, self.FAILED: 0, self.SKIPPED: 0}
        table = None
        try:
            engine.start(client, feedback)
            table = BatchTable(session.path, session.busy_timeout_s)
            queued = self._plan(table, session, photos, index, k, prior, catalogue, feedback, counts)
            for i, photo in enumerate(queued):
                if feedback.isCanceled():
                    table.discard(p.sha256 for p in queued[i:])
                    break
                if not self._localize_one(client, table, session, photo, i, len(queued), feedback, counts):
                    table.discard(p.sha256 for p in queued[i:])
                    break
                feedback.setProgress(100.0 * (i + 1) / len(queued))
            if session.pending_count:
                feedback.reportError(session.last_error)
        finally:
            client.shutdown()
            if table is not None:
                table.close()
            session.close()
        if feedback.isCanceled():
            feedback.pushInfo(
                translate(
                    "AstroLocProcessing", "Cancelled; {0} result(s) were written to the session"
                ).format(counts[self.LOCATED] + counts[self.NOT_FOUND])
            )
        return {self.SESSION: session_path, **counts}

    def _plan(
        self,
        table: BatchTable,
        session: Session,
        photos: list[str],
        index: str,
        k: int,
        prior: dict,
        catalogue: str,
        feedback,
        counts: dict,
    ) -> list[BatchPhoto]:
        """The photos to locate, recorded in the session's batch table: missing files are failed,
        photos already in the session (by SHA-256) or given twice are skipped."""
        existing = []
        for photo in photos:
            if Path(photo).is_file():
                existing.append(
                    BatchPhoto(photo_key(photo), photo, index, k, self.photo_prior(prior, catalogue, photo))
                )
            else:
                feedback.reportError(
                    translate("AstroLocProcessing", "{0} does not exist; skipped").format(photo)
                )
                counts[self.FAILED] += 1
        queued = table.add(uuid.uuid4().hex[:12], existing, set(session.photo_ids()))
        counts[self.SKIPPED] = len(existing) - len(queued)
        if counts[self.SKIPPED]:
            feedback.pushInfo(
                translate(
                    "AstroLocProcessing",
                    "{0} photo(s) already in the session or given twice (same SHA-256): skipped",
                ).format(counts[self.SKIPPED])
            )
        return queued

    def _localize_one(
        self,
        client: WorkerClient,
        table: BatchTable,
        session: Session,
        photo: BatchPhoto,
        i: int,
        n: int,
        feedback,
        counts: dict,
    ) -> bool:
        """Locate one photo into the session; False when the run must stop (cancelled)."""
        feedback.pushInfo(translate("AstroLocProcessing", "[{0}/{1}] {2}").format(i + 1, n, photo.name))
        table.mark(photo.sha256, RUNNING)
        try:
            result = self._locate(client, photo.path, photo.index, photo.k, i, n, feedback, photo.params)
        except WorkerError as exc:
            if exc.code == "cancelled":
                table.mark(photo.sha256, CANCELLED)
                return False
            if priors.is_shared_prior_refusal(exc.code, exc.field):
                raise QgsProcessingException(str(exc)) from exc  # the same for every photo
            feedback.reportError(translate("AstroLocProcessing", "{0}: {1}").format(photo.name, exc))
            table.mark(photo.sha256, FAILED, str(exc))
            counts[self.FAILED] += 1
            return True
        session.add_result(result, index_path=photo.index)
        table.mark(photo.sha256, DONE)
        found = result.get("status") != "not_found"
        counts[self.LOCATED if found else self.NOT_FOUND] += 1
        feedback.pushInfo(
            translate("AstroLocProcessing", "{0}: {1}, written to the session").format(
                photo.name,
                translate("AstroLocProcessing", "located")
                if found
                else translate("AstroLocProcessing", "not found"),
            )
        )
        return True

    @staticmethod
    def _locate(
        client: WorkerClient, photo: str, index: str, k: int, i: int, n: int, feedback, prior: dict
    ) -> dict:
        return engine.request(
            client,
            "locate",
            feedback,
            span=(100.0 * i / n, 100.0 * (i + 1) / n),
            photo=photo,
            index=index,
            k=k,
            **prior,
        )
