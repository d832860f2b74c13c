"""Names the whole shell shares: the log tab, photo file suffixes, and the review statuses with
their colours and labels. (The kinds of feature in a result are the protocol's: engine/protocol.py.)"""

from __future__ import annotations

from .translate import translate

LOG_TAG = "AstroLoc"  # the QGIS log tab and message-bar title

# What a user gives AstroLoc as a photo. A TIFF is a photo only without georeferencing: a
# georeferenced GeoTIFF dropped on the canvas stays a layer (locate/drop.py).
PLAIN_PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".jp2")
TIFF_SUFFIXES = (".tif", ".tiff")
PHOTO_SUFFIXES = (*PLAIN_PHOTO_SUFFIXES, *TIFF_SUFFIXES)
PHOTO_FILE_FILTER = " ".join(f"*{suffix}" for suffix in PHOTO_SUFFIXES)

# Review statuses, in the order the Review tab counts them.
PENDING, CONFIRMED, REJECTED, EDITED = "pending", "confirmed", "rejected", "edited"
STATUSES = (PENDING, CONFIRMED, REJECTED, EDITED)
STATUS_COLOURS = {PENDING: "#f39c12", CONFIRMED: "#27ae60", REJECTED: "#c0392b", EDITED: "#2e86de"}


def status_label(status: str) -> str:
    """The status as a word in a sentence or a list ("pending"); unknown statuses as they are."""
    labels = {
        PENDING: translate("ReviewStatus", "pending"),
        CONFIRMED: translate("ReviewStatus", "confirmed"),
        REJECTED: translate("ReviewStatus", "rejected"),
        EDITED: translate("ReviewStatus", "edited"),
    }
    return labels.get(status, status)


def status_heading(status: str) -> str:
    """The status as the heading of its count ("Pending")."""
    headings = {
        PENDING: translate("ReviewStatus", "Pending"),
        CONFIRMED: translate("ReviewStatus", "Confirmed"),
        REJECTED: translate("ReviewStatus", "Rejected"),
        EDITED: translate("ReviewStatus", "Edited"),
    }
    return headings[status]
