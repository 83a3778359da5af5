"""CORS (https://fetch.spec.whatwg.org/#http-cors-protocol): any origin may read every response;
credentials are never allowed.

The answer does not depend on the Origin header (always `*`, never a reflected origin and never
`Access-Control-Allow-Credentials`), so no `Vary: Origin` is needed and caches stay shared.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
MAX_AGE = "86400"
ALLOW_ORIGIN = "*"


class OpenCors:
    """ASGI middleware: `Access-Control-Allow-Origin: *` on every response, exposing
    `exposed` headers; preflight requests answered with 204."""

    def __init__(self, app: ASGIApp, exposed: list[str]) -> None:
        self.app = app
        self.exposed = ", ".join(exposed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(headers)(scope, receive, send)
            return

        async def send_open(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out["Access-Control-Allow-Origin"] = ALLOW_ORIGIN
                out["Access-Control-Expose-Headers"] = self.exposed
            await send(message)

        await self.app(scope, receive, send_open)

    def _preflight(self, headers: Headers) -> Response:
        allowed = {
            "Access-Control-Allow-Origin": ALLOW_ORIGIN,
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Max-Age": MAX_AGE,
        }
        requested = headers.get("access-control-request-headers")
        if requested:
            allowed["Access-Control-Allow-Headers"] = requested
        return Response(status_code=204, headers=allowed)


def open_headers(exposed: list[str]) -> list[tuple[bytes, bytes]]:
    """The raw header pairs `OpenCors` adds to every non-preflight response (for
    api/http/sparql_front.py, which answers before the middleware)."""
    return [
        (b"access-control-allow-origin", ALLOW_ORIGIN.encode("latin-1")),
        (b"access-control-expose-headers", ", ".join(exposed).encode("latin-1")),
    ]
