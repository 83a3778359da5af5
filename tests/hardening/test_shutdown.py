"""Graceful shutdown of `kskg serve`: on SIGTERM, the request in flight gets its complete answer,
the process exits, and no worker process is left behind."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx

from tests.hardening.conftest import CARTESIAN, MINI
from tests.support.release_fixture import publish_trig
from tests.support.serve_process import serve_process


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start_server(build_dir: Path) -> tuple[subprocess.Popen, str]:
    """`kskg serve` with one HTTP process (3 s deadline, 2 worker processes) on a free port;
    returns once both workers run."""
    settings = {"KSKG_QUERY_TIMEOUT_S": "3", "KSKG_QUERY_WORKERS": "2", "KSKG_HTTP_PROCESSES": "1"}
    server, url = serve_process(build_dir, settings)
    end = time.monotonic() + 60
    with httpx.Client(base_url=url, timeout=5) as http:
        while True:
            try:
                if http.get("/health").json()["workers"] == 2:
                    return server, url
            except httpx.TransportError:
                pass
            assert time.monotonic() < end and server.poll() is None, "server did not start"
            time.sleep(0.1)


def test_sigterm_finishes_in_flight_requests_and_leaves_no_worker(tmp_path):
    build_dir = tmp_path / "build"
    publish_trig(MINI, build_dir)
    server, url = start_server(build_dir)
    try:
        with httpx.Client(base_url=url, timeout=30) as http:
            workers = children(server.pid)
            assert len(workers) == 2
            answers = {}
            thread = threading.Thread(
                target=lambda: answers.update(
                    heavy=http.get("/sparql", params={"query": CARTESIAN})
                )
            )
            thread.start()
            with httpx.Client(base_url=url) as probe:
                while probe.get("/health").json()["busy_workers"] == 0:
                    time.sleep(0.02)
            server.send_signal(signal.SIGTERM)
            thread.join()
        # uvicorn ends by re-raising the signal it handled, after its graceful shutdown.
        assert server.wait(timeout=30) in (0, -signal.SIGTERM)
        log = server.stderr.read().decode()
        assert "Application shutdown complete" in log and "Traceback" not in log, log
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    heavy = answers["heavy"]
    assert heavy.status_code == 503 and heavy.json()["error"] == "query_timeout"
    end = time.monotonic() + 10
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < end, "worker processes outlived the server"
        time.sleep(0.05)
