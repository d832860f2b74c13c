"""The plugin's side of the engine worker: one persistent process per QGIS session.

Stdlib only (no Qt): requests are sent from QgsTask threads, replies are read by a
background thread and routed to the request they belong to. Nothing here blocks the GUI
thread except `shutdown`, which waits at most `timeout` seconds.

    client = WorkerClient(python_path, log_path)
    pending = client.submit("locate", photo=..., index=...)   # starts the worker if needed
    for message in pending.messages(cancelled=task.isCanceled): ...
"""

from __future__ import annotations

import dataclasses
import itertools
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..engine import protocol
from ..translate import translate

ENGINE_ARGS = ("-E", "-s", "-m", "astroloc_qgis.engine")  # isolated from QGIS's Python settings
WORKER_ARGS = (*ENGINE_ARGS, "worker")
# Reported by the worker's `ready` line; None means the package does not import there.
REQUIRED_PACKAGES = ("numpy", "torch", "faiss", "rasterio", "cv2")
MAX_LOG_BYTES = 5_000_000  # the worker log is rotated once (worker.log.1) beyond this


def setup_hint() -> str:
    return translate(
        "WorkerClient",
        "open AstroLoc settings and click 'Test engine', or 'Create environment…' to rebuild it",
    )


@dataclass
class WorkerError(Exception):
    """A failure with a code, a message and a hint for the user (mirrors protocol errors)."""

    code: str
    message: str
    hint: str = ""
    field: str = ""  # the request input the engine refused (protocol.error)
    details: dict = dataclasses.field(default_factory=dict)  # facts behind the message (protocol.error)

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    @classmethod
    def internal(cls, error: Exception) -> WorkerError:
        """A bug in the plugin's own code as a message for the panel (its traceback goes to the log)."""
        return cls(
            "internal",
            f"{type(error).__name__}: {error}",
            translate("WorkerClient", "see the QGIS log, AstroLoc tab"),
        )

    @classmethod
    def from_protocol(cls, error: dict) -> WorkerError:
        code, message = str(error.get("code", "error")), str(error.get("message", "engine error"))
        if code == "internal" and message.startswith(("ModuleNotFoundError", "ImportError")):
            return cls(
                "engine_env",
                translate("WorkerClient", "The engine environment is incomplete ({}).").format(message),
                setup_hint(),
            )
        details = error.get("details") if isinstance(error.get("details"), dict) else {}
        return cls(code, message, str(error.get("hint", "")), str(error.get("field") or ""), details)


class PendingRequest:
    """Replies to one request. `messages()` yields progress events, then the result."""

    def __init__(self, client: WorkerClient, req_id: str, op: str):
        self.client = client
        self.id = req_id
        self.op = op
        self._replies: queue.Queue[dict] = queue.Queue()

    def deliver(self, message: dict) -> None:
        self._replies.put(message)

    def messages(self, cancelled: Callable[[], bool] = lambda: False, poll: float = 0.1) -> Iterator[dict]:
        """Yield every reply until the final one; raise WorkerError on an error reply.

        When `cancelled()` turns true, a cancel request is sent and WorkerError("cancelled")
        is raised at once: the caller does not wait for the worker to acknowledge.
        """
        while True:
            if cancelled():
                self.client.cancel(self.id)
                raise WorkerError("cancelled", translate("WorkerClient", "Cancelled."))
            try:
                message = self._replies.get(timeout=poll)
            except queue.Empty:
                continue
            kind = message.get("type")
            if kind == protocol.ERROR:
                raise WorkerError.from_protocol(message.get("error") or {})
            yield message
            if kind == protocol.RESULT:
                return

    def result(
        self, cancelled: Callable[[], bool] = lambda: False, on_progress: Callable[[dict], None] | None = None
    ) -> dict:
        for message in self.messages(cancelled):
            if message.get("type") == protocol.RESULT:
                return message.get("result") or {}
            if on_progress is not None:
                on_progress(message)
        raise WorkerError(
            "protocol", translate("WorkerClient", "The engine ended the request without a result.")
        )


class _Connection:
    """One worker process and the requests it owes replies to."""

    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process = process
        self.log_path = log_path
        self.pending: dict[str, PendingRequest] = {}
        self.ready = threading.Event()
        self.versions: dict = {}
        self.closed = threading.Event()
        self.lock = threading.Lock()

    def alive(self) -> bool:
        return not self.closed.is_set() and self.process.poll() is None

    def read_forever(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            try:
                message = protocol.decode(raw)
            except ValueError:
                continue  # not a protocol line; the worker sends library noise to stderr
            if message.get("type") == protocol.READY:
                self.versions = message.get("result") or {}
                self.ready.set()
                continue
            with self.lock:
                request = self.pending.get(message.get("id"))
                if request is not None and message.get("type") in (protocol.RESULT, protocol.ERROR):
                    del self.pending[request.id]
            if request is not None:
                request.deliver(message)
        self._fail_pending()

    def _fail_pending(self) -> None:
        code = self.process.wait()
        self.closed.set()
        self.ready.set()  # wake a start() that is still waiting
        error = protocol.error(
            None,
            "worker_crashed",
            translate("WorkerClient", "The AstroLoc engine stopped unexpectedly (exit code {}).").format(
                code
            ),
            translate("WorkerClient", "The next photo restarts it. Details are in {}.").format(self.log_path),
        )
        with self.lock:
            orphans, self.pending = list(self.pending.values()), {}
        for request in orphans:
            request.deliver(error)


class WorkerClient:
    """Starts the worker on demand, sends requests, restarts the worker after a crash."""

    def __init__(
        self,
        python: str | Path,
        cwd: str | Path,
        log_path: str | Path,
        env: dict[str, str] | None = None,
        start_timeout: float = 180.0,
    ):
        self.python = str(python)
        self.cwd = str(cwd)
        self.log_path = Path(log_path)
        self.env = env
        self.start_timeout = start_timeout
        self._connection: _Connection | None = None
        self._start_lock = threading.Lock()
        self._ids = itertools.count(1)

    @property
    def command(self) -> list[str]:
        return [self.python, *WORKER_ARGS]

    def is_running(self) -> bool:
        return self._connection is not None and self._connection.alive()

    @property
    def pid(self) -> int | None:
        return self._connection.process.pid if self.is_running() else None

    @property
    def versions(self) -> dict:
        return dict(self._connection.versions) if self._connection else {}

    def ensure_started(self, cancelled: Callable[[], bool] = lambda: False) -> dict:
        """Start the worker unless it runs; wait for its `ready` line. Blocking: call from a task."""
        with self._start_lock:
            if self.is_running() and self._connection.ready.is_set():
                return self._connection.versions
            if self._connection is None or not self._connection.alive():
                self._connection = self._spawn()
            connection = self._connection
        deadline = time.monotonic() + self.start_timeout
        while not connection.ready.wait(0.1):
            if cancelled():
                raise WorkerError("cancelled", translate("WorkerClient", "Cancelled."))
            if time.monotonic() > deadline:
                self.kill()
                raise WorkerError(
                    "worker_start",
                    translate("WorkerClient", "The AstroLoc engine did not start in time."),
                    translate("WorkerClient", "See {}.").format(self.log_path),
                )
        if connection.closed.is_set():
            raise WorkerError(
                "worker_start",
                translate("WorkerClient", "The AstroLoc engine could not start."),
                translate(
                    "WorkerClient", "{} (full log: {}; check the engine environment in AstroLoc settings)"
                ).format(self._log_tail(), self.log_path),
            )
        missing = [
            name
            for name in REQUIRED_PACKAGES
            if name in connection.versions and connection.versions[name] is None
        ]
        if missing:
            self.shutdown()
            raise WorkerError(
                "engine_env",
                translate("WorkerClient", "The engine environment of {} lacks {}.").format(
                    self.python, ", ".join(missing)
                ),
                setup_hint(),
            )
        return connection.versions

    def _spawn(self) -> _Connection:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        if self.log_path.is_file() and self.log_path.stat().st_size > MAX_LOG_BYTES:
            self.log_path.replace(self.log_path.with_name(self.log_path.name + ".1"))
        log = open(self.log_path, "ab")  # the child process owns it
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(self.command)}\n".encode())
        log.flush()
        try:
            process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                bufsize=0,
            )
        except OSError as exc:
            raise WorkerError(
                "worker_start",
                translate("WorkerClient", "The AstroLoc engine could not start: {}.").format(exc),
                translate("WorkerClient", "Open AstroLoc settings and set up the engine environment."),
            ) from exc
        finally:
            log.close()
        connection = _Connection(process, self.log_path)
        threading.Thread(target=connection.read_forever, name="astroloc-worker-reader", daemon=True).start()
        return connection

    def submit(self, op: str, cancelled: Callable[[], bool] = lambda: False, **params) -> PendingRequest:
        self.ensure_started(cancelled)
        connection = self._connection
        request = PendingRequest(self, f"q{next(self._ids)}", op)
        with connection.lock:
            connection.pending[request.id] = request
        if not self._write(connection, protocol.request(request.id, op, **params)):
            with connection.lock:
                connection.pending.pop(request.id, None)
            raise WorkerError(
                "worker_crashed",
                translate("WorkerClient", "The AstroLoc engine stopped unexpectedly."),
                translate("WorkerClient", "The next photo restarts it. Details are in {}.").format(
                    self.log_path
                ),
            )
        return request

    def cancel(self, req_id: str) -> None:
        connection = self._connection
        if connection is not None and connection.alive():
            self._write(connection, protocol.request(f"c{next(self._ids)}", "cancel", target=req_id))

    @staticmethod
    def _write(connection: _Connection, line: str) -> bool:
        try:
            with connection.lock:
                connection.process.stdin.write(line.encode("utf-8"))
                connection.process.stdin.flush()
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def shutdown(self, timeout: float = 2.0) -> None:
        """Closing stdin makes the worker exit; kill it if it does not within `timeout`."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.process.stdin.close()
        except OSError:
            pass
        try:
            connection.process.wait(timeout)
        except subprocess.TimeoutExpired:
            connection.process.kill()
            connection.process.wait(2)

    def kill(self) -> None:
        connection = self._connection
        if connection is not None and connection.process.poll() is None:
            connection.process.kill()

    def _log_tail(self, lines: int = 3) -> str:
        try:
            text = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(line.strip() for line in text[-lines:])
