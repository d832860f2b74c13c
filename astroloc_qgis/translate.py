"""Translation for code outside QObject subclasses (those use `self.tr`).

Always `translate("Context", "text")` with a literal context: pylupdate5 files the string under
exactly that context, so the lookup at run time matches the .ts entry. (A one-argument
module-level `tr()` is filed by pylupdate5 under the enclosing class, which never matches.)
"""
from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
