"""Expected errors: a code, a one-line message naming the file, a hint saying what to do, and the
request input refused (`field`, "" when the error is about no one input).

The CLI prints them without a traceback and exits non-zero; the worker sends them as
structured protocol errors; the panel shows them in the message bar.
"""

from __future__ import annotations


class AstroLocError(Exception):
    """An expected failure the user can act on."""

    code = "error"
    exit_code = 2

    def __init__(
        self,
        message: str,
        hint: str = "",
        code: str | None = None,
        field: str = "",
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field
        self.details = details or {}  # structured facts behind the message (the worker sends them)
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def to_dict(self) -> dict:
        out = {"code": self.code, "message": self.message, "hint": self.hint, "field": self.field}
        return {**out, "details": self.details} if self.details else out


class InputError(AstroLocError):
    """A photo or raster that cannot be used (unreadable, no CRS, too small...)."""

    code = "bad_input"


class PriorError(InputError):
    """A search prior that cannot be used; `field` is the prior key refused (protocol.PRIOR_KEYS),
    or "prior" for the region as a whole (no tile in it, priors that do not overlap)."""

    code = "bad_prior"

    def __init__(self, field: str, message: str, hint: str = ""):
        super().__init__(message, hint, field=field)


class BadIndexError(AstroLocError):
    """A missing, incompatible, newer-format or damaged index."""

    code = "bad_index"


class ModelError(AstroLocError):
    """A model that cannot be loaded (unknown name, bad checkpoint)."""

    code = "bad_model"


class DiskError(AstroLocError):
    """Writing failed (full disk, read-only folder)."""

    code = "disk"


class ServiceError(AstroLocError):
    """A tile service that cannot be used (unreachable, refusing, tiles missing after retries)."""

    code = "service"


class Cancelled(AstroLocError):
    """The request was cancelled by the user."""

    code = "cancelled"
    exit_code = 130
