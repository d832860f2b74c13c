"""Swipe: the photo on one side of a vertical line across the map, the reference on the other.

QGIS 3.22 has no swipe of its own. A canvas item draws the chosen layer (the warped photo),
rendered alone with the canvas's own map settings, only left of the line; the layer itself is
hidden in the canvas meanwhile, so right of the line the reference under it shows. One view, so
both sides are the same place at the same scale and the eye compares across the line: for
judging a fit to a pixel that beats a second canvas beside the first. Dragging on the map (the
swipe map tool) or the panel's slider moves the line.
"""

from __future__ import annotations

from functools import partial

from qgis.core import QgsMapLayer, QgsMapRendererParallelJob, QgsProject
from qgis.gui import QgsMapCanvasItem, QgsMapTool
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QImage, QPainter, QPen


class SwipeItem(QgsMapCanvasItem):
    """Draws `layer` left of `position` (0..1 of the canvas width)."""

    def __init__(self, canvas, layer: QgsMapLayer):
        super().__init__(canvas)
        self.canvas = canvas
        self.layer = layer
        self.position = 0.5
        self.image = QImage()
        self._job: QgsMapRendererParallelJob | None = None
        self.setZValue(50)  # over the map, under the rubber bands and map tools
        canvas.mapCanvasRefreshed.connect(self.render)
        self.render()

    def set_position(self, position: float) -> None:
        self.position = min(1.0, max(0.0, position))
        self.update()

    def render(self) -> None:
        """Render the layer alone for what the canvas shows now (in the background)."""
        if self._job is not None:
            self._job.cancelWithoutBlocking()
        settings = self.canvas.mapSettings()
        settings.setLayers([self.layer])
        settings.setBackgroundColor(QColor(0, 0, 0, 0))
        job = QgsMapRendererParallelJob(settings)
        job.finished.connect(partial(self._rendered, job, settings.visibleExtent()))
        self._job = job
        job.start()

    def _rendered(self, job: QgsMapRendererParallelJob, extent) -> None:
        if job is not self._job:
            return
        self._job = None
        self.image = job.renderedImage()
        self.setRect(extent)
        self.update()

    def rendering(self) -> bool:
        return self._job is not None

    def paint(self, painter: QPainter, *_args) -> None:
        if self.image.isNull():
            return
        bounds = self.boundingRect()
        split = bounds.width() * self.position
        source_split = self.image.width() * self.position
        painter.drawImage(
            QRectF(0, 0, split, bounds.height()), self.image, QRectF(0, 0, source_split, self.image.height())
        )
        painter.setPen(QPen(QColor("white"), 3))
        painter.drawLine(QPointF(split, 0), QPointF(split, bounds.height()))
        painter.setPen(QPen(QColor("#00a5c8"), 1.5))
        painter.drawLine(QPointF(split, 0), QPointF(split, bounds.height()))
        painter.setBrush(QColor("#00a5c8"))
        painter.drawEllipse(QPointF(split, bounds.height() / 2), 7, 7)

    def remove(self) -> None:
        try:
            self.canvas.mapCanvasRefreshed.disconnect(self.render)
        except TypeError:
            pass
        if self._job is not None:
            self._job.cancelWithoutBlocking()
            self._job = None
        scene = self.scene()
        if scene is not None:
            scene.removeItem(self)


class SwipeTool(QgsMapTool):
    """Press and drag on the map to move the swipe line."""

    def __init__(self, canvas, item: SwipeItem):
        super().__init__(canvas)
        self.item = item
        self.setCursor(Qt.SplitHCursor)

    def canvasPressEvent(self, event) -> None:
        self._move(event)

    def canvasMoveEvent(self, event) -> None:
        if event.buttons() & Qt.LeftButton:
            self._move(event)

    def _move(self, event) -> None:
        width = max(1, self.canvas().width())
        self.item.set_position(event.pos().x() / width)


def set_layer_visible(layer: QgsMapLayer, visible: bool) -> None:
    """Tick or untick the layer in the layer tree (what the canvas draws)."""
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    if node is not None:
        node.setItemVisibilityChecked(visible)


def layer_visible(layer: QgsMapLayer) -> bool:
    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    return node is not None and node.isVisible()
