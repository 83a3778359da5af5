"""How the API is served: the one uvicorn configuration used by `kskg serve` and the tests.

uvicorn's fast HTTP/1.1 parser (httptools/llhttp) treats a request carrying
`Connection: Upgrade` + `Upgrade: h2c` as switching protocols as soon as its headers end: it
reports the message complete without a body and stops parsing. Clients that offer HTTP/2 by
upgrade on every request (Apache Jena's, i.e. Java's HttpClient) then have their POSTed query
dropped. RFC 9110 §7.8 lets a server ignore an Upgrade it does not take, so `H2cTolerantProtocol`
does exactly that: it reads the declared body as an ordinary HTTP/1.1 body, answers normally and
goes on parsing the connection. WebSocket upgrades are untouched.

h11 handles such requests correctly too, but served about 18 % fewer small GETs per second than
httptools on this app (about 1030 vs 1260 req/s; this subclass about 1270; measurements in
docs/sparql.md), hence the small subclass rather than switching parsers.
"""

from __future__ import annotations

import httptools
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class H2cTolerantProtocol(HttpToolsProtocol):
    """httptools protocol that ignores a non-WebSocket Upgrade and keeps the request body."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._body_left = 0  # body bytes still due after an ignored upgrade

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self.parser.should_upgrade() and not self._should_upgrade():
            self._body_left = self._content_length()

    def on_message_complete(self) -> None:
        # llhttp ends an upgrade request right after its headers; the body is still to come.
        if not self._body_left:
            super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        if self._body_left:
            data = self._take_body(data)
            if not data:
                return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
                return
            # The old parser stays in "upgraded" mode; a fresh one reads what follows.
            rest = data[upgrade.args[0] :]
            self.parser = httptools.HttpRequestParser(self)
            if self._body_left:
                rest = self._take_body(rest)
            if rest:
                self.data_received(rest)
        except httptools.HttpParserError:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")

    def _content_length(self) -> int:
        for name, value in self.headers:
            if name == b"content-length" and value.strip().isdigit():
                return int(value)
        return 0

    def _take_body(self, data: bytes) -> bytes:
        """Deliver up to the remaining body from `data`; return what follows it."""
        chunk, rest = data[: self._body_left], data[self._body_left :]
        self._body_left -= len(chunk)
        self.cycle.body += chunk
        if not self._body_left:
            self.cycle.more_body = False
        self.cycle.message_event.set()
        return rest


def uvicorn_config(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000, **options):
    """The uvicorn configuration for serving `app`; `options` override uvicorn defaults."""
    settings = {"http": H2cTolerantProtocol, "log_level": "info", "lifespan": "on"} | options
    return uvicorn.Config(app, host=host, port=port, **settings)


def serve(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve `app` until interrupted (what `kskg serve` runs)."""
    uvicorn.Server(uvicorn_config(app, host=host, port=port, **options)).run()
