"""The per-client limits of `kskg serve` with several HTTP processes (api/serving.py) hold for
the server, not per process: its processes count in one ledger (api/sparql/client_ledger.py),
and what a replaced process's clients spent stays charged."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.hardening.conftest import CARTESIAN, MINI
from tests.hardening.test_http_processes import _healthy, until
from tests.hardening.test_shutdown import children
from tests.support.release_fixture import publish_trig
from tests.support.serve_process import serve_process

HEALTH = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@contextmanager
def serving(tmp_path: Path, **limits: str) -> Iterator[str]:
    """`kskg serve` with two HTTP processes (2 s deadline) and the settings `limits`
    (environment variables) on a free port: its URL."""
    build_dir = tmp_path / "build"
    publish_trig(MINI, build_dir)
    settings = {"KSKG_HTTP_PROCESSES": "2", "KSKG_QUERY_TIMEOUT_S": "2", **limits}
    server, url = serve_process(build_dir, settings)
    try:
        until(lambda: len(children(server.pid)) == 2 and _healthy(url), 60, server)
        yield url
    finally:
        server.kill()
        server.wait()


def health_on_new_connection(url: str, stack: ExitStack) -> bytes:
    """The status line /health gets on a new connection kept open, b"" if it was closed."""
    parts = urlsplit(url)
    sock = stack.enter_context(socket.create_connection((parts.hostname, parts.port), 10))
    sock.settimeout(10)
    with suppress(OSError):
        sock.sendall(HEALTH)
        return sock.recv(65536).split(b"\r\n", 1)[0]
    return b""


def test_the_connection_cap_counts_the_connections_of_every_process(tmp_path: Path) -> None:
    with serving(tmp_path, KSKG_CLIENT_CONNECTIONS="4") as url, ExitStack() as stack:
        held = [health_on_new_connection(url, stack) for _ in range(4)]
        # Each new connection goes to whichever process accepts first: counted per process,
        # some of these would be served.
        extra = [health_on_new_connection(url, stack) for _ in range(12)]
    assert all(line.startswith(b"HTTP/1.1 200 ") for line in held), held
    assert extra == [b""] * 12, extra


def test_spent_query_time_outlives_the_process_that_spent_it(tmp_path: Path) -> None:
    with serving(tmp_path, KSKG_CLIENT_QUERY_BUDGET_S="1") as url:
        heavy = httpx.get(url + "/sparql", params={"query": CARTESIAN}, timeout=30)
        # The heavy query's process is condemned and replaced; the 2 s it held a query slot
        # stay charged, whichever process the next queries reach.
        codes = [
            httpx.get(url + "/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # {i}"}).status_code
            for i in range(12)
        ]
    assert heavy.status_code == 503
    assert codes == [429] * 12, codes
