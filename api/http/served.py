"""What routes receive: the served release, its store and the settings, as one dependency.

`PinServed` fixes the release for each request when it arrives: the route, its dependencies and
the `X-Data-Version` header all see that one release, even when a new one is switched in while
the request runs (api/release_watch.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.engine.store import QueryStore
from kskg.release import Release
from kskg.settings import Settings

VERSION_HEADER = "X-Data-Version"


@dataclass(frozen=True)
class Served:
    """The release being served. Replaced as a whole (one attribute assignment) when a new
    release is switched in, so a request sees one consistent release from start to end."""

    settings: Settings
    release: Release
    store: QueryStore

    @property
    def version(self) -> str:
        return self.release.version


async def get_served(request: Request) -> Served:
    # async: FastAPI runs a plain-def dependency in its thread pool, a thread hop per request
    # (a tenth of the server's CPU under load, by py-spy).
    pinned = request.scope.get("state", {}).get("served")
    return pinned if pinned is not None else request.app.state.served


ServedDep = Annotated[Served, Depends(get_served)]


class PinServed:
    """ASGI middleware: pin `app.state.served` for the request and put X-Data-Version on
    every response (errors, redirects, static files and preflights included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["served"] = scope["app"].state.served

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Only here: no route writes this header. Read now: api/http/versions.py
                # may have pinned an older release since.
                MutableHeaders(scope=message)[VERSION_HEADER] = state["served"].version
            await send(message)

        await self.app(scope, receive, send_with_version)
