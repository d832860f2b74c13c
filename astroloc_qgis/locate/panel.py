"""The Locate tab: drop zone, index picker, photo preview, progress, result list.

The panel only shows things and emits signals; the controller (locate/controller.py) does the work.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication, QgsMapLayerProxyModel, QgsTask, QgsVectorLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt.QtCore import QSize, Qt, pyqtSignal
from qgis.PyQt.QtGui import QIcon, QImage, QImageReader, QPixmap
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSlider,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import settings
from ..definitions import PHOTO_FILE_FILTER, photo_kind_label, photo_kind_tip
from ..engine.protocol import KINDS
from ..exif import read_exif
from ..paths import icon_path
from . import priors

THUMBNAIL = QSize(128, 96)
THUMBNAIL_ROW = QSize(40, 40)  # a candidate's reference tile in the result list
ROLE_DATA = Qt.UserRole


def exif_summary_lines(exif: dict, width: int, height: int) -> list[str]:
    lines = [f"{width} × {height} px" if width > 0 else ""]
    camera = " ".join(v for v in (exif.get("camera_make"), exif.get("camera_model")) if v)
    if camera:
        # Many makers repeat their name in the model field.
        make = exif.get("camera_make", "")
        model = exif.get("camera_model", "")
        lines.append(model if make and model.startswith(make) else camera)
    if exif.get("datetime"):
        lines.append(str(exif["datetime"]).replace("T", " ", 1))
    if exif.get("focal_length_mm"):
        lines.append(f"f = {exif['focal_length_mm']:g} mm")
    if "gps_lat" in exif:
        gps = f"GPS {exif['gps_lat']:.5f}, {exif['gps_lon']:.5f}"
        if "gps_alt_m" in exif:
            gps += f", {exif['gps_alt_m']:g} m"
        lines.append(gps)
    return [line for line in lines if line]


def _value(feature, name: str):
    """The attribute, or None when the layer lacks it or it is NULL."""
    if feature.fieldNameIndex(name) < 0:
        return None
    value = feature[name]
    return None if value is None or (hasattr(value, "isNull") and value.isNull()) else value


def _number(value, digits: int) -> str:
    return f"{float(value):.{digits}f}" if isinstance(value, (int, float)) else "–"


def read_preview(path: str) -> tuple[QImage, list[str]]:
    """Thumbnail (EXIF orientation applied) and EXIF summary lines. Any thread: QImage, no QPixmap."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMBNAIL, Qt.KeepAspectRatio))
    return reader.read(), exif_summary_lines(read_exif(path), size.width(), size.height())


class DropZone(QLabel):
    """The dashed box that says where to drop; the whole dock accepts the drop."""

    clicked = pyqtSignal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignCenter)
        self.setWordWrap(True)
        self.setMinimumHeight(64)
        self.setCursor(Qt.PointingHandCursor)
        self.set_highlight(False)

    def set_highlight(self, on: bool) -> None:
        colour = "#2a7ae2" if on else "palette(mid)"
        background = "rgba(42,122,226,40)" if on else "transparent"
        self.setStyleSheet(
            f"QLabel {{ border: 2px dashed {colour}; border-radius: 8px; padding: 10px;"
            f" background: {background}; }}"
        )

    def mouseReleaseEvent(self, event) -> None:
        self.clicked.emit()
        super().mouseReleaseEvent(event)


class LocatePanel(QWidget):
    photosDropped = pyqtSignal(list)  # list[str] of local paths
    indexChosen = pyqtSignal(str)
    cancelRequested = pyqtSignal()
    resultActivated = pyqtSignal(str, int)  # layer role, feature id
    opacityChanged = pyqtSignal(float)
    settingsRequested = pyqtSignal()
    blinkRequested = pyqtSignal()  # toggle the warped photo (also the B key on the map)
    swipeToggled = pyqtSignal(bool)
    swipePositionChanged = pyqtSignal(float)  # 0..1 of the map's width

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self._add_drop_zone(layout)
        self._add_refusal_line(layout)
        self._add_index_row(layout)
        self._add_kind_row(layout)
        self._add_search_area(layout)
        self._add_photo_row(layout)
        self._add_progress(layout)
        self._batch_slot = QVBoxLayout()  # the batch queue's view (locate/batch_view.py)
        layout.addLayout(self._batch_slot)
        self._add_result_list(layout)
        self._add_compare_row(layout)
        self._add_bottom_row(layout)
        self._shown_photo: str | None = None
        self._preview_tasks: set[QgsTask] = set()
        self.refresh_indexes()
        self.show_photo(None)

    # --- building the panel, top to bottom ------------------------------------------------
    def _add_drop_zone(self, layout: QVBoxLayout) -> None:
        self.drop_zone = DropZone(self)
        self.drop_zone.setText(self.tr("Drop photos here\nor click to choose files"))
        self.drop_zone.clicked.connect(self.browse_photos)
        layout.addWidget(self.drop_zone)

    def _add_refusal_line(self, layout: QVBoxLayout) -> None:
        """Why the last drop or click was refused; it stays until the next photo is accepted."""
        self.refusal = QLabel(self)
        self.refusal.setObjectName("AstroLocRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(
            "QLabel { color: #c0392b; border-left: 3px solid #c0392b; padding-left: 4px; }"
        )
        self.refusal.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.refusal.hide()
        layout.addWidget(self.refusal)

    def show_refusal(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.show()

    def clear_refusal(self) -> None:
        self.refusal.clear()
        self.refusal.hide()

    def _add_index_row(self, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self._index_row = row
        row.addWidget(QLabel(self.tr("Index"), self))
        self.index_combo = QComboBox(self)
        self.index_combo.setEditable(False)
        self.index_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.index_combo.setMinimumContentsLength(12)
        self.index_combo.setToolTip(self.tr("Tile index folder (recent indexes first)"))
        self.index_combo.activated.connect(self._index_activated)
        row.addWidget(self.index_combo, 1)
        self.index_button = QToolButton(self)
        self.index_button.setText("…")
        self.index_button.setToolTip(self.tr("Choose an index folder"))
        self.index_button.clicked.connect(self.browse_index)
        row.addWidget(self.index_button)
        layout.addLayout(row)

    def add_index_action(self, action) -> QToolButton:
        """A tool button for `action` at the end of the index row (the dock's coverage action)."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        self._index_row.addWidget(button)
        return button

    def _add_kind_row(self, layout: QVBoxLayout) -> None:
        """What kind of photo the next ones are (the request's "kind"; kept in the settings)."""
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Kind of photo"), self))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("AstroLocPhotoKind")
        for kind in KINDS:
            self.kind_combo.addItem(photo_kind_label(kind), kind)
            self.kind_combo.setItemData(self.kind_combo.count() - 1, photo_kind_tip(kind), Qt.ToolTipRole)
        self.kind_combo.setToolTip(
            self.tr("How the photos dropped next are searched and what is drawn for them")
        )
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(settings.photo_kind())))
        self.kind_combo.currentIndexChanged.connect(
            lambda _position: settings.set_value(settings.PHOTO_KIND, self.photo_kind())
        )
        row.addWidget(self.kind_combo, 1)
        layout.addLayout(row)

    def photo_kind(self) -> str:
        """The chosen kind of photo (protocol.KINDS)."""
        return str(self.kind_combo.currentData() or "auto")

    def _add_search_area(self, layout: QVBoxLayout) -> None:
        """Where to search: one row with the mode, the mode's fields below it, and a message line
        that says what is wrong with them (it stays until the input is changed)."""
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Search area"), self))
        self.prior_mode = QComboBox(self)
        labels = {
            priors.ANYWHERE: self.tr("Anywhere"),
            priors.NADIR: self.tr("Camera nadir"),
            priors.NEAR: self.tr("Near a point"),
            priors.CANVAS: self.tr("Canvas extent"),
            priors.LAYER: self.tr("Polygons of a layer"),
            priors.TLE: self.tr("Orbit (TLE file)"),
            priors.CATALOGUE: self.tr("NASA catalogue (ISS frames)"),
        }
        for mode in priors.MODES:
            self.prior_mode.addItem(labels[mode], mode)
        self.prior_mode.setToolTip(
            self.tr(
                "Only tiles of the index inside this area are searched; "
                "the area is drawn as the layer 'Search area'"
            )
        )
        row.addWidget(self.prior_mode, 1)
        layout.addLayout(row)
        self.prior_pages = QStackedWidget(self)
        self.prior_fields: dict[str, QWidget] = {}
        self._field_labels: dict[str, str] = {}
        for mode in priors.MODES:
            self.prior_pages.addWidget(self._prior_page(mode))
        layout.addWidget(self.prior_pages)
        self.prior_error = QLabel(self)
        self.prior_error.setWordWrap(True)
        self.prior_error.setStyleSheet("QLabel { color: #c0392b; }")
        self.prior_error.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.prior_error.hide()
        layout.addWidget(self.prior_error)
        self._load_prior_settings()
        self.prior_mode.currentIndexChanged.connect(self._prior_mode_changed)
        self._prior_mode_changed()

    def _prior_page(self, mode: str) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)

        def line(key: str, label: str, placeholder: str, tip: str, row: int) -> QLineEdit:
            edit = QLineEdit(page)
            edit.setPlaceholderText(placeholder)
            edit.setToolTip(tip)
            edit.textEdited.connect(self.clear_prior_error)
            grid.addWidget(QLabel(label, page), row, 0)
            grid.addWidget(edit, row, 1)
            self.prior_fields[key] = edit
            self._field_labels[key] = label
            return edit

        def file_row(key: str, label: str, tip: str, file_filter: str, row: int) -> None:
            edit = line(key, label, self.tr("file…"), tip, row)
            button = QToolButton(page)
            button.setText("…")
            button.setToolTip(tip)
            button.clicked.connect(lambda: self._browse_file(edit, label, file_filter))
            grid.addWidget(button, row, 2)

        if mode == priors.ANYWHERE:
            note = QLabel(self.tr("The whole index is searched."), page)
            note.setEnabled(False)
            grid.addWidget(note, 0, 0)
        elif mode == priors.NADIR:
            line(
                "nadir",
                self.tr("Nadir"),
                self.tr("lat, lon"),
                self.tr("The point on the ground straight below the camera at capture time (degrees)"),
                0,
            )
            line(
                "altitude_km",
                self.tr("Altitude km"),
                priors.ISS_ALTITUDE_KM,
                self.tr("Camera altitude in km, one value or a range (the ISS flies at 400-420 km)"),
                1,
            )
            line(
                "max_tilt",
                self.tr("Max off-nadir °"),
                self.tr("optional: up to the horizon"),
                self.tr("Largest angle between the view and the vertical (degrees, optional)"),
                2,
            )
        elif mode == priors.NEAR:
            line(
                "near",
                self.tr("Point"),
                self.tr("lat, lon"),
                self.tr("A position near the photo (degrees), e.g. a drone's or phone's GPS"),
                0,
            )
            line(
                "radius_km",
                self.tr("Radius km"),
                priors.DEFAULT_RADIUS_KM,
                self.tr("Search within this distance of the point"),
                1,
            )
            gps = QCheckBox(self.tr("Use the photo's EXIF GPS when it has one"), page)
            gps.toggled.connect(self.clear_prior_error)
            grid.addWidget(gps, 2, 0, 1, 2)
            self.prior_fields["near_from_gps"] = gps
        elif mode == priors.CANVAS:
            note = QLabel(self.tr("What the map shows when the photo is dropped."), page)
            note.setWordWrap(True)
            grid.addWidget(note, 0, 0)
        elif mode == priors.LAYER:
            layer = QgsMapLayerComboBox(page)
            layer.setFilters(QgsMapLayerProxyModel.PolygonLayer)
            layer.setToolTip(self.tr("A polygon layer of the project"))
            layer.layerChanged.connect(self.clear_prior_error)
            grid.addWidget(QLabel(self.tr("Layer"), page), 0, 0)
            grid.addWidget(layer, 0, 1)
            self.prior_fields["layer"] = layer
            selected = QCheckBox(self.tr("Selected polygons only"), page)
            selected.setChecked(True)
            grid.addWidget(selected, 1, 0, 1, 2)
            self.prior_fields["selected_only"] = selected
        elif mode == priors.TLE:
            file_row(
                "tle",
                self.tr("TLE file"),
                self.tr(
                    "Two-line elements of the spacecraft; with the photo's capture time they give the nadir"
                ),
                self.tr("TLE files (*.tle *.txt);;All files (*)"),
                0,
            )
            line(
                "capture_time",
                self.tr("Capture time"),
                self.tr("from EXIF; or 2020-02-14 10:32:05"),
                self.tr("UTC date and time of the photo, when its EXIF has none (or is wrong)"),
                1,
            )
        elif mode == priors.CATALOGUE:
            file_row(
                "catalogue",
                self.tr("Catalogue"),
                self.tr(
                    "A NASA-style CSV: frame id, nadir lat/lon, "
                    "focal length. Photos named like ISS062-E-150758 "
                    "take their nadir from it; others search everywhere"
                ),
                self.tr("CSV files (*.csv *.txt *.tsv);;All files (*)"),
                0,
            )
        grid.setColumnStretch(1, 1)
        return page

    def _browse_file(self, edit: QLineEdit, title: str, file_filter: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title, edit.text(), file_filter)
        if path:
            edit.setText(path)
            self.clear_prior_error()

    def _prior_mode_changed(self, *_args) -> None:
        mode = self.prior_mode.currentData()
        self.prior_pages.setCurrentIndex(priors.MODES.index(mode))
        # The section takes only the height of the page shown.
        for position in range(self.prior_pages.count()):
            page = self.prior_pages.widget(position)
            page.setVisible(position == self.prior_pages.currentIndex())
        self.prior_pages.setFixedHeight(self.prior_pages.currentWidget().sizeHint().height())
        self.clear_prior_error()

    def _text_fields(self) -> dict[str, str]:
        return {
            key: widget.text() for key, widget in self.prior_fields.items() if isinstance(widget, QLineEdit)
        }

    _SETTING_OF = {
        "nadir": settings.PRIOR_NADIR,
        "altitude_km": settings.PRIOR_ALTITUDE_KM,
        "max_tilt": settings.PRIOR_MAX_TILT,
        "near": settings.PRIOR_NEAR,
        "radius_km": settings.PRIOR_RADIUS_KM,
        "tle": settings.PRIOR_TLE,
        "catalogue": settings.CATALOGUE_PATH,
    }

    def _load_prior_settings(self) -> None:
        defaults = {"altitude_km": priors.ISS_ALTITUDE_KM, "radius_km": priors.DEFAULT_RADIUS_KM}
        for key, name in self._SETTING_OF.items():
            self.prior_fields[key].setText(settings.get_str(name, defaults.get(key, "")))
        self.prior_fields["near_from_gps"].setChecked(
            settings.get_str(settings.PRIOR_NEAR_GPS, "true") == "true"
        )
        position = self.prior_mode.findData(settings.get_str(settings.PRIOR_MODE, priors.ANYWHERE))
        self.prior_mode.setCurrentIndex(max(0, position))

    def save_prior_settings(self) -> None:
        texts = self._text_fields()
        for key, name in self._SETTING_OF.items():
            settings.set_value(name, texts[key].strip())
        settings.set_value(
            settings.PRIOR_NEAR_GPS, "true" if self.prior_fields["near_from_gps"].isChecked() else "false"
        )
        settings.set_value(settings.PRIOR_MODE, self.prior_mode.currentData())

    def set_search_area(self, mode: str, **texts: str) -> None:
        """Choose a mode and fill its fields (scripts, tests, the screenshot)."""
        self.prior_mode.setCurrentIndex(self.prior_mode.findData(mode))
        for key, value in texts.items():
            widget = self.prior_fields[key]
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QgsMapLayerComboBox):
                widget.setLayer(value)
            else:
                widget.setText(str(value))

    def search_area_mode(self) -> str:
        return str(self.prior_mode.currentData())

    def search_area_inputs(self, canvas=None, aoi_dir: str | None = None) -> priors.SearchAreaInputs:
        """The section as typed; the canvas and layer modes write their AOI file here (GUI thread).
        Raises priors.PriorError (and shows it) when an area cannot be written."""
        mode = self.search_area_mode()
        texts = self._text_fields()
        inputs = priors.SearchAreaInputs(
            mode=mode,
            nadir=texts["nadir"],
            altitude_km=texts["altitude_km"],
            max_tilt=texts["max_tilt"],
            near=texts["near"],
            radius_km=texts["radius_km"],
            near_from_gps=self.prior_fields["near_from_gps"].isChecked(),
            tle=texts["tle"],
            capture_time=texts["capture_time"],
            catalogue=texts["catalogue"],
        )
        try:
            if mode == priors.CANVAS:
                if canvas is None:
                    raise priors.PriorError(mode, self.tr("no map canvas to take the extent from"))
                inputs.aoi = priors.extent_aoi(
                    canvas.extent(), canvas.mapSettings().destinationCrs(), aoi_dir
                )
            elif mode == priors.LAYER:
                inputs.aoi = priors.layer_aoi(
                    self.prior_fields["layer"].currentLayer(),
                    self.prior_fields["selected_only"].isChecked(),
                    aoi_dir,
                )
        except priors.PriorError as error:
            self.show_prior_error(error.message, error.field)
            raise
        return inputs

    def show_prior_error(self, text: str, field_name: str = "") -> None:
        """Say what is wrong under the section, and mark the field it concerns."""
        self.clear_prior_error()
        widget = self.prior_fields.get(field_name)
        if isinstance(widget, QLineEdit):
            widget.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }")
            widget.setFocus()
        label = self._field_labels.get(field_name)
        self.prior_error.setText(f"{label}: {text}" if label else text)
        self.prior_error.show()

    def clear_prior_error(self, *_args) -> None:
        self.prior_error.hide()
        self.prior_error.clear()
        for widget in self.prior_fields.values():
            if isinstance(widget, QLineEdit):
                widget.setStyleSheet("")

    def fill_gps(self, exif: dict) -> None:
        """A photo with EXIF GPS shown while 'Near a point' takes it from the photo: show that point."""
        if "gps_lat" in exif and self.prior_fields["near_from_gps"].isChecked():
            self.prior_fields["near"].setText(f"{exif['gps_lat']:.6f}, {exif['gps_lon']:.6f}")

    def _add_photo_row(self, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.thumbnail = QLabel(self)
        self.thumbnail.setFixedSize(THUMBNAIL)
        self.thumbnail.setAlignment(Qt.AlignCenter)
        self.thumbnail.setFrameShape(QFrame.StyledPanel)
        row.addWidget(self.thumbnail)
        self.photo_info = QLabel(self)
        self.photo_info.setWordWrap(True)
        self.photo_info.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.photo_info.setTextInteractionFlags(Qt.TextSelectableByMouse)
        row.addWidget(self.photo_info, 1)
        layout.addLayout(row)

    def _add_progress(self, layout: QVBoxLayout) -> None:
        self.stage_label = QLabel(self.tr("Ready."), self)
        self.stage_label.setWordWrap(True)
        layout.addWidget(self.stage_label)
        row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        row.addWidget(self.progress, 1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancelRequested)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

    def _add_result_list(self, layout: QVBoxLayout) -> None:
        self.results = QTreeWidget(self)
        self._result_header()
        self.results.setRootIsDecorated(False)
        self.results.setSelectionMode(QAbstractItemView.SingleSelection)
        self.results.setAlternatingRowColors(True)
        self.results.header().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.results.header().setSectionResizeMode(1, QHeaderView.Stretch)  # fits a narrow dock
        self.results.header().setStretchLastSection(False)
        self.results.itemSelectionChanged.connect(self._result_selected)
        layout.addWidget(self.results, 1)
        self.calibration_label = QLabel(self)  # the footprint confidence's origin (engine/calibration.py)
        self.calibration_label.setObjectName("calibrationLabel")
        self.calibration_label.setWordWrap(True)
        self.calibration_label.setVisible(False)
        layout.addWidget(self.calibration_label)

    def _add_compare_row(self, layout: QVBoxLayout) -> None:
        """Photo against reference: blink (B on the map) and a swipe line with its position."""
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Compare"), self))
        self.blink_button = QPushButton(self.tr("Blink (B)"), self)
        self.blink_button.setToolTip(
            self.tr("Show or hide the warped photo over the reference imagery (or press B on the map)")
        )
        self.blink_button.clicked.connect(self.blinkRequested)
        row.addWidget(self.blink_button)
        self.swipe_button = QPushButton(self.tr("Swipe"), self)
        self.swipe_button.setCheckable(True)
        self.swipe_button.setToolTip(
            self.tr(
                "The photo left of a line, the reference right of it: drag on "
                "the map or use the slider to move the line"
            )
        )
        self.swipe_button.toggled.connect(self._swipe_toggled)
        row.addWidget(self.swipe_button)
        self.swipe_slider = QSlider(Qt.Horizontal, self)
        self.swipe_slider.setRange(0, 100)
        self.swipe_slider.setValue(50)
        self.swipe_slider.setEnabled(False)
        self.swipe_slider.setToolTip(self.tr("Where the swipe line is, across the map"))
        self.swipe_slider.valueChanged.connect(lambda v: self.swipePositionChanged.emit(v / 100.0))
        row.addWidget(self.swipe_slider, 1)
        layout.addLayout(row)
        self.compare_note = QLabel(self)
        self.compare_note.setWordWrap(True)
        self.compare_note.setEnabled(False)  # greyed: a note, not a warning
        self.compare_note.hide()
        layout.addWidget(self.compare_note)
        self.set_compare_available(False)

    def _swipe_toggled(self, on: bool) -> None:
        self.swipe_slider.setEnabled(on)
        self.swipeToggled.emit(on)

    def set_compare_available(self, available: bool, why_not: str = "") -> None:
        """Blink and swipe need a warped photo (a footprint) over reference imagery; `why_not`
        is said under the row when they cannot be offered."""
        if not available and self.swipe_button.isChecked():
            self.swipe_button.setChecked(False)
        for widget in (self.blink_button, self.swipe_button):
            widget.setEnabled(available)
        self.compare_note.setText(why_not)
        self.compare_note.setVisible(bool(why_not) and not available)

    def _add_bottom_row(self, layout: QVBoxLayout) -> None:
        bottom = QGridLayout()
        bottom.addWidget(QLabel(self.tr("Photo opacity"), self), 0, 0)
        self.opacity = QSlider(Qt.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(round(100 * settings.photo_opacity()))
        self.opacity.valueChanged.connect(lambda v: self.opacityChanged.emit(v / 100.0))
        bottom.addWidget(self.opacity, 0, 1)
        self.settings_button = QToolButton(self)
        self.settings_button.setIcon(QIcon(icon_path("settings")))
        self.settings_button.setToolTip(self.tr("AstroLoc settings"))
        self.settings_button.clicked.connect(self.settingsRequested)
        bottom.addWidget(self.settings_button, 0, 2)
        layout.addLayout(bottom)

    def add_batch_view(self, view: QWidget) -> None:
        self._batch_slot.addWidget(view)

    # --- photos in ------------------------------------------------------------------------
    def set_drop_highlight(self, on: bool) -> None:
        self.drop_zone.set_highlight(on)

    def browse_photos(self) -> None:
        folder = settings.get_str(settings.LAST_PHOTO_FOLDER)
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Choose photos to locate"),
            folder,
            self.tr("Images ({})").format(PHOTO_FILE_FILTER) + ";;" + self.tr("All files (*)"),
        )
        if paths:
            settings.set_value(settings.LAST_PHOTO_FOLDER, str(Path(paths[0]).parent))
            self.photosDropped.emit(paths)

    def show_waiting(self, waiting: int) -> None:
        """How many photos wait behind the one being located (the drop zone's tooltip)."""
        self.drop_zone.setToolTip(self.tr("{} photo(s) waiting").format(waiting) if waiting else "")

    # --- index picker -------------------------------------------------------------------
    def refresh_indexes(self) -> None:
        current = settings.get_str(settings.INDEX_PATH)
        recent = settings.recent_indexes()
        if current and current not in recent:
            recent.insert(0, current)
        self.index_combo.blockSignals(True)
        self.index_combo.clear()
        if not recent:
            self.index_combo.addItem(self.tr("(no index chosen)"), "")
        for path in recent:
            self.index_combo.addItem(Path(path).name or path, path)
            self.index_combo.setItemData(self.index_combo.count() - 1, path, Qt.ToolTipRole)
        position = self.index_combo.findData(current)
        self.index_combo.setCurrentIndex(max(0, position))
        self.index_combo.blockSignals(False)

    def current_index(self) -> str:
        return str(self.index_combo.currentData() or "")

    def browse_index(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a tile index folder"), self.current_index()
        )
        if folder:
            self.choose_index(folder)

    def choose_index(self, folder: str) -> None:
        settings.remember_index(folder)
        self.refresh_indexes()
        self.indexChosen.emit(folder)

    def _index_activated(self, position: int) -> None:
        path = self.index_combo.itemData(position)
        if path:
            self.choose_index(str(path))

    # --- photo preview ------------------------------------------------------------------
    def show_photo(self, path: str | None) -> None:
        """Name at once; thumbnail and EXIF from a task (a large TIFF takes a while to decode)."""
        self._shown_photo = path
        if not path:
            self.thumbnail.setPixmap(
                QPixmap(icon_path("photo")).scaled(48, 48, Qt.KeepAspectRatio, Qt.SmoothTransformation)
            )
            self.photo_info.setText(self.tr("No photo yet."))
            return
        self.thumbnail.clear()
        self.photo_info.setText(f"<b>{Path(path).name}</b>")
        self.photo_info.setToolTip(path)

        def shown(exception, preview=None) -> None:
            self._preview_tasks.discard(task)
            if path != self._shown_photo or exception is not None or preview is None:
                return
            image, lines = preview
            try:
                if image.isNull():
                    self.thumbnail.setText(self.tr("no preview"))
                else:
                    self.thumbnail.setPixmap(QPixmap.fromImage(image))
                self.photo_info.setText("<br>".join([f"<b>{Path(path).name}</b>", *lines]))
            except RuntimeError:
                pass  # the panel was closed (plugin unloaded) while the preview was read

        task = QgsTask.fromFunction(
            self.tr("AstroLoc: photo preview"), lambda _task: read_preview(path), on_finished=shown
        )
        self._preview_tasks.add(task)  # the task manager does not keep the Python object alive
        QgsApplication.taskManager().addTask(task)

    # --- progress -----------------------------------------------------------------------
    def start_photo(self, path: str, text: str) -> None:
        """A photo is being located: show it, empty the result list (it always belongs to the
        photo shown above it), say `text` and enable Cancel."""
        self.show_photo(path)
        self.results.clear()
        self.clear_refusal()
        self.set_busy(text)

    def set_busy(self, text: str) -> None:
        self.stage_label.setText(text)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)

    def set_progress(self, percent: float, text: str) -> None:
        self.progress.setValue(int(percent))
        self.set_stage(text)

    def set_stage(self, text: str) -> None:
        """The stage line; the progress bar keeps its value."""
        if text:
            self.stage_label.setText(text)

    def set_idle(self, text: str) -> None:
        self.stage_label.setText(text)
        self.cancel_button.setEnabled(False)

    # --- results ------------------------------------------------------------------------
    def _result_header(self) -> None:
        columns = [
            (
                "#",
                self.tr(
                    "Rank after verification: candidates are re-ordered by the number of "
                    "inliers their match with the photo kept"
                ),
            ),
            (self.tr("Result"), self.tr("The refined footprint (the answer) first, then the candidates")),
            (
                self.tr("Confidence"),
                self.tr(
                    "Probability that the result is right. Footprint: after "
                    "refinement (accepted from 0.50). Candidate: its coarse "
                    "verification match only, so usually much lower"
                ),
            ),
            (
                self.tr("Inliers"),
                self.tr(
                    "Matched points consistent with one homography (verification, "
                    "or the refined footprint's last fit)"
                ),
            ),
            (
                self.tr("Retrieval"),
                self.tr(
                    "Retrieval similarity of the tile to the photo, before "
                    "verification (higher is more similar); in brackets the rank the "
                    "retrieval gave, when verification changed it"
                ),
            ),
        ]
        self.results.setColumnCount(len(columns))
        self.results.setHeaderLabels([label for label, _tip in columns])
        header = self.results.headerItem()
        for column, (_label, tip) in enumerate(columns):
            header.setToolTip(column, tip)
        self._column_tips = [tip for _label, tip in columns]

    def show_result(self, vectors: dict[str, QgsVectorLayer], calibration: dict | None = None) -> None:
        """List the refined footprint first, then the candidates by rank after verification;
        `calibration`: the result's (the index's confidence refitted on the analyst's decisions)."""
        decisions = int((calibration or {}).get("decisions") or 0)
        self.calibration_label.setVisible(decisions > 0)
        self.calibration_label.setText(
            self.tr("Footprint confidence calibrated on {0} of your decisions").format(decisions)
        )
        self.calibration_label.setToolTip(
            self.tr(
                "The index's footprint confidence was refitted on the confirmed and rejected "
                "footprints of a review session ({0})"
            ).format((calibration or {}).get("date") or "–")
        )
        self.results.blockSignals(True)
        self.results.clear()
        footprint = vectors.get("footprint")
        if footprint is not None:
            for feature in footprint.getFeatures():
                item = self._add_row(
                    "",
                    self.tr("Footprint"),
                    feature["confidence"],
                    _value(feature, "inliers"),
                    "",
                    "footprint",
                    feature.id(),
                )
                font = item.font(1)
                font.setBold(True)
                item.setFont(1, font)
                source = _value(feature, "candidate_rank")
                item.setToolTip(
                    1,
                    self.tr("Refined from candidate #{}, method {}, reprojection error {} px").format(
                        "–" if source is None else source,
                        _value(feature, "method") or "–",
                        _number(_value(feature, "reprojection_px"), 2),
                    ),
                )
        candidates = vectors.get("candidates")
        if candidates is not None:
            for feature in sorted(candidates.getFeatures(), key=lambda f: f["rank"] or 0):
                rank, retrieval = _value(feature, "rank"), _value(feature, "retrieval_rank")
                score = _number(feature["score"], 2)
                if retrieval not in (None, rank):
                    score = f"{score} (#{retrieval})"
                item = self._add_row(
                    str(rank),
                    self.tr("Candidate"),
                    feature["confidence"],
                    _value(feature, "verified_inliers"),
                    score,
                    "candidates",
                    feature.id(),
                )
                source = Path(str(feature["source"] or "")).name
                item.setToolTip(
                    1,
                    self.tr("tile {} of {}, scale {}, rotation {}°").format(
                        feature["tile_id"], source, feature["scale"], feature["rotation"]
                    ),
                )
        self.results.blockSignals(False)

    def show_thumbnails(self, images: dict[tuple[str, int], str]) -> None:
        """A small picture of the reference in the rows: (role, feature id) -> image file."""
        self.results.setIconSize(THUMBNAIL_ROW)
        for position in range(self.results.topLevelItemCount()):
            item = self.results.topLevelItem(position)
            path = images.get(tuple(item.data(0, ROLE_DATA)))
            if path:
                item.setIcon(1, QIcon(path))

    def _add_row(
        self, rank: str, label: str, confidence, inliers, retrieval: str, role: str, fid: int
    ) -> QTreeWidgetItem:
        inliers_text = "–" if inliers is None else str(inliers)
        item = QTreeWidgetItem([rank, label, _number(confidence, 2), inliers_text, retrieval])
        for column in (0, 2, 3, 4):
            item.setTextAlignment(column, Qt.AlignRight | Qt.AlignVCenter)
        for column in (0, 2, 3, 4):
            item.setToolTip(column, self._column_tips[column])
        item.setData(0, ROLE_DATA, (role, fid))
        self.results.addTopLevelItem(item)
        return item

    def _result_selected(self) -> None:
        items = self.results.selectedItems()
        if items:
            role, fid = items[0].data(0, ROLE_DATA)
            self.resultActivated.emit(role, int(fid))
