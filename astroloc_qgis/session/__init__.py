"""Review session: results, review state and the decision log in one GeoPackage (stdlib + osgeo)."""
from .store import STATUSES, Session, SessionError

__all__ = ["STATUSES", "Session", "SessionError"]
