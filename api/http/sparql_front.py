"""Answer a `/sparql` query request in one pass, before the app's middleware stack.

With the answer cache off, the HTTP process spent about 0.7 ms of CPU on each evaluated query,
half of what Oxigraph's whole server spends (docs/benchmarks.md). A good part of it was the
stack every request passes: FastAPI's and Starlette's own layers (telemetry check, server
errors, body limit) and ours (`PinServed`, `OpenCors`, `BodyLimit`, `PinVersion`,
`AnswerReplay`), each a coroutine and, for the response, a wrapped `send` that parses the
headers to add one. For a query request none of ours does anything but add headers, so
`SparqlFront` does their work here, once:

- `PinServed`: the served release is pinned in the scope, and its `X-Data-Version` added;
- `OpenCors`: the CORS headers of every non-preflight response (`cors.open_headers`);
- `BodyLimit`: a POST is taken only with a Content-Length within the limit and no
  Transfer-Encoding, so the parser delivers no more than the limit;
- `PinVersion`: a request that mentions `version=` (URL or body) is handed on;
- `AnswerReplay` and the direct answer (api/http/sparql_direct.py): the same functions.

Anything else (another method or path, a chunked or too large body, `version=`, a request the
direct path leaves to the route) goes through the stack unchanged, with a body read here
handed on as it came. An error the app has no handler for gets the catch-all handler's 500,
with these headers, and is raised again (as Starlette's `ServerErrorMiddleware` does).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from api.http.answer_replay import SPARQL_PATH, read_body
from api.http.body_limit import content_length
from api.http.cors import open_headers
from api.http.served import VERSION_HEADER, Served
from api.http.sparql_direct import direct_request, direct_response
from api.sparql.answer_cache import REQUEST_KEY, answer_cache, request_key
from api.sparql.answers import answer_response

_VERSION = VERSION_HEADER.lower().encode("latin-1")


class SparqlFront:
    """The one-pass answer of `/sparql` query requests (module docstring); `exposed` are
    the response headers CORS exposes, `max_body_bytes` the body limit."""

    def __init__(self, exposed: list[str], max_body_bytes: int) -> None:
        self.cors = open_headers(exposed)
        self.max_body_bytes = max_body_bytes

    def takes(self, scope: Scope) -> bool:
        """Whether `scope` may be a query request this answers (decided before any body)."""
        return (
            scope["type"] == "http"
            and scope["path"] == SPARQL_PATH
            and scope["method"] in ("GET", "POST")
            and b"version=" not in scope["query_string"]
        )

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> Receive | None:
        """Answer the request `takes` accepted: None once answered, else the `receive` to
        hand the request on to the stack with."""
        body = b""
        if scope["method"] == "POST":
            if not self._bounded(scope["headers"]):
                return receive
            body, receive = await read_body(receive)
            if b"version=" in body:
                return receive
        app = scope["app"]
        served: Served = app.state.served
        scope.setdefault("state", {})["served"] = served
        response = None
        cache = answer_cache(app)
        if cache.enabled:
            key = scope["state"][REQUEST_KEY] = request_key(scope, body)
            outcome = cache.replay(served.version, key)
            response = None if outcome is None else answer_response(outcome)
        if response is None:
            parsed = direct_request(scope, body)
            if parsed is None:
                return receive
            try:
                response = await direct_response(scope, receive, parsed)
            except Exception as error:
                await self._unexpected(scope, receive, send, error)
                raise
        response.raw_headers += self._headers(served)
        await response(scope, receive, send)
        return None

    def _bounded(self, headers: list[tuple[bytes, bytes]]) -> bool:
        """A body the parser ends within the limit: a declared length, not chunked."""
        declared = content_length(headers)
        if declared is None or declared > self.max_body_bytes:
            return False
        return all(name != b"transfer-encoding" for name, _ in headers)

    def _headers(self, served: Served) -> list[tuple[bytes, bytes]]:
        return [*self.cors, (_VERSION, served.version.encode("latin-1"))]

    async def _unexpected(self, scope: Scope, receive: Receive, send: Send, error: Exception):
        """The app's catch-all answer to an unexpected `error` (it logs the traceback)."""
        handler = scope["app"].exception_handlers[Exception]
        response = await handler(Request(scope, receive), error)
        response.raw_headers += self._headers(scope["state"]["served"])
        await response(scope, receive, send)
