"""How the API is served: the one uvicorn configuration used by `kskg serve` and the tests.

`GuardedProtocol` is uvicorn's fast HTTP/1.1 protocol (httptools/llhttp) with four changes a
public server needs:

- **A bounded request head.** llhttp has no limit and httptools buffers a header until it ends,
  so the bytes fed while the head is incomplete are counted; a longer head gets 431.
- **A request-head deadline.** uvicorn waits forever for a head to end, so one client holding
  thousands of half-sent heads (slowloris) holds as many connections. The head must be complete
  `header_timeout_s` after its first byte (or after the connection opened): then `408` if any of
  it arrived, else the connection is just closed, as Apache's mod_reqtimeout does.
- **Open connections per client address** are capped (`client_connections`): a connection over
  the cap is closed as soon as it is accepted, before anything is read, so a flood from one
  address costs a file descriptor for an instant, not for its lifetime. IPv6 clients count per
  /64, the block one subscriber usually gets. The count lives in a `ClientLedger`
  (api/sparql/client_ledger.py) shared by every HTTP process of the server when it is handed
  to `uvicorn_config`; when the ledger has no room for a new client, its connection gets 503
  `busy` at once.
- **An ignored `Upgrade: h2c`.** llhttp treats `Connection: Upgrade` + `Upgrade: h2c` as
  switching protocols as soon as the head ends (httptools tells it to skip the body), so the
  body of a POST from a client that offers HTTP/2 on every request (Apache Jena, i.e. Java's
  HttpClient) was lost. RFC 9110 §7.8 lets a server ignore an Upgrade it does not take: the
  head is parsed again without it by a fresh parser, which then reads the body in whatever
  framing it has (Content-Length or chunked) and goes on with the connection. WebSocket
  upgrades are untouched.

h11 handles h2c requests correctly too, but served about 18 % fewer small GETs per second than
httptools on this app (docs/sparql.md), hence the subclass rather than switching parsers.
Requests the parser rejects (malformed framing) get 400 with the JSON error body every other
error has.
"""

from __future__ import annotations

import asyncio
import http
import ipaddress
import resource

import httptools
import orjson
import uvicorn
from fastapi import FastAPI

from api.errors import ApiError
from api.http.access_log import AccessLog
from api.sparql.client_ledger import ClientLedger, LedgerFull
from kskg.compat import httptools_protocol
from kskg.settings import Settings

HttpToolsProtocol = httptools_protocol()


class GuardedProtocol(HttpToolsProtocol):
    """httptools protocol with a bounded and timed request head, a per-address connection cap,
    an ignored non-WebSocket Upgrade and JSON error bodies. `uvicorn_config` makes a subclass
    per server with the limits and the ledger counting open connections as class attributes."""

    max_header_bytes = Settings.model_fields["max_header_bytes"].default
    header_timeout_s = Settings.model_fields["header_timeout_s"].default
    client_connections = Settings.model_fields["client_connections"].default
    #: open connections per client key, shared by the connections of one server (and by its
    #: other processes when they share the ledger); set by `uvicorn_config`
    ledger: ClientLedger
    #: client keys this process refused since they last had no connection open (logged once)
    refused_clients: set[str] = set()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # the bytes being fed belong to a request head
        self._head_bytes = 0
        self._head_clock: asyncio.TimerHandle | None = None
        self._head_begun = False  # a request line has started and its head has not ended
        self._ignored_upgrade = False  # the head just parsed is read again without its Upgrade
        self._client_key: str | None = None  # counted in the ledger
        self._ticket: int | None = None  # the ledger's ticket of this connection

    # Connections: the per-address cap and the head deadline's first start.

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        key = client_key(self.client[0]) if self.client else None
        if key is not None:
            try:
                self._ticket = self.ledger.open_connection(key, self.client_connections)
            except LedgerFull as full:
                self._send_error(503, "busy", f"{full}; try again shortly", retry_after=1)
                return
            if self._ticket is None:
                self._refuse(key)
                return
            self._client_key = key
        self._start_head_clock()

    def _refuse(self, key: str) -> None:
        self.transport.close()
        if key not in self.refused_clients:
            self.refused_clients.add(key)
            self.logger.warning(
                "%s holds %d connections (client_connections); closing more from it",
                key,
                self.client_connections,
            )

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_clock()
        if self._ticket is not None:
            if not self.ledger.close_connection(self._ticket):
                self.refused_clients.discard(self._client_key)
            self._client_key = self._ticket = None
        super().connection_lost(exc)

    def _start_head_clock(self) -> None:
        if self._head_clock is None:
            self._head_clock = self.loop.call_later(self.header_timeout_s, self._head_timed_out)

    def _stop_head_clock(self) -> None:
        if self._head_clock is not None:
            self._head_clock.cancel()
            self._head_clock = None

    def _head_timed_out(self) -> None:
        self._head_clock = None
        if self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            # An answer is still being written on this connection: finish it, then close.
            self.cycle.keep_alive = False
        elif self._head_bytes:
            self._send_error(408, "request_timeout", self._timeout_message())
        else:
            self.transport.close()

    # Parsing: the head limit, the ignored upgrade.

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
        try:
            self._feed_parser(data)
        finally:
            # Timed only when a head is left unfinished, not for every request.
            if self._in_head and (self._head_begun or self._head_bytes):
                self._start_head_clock()

    def _feed_parser(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
                return
            self._read_again_without_upgrade(data[upgrade.args[0] :])
        except httptools.HttpParserError as error:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response(f"invalid HTTP request: {error}")

    def _read_again_without_upgrade(self, rest: bytes) -> None:
        """Parse the head just read once more, without its Upgrade, then what follows it."""
        head = head_without_upgrade(
            self.parser.get_method(), self.url, self.parser.get_http_version(), self.headers
        )
        # The old parser stays in "upgraded" mode; a fresh one reads the request again.
        self.parser = httptools.HttpRequestParser(self)
        self._ignored_upgrade = False
        self._in_head = True
        try:
            self.parser.feed_data(head)
        except httptools.HttpParserError as error:
            self.send_400_response(f"invalid HTTP request: {error}")
            return
        if rest:
            self._feed(rest)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_begun = True

    def on_headers_complete(self) -> None:
        self._in_head = self._head_begun = False
        self._stop_head_clock()
        if self.parser.should_upgrade() and not self._should_upgrade():
            self._ignored_upgrade = True
            return
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        if self._ignored_upgrade:
            return
        self._in_head = True
        self._head_bytes = 0
        super().on_message_complete()

    # Answers the protocol gives itself.

    def send_400_response(self, msg: str) -> None:
        self._send_error(400, "bad_request", msg)

    def _send_error(
        self, status: int, code: str, message: str, retry_after: int | None = None
    ) -> None:
        """Answer with the JSON error body and close the connection (the framing is lost)."""
        error = ApiError(status, code, message, retry_after=retry_after)
        body = orjson.dumps(error.body())
        head = [b"HTTP/1.1 %d %s\r\n" % (status, http.HTTPStatus(status).phrase.encode())]
        headers = [*self.server_state.default_headers]
        headers += [(name.encode(), value.encode()) for name, value in error.headers.items()]
        head += [name + b": " + value + b"\r\n" for name, value in headers]
        head.append(b"content-type: application/json\r\ncontent-length: %d\r\n" % len(body))
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    def _head_message(self) -> str:
        return (
            f"the request line and header fields exceed {self.max_header_bytes} bytes; "
            "send a long SPARQL query in a POST body"
        )

    def _timeout_message(self) -> str:
        return (
            f"the request line and header fields did not arrive within {self.header_timeout_s:g} s"
        )


def client_key(host: str) -> str:
    """What the connection cap counts by: the IPv4 address, or the /64 of an IPv6 address."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 4:
        return host
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{host}/64", strict=False))


def head_without_upgrade(
    method: bytes, url: bytes, version: str, headers: list[tuple[bytes, bytes]]
) -> bytes:
    """The request head from its parsed parts, without `Upgrade` and the `upgrade` option of
    `Connection` (RFC 9110 §7.8: a server may ignore an upgrade it does not take)."""
    lines = [b"%s %s HTTP/%s\r\n" % (method, url, version.encode())]
    for name, value in headers:
        if name == b"upgrade":
            continue
        if name == b"connection":
            options = [o.strip() for o in value.split(b",") if o.strip().lower() != b"upgrade"]
            if not options:
                continue
            value = b", ".join(options)
        lines.append(name + b": " + value + b"\r\n")
    return b"".join(lines) + b"\r\n"


def uvicorn_config(
    app: FastAPI,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    ledger: ClientLedger | None = None,
    **options,
):
    """The uvicorn configuration for serving `app` (its limits from `app.state.served.settings`
    when there are any); open connections per client are counted in `ledger` (one shared by
    the server's HTTP processes; by default one of this configuration's own). `options`
    override uvicorn defaults."""
    settings: Settings = getattr(app.state, "served", None) and app.state.served.settings
    settings = settings or Settings()
    protocol = type(
        "ServedProtocol",
        (GuardedProtocol,),
        {
            "max_header_bytes": settings.max_header_bytes,
            "header_timeout_s": settings.header_timeout_s,
            "client_connections": settings.client_connections,
            "ledger": ledger or ClientLedger.from_settings(settings),
            "refused_clients": set(),
        },
    )
    defaults = {
        "http": protocol,
        "log_level": "info",
        "lifespan": "on",
        # uvicorn waits this long for requests in flight on shutdown, then the app's lifespan
        # stops the query workers.
        "timeout_graceful_shutdown": settings.shutdown_grace_s,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        # No limit_concurrency: it counts every connection of every client, so one client's
        # flood would turn everyone's requests into 503; the per-address cap above does not.
    }
    options = defaults | options
    # uvicorn's own access log goes through `logging`; api/http/access_log.py writes the
    # same lines for a fraction of the cost.
    served = AccessLog(app, enabled=options.pop("access_log", True))
    return uvicorn.Config(served, host=host, port=port, access_log=False, **options)


def serve(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000, **options) -> None:
    """Serve `app` until interrupted (what `kskg serve` runs)."""
    raise_open_file_limit()
    uvicorn.Server(uvicorn_config(app, host=host, port=port, **options)).run()


def raise_open_file_limit() -> int:
    """Raise this process's soft limit of open files to its hard limit (often 1024 of 524288):
    every connection is a file descriptor. Returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard
