"""The access log (api/http/access_log.py): uvicorn's line, written by a real uvicorn server
configured as `kskg serve` configures it, and only when uvicorn would write it."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from api.http.access_log import FLUSH_AFTER_S, AccessLog, line
from api.http.server import uvicorn_config


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    def hello() -> PlainTextResponse:
        return PlainTextResponse("hello")

    @app.get("/broken")
    def broken() -> PlainTextResponse:
        raise RuntimeError("a bug")

    return app


@contextmanager
def serving(**options) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn_config(_app(), **options))
    thread = threading.Thread(target=server.run, args=([sock],), daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _requests(url: str) -> None:
    with httpx.Client(base_url=url) as http:
        assert http.get("/hello", params={"q": 'a"b'}).status_code == 200
        assert http.get("/missing").status_code == 404
        assert http.get("/broken").status_code == 500


def _lines(capfd, count: int) -> list[str]:
    """The access log lines on standard output, once there are `count` (the log is flushed
    `FLUSH_AFTER_S` after a response; a loaded machine may take longer)."""
    lines: list[str] = []
    deadline = time.monotonic() + 10
    while len(lines) < count and time.monotonic() < deadline:
        time.sleep(FLUSH_AFTER_S)
        lines += [ln for ln in capfd.readouterr().out.splitlines() if " - " in ln]
    return lines


def test_a_served_request_gets_uvicorns_line_on_standard_output(capfd):
    with serving(log_level="info") as url:
        _requests(url)
        lines = _lines(capfd, 3)
    # One connection, so one client port on every line.
    port = re.match(r"INFO:     127\.0\.0\.1:(\d+) - ", lines[0]).group(1)
    assert lines == [
        f'INFO:     127.0.0.1:{port} - "GET /hello?q=a%22b HTTP/1.1" 200 OK',
        f'INFO:     127.0.0.1:{port} - "GET /missing HTTP/1.1" 404 Not Found',
        f'INFO:     127.0.0.1:{port} - "GET /broken HTTP/1.1" 500 Internal Server Error',
    ]


@pytest.mark.parametrize("options", [{"log_level": "warning"}, {"access_log": False}])
def test_nothing_is_written_where_uvicorn_would_write_nothing(capfd, options):
    with serving(**{"log_level": "info", **options}) as url:
        _requests(url)
        time.sleep(FLUSH_AFTER_S * 4)
        assert " - " not in capfd.readouterr().out


def test_a_request_cannot_start_a_line_of_its_own():
    scope = {
        "client": ("10.0.0.1", 4),
        "method": "GET",
        "raw_path": b'/x"\r\nINFO:     forged',
        "query_string": b"a=\x1b[31m",
        "http_version": "1.1",
    }
    written = line(scope, 200)
    assert written.count("\n") == 1 and written.endswith("200 OK\n")
    assert '/x%22%0D%0AINFO:     forged?a=%1B[31m HTTP/1.1"' in written


def test_a_request_without_a_client_address_or_a_known_status():
    scope = {
        "method": "GET",
        "raw_path": b"/",
        "query_string": b"",
        "http_version": "1.1",
    }
    assert line(scope, 599) == 'INFO:      - "GET / HTTP/1.1" 599 \n'


@pytest.fixture
def access_at_info() -> Iterator[None]:
    access = logging.getLogger("uvicorn.access")
    level = access.level
    access.setLevel(logging.INFO)  # setLevel, not the attribute: it clears the level cache
    yield
    access.setLevel(level)


def test_an_app_failing_before_its_response_is_logged_as_uvicorns_500(access_at_info):

    async def failing(scope, receive, send):
        raise RuntimeError("a bug")

    async def ignore(message):
        pass

    written = io.StringIO()
    scope = {
        "type": "http",
        "client": ("127.0.0.1", 9),
        "method": "POST",
        "raw_path": b"/sparql",
        "query_string": b"",
        "http_version": "1.1",
    }
    with pytest.raises(RuntimeError):
        asyncio.run(AccessLog(failing, stream=written)(scope, None, ignore))
    assert written.getvalue() == (
        'INFO:     127.0.0.1:9 - "POST /sparql HTTP/1.1" 500 Internal Server Error\n'
    )
