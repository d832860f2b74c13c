"""Comparing a located photo with its reference imagery: blink (button and the B key on the
map), swipe, the candidates' thumbnails in the result list, and the index coverage toggle.

Blink and swipe act on the photo whose group (or a layer in it) is current in the layer tree,
else on the photo located last (the one the result list shows).
"""

from __future__ import annotations

from qgis.core import QgsLayerTreeGroup, QgsLayerTreeNode, QgsProject
from qgis.PyQt.QtCore import QEvent, QObject, Qt

from ..map import swipe
from . import layers


class BlinkKey(QObject):
    """B on the map canvas (no modifier) calls `handler`; claimed in ShortcutOverride so that a
    QGIS shortcut on the same key does not take it while the canvas has focus."""

    def __init__(self, canvas, handler):
        super().__init__(canvas)
        self.handler = handler
        self._targets = [canvas, canvas.viewport()]
        for target in self._targets:
            target.installEventFilter(self)

    def remove(self) -> None:
        for target in self._targets:
            try:
                target.removeEventFilter(self)
            except RuntimeError:
                pass  # the canvas is gone already
        self._targets = []

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.ShortcutOverride, QEvent.KeyPress):
            return False
        if event.key() != Qt.Key_B or (event.modifiers() & ~Qt.KeypadModifier) != Qt.NoModifier:
            return False
        event.accept()
        if event.type() == QEvent.KeyPress and not event.isAutoRepeat():
            self.handler()
        return True


class CompareTools(QObject):
    """Wired by plugin.py: the Locate tab's compare row, the canvas, the dock's coverage action."""

    def __init__(self, iface, dock, controller):
        super().__init__(controller)
        self.iface = iface
        self.panel = dock.locate
        self.controller = controller
        self.result: layers.ResultLayers | None = None
        self.swipe_item: swipe.SwipeItem | None = None
        self._swipe_tool: swipe.SwipeTool | None = None
        self._previous_tool = None
        self._connect_panel(dock)
        self.blink_key = BlinkKey(self.canvas, self.blink) if self.canvas is not None else None
        controller.resultAdded.connect(self.show_result)

    @property
    def canvas(self):
        return self.iface.mapCanvas() if self.iface is not None else None

    def _connect_panel(self, dock) -> None:
        self.panel.blinkRequested.connect(self.blink)
        self.panel.swipeToggled.connect(self.set_swipe)
        self.panel.swipePositionChanged.connect(self.set_swipe_position)
        self.coverage_action = dock.coverage_action
        self.coverage_action.toggled.connect(self.show_coverage)
        self.panel.indexChosen.connect(self._index_chosen)

    def _index_chosen(self, _index: str) -> None:
        """The controller has just (tried to) put up the new index's coverage: say so on the button."""
        shown = QgsProject.instance().mapLayer(self.controller.coverage_layer_id or "") is not None
        self.coverage_action.blockSignals(True)
        self.coverage_action.setChecked(shown)
        self.coverage_action.blockSignals(False)

    # --- a new result ---------------------------------------------------------------------
    def show_result(self, result: layers.ResultLayers, _collection: dict | None = None) -> None:
        self.set_swipe(False)
        self.result = result
        self.panel.set_compare_available(
            result.photo_layer is not None and result.reference_layer is not None, result.reference_problem
        )
        self.panel.show_thumbnails(thumbnail_rows(result))

    def target(self) -> layers.ResultLayers | None:
        """The photo chosen in the layer tree (its group or a layer in it), else the last one."""
        view = self.iface.layerTreeView() if self.iface is not None else None
        node = view.currentNode() if view is not None else None
        # only tree nodes: a stand-in interface (pytest-qgis's) answers anything, never None
        while isinstance(node, QgsLayerTreeNode) and not (
            isinstance(node, QgsLayerTreeGroup) and node.customProperty(layers.GROUP_PROPERTY)
        ):
            node = node.parent()
        if not isinstance(node, QgsLayerTreeNode):
            return self.result
        chosen = [r for r in self.controller.results if r.group is node]
        return chosen[-1] if chosen else self.result

    def _photo_layer(self):
        """The target photo's warped photo, while it is still in the project."""
        result = self.target()
        layer = result.photo_layer if result is not None else None
        try:
            return layer if layer is not None and QgsProject.instance().mapLayer(layer.id()) else None
        except RuntimeError:  # the layer was deleted with its group
            return None

    # --- blink --------------------------------------------------------------------------
    def blink(self) -> None:
        layer = self._photo_layer()
        if layer is None:
            return
        if self.swipe_item is not None:
            self.panel.swipe_button.setChecked(False)  # blinking means: the whole photo, or none
        swipe.set_layer_visible(layer, not swipe.layer_visible(layer))

    # --- swipe --------------------------------------------------------------------------
    def set_swipe(self, on: bool) -> None:
        if not on:
            self._stop_swipe()
            return
        layer = self._photo_layer()
        if layer is None or self.canvas is None or self.swipe_item is not None:
            return
        self.swipe_item = swipe.SwipeItem(self.canvas, layer)
        self.swipe_item.set_position(self.panel.swipe_slider.value() / 100.0)
        swipe.set_layer_visible(layer, False)  # the item draws it, left of the line only
        self._swipe_tool = swipe.SwipeTool(self.canvas, self.swipe_item)
        self._previous_tool = self.canvas.mapTool()
        self.canvas.setMapTool(self._swipe_tool)

    def set_swipe_position(self, position: float) -> None:
        if self.swipe_item is not None:
            self.swipe_item.set_position(position)

    def _stop_swipe(self) -> None:
        item, self.swipe_item = self.swipe_item, None
        if item is None:
            return
        item.remove()
        try:
            if QgsProject.instance().mapLayer(item.layer.id()) is not None:
                swipe.set_layer_visible(item.layer, True)
        except RuntimeError:
            pass  # removed with its group while swiped
        if self.canvas is not None and self.canvas.mapTool() is self._swipe_tool:
            if self._previous_tool is not None:
                self.canvas.setMapTool(self._previous_tool)
            else:
                self.canvas.unsetMapTool(self._swipe_tool)
        self._swipe_tool = self._previous_tool = None
        if self.panel.swipe_button.isChecked():
            self.panel.swipe_button.setChecked(False)

    # --- index coverage -----------------------------------------------------------------
    def show_coverage(self, on: bool) -> None:
        """Show the chosen index's tile table (adding it again if it was removed), or hide it."""
        project = QgsProject.instance()
        layer = project.mapLayer(self.controller.coverage_layer_id or "")
        if on and layer is None:
            layer = self.controller.show_index_coverage(self.panel.current_index())
            if layer is None:
                self.coverage_action.setChecked(False)
                return
        if layer is not None:
            swipe.set_layer_visible(layer, on)
        outline = project.mapLayer(self.controller.coverage_outline_id or "")
        if outline is not None:
            swipe.set_layer_visible(outline, on)

    def unload(self) -> None:
        self._stop_swipe()
        if self.blink_key is not None:
            self.blink_key.remove()


def thumbnail_rows(result: layers.ResultLayers) -> dict[tuple[str, int], str]:
    """(role, feature id) of the result list's rows -> the reference thumbnail of their tile."""
    rows: dict[tuple[str, int], str] = {}
    for role in ("footprint", "candidates"):
        layer = result.vectors.get(role)
        if layer is None:
            continue
        tile_index = layer.fields().indexOf("tile_id")
        for feature in layer.getFeatures():
            tile = feature.attribute(tile_index) if tile_index >= 0 else None
            if tile is not None and str(tile).isdigit() and int(tile) in result.thumbnails:
                rows[(role, feature.id())] = result.thumbnails[int(tile)]
    return rows
