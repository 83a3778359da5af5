"""`make run-remote` (kskg/run_remote.py) as a newcomer runs it: two Oxigraph servers from the
pinned package, the current release published into them, the API serving it on the chosen
port; SIGTERM stops the API and both servers."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kskg.oxigraph_server import free_port
from tests.support.release_fixture import publish_trig

MINI = Path(__file__).parent.parent / "api" / "fixtures" / "mini.trig"


def _accepts(url: str) -> bool:
    host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def _wait_for_health(url: str, process: subprocess.Popen, within_s: float) -> dict:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            return httpx.get(url + "/health", timeout=2).json()
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError(f"the API did not answer on {url} within {within_s} s")


def test_run_remote_serves_the_release_and_stops_everything(tmp_path):
    version = publish_trig(MINI, tmp_path, version_triple=True)
    port = free_port()
    environment = os.environ | {"KSKG_BUILD_DIR": str(tmp_path), "KSKG_QUERY_WORKERS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kskg.run_remote", "--port", str(port)],
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = _wait_for_health(f"http://127.0.0.1:{port}", process, 60)
        assert (health["store"], health["version"]) == ("remote", version)
        answer = httpx.post(
            f"http://127.0.0.1:{port}/sparql",
            data={"query": "ASK { ?s ?p ?o }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.json()["boolean"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        said = process.communicate(timeout=60)[1]
    slots = re.search(r"engine slots: (.*)", said).group(1).split(", ")
    assert len(slots) == 2
    assert not any(_accepts(slot) for slot in slots), said
    assert not _accepts(f"http://127.0.0.1:{port}")
