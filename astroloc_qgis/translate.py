"""Translation for code outside QObject subclasses (those use `self.tr`).

Always `translate("Context", "text")` with a literal context: pylupdate5 files the string under
exactly that context, so the lookup at run time matches the .ts entry. (A one-argument
module-level `tr()` is filed by pylupdate5 under the enclosing class, which never matches.)
Usable without Qt (the worker client, scripts): the source text is returned.
"""

from __future__ import annotations

try:
    from qgis.PyQt.QtCore import QCoreApplication
except ImportError:  # pragma: no cover - outside QGIS
    QCoreApplication = None


def translate(context: str, text: str) -> str:
    return text if QCoreApplication is None else QCoreApplication.translate(context, text)
