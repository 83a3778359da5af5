"""Answer a `/sparql` query request without FastAPI's routing and dependency resolution.

Under load, the route's framework cost (routing, dependency resolution, the request-response
wrapper and its exception middleware) was a sixth of the HTTP process's CPU per evaluated query
(`python -m bench.profile_server --cache-off`, docs/benchmarks.md). A GET or POST that asks a
query for a data format is answered here, by the same code the route runs
(`api.sparql.answers.run_query`: shape check, answer cache, per-client admission, worker pool
with its deadline, guard and result limits) and with the same response (`answer_response`).

Everything else goes to the route unchanged: HEAD, a request without a query (the service
description), a browser asking for the editor, and any request the protocol parser refuses
(so its error answer is the route's own). A refusal raised while the query runs is answered
by the app's own exception handler for it, with the route's `Vary` header.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from api.http.served import Served
from api.http.urls import Urls
from api.media import prefers_html
from api.sparql.answers import VARY, answer_response, run_query
from api.sparql.protocol import QueryRequest, parse_get, parse_post
from kskg.settings import Settings


def direct_request(scope: Scope, body: bytes) -> QueryRequest | None:
    """The parsed query request if it is one answered here, else None (the route answers)."""
    if scope["method"] not in ("GET", "POST"):
        return None
    headers: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        headers.setdefault(name, value)  # the first, as Starlette's `headers.get` reads it
    try:
        if scope["method"] == "GET":
            parsed = parse_get(scope["query_string"])
        else:
            content_type = headers.get(b"content-type", b"").decode("latin-1") or None
            parsed = parse_post(content_type, body, scope["query_string"])
    except Exception:  # the route refuses it, with its own error answer
        return None
    if parsed.query is None:
        return None
    accept = headers.get(b"accept")
    # Without "html" in Accept the editor is never preferred (data formats are offered first):
    # the negotiation is left out for the common case.
    html = accept is not None and b"html" in accept.lower()
    if html and not parsed.formats and prefers_html(accept.decode("latin-1")):
        return None
    return parsed


async def answer_directly(scope: Scope, receive: Receive, send: Send, parsed: QueryRequest) -> None:
    """Run `parsed` as `/sparql` does and send its answer (or the app's error answer)."""
    response = await direct_response(scope, receive, parsed)
    await response(scope, receive, send)


async def direct_response(scope: Scope, receive: Receive, parsed: QueryRequest) -> Response:
    """The response `/sparql` gives to `parsed`: its answer, or the app's error answer (with
    the route's `Vary`). An error without a handler of its own is raised."""
    request = Request(scope, receive)
    served: Served = scope["state"]["served"]
    urls = request_urls(scope, served.settings)
    try:
        outcome = await run_query(
            request,
            served.settings,
            served.store,
            parsed,
            urls.absolute("sparql"),
            urls.absolute("dumps/"),
        )
    except Exception as error:
        handler = _handler(scope, error)
        if handler is None:
            raise
        response = await handler(request, error)
        response.headers.update(VARY)
        return response
    return answer_response(outcome)


def request_urls(scope: Scope, settings: Settings) -> Urls:
    """The route's `Urls.for_request`, kept per scheme, server, root path and Host: Starlette
    builds `request.base_url` from scratch on every call, a measurable share of a query
    request's CPU in this process."""
    key = (scope["scheme"], scope.get("server"), scope.get("root_path", ""), _host(scope))
    urls = _URLS.get(key)
    if urls is None or urls[0] is not settings:
        if len(_URLS) >= KEPT_URLS:  # Host is the client's to choose: keep the memory bounded
            _URLS.clear()
        urls = _URLS[key] = (settings, Urls.for_request(Request(scope), settings))
    return urls[1]


#: Up to this many request bases are kept (a server answers under very few names).
KEPT_URLS = 64
_URLS: dict[tuple, tuple[Settings, Urls]] = {}


def _host(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"host":
            return value
    return None


def _handler(scope: Scope, error: Exception):
    """The app's exception handler for `error`'s class (the nearest in its MRO), if any
    other than the catch-all for unexpected errors."""
    handlers = scope["app"].exception_handlers
    for cls in type(error).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None
