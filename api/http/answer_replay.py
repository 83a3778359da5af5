"""Answer a repeated /sparql request from the answer cache before FastAPI routes it.

A cache hit through the route still paid for FastAPI's routing, dependency resolution and
request parsing: about as much CPU as the rest of the request together, and what kept the
p99 at 16 clients above 20 ms (docs/benchmarks.md). A GET or POST request whose raw parts
(`answer_cache.request_key`: query string, Accept, Host, and a POST's Content-Type and body)
were answered before on the served release gets that answer here, with the same headers the
route sends (`answer_response`). Everything else goes on to the app unchanged (a POST body read
here is handed on as it came), and only the route puts answers in the cache, after parsing,
guarding and running the query, so nothing reaches a client here that the route would not
have sent. The body limit (api/http/body_limit.py) sits outside, so it applies to the body
read here too. A query request the cache cannot answer is answered without FastAPI's routing
where api/http/sparql_direct.py can (the same code and response as the route), else by the
route.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from api.http.served import Served
from api.http.sparql_direct import answer_directly, direct_request
from api.sparql.answer_cache import REQUEST_KEY, answer_cache, request_key
from api.sparql.answers import answer_response

SPARQL_PATH = "/sparql"


class AnswerReplay:
    """ASGI middleware; must sit inside `PinServed`, which pins the served release."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != SPARQL_PATH:
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            try:
                body, receive = await read_body(receive)
            except ApiError as error:  # the body limit: the route answers it as it always has
                await self.app(scope, failing(error), send)
                return
        served: Served = scope["state"]["served"]
        key = scope["state"][REQUEST_KEY] = request_key(scope, body)
        outcome = answer_cache(scope["app"]).replay(served.version, key)
        if outcome is not None:
            await answer_response(outcome)(scope, receive, send)
            return
        parsed = direct_request(scope, body)
        if parsed is not None:
            await answer_directly(scope, receive, send, parsed)
            return
        await self.app(scope, receive, send)


async def read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a `receive` that hands the same messages on again."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")

    async def replayed() -> Message:
        return messages.pop(0) if messages else await receive()

    return body, replayed


def failing(error: ApiError) -> Receive:
    """A `receive` that raises `error`, as the body limit did while the body was read here."""

    async def receive() -> Message:
        raise error

    return receive
