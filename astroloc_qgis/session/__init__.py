"""Review session storage: results, review state and the decision log in one GeoPackage (stdlib + osgeo)."""

from .store import Session, SessionError

__all__ = ["Session", "SessionError"]
