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
from starlette.types import Receive, Scope, Send

from api.http.served import Served
from api.media import prefers_html
from api.sparql.answers import VARY, answer_response, run_query
from api.sparql.protocol import QueryRequest, parse_get, parse_post


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
    request = Request(scope, receive)
    served: Served = scope["state"]["served"]
    endpoint = str(request.url).split("?", 1)[0]
    dumps_url = str(request.base_url) + "dumps/"
    try:
        outcome = await run_query(
            request, served.settings, served.store, parsed, endpoint, dumps_url
        )
    except Exception as error:
        handler = _handler(scope, error)
        if handler is None:
            raise
        response = await handler(request, error)
        response.headers.update(VARY)
    else:
        response = answer_response(outcome)
    await response(scope, receive, send)


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
