"""Answer a repeated GET /sparql request from the answer cache before FastAPI routes it.

A cache hit through the route still paid for FastAPI's routing, dependency resolution and
request parsing: about as much CPU as the rest of the request together, and what kept the
p99 at 16 clients above 20 ms (docs/benchmarks.md). A GET request whose raw parts (path, query
string, Accept, Host, scheme, root path: `answer_cache.request_key`) were answered before on
the served release gets that answer here, with the same headers the route sends
(`answer_response`). Everything else goes on to the app unchanged, and only the route puts
answers in the cache, after parsing, guarding and running the query, so nothing reaches a
client here that the route would not have sent.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.answer_cache import answer_cache, request_key
from api.routes.sparql import answer_response
from api.state import Served

SPARQL_PATH = "/sparql"


class AnswerReplay:
    """ASGI middleware; must sit inside `PinServed`, which pins the served release."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == SPARQL_PATH:
            served: Served = scope["state"]["served"]
            cache = answer_cache(scope["app"])
            outcome = cache.replay(served.version, request_key(scope))
            if outcome is not None:
                await answer_response(served, outcome)(scope, receive, send)
                return
        await self.app(scope, receive, send)
