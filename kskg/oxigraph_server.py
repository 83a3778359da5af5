"""A local Oxigraph server from the pinned PyPI package `oxigraph` (a self-contained binary in
the virtualenv's bin/), on a free loopback port: the engine of `make run-remote` and of the
remote-store tests. Read-write (`oxigraph serve`), because `kskg publish --store` loads releases
into it while it serves; it must therefore never listen on anything but 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


class OxigraphServer:
    """One `oxigraph serve` process with its own data folder; `query_url`, `update_url` and
    `data_url` are the endpoints the store settings name."""

    def __init__(self, location: Path, timeout_s: float, port: int | None = None) -> None:
        self.location = location
        self.timeout_s = timeout_s
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    @property
    def data_url(self) -> str:
        return self.base + "/store"

    def start(self, wait_s: float = 20.0) -> OxigraphServer:
        """Start the server and return once it answers; raises RuntimeError if it does not."""
        self.location.mkdir(parents=True, exist_ok=True)
        command = [binary(), "serve", "--location", str(self.location)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout-s", f"{self.timeout_s:g}"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited: {self.process.stderr.read().decode()[:500]}")
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph did not answer on {self.base} within {wait_s:g} s")

    def _answers(self) -> bool:
        try:
            return httpx.get(self.query_url, params={"query": "ASK {}"}, timeout=1).is_success
        except httpx.HTTPError:
            return False

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used (from /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def binary() -> str:
    """The `oxigraph` executable installed next to this Python, else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` server is not installed: pip install -e '.[remote]'")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
