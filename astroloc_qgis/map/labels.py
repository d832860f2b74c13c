"""Label text on a white halo: read on dark water and bright desert alike (the result layers and
the shipped .qml styles, tools/make_styles.py)."""

from __future__ import annotations

from qgis.core import QgsTextBufferSettings, QgsTextFormat
from qgis.PyQt.QtGui import QColor, QFont


def halo_text(colour: str, size: float, halo_mm: float = 0.8, font: QFont | None = None) -> QgsTextFormat:
    text = QgsTextFormat()
    if font is not None:
        text.setFont(font)
    text.setSize(size)
    text.setColor(QColor(colour))
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(halo_mm)
    halo.setColor(QColor("white"))
    text.setBuffer(halo)
    return text
