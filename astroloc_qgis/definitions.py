"""Names the whole shell shares: the log tab, photo file suffixes, the review statuses with
their colours and labels, and the kinds of photo's labels. (The kinds of feature in a result, and
the kinds of photo the engine knows, are the protocol's: engine/protocol.py.)"""

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


def photo_kind_label(kind: str) -> str:
    """A kind of photo (protocol.KINDS, the request's "kind") as the Locate tab and Processing
    offer it; an unknown kind as it is."""
    labels = {
        "auto": translate("PhotoKind", "Automatic (from the EXIF)"),
        "aerial": translate("PhotoKind", "Aerial or astronaut photo"),
        "drone": translate("PhotoKind", "Drone photo"),
        "ground": translate("PhotoKind", "Ground photo (rough GPS fix)"),
        "historical": translate("PhotoKind", "Historical film scan (grey)"),
        "satellite": translate("PhotoKind", "Satellite image (no metadata)"),
    }
    return labels.get(kind, kind)


def photo_kind_tip(kind: str) -> str:
    """What choosing a kind of photo changes (docs/PLUGIN.md, "Kind of photo")."""
    tips = {
        # one line each: pylupdate5 skips a string followed by a trailing comma
        "auto": translate(
            "PhotoKind", "Drone when the EXIF says so (maker, DJI tags, low GPS altitude), else aerial"
        ),
        "aerial": translate(
            "PhotoKind", "Astronaut or aircraft photo: the whole index, an orbit or aircraft camera"
        ),
        "drone": translate(
            "PhotoKind", "Searched round its EXIF GPS fix, which is drawn beside the estimated camera"
        ),
        "ground": translate(
            "PhotoKind", "Taken on the ground near its GPS fix: position, heading and their uncertainty"
        ),
        "historical": translate(
            "PhotoKind", "Old grey film scan: searched and matched in grey (a colour-only model refuses it)"
        ),
        "satellite": translate(
            "PhotoKind", "Nadir image from orbit, any place and rotation: the footprint only, no camera"
        ),
    }
    return tips.get(kind, "")
