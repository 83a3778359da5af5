"""Fixtures for the hardening tests: a real server with short deadlines and small limits, clients
with their own loopback source address (so per-client limits do not leak between tests), and a
TCP listener that records every connection made to it."""

from __future__ import annotations

import itertools
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from tests.support.hardened import hardened_settings
from tests.support.live_server import LiveServer
from tests.support.release_fixture import publish_trig

MINI = Path(__file__).parent.parent / "api" / "fixtures" / "mini.trig"
#: Six triple patterns over the 40 triples of the mini release: 4·10⁹ solutions to count.
CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"
)

_addresses = itertools.count(2)


@pytest.fixture(scope="session")
def hardened_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build_dir = tmp_path_factory.mktemp("hardened-build")
    publish_trig(MINI, build_dir)
    return build_dir


@pytest.fixture(scope="session")
def hardened_app(hardened_build: Path):
    return create_app(hardened_settings(hardened_build))


@pytest.fixture(scope="session")
def hardened(hardened_app) -> Iterator[LiveServer]:
    server = LiveServer(hardened_app).start()
    yield server
    server.stop()


def client_from(url: str, address: str | None = None, timeout: float = 30) -> httpx.Client:
    """An HTTP client whose connections come from `address` (any of 127.0.0.0/8)."""
    transport = httpx.HTTPTransport(local_address=address) if address else None
    return httpx.Client(base_url=url, timeout=timeout, transport=transport)


def fresh_address() -> str:
    """A loopback address no other test uses: a client of its own for the per-client limits."""
    return f"127.0.0.{next(_addresses)}"


@pytest.fixture()
def client(hardened: LiveServer) -> Iterator[httpx.Client]:
    with client_from(hardened.url, fresh_address()) as http:
        yield http


class Listener:
    """A TCP listener on 127.0.0.1 that accepts and records every connection."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(0.5)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()
