"""Servers under test as subprocesses on 127.0.0.1: start, wait until they answer, stop.

Each server runs in its own process (never in the benchmark's process), so the load generator,
the server and the benchmark script do not share a Python interpreter or its GIL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

from bench.outputs import out_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def serve_like_kskg(app, port: int) -> None:
    """Serve `app` on 127.0.0.1:`port` with the uvicorn configuration `kskg serve` uses
    (`api.http.server.serve`), so baselines and the API differ only in the app."""
    from api.http.server import serve

    serve(app, host=HOST, port=port)


class ServerProcess:
    """A server subprocess; `start()` returns the seconds from spawn to the first 2xx on
    `ready_path`. Use as a context manager so it is always stopped."""

    def __init__(
        self, argv: Sequence[str], port: int, ready_path: str, env: dict[str, str] | None = None
    ) -> None:
        self.argv = list(argv)
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.ready_path = ready_path
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log_path: Path | None = None

    def start(self, timeout_s: float = 120.0) -> float:
        log_dir = out_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"server-{self.port}.log"
        log = self.log_path.open("wb")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        return self._wait_ready(started, timeout_s)

    def _wait_ready(self, started: float, timeout_s: float) -> float:
        deadline = started + timeout_s
        with httpx.Client(base_url=self.url, timeout=5) as http:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.argv[:4]} exited: see {self.log_path}")
                try:
                    if http.get(self.ready_path).is_success:
                        return time.perf_counter() - started
                except httpx.TransportError:
                    pass
                time.sleep(0.005)
        self.stop()
        raise RuntimeError(f"{self.argv[:4]} not ready after {timeout_s} s: see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def kskg_command() -> str:
    """The `kskg` console script of the running interpreter's environment (what a user runs)."""
    return str(Path(sys.executable).with_name("kskg"))


#: The load generator is one address standing in for many clients, so the per-client limits
#: of api/sparql/client_limits.py (2 queries at once, 60 s of query time a minute) and the
#: connections per address (api/http/server.py) are lifted for it.
BENCH_CLIENT_LIMITS = {
    "KSKG_CLIENT_CONCURRENCY": "1024",
    "KSKG_CLIENT_QUERY_BUDGET_S": "3600",
    "KSKG_CLIENT_CONNECTIONS": "100000",
}


def kskg_serve(build_dir: Path, ready_path: str) -> ServerProcess:
    """`kskg serve` of the release published in `build_dir`, on a free port."""
    port = free_port()
    argv = [kskg_command(), "serve", "--build-dir", str(build_dir)]
    return ServerProcess(
        [*argv, "--host", HOST, "--port", str(port)], port, ready_path, env=BENCH_CLIENT_LIMITS
    )


def python_module(module: str, args: Sequence[str], ready_path: str) -> ServerProcess:
    """`python -m <module> --port P <args>` (one of the baseline apps in bench/)."""
    port = free_port()
    argv = [sys.executable, "-m", module, "--port", str(port), *args]
    return ServerProcess(argv, port, ready_path)
