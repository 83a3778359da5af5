"""The access log: one line per response, in uvicorn's format, written without `logging`.

    INFO:     127.0.0.1:50312 - "POST /sparql HTTP/1.1" 200 OK

uvicorn writes the same line through the `logging` module (a record, a formatter, a flush per
line); that cost the main process about a fifth of what it spends on a query request besides
the query (measured with `ASK {}` from one client: 0.41 ms of CPU per request with uvicorn's
log, 0.36–0.38 with this one, 0.33 with none; docs/benchmarks.md). `AccessLog` writes the
line itself when a response starts, on standard output as uvicorn does, and flushes the stream
at most `FLUSH_AFTER_S` later: one system call for all the lines of that time rather than one
per line (a terminal's line buffering still shows each line at once). A flush never carries
more than `FLUSH_CHARS` of whole lines, so it is one write the pipe takes at once (PIPE_BUF,
4096 bytes; a line is at most twice its characters in UTF-8): several HTTP processes
(api/serving.py) share one standard output, and none cuts into another's line.

It logs whenever uvicorn's would: when access logging is not switched off (`access_log`) and
the `uvicorn.access` logger takes INFO (uvicorn sets its level from `log_level`). The path is
written as uvicorn writes it: the raw path and query string, a double quote as %22; control
characters are escaped too, so a request cannot write a line of its own.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from http import HTTPStatus
from typing import TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Lines reach the stream's file at most this long after their response started.
FLUSH_AFTER_S = 0.05
#: Characters of whole lines written in one flush at most (see the module docstring).
FLUSH_CHARS = 2048
_PHRASES = {status.value: status.phrase for status in HTTPStatus}
# A double quote would end the request line early; control characters could start a new line.
_ESCAPES = {ord('"'): "%22", **{c: f"%{c:02X}" for c in (*range(32), 127)}}


class AccessLog:
    """ASGI middleware writing the access log line of every HTTP response to `stream`
    (standard output by default) when `enabled` and uvicorn's access logger takes INFO."""

    def __init__(self, app: ASGIApp, enabled: bool = True, stream: TextIO | None = None) -> None:
        self.app = app
        self.enabled = enabled
        self.stream = stream
        self._on: bool | None = None  # decided on the first request, once uvicorn set levels
        self._flush_due = False
        self._pending = 0  # characters written since the last flush

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._logging():
            await self.app(scope, receive, send)
            return

        started = False

        async def logged(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                self._write(scope, message["status"])
            await send(message)

        try:
            await self.app(scope, receive, logged)
        except BaseException:
            # uvicorn answers 500 itself when the app fails before its response started.
            if not started:
                self._write(scope, 500)
            raise

    def _logging(self) -> bool:
        if self._on is None:
            access = logging.getLogger("uvicorn.access")
            self._on = self.enabled and access.isEnabledFor(logging.INFO)
        return self._on

    def _write(self, scope: Scope, status: int) -> None:
        text = line(scope, status)
        if self._pending + len(text) > FLUSH_CHARS:
            self._write_out()
        (self.stream or sys.stdout).write(text)
        self._pending += len(text)
        if not self._flush_due:
            self._flush_due = True
            asyncio.get_running_loop().call_later(FLUSH_AFTER_S, self._flush)

    def _flush(self) -> None:
        self._flush_due = False
        self._write_out()

    def _write_out(self) -> None:
        self._pending = 0
        (self.stream or sys.stdout).flush()


def line(scope: Scope, status: int) -> str:
    """The access log line of a response with `status` to the request of `scope`."""
    client = scope.get("client")
    address = f"{client[0]}:{client[1]}" if client else ""
    path = scope["raw_path"].decode("latin1")
    if scope["query_string"]:
        path = f"{path}?{scope['query_string'].decode('latin1')}"
    phrase = _PHRASES.get(status, "")
    return (
        f'INFO:     {address} - "{scope["method"]} {path.translate(_ESCAPES)} '
        f'HTTP/{scope["http_version"]}" {status} {phrase}\n'
    )
