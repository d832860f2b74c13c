"""The search area (priors) on the QGIS side: input parsing, the AOI files written through QGIS,
the panel's messages, the prior reaching the REAL worker, the "Search area" layer, and the
Processing parameters. The engine's side is tests/unit/test_priors.py."""

from __future__ import annotations

import json

import pytest
from conftest import REPO, SAMPLE, TEST_DATA, wait_for_queue
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from astroloc_qgis.locate import priors
from astroloc_qgis.locate.priors import PriorError, SearchAreaInputs, prior_for

TIMEOUT_S = 300
PHOTO = SAMPLE / "photo_naip_2020_nadir.jpg"  # its centre lies about 2 km from 47.04, -99.15 (docs/PRIORS.md)


# --- parsing and validation ---------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("47.04, -99.15", [47.04, -99.15]),
        ("-33.9;18.4", [-33.9, 18.4]),
        ("  10  20 ", [10.0, 20.0]),
        ("90,180", [90.0, 180.0]),
    ],
)
def test_lat_lon_accepted(text, expected):
    assert priors.parse_lat_lon(text, "nadir") == expected


@pytest.mark.parametrize(
    "text, says",
    [
        ("95, 10", "outside [-90, 90]"),
        ("10, 190", "outside"),
        ("north", "not a latitude, longitude pair"),
        ("1,2,3", "not a latitude"),
        ("", "not a latitude"),
    ],
)
def test_lat_lon_refused_with_what_to_do(text, says):
    with pytest.raises(PriorError) as caught:
        priors.parse_lat_lon(text, "near")
    assert caught.value.field == "near" and says in caught.value.message


def test_altitude_tilt_radius_and_time():
    assert priors.parse_altitude_km("400-420", "altitude_km") == [400_000.0, 420_000.0]
    assert priors.parse_altitude_km("420 - 400", "altitude_km") == [400_000.0, 420_000.0]
    assert priors.parse_altitude_km("5", "altitude_km") == 5000.0
    for bad in ("0", "-5", "high", "1-2-3"):
        with pytest.raises(PriorError, match="above 0|not a number|not an altitude"):
            priors.parse_altitude_km(bad, "altitude_km")
    assert priors.parse_number("30", "max_tilt", 0, 90) == 30.0
    with pytest.raises(PriorError, match="between 0 and 90"):
        priors.parse_number("95", "max_tilt", 0, 90)
    with pytest.raises(PriorError, match="above 0"):
        priors.parse_number("0", "radius_km")
    assert priors.parse_capture_time("2020-02-14 10:32:05", "capture_time") == "2020-02-14T10:32:05"
    with pytest.raises(PriorError, match="not a date and time"):
        priors.parse_capture_time("yesterday", "capture_time")


def test_prior_for_each_mode(tmp_path):
    assert prior_for(SearchAreaInputs(), "a.jpg") == {}
    nadir = prior_for(SearchAreaInputs(mode=priors.NADIR, nadir="47.02,-99.15", max_tilt="30"), "a.jpg")
    assert nadir == {"nadir": [47.02, -99.15], "altitude_m": [400_000.0, 420_000.0], "max_tilt_deg": 30.0}
    assert "max_tilt_deg" not in prior_for(SearchAreaInputs(mode=priors.NADIR, nadir="1,2"), "a.jpg")
    near = SearchAreaInputs(mode=priors.NEAR, near="47.04,-99.15", radius_km="3")
    assert prior_for(near, "a.jpg") == {"near": [47.04, -99.15], "radius_km": 3.0}
    assert prior_for(near, "a.jpg", gps=(46.5, -98.0))["near"] == [46.5, -98.0]  # the photo's EXIF GPS wins
    near.near_from_gps = False
    assert prior_for(near, "a.jpg", gps=(46.5, -98.0))["near"] == [47.04, -99.15]
    with pytest.raises(PriorError, match="EXIF GPS") as caught:
        prior_for(SearchAreaInputs(mode=priors.NEAR), "a.jpg")
    assert caught.value.field == "near"
    with pytest.raises(PriorError, match="does not exist") as caught:
        prior_for(SearchAreaInputs(mode=priors.TLE, tle=str(tmp_path / "none.tle")), "a.jpg")
    assert caught.value.field == "tle"
    tle = tmp_path / "iss.tle"
    tle.write_text("ISS\n")
    assert prior_for(
        SearchAreaInputs(mode=priors.TLE, tle=str(tle), capture_time="2020-02-14T10:32:05Z"), "a.jpg"
    ) == {"tle": str(tle), "capture_time": "2020-02-14T10:32:05Z"}
    catalogue = tmp_path / "frames.csv"
    catalogue.write_text("frame,nadir_lat,nadir_lon\n")
    inputs = SearchAreaInputs(mode=priors.CATALOGUE, catalogue=str(catalogue))
    assert prior_for(inputs, "/x/ISS062-E-150758.jpg") == {"catalogue": str(catalogue)}
    assert prior_for(inputs, "/x/iss062_e_150758_small.jpg") == {"catalogue": str(catalogue)}
    assert prior_for(inputs, "/x/holiday.jpg") == {}  # not a frame: searched everywhere
    with pytest.raises(PriorError, match="choose the catalogue"):
        prior_for(SearchAreaInputs(mode=priors.CATALOGUE), "ISS062-E-1.jpg")
    with pytest.raises(PriorError, match="choose the area"):
        prior_for(SearchAreaInputs(mode=priors.LAYER), "a.jpg")


# --- AOI files written through QGIS --------------------------------------------------------
def _polygons_3857() -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:3857", "areas", "memory")
    features = []
    for x in (0.0, 500_000.0):
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(x, 5_000_000, x + 100_000, 5_100_000)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _read_back(path: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(path, "aoi", "ogr")
    assert layer.isValid() and layer.crs().authid() == "EPSG:4326"
    return layer


def test_selected_polygons_written_as_wgs84_geojson(qgis_app, tmp_path):
    layer = _polygons_3857()
    first = next(layer.getFeatures())
    layer.selectByIds([first.id()])
    written = _read_back(priors.layer_aoi(layer, True, str(tmp_path)))
    assert written.featureCount() == 1
    expected = QgsCoordinateTransform(
        layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    ).transformBoundingBox(first.geometry().boundingBox())
    extent = written.extent()
    assert (
        abs(extent.xMinimum() - expected.xMinimum()) < 1e-6
        and abs(extent.yMaximum() - expected.yMaximum()) < 1e-6
    )
    assert written.extent().xMaximum() < 1.0  # the second polygon (x 4.5 degrees) is not selected
    assert _read_back(priors.layer_aoi(layer, False, str(tmp_path))).featureCount() == 2
    layer.removeSelection()
    with pytest.raises(PriorError, match="is selected"):
        priors.layer_aoi(layer, True, str(tmp_path))
    with pytest.raises(PriorError, match="polygon layer"):
        priors.layer_aoi(QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory"), False, str(tmp_path))


def test_canvas_extent_written_as_aoi(qgis_app, tmp_path):
    crs = QgsCoordinateReferenceSystem("EPSG:32614")
    written = _read_back(
        priors.extent_aoi(QgsRectangle(500_000, 5_200_000, 510_000, 5_210_000), crs, str(tmp_path))
    )
    extent = written.extent()
    assert 46.9 < extent.yMinimum() < extent.yMaximum() < 47.1 and -99.01 < extent.xMinimum() < -98.99
    with pytest.raises(PriorError, match="zoom"):
        priors.extent_aoi(QgsRectangle(), crs, str(tmp_path))


# --- the panel ------------------------------------------------------------------------------
def test_bad_prior_is_shown_next_to_the_field_and_nothing_runs(plugin, sample_index, tmp_path):
    panel, controller = plugin.dock.locate, plugin.controller
    panel.choose_index(str(sample_index))
    panel.set_search_area(priors.NADIR, nadir="95, 10")
    assert panel.prior_pages.currentWidget().isVisible()
    assert controller.localize([str(PHOTO)]) == []
    assert not panel.prior_error.isHidden()
    assert panel.prior_error.text().startswith("Nadir: 95.0, 10.0 is outside [-90, 90]")
    assert "c0392b" in panel.prior_fields["nadir"].styleSheet()
    assert controller.queue.current is None and controller.worker is None  # refused before the engine starts
    panel.prior_fields["nadir"].textEdited.emit("47, -99")  # typing clears the message
    assert panel.prior_error.isHidden() and not panel.prior_fields["nadir"].styleSheet()
    panel.set_search_area(priors.NEAR, near="", near_from_gps=True)
    assert controller.localize([str(PHOTO)]) == []  # the sample photo has no GPS
    assert "EXIF GPS" in panel.prior_error.text()


def test_a_drone_photos_exif_gps_fills_in_the_point(plugin):
    panel, controller = plugin.dock.locate, plugin.controller
    drone = TEST_DATA / "IMG_9355_1600x1200.jpg"  # a real drone photo with EXIF GPS
    panel.set_search_area(priors.NEAR, near="", radius_km="2", near_from_gps=True)
    [(photo, prior)] = controller.search_priors([str(drone)])
    assert photo == str(drone) and prior["radius_km"] == 2.0
    assert prior["near"] == pytest.approx([30.17115, -98.089868], abs=1e-5)
    assert panel.prior_fields["near"].text() == "30.171150, -98.089868"  # the user sees the point used
    panel.set_search_area(priors.NEAR, near="47.04, -99.15", near_from_gps=False)
    assert controller.search_priors([str(drone)])[0][1]["near"] == [47.04, -99.15]


def test_canvas_and_layer_modes_send_an_aoi_file(plugin, qgis_iface):
    panel, controller = plugin.dock.locate, plugin.controller
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    canvas.setExtent(QgsRectangle(-99.2, 47.0, -99.1, 47.1))
    panel.set_search_area(priors.CANVAS)
    [(_photo, prior)] = controller.search_priors([str(PHOTO)])
    shown = canvas.extent()  # the canvas widens the extent to its aspect
    extent = _read_back(prior["aoi"]).extent()
    assert (
        abs(extent.xMinimum() - shown.xMinimum()) < 1e-6 and abs(extent.yMaximum() - shown.yMaximum()) < 1e-6
    )
    layer = _polygons_3857()
    QgsProject.instance().addMapLayer(layer)
    panel.set_search_area(priors.LAYER, layer=layer, selected_only=True)
    assert controller.search_priors([str(PHOTO)]) is None  # nothing selected
    assert "is selected" in panel.prior_error.text()
    layer.selectByIds([next(layer.getFeatures()).id()])
    [(_photo, prior)] = controller.search_priors([str(PHOTO)])
    assert _read_back(prior["aoi"]).featureCount() == 1 and panel.prior_error.isHidden()


def test_search_area_settings_persist(plugin, astroloc_settings):
    panel = plugin.dock.locate
    panel.set_search_area(priors.NADIR, nadir="47.02, -99.15", altitude_km="5", max_tilt="30")
    panel.save_prior_settings()
    assert astroloc_settings.value("astroloc/prior_mode") == "nadir"
    assert astroloc_settings.value("astroloc/prior_nadir") == "47.02, -99.15"
    assert astroloc_settings.value("astroloc/prior_max_tilt") == "30"
    panel.set_search_area(priors.ANYWHERE, nadir="")
    panel._load_prior_settings()
    assert panel.search_area_mode() == priors.NADIR and panel.prior_fields["nadir"].text() == "47.02, -99.15"


def _search_area(result) -> QgsVectorLayer:
    layer = result.vectors["prior"]
    assert layer.name() == "Search area" and layer.crs().authid() == "EPSG:4326"
    assert layer.geometryType() == QgsWkbTypes.PolygonGeometry and layer.featureCount() == 1
    assert layer in [node.layer() for node in result.group.findLayers()]
    assert layer.renderer().symbol().color().alpha() < 60  # a light fill
    return layer


def test_near_prior_reaches_the_worker_and_is_drawn(configured, qtbot, astroloc_settings):
    panel, controller = configured.dock.locate, configured.controller
    panel.set_search_area(priors.NEAR, near="47.04, -99.15", radius_km="3", near_from_gps=False)
    tasks = controller.localize([str(PHOTO)])
    assert [t.prior for t in tasks] == [{"near": [47.04, -99.15], "radius_km": 3.0}], controller.messages
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert controller.results, controller.messages
    result = controller.results[-1]
    region = next(_search_area(result).getFeatures())
    assert region["source"] == "near" and region["tiles_in_region"] >= 1
    candidates = list(result.vectors["candidates"].getFeatures())
    assert candidates and all(region.geometry().intersects(c.geometry()) for c in candidates)
    assert "Searched" in panel.stage_label.text()
    assert astroloc_settings.value("astroloc/prior_mode") == "near"  # what was used is remembered


def test_nadir_prior_drawn_and_engine_refusal_shown_in_panel(configured, qtbot):
    panel, controller = configured.dock.locate, configured.controller
    panel.set_search_area(priors.NADIR, nadir="47.023, -99.149", altitude_km="5", max_tilt="30")
    tasks = controller.localize([str(PHOTO)])
    assert tasks[0].prior == {"nadir": [47.023, -99.149], "altitude_m": 5000.0, "max_tilt_deg": 30.0}
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    region = next(_search_area(controller.results[-1]).getFeatures())
    assert region["source"] == "nadir"
    # a valid nadir whose region holds no tile of the index: the engine's bad_input, in the panel
    panel.set_search_area(priors.NADIR, nadir="-33.9, 18.4", altitude_km="400-420", max_tilt="10")
    assert controller.localize([str(PHOTO)])
    wait_for_queue(qtbot, controller, TIMEOUT_S)
    assert not panel.prior_error.isHidden()
    assert "no tile of the index" in panel.prior_error.text(), panel.prior_error.text()
    assert len(controller.results) == 1


# --- Processing ------------------------------------------------------------------------------
def _algorithm():
    alg = QgsApplication.processingRegistry().createAlgorithmById("astroloc:localize_photos")
    assert alg is not None, "the astroloc provider is not registered"
    return alg


@pytest.fixture()
def localize_alg(plugin):
    return _algorithm()


def test_processing_prior_parameters(localize_alg, tmp_path):
    names = {p.name() for p in localize_alg.parameterDefinitions()}
    assert {
        "NADIR",
        "ALTITUDE_KM",
        "MAX_TILT",
        "NEAR",
        "RADIUS_KM",
        "AOI",
        "TLE",
        "CAPTURE_TIME",
        "CATALOGUE",
    } <= names
    assert all(
        localize_alg.parameterDefinition(n).flags() & localize_alg.parameterDefinition(n).FlagOptional
        for n in ("NADIR", "NEAR", "AOI", "TLE", "CATALOGUE")
    )
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())  # as the toolbox and qgis_process do
    prior = localize_alg.search_prior(
        {
            "NADIR": "47.02,-99.15",
            "ALTITUDE_KM": "400-420",
            "MAX_TILT": 30,
            "NEAR": "47.04,-99.15",
            "RADIUS_KM": 3,
        },
        context,
    )
    assert prior == {
        "nadir": [47.02, -99.15],
        "altitude_m": [400_000.0, 420_000.0],
        "max_tilt_deg": 30.0,
        "near": [47.04, -99.15],
        "radius_km": 3.0,
    }
    layer = _polygons_3857()
    QgsProject.instance().addMapLayer(layer)
    aoi = localize_alg.search_prior({"AOI": layer.id()}, context, str(tmp_path))["aoi"]
    assert json.loads(open(aoi).read())["type"] == "FeatureCollection" and _read_back(aoi).featureCount() == 2
    for parameters, says in (
        ({"NADIR": "95,10"}, "NADIR: 95.0, 10.0 is outside"),
        ({"NEAR": "47,-99"}, "NEAR: a point and its radius go together"),
        ({"MAX_TILT": 95}, "MAX_TILT: 95 must be between 0 and 90"),
        ({"TLE": str(tmp_path / "none.tle")}, "TLE: "),
        ({"CAPTURE_TIME": "soon"}, "CAPTURE_TIME: 'soon' is not a date"),
    ):
        with pytest.raises(QgsProcessingException, match=says.replace("[", r"\[").replace(".", r"\.")):
            localize_alg.search_prior(parameters, context)
    assert localize_alg.photo_prior({}, "c.csv", "ISS062-E-150758.jpg") == {"catalogue": "c.csv"}
    assert localize_alg.photo_prior({}, "c.csv", "holiday.jpg") == {}


def test_processing_bad_prior_fails_the_algorithm(localize_alg, sample_index, engine_python, tmp_path):
    feedback = QgsProcessingFeedback()
    base = {
        "PHOTOS": str(PHOTO),
        "INDEX": str(sample_index),
        "K": 3,
        "SESSION": str(tmp_path / "s.gpkg"),
        "ENGINE_PYTHON": str(engine_python),
    }
    results, ok = localize_alg.run({**base, "NADIR": "95,10"}, QgsProcessingContext(), feedback)
    assert not ok
    # a region without a tile of the index: the engine's refusal stops the algorithm too
    results, ok = localize_alg.run(
        {**base, "NADIR": "-33.9,18.4", "MAX_TILT": 10}, QgsProcessingContext(), feedback
    )
    assert not ok
    results, ok = localize_alg.run(
        {**base, "NEAR": "47.04,-99.15", "RADIUS_KM": 3}, QgsProcessingContext(), feedback
    )
    assert ok and results["LOCATED"] + results["NOT_FOUND"] == 1 and results["FAILED"] == 0


# --- translation ------------------------------------------------------------------------------
def test_search_area_strings_are_translated_to_french(qgis_app):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from astroloc_qgis.translate import translate

    translator = QTranslator()
    assert translator.load(str(REPO / "i18n" / "astroloc_fr.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert translate("LocatePanel", "Search area") == "Zone de recherche"
        assert translate("ResultLayers", "Search area") == "Zone de recherche"
        assert translate("AstroLocProcessing", "Radius km") == "Rayon km"
        with pytest.raises(PriorError, match="n'est pas un couple latitude, longitude"):
            priors.parse_lat_lon("nord", "nadir")
    finally:
        QCoreApplication.removeTranslator(translator)
