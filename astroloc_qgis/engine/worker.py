"""The persistent engine worker: JSON lines on stdin/stdout (see protocol.py).

One request runs at a time on a worker thread; the reader thread keeps reading so that a
`cancel` request takes effect while a search or locate is running. Models and indexes stay
loaded between requests (the api module caches them).
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import traceback
from typing import TextIO

from . import protocol
from .errors import AstroLocError, Cancelled


class Worker:
    def __init__(self, out: TextIO):
        self._out = out
        self._lock = threading.Lock()
        self._queue: queue.Queue[dict | None] = queue.Queue()
        self._cancelled: set[str] = set()
        self._current: str | None = None

    def send(self, message: dict) -> None:
        with self._lock:
            self._out.write(protocol.encode(message))
            self._out.flush()

    def reader(self, stream: TextIO) -> None:
        for line in stream:
            if not line.strip():
                continue
            try:
                msg = protocol.decode(line)
            except ValueError as exc:
                self.send(
                    protocol.error(None, "protocol", str(exc), "update the plugin and the engine together")
                )
                continue
            op = msg.get("op")
            if op == "cancel":
                target = (msg.get("params") or {}).get("target")
                self._cancelled.add(target)
                self.send(protocol.result(msg.get("id"), {"cancelled": target}))
            elif op == "shutdown":
                self.send(protocol.result(msg.get("id"), {"bye": True}))
                break
            else:
                self._queue.put(msg)
        self._queue.put(None)

    def run_requests(self) -> None:
        from . import api

        while True:
            msg = self._queue.get()
            if msg is None:
                return
            req_id, op, params = msg.get("id"), msg.get("op"), msg.get("params") or {}
            self._current = req_id
            try:
                if req_id in self._cancelled:
                    raise Cancelled("cancelled before it started")
                payload = self._dispatch(api, req_id, op, params)
                self.send(protocol.result(req_id, payload))
            except AstroLocError as exc:
                self.send(protocol.error(req_id, exc.code, exc.message, exc.hint, exc.field, exc.details))
            except MemoryError:
                self.send(
                    protocol.error(
                        req_id, "memory", "the engine ran out of memory", "use a smaller photo or index"
                    )
                )
            except Exception as exc:  # an engine bug: report it, keep serving
                traceback.print_exc(file=sys.stderr)
                self.send(
                    protocol.error(
                        req_id,
                        "internal",
                        f"{type(exc).__name__}: {exc}",
                        "see the engine log; please report this",
                    )
                )
            finally:
                self._cancelled.discard(req_id)
                self._current = None

    def _dispatch(self, api, req_id: str, op: str, params: dict) -> dict:
        def progress(stage: str, fraction: float, message: str = "") -> None:
            self.send(protocol.progress(req_id, stage, fraction, message))

        def cancel() -> bool:
            return req_id in self._cancelled

        if op in ("hello", "ping"):
            return api.versions() if op == "hello" else {"pong": True}
        if op == "index_info":
            return api.index_info(params["index"])
        if op == "index_build":
            extra = {
                key: params[key] for key in ("model", "tile_px", "scales") if params.get(key) is not None
            }
            return api.build_index(
                list(params["sources"]), params["out"], progress=progress, cancel=cancel, **extra
            )
        if op == "index_build_service":
            return api.build_from_service(params, progress=progress, cancel=cancel)
        if op == "index_adapt":
            return _adapt(api, params, progress, cancel)
        if op == "index_calibrate":
            return api.calibrate_confidence(params["index"], params["session"])
        prior = {key: params[key] for key in protocol.PRIOR_KEYS if params.get(key) is not None} or None
        if op == "search":
            return api.search(
                params["photo"],
                params["index"],
                k=int(params.get("k", 100)),
                progress=progress,
                cancel=cancel,
                prior=prior,
            )
        if op == "locate":
            extra = {
                key: params[key]
                for key in ("top", "k", "altitude_m", "focal_px", "max_units", "kind", *protocol.GROUND_KEYS)
                if key in params
            }
            return api.locate(
                params["photo"], params["index"], progress=progress, cancel=cancel, prior=prior, **extra
            )
        raise AstroLocError(
            f"unknown operation {op!r}", "update the plugin and the engine together", code="protocol"
        )


def _adapt(api, params: dict, progress, cancel) -> dict:
    """index_adapt: the adapted index's manifest and what was skipped, by name (docs/adapt.md)."""
    manifest, report = api.adapt_index(
        params["index"],
        params["confirmed"],
        list(params.get("photos") or []),
        params.get("out"),
        other_index=bool(params.get("other_index")),
        force=bool(params.get("force")),
        progress=progress,
        cancel=cancel,
    )
    return {"manifest": manifest, "used": len(report.used), "skipped": report.skipped()}


def main() -> int:
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    proto_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1, encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    worker = Worker(proto_out)
    from . import api

    worker.send(protocol.ready(api.versions()))
    runner = threading.Thread(target=worker.run_requests, name="astroloc-requests", daemon=True)
    runner.start()
    worker.reader(sys.stdin)
    # stdin closed (QGIS exited) or shutdown: do not wait for a long request to finish.
    runner.join(timeout=1.0)
    return 0
