"""`BodyLimit` (ASGI middleware): a request body larger than `max_body_bytes` is refused with 413,
from its Content-Length before anything is read, or as soon as a chunked body grows past it."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from api.http.errors import error_response


class BodyLimit:
    """Refuse request bodies larger than `max_bytes` with 413 (JSON body)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = content_length(scope["headers"])
        if declared is not None and declared > self.max_bytes:
            response = error_response(ApiError(413, "body_too_large", self._message(declared)))
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                # Raised inside the route that reads the body, so the API error handler
                # answers it like any other refusal.
                raise ApiError(413, "body_too_large", self._message(seen), limit=self.max_bytes)
            return message

        return counted

    def _message(self, size: int) -> str:
        return f"the request body has at least {size} bytes; at most {self.max_bytes} are accepted"


def content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    """The Content-Length of raw (lower-case) header pairs; None if absent or not a number."""
    for name, value in headers:
        if name == b"content-length":
            return int(value) if value.strip().isdigit() else None
    return None
