"""The review session on the map: its layers (styled by status), the current photo's candidates,
footprint flash and zoom, the warped photo, and footprint editing with QGIS's vertex tool."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayerTreeGroup,
    QgsMarkerSymbol,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor

from ..definitions import EDITED, REJECTED, STATUS_COLOURS, STATUSES, status_label
from ..map.canvas import WGS84, apply_style, geometry_from_geojson, zoom_to
from ..map.overlay import overlay_layer, try_warp_photo
from ..translate import translate

OVERLAY_OPACITY = 0.75


def _symbol(geometry: str, status: str | None):
    """Fill/marker of a status; status None = the outline that marks the current photo."""
    if status is None:
        if geometry == "point":
            return QgsMarkerSymbol.createSimple(
                {
                    "name": "circle",
                    "color": "0,0,0,0",
                    "size": "5",
                    "outline_color": "#ffff00",
                    "outline_width": "0.8",
                }
            )
        return QgsFillSymbol.createSimple(
            {"color": "0,0,0,0", "outline_color": "#ffff00", "outline_width": "1.2"}
        )
    colour = STATUS_COLOURS[status]
    if geometry == "point":
        return QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": colour, "size": "3", "outline_color": "white"}
        )
    c = QColor(colour)
    return QgsFillSymbol.createSimple(
        {
            "color": f"{c.red()},{c.green()},{c.blue()},40",  # QGIS reads 8-digit hex as #AARRGGBB
            "outline_color": colour,
            "outline_width": "0.8",
            "outline_style": "dash" if status == REJECTED else "solid",
        }
    )


def status_renderer(geometry: str, current_id: str | None = None) -> QgsRuleBasedRenderer:
    """Colour by review status; the current photo gets a yellow outline on top."""
    root = QgsRuleBasedRenderer.Rule(None)
    for status in STATUSES:
        root.appendChild(
            QgsRuleBasedRenderer.Rule(
                _symbol(geometry, status), filterExp=f"\"status\" = '{status}'", label=status_label(status)
            )
        )
    if current_id:
        root.appendChild(
            QgsRuleBasedRenderer.Rule(
                _symbol(geometry, None),
                filterExp=f"\"photo_id\" = '{current_id}'",
                label=translate("ReviewMap", "current photo"),
            )
        )
    return QgsRuleBasedRenderer(root)


class ReviewMap:
    def __init__(self, iface) -> None:
        self.iface = iface
        self.group: QgsLayerTreeGroup | None = None
        self.layers: dict[str, QgsVectorLayer] = {}
        self.overlay: QgsRasterLayer | None = None
        self.edit_layer: QgsVectorLayer | None = None
        self.edit_photo: str | None = None
        self._previous_tool = None
        self._overlay_dir = tempfile.mkdtemp(prefix="astroloc-review-")
        self._overlays: dict[str, str | None] = {}

    @property
    def canvas(self):
        return self.iface.mapCanvas() if self.iface is not None else None

    # ------------------------------------------------------------------ layers
    def show_session(self, path: str) -> None:
        self.clear()
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        # Above base maps (layers at the root), below result groups of the Locate tab.
        children = root.children()
        position = next(
            (i for i, node in enumerate(children) if not isinstance(node, QgsLayerTreeGroup)), len(children)
        )
        self.group = root.insertGroup(position, translate("ReviewMap", "AstroLoc review"))
        self.group.setExpanded(True)
        for table, name, style in (
            ("camera_looks", translate("ReviewMap", "Look lines"), None),
            ("cameras", translate("ReviewMap", "Cameras"), "point"),
            ("candidates", translate("ReviewMap", "Candidates (current photo)"), None),
            ("footprints", translate("ReviewMap", "Footprints by status"), "polygon"),
        ):
            layer = QgsVectorLayer(f"{path}|layername={table}", name, "ogr")
            if not layer.isValid():
                continue
            if style:
                layer.setRenderer(status_renderer(style))
            elif table == "candidates":
                apply_style(layer, "candidates")
                layer.setSubsetString("photo_id = ''")
            project.addMapLayer(layer, False)
            self.group.insertLayer(0, layer)
            self.layers[table] = layer
        self.group.setExpanded(True)
        if self.iface is not None and hasattr(self.iface, "layerTreeView"):
            view = self.iface.layerTreeView()
            try:
                view.setExpanded(view.node2index(self.group), True)
            except (AttributeError, TypeError):
                pass  # a stub interface without a real layer tree view

    def clear(self) -> None:
        self.cancel_edit()
        project = QgsProject.instance()
        for layer in [*self.layers.values(), self.overlay]:
            if layer is not None and project.mapLayer(layer.id()) is not None:
                project.removeMapLayer(layer.id())
        self.layers, self.overlay = {}, None
        if self.group is not None and self.group.parent() is not None:
            self.group.parent().removeChildNode(self.group)
        self.group = None

    def reload(self) -> None:
        """Show what the session now holds (it is written with SQLite, not through these layers)."""
        for layer in self.layers.values():
            layer.dataProvider().reloadData()
            layer.triggerRepaint()

    # ------------------------------------------------------------------ current photo
    def show_current(self, session, photo_id: str | None, zoom: bool = True) -> None:
        """Candidates and selection follow the current photo; with `zoom` (review mode active) also
        the warped photo, the zoom and the flash."""
        cands = self.layers.get("candidates")
        if cands is not None:
            cands.setSubsetString(f"photo_id = '{photo_id or ''}'")
        for table, geometry in (("footprints", "polygon"), ("cameras", "point")):
            layer = self.layers.get(table)
            if layer is not None:
                layer.setRenderer(status_renderer(geometry, photo_id))
                layer.triggerRepaint()
        if not zoom:
            return
        self._show_overlay(session, photo_id)
        if not photo_id:
            return
        fp = session.footprint(photo_id)
        geometry = geometry_from_geojson(fp["geometry"]) if fp else QgsGeometry()
        if geometry.isEmpty():
            extent = QgsRectangle()
            for cand in session.candidates(photo_id)[:5]:
                extent.combineExtentWith(geometry_from_geojson(cand["geometry"]).boundingBox())
            geometry = QgsGeometry.fromRect(extent) if not extent.isEmpty() else geometry
        if geometry.isEmpty() or self.canvas is None:
            return
        zoom_to(self.canvas, geometry.boundingBox(), margin=1.0)
        self.canvas.flashGeometries([geometry], QgsCoordinateReferenceSystem(WGS84))

    def _show_overlay(self, session, photo_id: str | None) -> None:
        project = QgsProject.instance()
        if self.overlay is not None and project.mapLayer(self.overlay.id()) is not None:
            project.removeMapLayer(self.overlay.id())
        self.overlay = None
        path = self._overlay_for(session, photo_id) if photo_id else None
        if not path:
            return
        layer = overlay_layer(path, OVERLAY_OPACITY)
        if layer is None or self.group is None:
            return
        project.addMapLayer(layer, False)
        self.group.addLayer(layer)  # below the vectors of the group
        self.overlay = layer

    def _overlay_for(self, session, photo_id: str) -> str | None:
        if photo_id in self._overlays:
            return self._overlays[photo_id]
        fp = session.footprint(photo_id)
        photo = session.photo(photo_id).get("path")
        result = None
        if fp and photo and Path(photo).is_file():
            corners = None
            ring = fp["geometry"]["coordinates"][0] if fp["geometry"]["type"] == "Polygon" else []
            if fp.get("corners_json") and fp.get("method") == fp.get("original_method"):
                corners = json.loads(fp["corners_json"])  # the engine's photo corners UL, UR, LR, LL
            elif len(ring) == 5:  # an edited quadrilateral: its vertices are the corners
                corners = ring[:4]
            result = try_warp_photo(photo, corners, Path(self._overlay_dir) / f"{photo_id[:16]}.tif")
        self._overlays[photo_id] = result
        return result

    def forget_overlay(self, photo_id: str) -> None:
        self._overlays.pop(photo_id, None)

    # ------------------------------------------------------------------ editing
    @property
    def editing(self) -> bool:
        return self.edit_layer is not None

    def start_edit(self, session, photo_id: str) -> bool:
        fp = session.footprint(photo_id)
        if fp is None:
            return False
        self.cancel_edit()
        name = session.photo(photo_id).get("name") or photo_id[:8]
        layer = QgsVectorLayer(
            "Polygon?crs=EPSG:4326", translate("ReviewMap", "Edit footprint — {0}").format(name), "memory"
        )
        feature = QgsFeature()
        feature.setGeometry(geometry_from_geojson(fp["geometry"]))
        layer.dataProvider().addFeatures([feature])
        layer.renderer().symbol().setColor(QColor(STATUS_COLOURS[EDITED]))
        layer.renderer().symbol().setOpacity(0.5)
        QgsProject.instance().addMapLayer(layer, False)
        (self.group or QgsProject.instance().layerTreeRoot()).insertLayer(0, layer)
        self.edit_layer, self.edit_photo = layer, photo_id
        layer.startEditing()
        if self.iface is not None:
            self.iface.setActiveLayer(layer)
            self._previous_tool = self.canvas.mapTool() if self.canvas else None
            self.iface.actionVertexTool().trigger()
        return True

    def edited_geometry(self) -> dict | None:
        if self.edit_layer is None:
            return None
        feature = next(self.edit_layer.getFeatures(), None)
        if feature is None or not feature.hasGeometry():
            return None
        geometry = feature.geometry()
        if not geometry.isGeosValid():
            geometry = geometry.makeValid()
        return json.loads(geometry.asJson())

    def cancel_edit(self) -> None:
        layer, self.edit_layer, self.edit_photo = self.edit_layer, None, None
        if layer is None:
            return
        layer.rollBack()
        if QgsProject.instance().mapLayer(layer.id()) is not None:
            QgsProject.instance().removeMapLayer(layer.id())
        if self.canvas is not None and self._previous_tool is not None:
            try:
                self.canvas.setMapTool(self._previous_tool)
            except RuntimeError:
                pass  # the tool was deleted meanwhile
        self._previous_tool = None
