"""The plugin's `translate(context, text)` (falls back to the source text without Qt)."""
from __future__ import annotations

from ..translate import translate

__all__ = ["translate"]
