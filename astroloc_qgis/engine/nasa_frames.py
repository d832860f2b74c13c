"""NASA astronaut-photo frame names and what they say about the camera's orbit.

Stdlib only: the plugin imports it too (whether a catalogue applies to a photo), as it does
engine/protocol.py. One frame rule for the engine's catalogue and TLE checks, the pose's ISS
altitude and the panel.
"""

from __future__ import annotations

import re
from pathlib import Path

# ISS062-E-150758, iss062_e_150758_small.jpg: mission (+ expedition number), camera, frame.
FRAME_PATTERN = re.compile(r"^([A-Z]+)(\d+)([A-Z]?)[-_]([A-Z0-9]+)[-_](\d+)", re.IGNORECASE)
ISS_NORAD_ID = 25544
ISS_ALTITUDE_M = (400_000.0, 420_000.0)  # today's orbit: the default of a nadir or catalogue region
# The ISS's altitude by era, for the pose: ~330-400 km until the 2011 reboost (expeditions up to
# 26), 395-430 km since.
ISS_ALTITUDE_BY_ERA_M = {"early": (330_000.0, 400_000.0), "late": (395_000.0, 430_000.0)}
ISS_LAST_LOW_EXPEDITION = 26


def frame_id(photo_name: str) -> str | None:
    """NASA frame id from a file name: 'ISS062-E-150758.jpg' -> 'ISS062-E-150758' (None if not one)."""
    m = FRAME_PATTERN.match(Path(photo_name).stem)
    return f"{m.group(1)}{m.group(2)}{m.group(3)}-{m.group(4)}-{m.group(5)}".upper() if m else None


def iss_expedition(photo_name: str) -> int | None:
    """The expedition number of an ISS frame name (ISS067-E-12345 -> 67), None for other photos."""
    m = FRAME_PATTERN.match(Path(photo_name).stem)
    return int(m.group(2)) if m and m.group(1).upper() == "ISS" else None


def iss_altitude_range(photo_name: str) -> tuple[float, float] | None:
    """The ISS's altitude range (m) in the era of an ISS frame name (None if not one)."""
    expedition = iss_expedition(photo_name)
    if expedition is None:
        return None
    return ISS_ALTITUDE_BY_ERA_M["early" if expedition <= ISS_LAST_LOW_EXPEDITION else "late"]
