"""Files the plugin ships: inside the packaged plugin folder, or at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent
_ROOTS = (PLUGIN_DIR, PLUGIN_DIR.parent)  # packaged zip first, development checkout second


def shipped_file(*parts: str) -> Path | None:
    for root in _ROOTS:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return None


def style_path(name: str) -> str | None:
    path = shipped_file("resources", "styles", f"{name}.qml")
    return str(path) if path else None


def icon_path(name: str) -> str:
    path = shipped_file("resources", "icons", f"{name}.svg")
    return str(path) if path else ""


def i18n_dir() -> Path | None:
    return shipped_file("i18n")
