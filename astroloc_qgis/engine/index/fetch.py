"""HTTP for tile services (stdlib urllib): a User-Agent, a request-rate cap, retries with backoff.

This and wmts.py are the only engine modules that open sockets, and only when the user asked
for a build from a service.
"""

from __future__ import annotations

import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ServiceError

USER_AGENT = "AstroLoc-QGIS/0.1 (QGIS plugin; index build from a tile service)"
SECRET_PARAMS = (
    "key",
    "apikey",
    "api_key",
    "token",
    "access_token",
    "accesstoken",
    "signature",
    "sig",
    "password",
    "passwd",
    "secret",
    "client_secret",
    "auth",
)


def public_url(url: str) -> str:
    """The URL without user:password@ and without query parameters that look like credentials."""
    parts = urllib.parse.urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SECRET_PARAMS
    ]
    q = urllib.parse.urlencode(query, safe="{}-,:/")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, q, parts.fragment))


class RateLimit:
    """At most `per_s` request starts a second, shared by the worker threads; 429 halves it."""

    def __init__(self, per_s: float):
        self.per_s = float(per_s)
        self.next = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next)
            self.next = start + 1.0 / self.per_s
        if start > now:
            time.sleep(start - now)

    def slow_down(self) -> float:
        with self.lock:
            self.per_s = max(0.2, self.per_s / 2)
            return self.per_s


@dataclass
class Outcome:
    data: bytes | None = None
    status: int | None = None  # the last HTTP status, None for a connection-level failure
    error: str = ""
    throttled: int = 0  # 429 answers seen


@dataclass
class Fetcher:
    max_per_s: float = 8.0
    timeout_s: float = 20.0
    attempts: int = 4
    backoff_s: float = 1.0
    on_throttle: object = None  # callable(new_rate, url) when a 429 slows us down
    _limit: RateLimit = field(init=False)

    def __post_init__(self) -> None:
        self._limit = RateLimit(self.max_per_s)

    @property
    def rate(self) -> float:
        return self._limit.per_s

    def get(self, url: str, cancel: Callable[[], bool] | None = None) -> Outcome:
        """One URL with retries: 5xx, 429 and timeouts/connection errors are retried with
        exponential backoff (429 honours Retry-After and halves the request rate); 4xx is final.
        Once `cancel()` is true no further request is made (error "cancelled")."""
        out = Outcome()
        for attempt in range(self.attempts):
            if attempt:
                delay = self.backoff_s * (2 ** (attempt - 1)) * (0.75 + 0.5 * random.random())
                time.sleep(delay)
            self._limit.wait()
            if cancel is not None and cancel():
                out.error = "cancelled"
                return out
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as resp:
                    body = resp.read()
                if not body:
                    out.status, out.error = 200, "empty answer"
                    continue
                out.data, out.status, out.error = body, 200, ""
                return out
            except urllib.error.HTTPError as exc:
                out.status, out.error = exc.code, f"HTTP {exc.code} {exc.reason}"
                if exc.code == 429:
                    out.throttled += 1
                    rate = self._limit.slow_down()
                    if self.on_throttle:
                        self.on_throttle(rate, url)
                    retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
                    if retry_after.strip().isdigit():
                        time.sleep(min(float(retry_after), 60.0))
                    continue
                if exc.code < 500:
                    return out
            except OSError as exc:  # URLError, timeouts, refused and reset connections
                reason = getattr(exc, "reason", exc)
                out.status, out.error = (
                    None,
                    f"{type(reason).__name__}: {reason}" if not isinstance(reason, str) else reason,
                )
        return out

    def get_document(self, url: str, what: str) -> bytes:
        """A small document (capabilities): ServiceError naming the URL when it cannot be had."""
        out = self.get(url)
        if out.data is None:
            raise ServiceError(
                f"{public_url(url)}: cannot get the {what} ({out.error})",
                "check the URL and that the server is reachable",
            )
        return out.data
