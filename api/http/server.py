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

The same class bounds the request head (request line + header fields, `max_header_bytes`):
llhttp itself has no limit and httptools buffers a header until it ends, so the bytes fed while
the head is incomplete are counted and a longer head is answered with 431. Requests the parser
rejects (malformed framing) get 400 with the JSON error body every other error has.
"""

from __future__ import annotations

import httptools
import orjson
import uvicorn
from fastapi import FastAPI

from api.errors import ApiError
from api.http.body_limit import content_length
from kskg.compat import httptools_protocol
from kskg.settings import Settings

HttpToolsProtocol = httptools_protocol()


class H2cTolerantProtocol(HttpToolsProtocol):
    """httptools protocol that ignores a non-WebSocket Upgrade and keeps the request body, with
    a bounded request head and JSON error bodies."""

    max_header_bytes = Settings.model_fields["max_header_bytes"].default

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._body_left = 0  # body bytes still due after an ignored upgrade
        self._in_head = True  # the bytes being fed belong to a request head
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()
        if self.parser.should_upgrade() and not self._should_upgrade():
            self._body_left = content_length(self.headers) or 0

    def data_received(self, data: bytes) -> None:
        room = self.max_header_bytes - self._head_bytes
        if self._in_head and len(data) > room:
            # Feed only what the head may still take: a head ending there goes on normally.
            self._feed(data[:room])
            if self._in_head:
                self._send_error(431, "headers_too_large", self._head_message())
                return
            data = data[room:]
            if not data or self.transport.is_closing():
                return
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
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
        except httptools.HttpParserError as error:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response(f"invalid HTTP request: {error}")

    def on_message_complete(self) -> None:
        if not self._body_left:
            self._in_head = True
            self._head_bytes = 0
            super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        self._send_error(400, "bad_request", msg)

    def _send_error(self, status: int, code: str, message: str) -> None:
        """Answer with the JSON error body and close the connection (the framing is lost)."""
        body = orjson.dumps(ApiError(status, code, message).body())
        reason = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}[status]
        head = [b"HTTP/1.1 %d %s\r\n" % (status, reason)]
        head += [
            name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers
        ]
        head.append(b"content-type: application/json\r\ncontent-length: %d\r\n" % len(body))
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    def _head_message(self) -> str:
        return (
            f"the request line and header fields exceed {self.max_header_bytes} bytes; "
            "send a long SPARQL query in a POST body"
        )

    def _take_body(self, data: bytes) -> bytes:
        """Deliver up to the remaining body from `data`; return what follows it."""
        chunk, rest = data[: self._body_left], data[self._body_left :]
        self._body_left -= len(chunk)
        self.cycle.body += chunk
        if not self._body_left:
            self.cycle.more_body = False
            self._in_head, self._head_bytes = True, 0
        self.cycle.message_event.set()
        return rest


def uvicorn_config(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000, **options):
    """The uvicorn configuration for serving `app` (its limits from `app.state.served.settings`
    when there are any); `options` override uvicorn defaults."""
    settings: Settings = getattr(app.state, "served", None) and app.state.served.settings
    settings = settings or Settings()
    protocol = type(
        "LimitedProtocol", (H2cTolerantProtocol,), {"max_header_bytes": settings.max_header_bytes}
    )
    defaults = {
        "http": protocol,
        "log_level": "info",
        "lifespan": "on",
        # uvicorn waits this long for requests in flight on shutdown, then the app's lifespan
        # stops the query workers.
        "timeout_graceful_shutdown": settings.shutdown_grace_s,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
    }
    return uvicorn.Config(app, host=host, port=port, **(defaults | options))


def serve(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve `app` until interrupted (what `kskg serve` runs)."""
    uvicorn.Server(uvicorn_config(app, host=host, port=port, **options)).run()
