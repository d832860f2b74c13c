"""Connects the Locate tab, the worker and the map: validates input, queues tasks, adds layers.

Every expected problem ends as a message-bar message that says what to do.
"""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

from qgis.core import Qgis, QgsMessageLog, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, pyqtSignal
from qgis.PyQt.QtWidgets import QPushButton

from .. import settings
from ..definitions import LOG_TAG
from ..engine.protocol import INDEX_GPKG
from ..exif import read_exif
from ..map import coverage
from ..map.canvas import zoom_to
from ..session.batch import QUEUED, RUNNING
from ..translate import translate
from ..worker.client import WorkerClient
from ..worker.env import find_engine_python, start_worker_client, worker_log
from . import layers, priors
from .batch import BatchQueue, expand_photos
from .batch_view import BatchView
from .drop import is_readable_image
from .panel import LocatePanel
from .tasks import LocalizationQueue, LocateTask

COVERAGE_FILE = INDEX_GPKG
BATCH_MIN_PHOTOS = (
    5  # this many photos (or a folder) go to the batch queue: results into the session, no layers
)


class LocalizationController(QObject):
    """One per plugin instance; owns the worker client and the task queue. `panel` is the
    Locate tab (None in scripts that only want the map)."""

    resultAdded = pyqtSignal(object, dict)  # layers.ResultLayers, the engine's FeatureCollection
    setupRequested = pyqtSignal()

    def __init__(self, iface, panel: LocatePanel | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.iface = iface
        self.panel = panel
        self.queue = LocalizationQueue(self)
        self.queue.taskStarted.connect(self._task_started)
        self.queue.taskFinished.connect(self._task_finished)
        self.queue.queueChanged.connect(self._queue_changed)
        self.results: list[layers.ResultLayers] = []
        self.messages: list[tuple[int, str]] = []  # recent messages, newest last
        self.coverage_layer_id: str | None = None  # the tiles
        self.coverage_outline_id: str | None = None  # a large index's generalized coverage
        self._client: WorkerClient | None = None
        self._overlay_dir = tempfile.mkdtemp(prefix="astroloc-overlays-")
        self.batch = BatchQueue(self.client, None, self)
        self.batch.message.connect(lambda text, level: self.message(text, level, 8))
        if panel is not None:
            panel.add_batch_view(BatchView(self.batch, panel))
            self.batch.photoChanged.connect(self._batch_photo_changed)
            self.batch.photoProgress.connect(
                lambda fraction: self.queue.current is None and panel.set_progress(100 * fraction, "")
            )
            panel.photosDropped.connect(self.localize)
            panel.cancelRequested.connect(self.cancel)
            panel.indexChosen.connect(self.show_index_coverage)
            panel.resultActivated.connect(self.select_result)
            panel.opacityChanged.connect(self.set_photo_opacity)

    # --- messages -----------------------------------------------------------------------
    def message(self, text: str, level=Qgis.Warning, duration: int = 10, button: tuple | None = None) -> None:
        """Tell the user in the message bar (and the log); `button` is (label, slot)."""
        QgsMessageLog.logMessage(text, LOG_TAG, level)
        self.messages.append((level, text))
        del self.messages[:-50]
        bar = self.iface.messageBar() if self.iface is not None else None
        if bar is None:
            return
        if button is None:
            bar.pushMessage(translate("LocalizationController", "AstroLoc"), text, level, duration)
            return
        item = bar.createMessage(translate("LocalizationController", "AstroLoc"), text)
        label, slot = button
        push = QPushButton(label, item)
        push.clicked.connect(slot)
        item.layout().addWidget(push)
        bar.pushWidget(item, level, duration)

    def refuse(self, text: str, button: tuple | None = None) -> None:
        """A refused action: the message bar, and the panel's refusal line, which stays."""
        self.message(text, button=button)
        if self.panel is not None:
            self.panel.show_refusal(text)

    def choose_index_button(self) -> tuple | None:
        """(label, slot) of the message bar's button that opens the index chooser."""
        if self.panel is None:
            return None
        return translate("LocalizationController", "Choose index…"), self.panel.browse_index

    # --- the worker ---------------------------------------------------------------------
    def offer_engine_setup(self, level=Qgis.Critical) -> bool:
        """If no engine environment exists, say so with a button that opens the setup; True if so."""
        if find_engine_python().found:
            return False
        self.message(
            translate(
                "LocalizationController",
                "The AstroLoc engine environment is not set up. Open AstroLoc settings and "
                "click 'Create environment' (or set the engine Python).",
            ),
            level,
            0,
            (translate("LocalizationController", "Set up engine…"), self.setupRequested.emit),
        )
        return True

    def client(self) -> WorkerClient | None:
        """The persistent worker client; None (with a message) when no engine is set up."""
        if self.offer_engine_setup():
            return None
        location = find_engine_python()
        if self._client is None or self._client.python != str(location.python):
            if self._client is not None:
                self._client.shutdown()
            self._client = start_worker_client(location.python, worker_log())
        return self._client

    @property
    def worker(self) -> WorkerClient | None:
        return self._client

    # --- localizing ---------------------------------------------------------------------
    def current_index(self) -> str:
        if self.panel is not None:
            return self.panel.current_index()
        return settings.get_str(settings.INDEX_PATH)

    def check_photo(self, path: str) -> str | None:
        """None if usable, else what to tell the user."""
        file = Path(path)
        if not file.is_file():
            return translate("LocalizationController", "{} does not exist.").format(path)
        if not is_readable_image(path):
            return translate(
                "LocalizationController",
                "{} is not an image AstroLoc can read. Use a JPEG, PNG or TIFF photo.",
            ).format(file.name)
        return None

    def check_index(self, index: str) -> str | None:
        if not index:
            return translate(
                "LocalizationController",
                "No tile index chosen. Pick the index folder in the AstroLoc panel (the … button "
                "next to 'Index'), or build one with the engine command line.",
            )
        if not Path(index).is_dir():
            return translate(
                "LocalizationController",
                "The index folder {} does not exist. Pick another index in the AstroLoc panel.",
            ).format(index)
        return None

    def attach_review(self, review) -> None:
        """The review flow (review/mode.py) receives the batch's results; its sessions are
        checked for an interrupted batch when they open."""
        self.batch.review = review
        review.sessionOpened.connect(self.batch.check_interrupted)
        if review.session is not None:
            self.batch.check_interrupted(review.session)

    def localize(self, paths: list[str]) -> list[LocateTask]:
        """Queue every usable photo (a folder, or many photos: the batch queue); tell the user
        about the others. Returns the queued tasks (none for a batch)."""
        if len(paths) >= BATCH_MIN_PHOTOS or any(Path(path).is_dir() for path in paths):
            self.localize_batch(paths)
            return []
        usable = []
        for path in paths:
            problem = self.check_photo(path)
            if problem:
                self.refuse(problem)
            else:
                usable.append(path)
        if not usable:
            return []
        index = self.current_index()
        problem = self.check_index(index)
        if problem:
            self.refuse(problem, self.choose_index_button())
            return []
        planned = self.search_priors(usable)
        if planned is None:
            return []
        client = self.client()
        if client is None:
            if self.panel is not None:
                self.panel.show_refusal(self.messages[-1][1])  # the engine is not set up: said above
            return []
        kind = self.photo_kind()
        tasks = [
            LocateTask(client, path, index, settings.candidates(), self._overlay_dir, prior, kind)
            for path, prior in planned
        ]
        for task in tasks:
            self.queue.enqueue(task)
        return tasks

    def localize_batch(self, paths: list[str]) -> int:
        """Hand the photos of `paths` (folders expanded) to the batch queue; returns how many."""
        photos = expand_photos(paths)
        if not photos:
            self.refuse(
                translate("LocalizationController", "No photos (JPEG, PNG, TIFF) in {}.").format(
                    ", ".join(Path(path).name for path in paths)
                )
            )
            return 0
        if self.batch.review is None:
            self.refuse(
                translate(
                    "LocalizationController", "A batch needs a review session: open one in the Review tab."
                )
            )
            return 0
        index = self.current_index()
        problem = self.check_index(index)
        if problem:
            self.refuse(problem, self.choose_index_button())
            return 0
        planned = self.search_priors(photos)
        if planned is None:
            return 0
        priors_of, kind = dict(planned), self.photo_kind()
        return self.batch.start(
            photos, index, settings.candidates(), lambda photo: {**priors_of.get(photo, {}), "kind": kind}
        )

    def photo_kind(self) -> str:
        """The Locate tab's kind of photo (the saved one without a panel)."""
        return self.panel.photo_kind() if self.panel is not None else settings.photo_kind()

    def search_priors(self, photos: list[str]) -> list[tuple[str, dict]] | None:
        """Each photo with the prior keys of the panel's search area (its EXIF GPS for 'Near a
        point'); None, with the problem shown next to the field, when the area is not usable."""
        if self.panel is None:
            return [(photo, {}) for photo in photos]
        self.panel.clear_prior_error()
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        try:
            inputs = self.panel.search_area_inputs(canvas, self._overlay_dir)
            planned = []
            for photo in photos:
                exif = read_exif(photo) if inputs.mode == priors.NEAR else {}
                gps = (exif["gps_lat"], exif["gps_lon"]) if "gps_lat" in exif else None
                if gps and inputs.near_from_gps:
                    self.panel.fill_gps(exif)
                planned.append((photo, priors.prior_for(inputs, photo, gps)))
        except priors.PriorError as error:
            self.panel.show_prior_error(error.message, error.field)
            self.panel.set_idle(translate("LocalizationController", "Search area: {}").format(error.message))
            return None
        self.panel.save_prior_settings()
        return planned

    def cancel(self) -> None:
        self.queue.cancel_all()
        self.batch.cancel()

    def _batch_photo_changed(self, sha256: str) -> None:
        """The photo line above shows the batch's current photo (its thumbnail, EXIF and progress)."""
        if self.queue.current is not None:
            return  # a single photo's task owns the photo line
        photo, counts = self.batch.photos[sha256], self.batch.counts()
        if photo.state == RUNNING:
            self.panel.start_photo(
                photo.path, translate("LocalizationController", "Batch: locating {}…").format(photo.name)
            )
        elif not counts[RUNNING] and not counts[QUEUED]:
            self.panel.set_idle(
                translate("LocalizationController", "Batch: the results are in the Review tab.")
            )

    def _task_started(self, task: LocateTask) -> None:
        if self.panel is None:
            return
        self.panel.start_photo(
            task.photo,
            translate("LocalizationController", "Locating {}…").format(Path(task.photo).name)
            + self._waiting_note(),
        )
        task.progressChanged.connect(lambda value: self.panel.set_progress(value, ""))
        task.stageChanged.connect(self._stage_changed)

    def _waiting_note(self) -> str:
        waiting = self.queue.waiting()
        return translate("LocalizationController", " ({} more waiting)").format(waiting) if waiting else ""

    def _stage_changed(self, stage: str, text: str) -> None:
        if self.panel is not None:
            line = f"{stage}: {text}" if text else stage
            self.panel.set_stage(line + self._waiting_note())

    def _queue_changed(self, waiting: int) -> None:
        if self.panel is not None:
            self.panel.show_waiting(waiting)

    def _task_finished(self, task: LocateTask) -> None:
        name = Path(task.photo).name
        suffix = self._waiting_note()
        if task.error is not None or task.result is None:
            error = task.error
            if error is not None and error.code == "cancelled":
                text = translate("LocalizationController", "Cancelled {}.").format(name)
                self.message(text, Qgis.Info, 3)
            else:
                text = translate("LocalizationController", "Could not locate {}: {}").format(
                    name, error or translate("LocalizationController", "no result")
                )
                self.message(text, Qgis.Critical, 15)
                if error is not None and priors.is_prior_refusal(error.code) and self.panel is not None:
                    self.panel.show_prior_error(str(error))  # the engine refused the search area
            if self.panel is not None:
                self.panel.set_idle(text + suffix)
            return
        try:
            result = self.add_result(task.result, task.photo, task.overlay_path, task.prepared)
        except Exception as exc:  # never an exception dialog: say it, log the details
            QgsMessageLog.logMessage(traceback.format_exc(), LOG_TAG, Qgis.Critical)
            self.message(
                translate("LocalizationController", "Could not draw the result for {}: {}").format(name, exc),
                Qgis.Critical,
                15,
            )
            if self.panel is not None:
                self.panel.set_idle(
                    translate("LocalizationController", "Could not draw the result for {}.").format(name)
                )
            return
        if task.result.get("status") == "not_found" or not result.vectors:
            self.message(
                translate("LocalizationController", "No match for {} in this index.").format(name),
                Qgis.Info,
                8,
            )
        if self.panel is not None:
            self.panel.set_progress(100, "")
            self.panel.set_idle(outcome_text(task.result, name) + suffix)

    def add_result(
        self,
        collection: dict,
        photo: str,
        overlay: str | None = None,
        prepared: layers.PreparedLayers | None = None,
    ) -> layers.ResultLayers:
        result = layers.add_result_to_project(
            collection, photo, overlay, settings.photo_opacity(), prepared=prepared
        )
        self.results.append(result)
        canvas = self.iface.mapCanvas() if self.iface is not None else None
        zoom_to(canvas, layers.result_extent(result))
        view = self.iface.layerTreeView() if self.iface is not None else None
        if view is not None and hasattr(view, "node2index"):
            view.expand(view.node2index(result.group))  # the view does not follow the node on insert
        if self.panel is not None:
            self.panel.show_result(result.vectors, collection.get("calibration"))
        self.resultAdded.emit(result, collection)  # synchronous: the review session relies on it
        return result

    # --- map interaction ----------------------------------------------------------------
    def select_result(self, role: str, fid: int) -> None:
        if not self.results:
            return
        layer = self.results[-1].vectors.get(role)
        if layer is not None:
            layers.select_feature(self.iface.mapCanvas() if self.iface else None, layer, fid)

    def set_photo_opacity(self, opacity: float) -> None:
        settings.set_value(settings.PHOTO_OPACITY, opacity)
        alive = [
            r
            for r in self.results
            if r.photo_layer is not None and QgsProject.instance().mapLayer(r.photo_layer.id()) is not None
        ]
        layers.set_photo_opacity(alive, opacity)

    def show_index_coverage(self, index: str) -> QgsVectorLayer | None:
        """Replace the coverage layers by the chosen index's: its tiles (tiles.gpkg), and for a large
        index its generalized coverage above the scale where the tiles show (map/coverage.py)."""
        project = QgsProject.instance()
        for layer_id in (self.coverage_layer_id, self.coverage_outline_id):
            if layer_id and project.mapLayer(layer_id):
                project.removeMapLayer(layer_id)
        self.coverage_layer_id = self.coverage_outline_id = None
        problem = self.check_index(index)
        if problem:
            self.message(problem)
            return None
        table = Path(index) / COVERAGE_FILE
        if not table.is_file():
            self.message(
                translate(
                    "LocalizationController",
                    "{} has no {}: is it an AstroLoc index? Build one with the engine command line.",
                ).format(index, COVERAGE_FILE)
            )
            return None
        layer, outline = coverage.index_coverage_layers(table, Path(index).name)
        if not layer.isValid():
            self.message(translate("LocalizationController", "Cannot read {}.").format(table))
            return None
        if outline is None and layer.featureCount() > coverage.LARGE_INDEX_TILES:
            self.message(
                translate(
                    "LocalizationController",
                    "{} has {} tiles and no generalized coverage, so the map may be slow: run the "
                    "engine command “astroloc index info {}” once to write it.",
                ).format(Path(index).name, layer.featureCount(), index),
                Qgis.Info,
            )
        for shown in (outline, layer):
            if shown is not None:
                project.addMapLayer(shown, False)
                project.layerTreeRoot().addLayer(shown)  # at the bottom, under the results
        self.coverage_layer_id = layer.id()
        self.coverage_outline_id = outline.id() if outline is not None else None
        return layer

    # --- teardown -----------------------------------------------------------------------
    def shutdown(self) -> None:
        self.batch.stop()  # the photos not done stay queued in the session: offered next time
        self.queue.cancel_all()
        if self._client is not None:
            self._client.shutdown()
            self._client = None
        # The warped photos stay in the temporary folder: layers in the project still use them.


def outcome_text(result: dict, name: str) -> str:
    """What the panel says when a photo is done: placed or why not, and how much of it was cloud."""
    if result.get("status") == "not_found":
        text = translate(
            "LocalizationController", "No trustworthy footprint for {}: {}. The candidates are drawn."
        ).format(name, result.get("reason") or translate("LocalizationController", "nothing verified"))
    else:
        text = translate("LocalizationController", "Located {}.").format(name)
    prior = result.get("prior") or {}
    if prior.get("description"):
        text += " " + translate("LocalizationController", "Searched {} ({} tiles).").format(
            prior["description"], prior.get("tiles_in_region", "?")
        )
    cloud = float((result.get("photo") or {}).get("cloud_share") or 0.0)
    if cloud >= 0.05:
        text += " " + translate(
            "LocalizationController", "{}% of the photo is cloud and was left out of the search."
        ).format(round(100 * cloud))
    return text
