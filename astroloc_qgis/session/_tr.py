"""Translation helper usable without a QApplication (falls back to the source text)."""
from __future__ import annotations


def translate(context: str, text: str) -> str:
    try:
        from qgis.PyQt.QtCore import QCoreApplication
    except ImportError:  # pragma: no cover - outside QGIS
        return text
    return QCoreApplication.translate(context, text)
