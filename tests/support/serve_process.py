"""`kskg serve` as a user runs it, in a subprocess on a free loopback port (tests of process
layouts, signals and restarts, which an in-process server cannot show)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from kskg.settings import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_process(
    build_dir: Path, settings: dict[str, str], stdout: int = subprocess.DEVNULL
) -> tuple[subprocess.Popen, str]:
    """Start `kskg serve` on `build_dir` with `settings` (KSKG_ environment variables) added to
    the environment; returns the process (standard error a pipe) and its URL at once."""
    port = free_port()
    kskg = str(Path(sys.executable).parent / "kskg")
    command = [kskg, "serve", "--build-dir", str(build_dir), "--port", str(port)]
    server = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=os.environ | settings,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )
    return server, f"http://127.0.0.1:{port}"
