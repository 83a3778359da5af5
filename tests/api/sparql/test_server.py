"""The uvicorn configuration of api/http/server.py, against the real server: a POST that offers an
h2c upgrade (as Apache Jena's HTTP client does) is answered with its body intact, and the
connection goes on serving HTTP/1.1."""

from __future__ import annotations

import json
import socket
import weakref
from urllib.parse import urlsplit

H2C_HEADERS = (
    b"Connection: Upgrade, HTTP2-Settings\r\n"
    b"Upgrade: h2c\r\n"
    b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
)


def raw_request(
    body: bytes, *, upgrade: bool = True, accept: bytes = b"application/sparql-results+json"
) -> bytes:
    return (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (H2C_HEADERS if upgrade else b"")
        + b"Content-Type: application/x-www-form-urlencoded\r\n"
        + b"Accept: "
        + accept
        + b"\r\n"
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )


# Bytes read past the end of a response (pipelined answers may arrive in one segment).
_unread: weakref.WeakKeyDictionary[socket.socket, bytes] = weakref.WeakKeyDictionary()


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    data = _unread.pop(sock, b"")
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    _unread[sock] = body[length:]
    return int(head.split(b" ")[1]), body[:length]


def connect(live_server) -> socket.socket:
    address = urlsplit(live_server.url)
    sock = socket.create_connection((address.hostname, address.port), timeout=10)
    return sock


def test_h2c_upgrade_post_keeps_its_body(live_server):
    with connect(live_server) as sock:
        sock.sendall(raw_request(b"query=ASK+%7B+%3Fs+%3Fp+%3Fo+%7D"))
        status, body = read_response(sock)
    assert status == 200
    assert json.loads(body) == {"head": {}, "boolean": True}


def test_h2c_body_split_over_packets_and_keep_alive(live_server):
    query = b"query=SELECT+%28COUNT%28*%29+AS+%3Fn%29+%7B+%3Fs+%3Fp+%3Fo+%7D"
    request = raw_request(query)
    with connect(live_server) as sock:
        head_end = request.index(b"\r\n\r\n") + 4
        sock.sendall(request[: head_end + 5])
        sock.sendall(request[head_end + 5 :])
        status, body = read_response(sock)
        assert status == 200
        count = json.loads(body)["results"]["bindings"][0]["n"]["value"]
        # the same connection then serves a second, pipelined pair of requests
        sock.sendall(raw_request(b"query=ASK+%7B%7D") + raw_request(query, upgrade=False))
        assert read_response(sock) == (200, b'{"head":{},"boolean":true}')
        status, body = read_response(sock)
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == count


def test_h2c_upgrade_get_is_answered(live_server):
    with connect(live_server) as sock:
        sock.sendall(
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n"
            + H2C_HEADERS
            + b"Accept: application/sparql-results+json\r\n\r\n"
        )
        assert read_response(sock) == (200, b'{"head":{},"boolean":true}')
