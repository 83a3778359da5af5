"""The connection layer of api/http/server.py with many real sockets on loopback: request heads
that never end are cut off at `header_timeout_s` while /health and other clients are answered,
open connections per client address are capped (counted in a ledger shared with other
processes: a forked child holding connections in it stands for another HTTP process of the
server), and a chunked POST offering `Upgrade: h2c` is answered."""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from urllib.parse import urlsplit

import pytest

from api.http.server import client_key, head_without_upgrade
from api.sparql.client_ledger import ClientLedger, LedgerFull
from tests.hardening.conftest import client_from, fresh_address
from tests.hardening.test_limits import status_and_json
from tests.support.forked import Child, children, wait_for_go
from tests.support.hardened import hardened_settings
from tests.support.live_server import LiveServer

HEAD_TIMEOUT_S = 1.0
CAP = 20
#: Slow clients of one address: far more sockets than the cap lets stay open.
FLOOD = 3000
PARTIAL_HEAD = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
H2C = (
    b"Connection: Upgrade, HTTP2-Settings\r\n"
    b"Upgrade: h2c\r\n"
    b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
)


@pytest.fixture(scope="module")
def guarded(hardened_build) -> Iterator[LiveServer]:
    settings = hardened_settings(
        hardened_build, header_timeout_s=HEAD_TIMEOUT_S, client_connections=CAP
    )
    with LiveServer.serving(settings) as server:
        yield server


#: Entries of the shared ledger: few enough for a child to fill it.
SHARED_ENTRIES = 8
SHARED_CAP = 3
HEALTH = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@pytest.fixture(scope="module")
def shared(hardened_build) -> Iterator[tuple[LiveServer, ClientLedger]]:
    """A server counting connections in a ledger this test shares with forked children."""
    settings = hardened_settings(
        hardened_build, header_timeout_s=30.0, client_connections=SHARED_CAP
    )
    ledger = ClientLedger.from_settings(settings, entries=SHARED_ENTRIES)
    with LiveServer.serving(settings, ledger) as server:
        yield server, ledger


def connect(url: str, address: str) -> socket.socket:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), 10, (address, 0))
    return sock


def read_all(sock: socket.socket, timeout: float = 10) -> bytes:
    """What the server sends until it closes the connection (b"" for a reset)."""
    sock.settimeout(timeout)
    answer = b""
    with suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def open_flood(url: str, address: str, count: int, stack: ExitStack) -> list[socket.socket]:
    """`count` connections from `address`, each having sent the start of a request head."""
    parts = urlsplit(url)
    socks = []
    for _ in range(count):
        sock = stack.enter_context(socket.socket())
        sock.bind((address, 0))
        sock.setblocking(False)
        with suppress(BlockingIOError):
            sock.connect((parts.hostname, parts.port))
        socks.append(sock)
    for sock in socks:
        # A connection the server closed at once may already be reset here.
        with suppress(BlockingIOError, OSError):
            sock.send(PARTIAL_HEAD)
    return socks


def wait_until_closed(socks: list[socket.socket], within_s: float) -> dict[bytes, int]:
    """Wait until the server closed every socket; the first bytes each got, counted."""
    selector = selectors.DefaultSelector()
    for sock in socks:
        selector.register(sock, selectors.EVENT_READ)
    answers: dict[bytes, int] = {}
    received = {sock: b"" for sock in socks}
    deadline = time.monotonic() + within_s
    while selector.get_map() and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.2):
            sock = key.fileobj
            try:
                chunk = sock.recv(65536)
            except OSError:
                chunk = b""
            received[sock] += chunk
            if not chunk:
                selector.unregister(sock)
                status = received[sock].split(b"\r\n", 1)[0]
                answers[status] = answers.get(status, 0) + 1
    still_open = len(selector.get_map())
    selector.close()
    assert still_open == 0, f"{still_open} connections still open after {within_s} s"
    return answers


def test_a_flood_of_unfinished_heads_is_cut_off_while_health_answers(guarded):
    flooder, other = fresh_address(), fresh_address()
    with ExitStack() as stack, client_from(guarded.url, other, timeout=5) as health:
        socks = open_flood(guarded.url, flooder, FLOOD, stack)
        for _ in range(3):
            response = health.get("/health")
            assert response.status_code == 200 and response.json()["status"] == "ok"
        answers = wait_until_closed(socks, within_s=HEAD_TIMEOUT_S + 15)
        # The connections held (CAP at a time; under load more are accepted as earlier ones
        # time out) are cut at the deadline with 408, or closed silently if their half head
        # had not gone out yet; the rest were closed as soon as they were accepted.
        timed_out = answers.pop(b"HTTP/1.1 408 Request Timeout", 0)
        assert timed_out > 0
        assert answers == {b"": FLOOD - timed_out}
        assert health.get("/health").status_code == 200
    # The flooder is a client like any other again.
    with client_from(guarded.url, flooder, timeout=5) as client:
        assert client.get("/health").status_code == 200


def test_the_timeout_answer_is_json_and_a_silent_connection_is_just_closed(guarded):
    address = fresh_address()
    with connect(guarded.url, address) as partial, connect(guarded.url, address) as silent:
        partial.sendall(PARTIAL_HEAD)
        status, body = status_and_json(read_all(partial))
        assert read_all(silent) == b""
    assert status == 408
    assert body["error"] == "request_timeout" and body["status"] == 408


def test_a_slow_head_within_the_deadline_and_an_idle_keep_alive_are_served(guarded):
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with connect(guarded.url, fresh_address()) as sock:
        for piece in (request[:10], request[10:30], request[30:]):
            sock.sendall(piece)
            time.sleep(HEAD_TIMEOUT_S / 4)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        # Idle between requests is keep-alive (uvicorn's 5 s), not a head deadline.
        time.sleep(HEAD_TIMEOUT_S * 2)
        sock.sendall(request)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")


def test_connections_per_address_are_capped(guarded):
    capped, other = fresh_address(), fresh_address()
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with ExitStack() as stack:
        held = [stack.enter_context(connect(guarded.url, capped)) for _ in range(CAP)]
        for sock in held:  # every held connection is open and served
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        with connect(guarded.url, capped) as extra:
            with suppress(OSError):
                extra.sendall(request)
            assert read_all(extra) == b""
        with connect(guarded.url, other) as unaffected:
            unaffected.sendall(request)
            assert unaffected.recv(65536).startswith(b"HTTP/1.1 200 ")
        held.pop().close()
        time.sleep(0.2)  # the server notices the close
        with connect(guarded.url, capped) as freed:
            freed.sendall(request)
            assert freed.recv(65536).startswith(b"HTTP/1.1 200 ")


def chunked(body: bytes, size: int = 7) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def h2c_post(body: bytes, *, chunks: bool) -> bytes:
    framing = b"Transfer-Encoding: chunked\r\n" if chunks else b"Content-Length: %d\r\n" % len(body)
    return (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + H2C
        + b"Content-Type: application/x-www-form-urlencoded\r\n"
        + b"Accept: application/sparql-results+json\r\n"
        + framing
        + b"\r\n"
        + (chunked(body) if chunks else body)
    )


def test_chunked_post_with_h2c_upgrade_is_answered_and_the_connection_goes_on(guarded):
    ask = b"query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"
    with connect(guarded.url, fresh_address()) as sock:
        request = h2c_post(ask, chunks=True)
        # split inside the head, inside a chunk and inside the last chunk's framing
        for cut in (30, len(request) - 20, len(request) - 3):
            sock.sendall(request[:cut])
            request = request[cut:]
            time.sleep(0.05)
        sock.sendall(request)
        first = sock.recv(65536)
        # Pipelined: chunked h2c, Content-Length h2c, plain; all on the same connection.
        sock.sendall(
            h2c_post(ask, chunks=True)
            + h2c_post(ask, chunks=False)
            + b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        rest = read_all(sock)
    assert first.startswith(b"HTTP/1.1 200 ")
    assert first.endswith(b'{"head":{},"boolean":true}')
    assert rest.count(b'{"head":{},"boolean":true}') == 2
    assert rest.count(b"HTTP/1.1 200 ") == 3


@pytest.mark.parametrize(
    "connection, kept",
    [
        (b"Upgrade, HTTP2-Settings", [(b"connection", b"HTTP2-Settings")]),
        (b"upgrade", []),
        (b"keep-alive , UPGRADE", [(b"connection", b"keep-alive")]),
    ],
)
def test_head_without_upgrade(connection, kept):
    headers = [(b"host", b"x"), (b"connection", connection), (b"upgrade", b"h2c")]
    head = head_without_upgrade(b"POST", b"/sparql?a=1", "1.1", headers)
    expected = b"POST /sparql?a=1 HTTP/1.1\r\nhost: x\r\n"
    expected += b"".join(name + b": " + value + b"\r\n" for name, value in kept)
    assert head == expected + b"\r\n"


@pytest.mark.parametrize(
    "host, key",
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_client_key(host, key):
    assert client_key(host) == key


def hold_connections(pipe, ledger: ClientLedger, keys: list[str], count: int) -> None:
    """Stand in for another HTTP process: hold `count` connections of each key (until the
    ledger is full), say how many keys got them, wait."""
    ledger.attach(1)
    held = 0
    try:
        for key in keys:
            for _ in range(count):
                ledger.open_connection(key, SHARED_CAP)
            held += 1
    except LedgerFull:
        pass
    pipe.send(held)
    wait_for_go(pipe)


def answered(url: str, address: str) -> bytes:
    with connect(url, address) as sock:
        with suppress(OSError):
            sock.sendall(HEALTH)
        return read_all(sock).split(b"\r\n", 1)[0]


def test_the_cap_counts_connections_another_process_holds(shared):
    server, ledger = shared
    capped = fresh_address()
    with children(Child(hold_connections, ledger, [capped], SHARED_CAP)) as (other,):
        assert other.receive() == 1
        assert answered(server.url, capped) == b""  # closed at once: the cap is reached
        assert answered(server.url, fresh_address()).startswith(b"HTTP/1.1 200 ")
        other.kill()
    # The dead process's connections count until the supervisor releases its slot.
    assert answered(server.url, capped) == b""
    ledger.release_slot(1)
    assert answered(server.url, capped).startswith(b"HTTP/1.1 200 ")


def test_a_full_ledger_gets_503_busy_at_once(shared):
    server, ledger = shared
    keys = [f"198.51.100.{i}" for i in range(SHARED_ENTRIES)]
    with children(Child(hold_connections, ledger, keys, 1)) as (other,):
        assert other.receive() <= SHARED_ENTRIES
        with connect(server.url, fresh_address()) as sock:
            status, body = status_and_json(read_all(sock))
        assert status == 503 and body["error"] == "busy"
        assert body["retry_after_s"] == 1 and "client ledger" in body["message"]
        other.kill()
    ledger.release_slot(1)
    assert answered(server.url, fresh_address()).startswith(b"HTTP/1.1 200 ")
