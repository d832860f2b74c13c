"""`tr()` for code outside Qt classes (classes use `self.tr`).

pylupdate5 files a bare `tr("...")` call under the context "@default", so the lookup uses
that context too.
"""
from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication


def tr(text: str) -> str:
    return QCoreApplication.translate("@default", text)
