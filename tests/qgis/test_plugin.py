"""The plugin shell in real QGIS: load/unload, the dock, bad input ends as a message."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from qgis.PyQt.QtGui import QDragEnterEvent, QDropEvent
from qgis.PyQt.QtWidgets import QApplication, QDockWidget


def _drop_on(widget, paths: list[Path]) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted() and drop.isAccepted()


def bar_texts(bar, level) -> str:
    """The bar's plain messages of `level` and the texts of its widget messages (those with a button)."""
    widgets = [item.text() for item in bar.items() if item.level() == level]
    return "\n".join(bar.get_messages(level) + widgets)


def test_loads_and_unloads_twice(qgis_app, qgis_iface, astroloc_settings):
    import astroloc_qgis

    window = qgis_iface.mainWindow()
    for _ in range(2):
        plugin = astroloc_qgis.classFactory(qgis_iface)
        plugin.initGui()
        assert plugin.dock is not None and plugin.controller is not None
        assert len(plugin.actions) == 4
        plugin.unload()
        assert plugin.dock is None and plugin.actions == []
        QApplication.processEvents()
    assert not [d for d in window.findChildren(QDockWidget) if d.objectName() == "AstroLocDock"]


def test_processing_provider_registered(plugin):
    from astroloc_qgis.processing.provider import AstroLocProvider

    registry = QgsApplication.processingRegistry()
    provider_id = AstroLocProvider().id()
    assert registry.providerById(provider_id) is not None
    if plugin.provider is not None:  # this instance registered it: unload removes it
        assert registry.providerById(provider_id) is plugin.provider
        plugin.unload()
        assert registry.providerById(provider_id) is None


def test_dock_opens_on_the_right(plugin, qgis_iface):
    dock = plugin.dock
    assert dock.isVisible()
    assert qgis_iface.mainWindow().dockWidgetArea(dock) == Qt.RightDockWidgetArea
    assert dock.locate.stage_label.text()
    assert not dock.locate.cancel_button.isEnabled()


def test_drop_folder_and_non_image_give_messages(plugin, qgis_iface, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")
    assert _drop_on(plugin.dock, [tmp_path, text])  # a folder: the batch queue, which finds no photo
    assert _drop_on(plugin.dock, [text])
    warnings = "\n".join(qgis_iface.messageBar().get_messages(Qgis.Warning))
    assert f"No photos (JPEG, PNG, TIFF) in {tmp_path.name}, notes.txt." in warnings
    assert "notes.txt is not an image" in warnings
    assert plugin.controller.queue.current is None and not plugin.controller.batch.running()


def test_photo_without_index_says_what_to_do(plugin, qgis_iface, tmp_path):
    photo = _tiny_png(tmp_path / "p.png")
    assert _drop_on(plugin.dock, [photo])
    assert "No tile index chosen" in bar_texts(qgis_iface.messageBar(), Qgis.Warning)


def test_missing_index_folder(plugin, qgis_iface, tmp_path):
    photo = _tiny_png(tmp_path / "p.png")
    plugin.dock.locate.choose_index(str(tmp_path / "gone"))
    qgis_iface.messageBar().clear_messages()
    plugin.controller.localize([str(photo)])
    assert "does not exist" in bar_texts(qgis_iface.messageBar(), Qgis.Warning)


def test_engine_missing_says_how_to_set_it_up(plugin, astroloc_settings, tmp_path, monkeypatch):
    from astroloc_qgis.locate import controller as controller_module
    from astroloc_qgis.worker.env import EngineLocation

    monkeypatch.setattr(controller_module, "find_engine_python", lambda: EngineLocation(None, ""))
    assert plugin.controller.offer_engine_setup(Qgis.Info)  # what initGui does on first use
    (tmp_path / "index").mkdir()
    plugin.dock.locate.choose_index(str(tmp_path / "index"))
    assert plugin.controller.localize([str(_tiny_png(tmp_path / "p.png"))]) == []
    level, text = plugin.controller.messages[-1]
    assert level == Qgis.Critical and "engine environment is not set up" in text


def _tiny_png(path: Path) -> Path:
    from qgis.PyQt.QtGui import QColor, QImage

    image = QImage(64, 48, QImage.Format_RGB32)
    image.fill(QColor("darkgreen"))
    assert image.save(str(path))
    return path


def test_french_translation(qgis_app, qgis_iface, astroloc_settings, tmp_path):
    import astroloc_qgis

    previous = astroloc_settings.value("locale/userLocale")
    astroloc_settings.setValue("locale/userLocale", "fr_FR")
    try:
        plugin = astroloc_qgis.classFactory(qgis_iface)
        plugin.initGui()
        try:
            assert plugin.translator is not None
            # Locate tab: the panel (self.tr) and the result list
            dock = plugin.dock
            assert dock.locate.cancel_button.text() == "Annuler"
            assert dock.locate.drop_zone.text().startswith("Déposez des photos ici")
            header = dock.locate.results.headerItem()
            assert [header.text(c) for c in range(dock.locate.results.columnCount())] == [
                "#",
                "Résultat",
                "Confiance",
                "Points valides",
                "Recherche",
            ]
            assert header.toolTip(0).startswith("Rang après vérification")
            # Review tab (module-level translate() with its class context)
            review = plugin.review
            assert dock.tabs.tabText(0) == "Localiser"
            assert dock.tabs.tabText(dock.tabs.indexOf(review.panel)).startswith("Revue")
            assert review.panel.buttons["confirm"].text().startswith("Confirmer")
            assert review.panel.order_combo.itemText(0) == "Confiance la plus faible d'abord"
            # a message-bar message from the controller (was looked up under the wrong context)
            bar = qgis_iface.messageBar()
            bar.clear_messages()
            assert plugin.controller.localize([str(tmp_path / "absent.jpg")]) == []
            warnings = bar.get_messages(Qgis.Warning)
            assert (
                warnings and warnings[-1].startswith("AstroLoc:") and warnings[-1].endswith("n'existe pas.")
            )
            assert plugin.controller.check_photo(str(tmp_path / "absent.jpg")).endswith("n'existe pas.")
            # Processing: a string from the provider's algorithms
            from astroloc_qgis.processing.alg_localize import LocalizePhotosAlgorithm

            assert LocalizePhotosAlgorithm().displayName() == "Localiser des photos"
        finally:
            plugin.unload()
    finally:
        if previous is None:
            astroloc_settings.remove("locale/userLocale")
        else:
            astroloc_settings.setValue("locale/userLocale", previous)
