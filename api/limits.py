"""Request limits in front of the routes: body size, and per-client query concurrency and
query-time budget.

- `BodyLimit` (ASGI middleware): a body larger than `max_body_bytes` is refused with 413, from
  its Content-Length before anything is read, or as soon as a chunked body grows past it.
- `ClientLimiter`: one client (the IP address of the connection; behind a reverse proxy, that
  uvicorn's `--forwarded-allow-ips` resolves) may run `client_concurrency` queries at once and
  use `client_query_budget_s` seconds of query time (time its queries held a worker) per
  rolling `client_budget_window_s`. Beyond either: 429 with Retry-After. Answers from the
  curated cache and from the SPARQL answer cache (api/answer_cache.py) cost nothing.

Header size is limited in the HTTP parser (api/server.py).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.answer_cache import REQUEST_KEY, answer_cache
from api.errors import ApiError, error_response
from api.query_job import Outcome, QueryJob, QueryRefused
from api.store import QueryStore
from kskg.settings import Settings


class BodyLimit:
    """Refuse request bodies larger than `max_bytes` with 413 (JSON body)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            response = error_response(413, "body_too_large", self._message(declared))
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


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.strip().isdigit() else None
    return None


class ClientLimiter:
    """Per-client concurrency and rolling query-time budget (see the module docstring)."""

    def __init__(self, concurrency: int, budget_s: float, window_s: float) -> None:
        self.concurrency = concurrency
        self.budget_s = budget_s
        self.window_s = window_s
        self._running: defaultdict[str, int] = defaultdict(int)
        self._spent: defaultdict[str, deque[tuple[float, float]]] = defaultdict(deque)
        self._totals: defaultdict[str, float] = defaultdict(float)

    @classmethod
    def from_settings(cls, settings: Settings) -> ClientLimiter:
        return cls(
            settings.client_concurrency,
            settings.client_query_budget_s,
            settings.client_budget_window_s,
        )

    @asynccontextmanager
    async def admit(self, client: str) -> AsyncIterator[Callable[[float], None]]:
        """Run one query for `client`, or raise QueryRefused 429 with Retry-After. Yields the
        function to charge the query's seconds to the client with."""
        if self._running[client] >= self.concurrency:
            raise too_many(f"at most {self.concurrency} queries per client may run at once", 1)
        now = time.monotonic()
        if (used := self.used(client, now)) >= self.budget_s:
            raise too_many(
                f"this client used {used:.1f} s of query time in the last {self.window_s:g} s "
                f"(budget {self.budget_s:g} s)",
                self._retry_after(client, now),
            )
        self._running[client] += 1
        charged = [0.0]

        def charge(seconds: float) -> None:
            charged[0] += seconds

        try:
            yield charge
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            if charged[0]:
                self._spent[client].append((time.monotonic(), charged[0]))
                self._totals[client] += charged[0]

    def used(self, client: str, now: float) -> float:
        """Query seconds `client` spent in the window ending `now` (old entries dropped)."""
        spent = self._spent.get(client)
        if spent is None:
            return 0.0
        while spent and spent[0][0] <= now - self.window_s:
            self._totals[client] -= spent.popleft()[1]
        if not spent:
            del self._spent[client]
            self._totals.pop(client, None)
            return 0.0
        # A running total: summing the window on every admission cost a tenth of the server's
        # CPU under load (thousands of entries per busy client).
        return self._totals[client]

    def _retry_after(self, client: str, now: float) -> int:
        """Seconds until enough of the client's spending leaves the window."""
        excess = self.used(client, now) - self.budget_s
        for ended, seconds in self._spent.get(client, ()):
            excess -= seconds
            if excess < 0:
                return max(1, math.ceil(ended + self.window_s - now))
        return max(1, math.ceil(self.window_s))


def too_many(message: str, retry_after: int) -> QueryRefused:
    refused = QueryRefused(
        429, "too_many_queries", message + "; try again later", retry_after_s=retry_after
    )
    refused.headers["Retry-After"] = str(retry_after)
    return refused


async def execute(request: Request, store: QueryStore, job: QueryJob) -> Outcome:
    """Answer a client's query on `store`: a `/sparql` query from the answer cache if it was
    answered before on this release (no worker, no admission: it costs the client nothing),
    otherwise run within the client's limits. Curated queries have their own cache."""
    if job.purpose != "sparql":
        return await _admitted(request, store, job)
    cache = answer_cache(request.app)
    if not cache.enabled:
        return await _admitted(request, store, job)
    outcome = cache.get(store.version, job)
    if outcome is None:
        outcome = await _admitted(request, store, job)
        # A request that started on a release replaced meanwhile must not refill the cache
        # with answers nobody will ask that release for again.
        if store.version == request.app.state.served.version:
            cache.put(store.version, job, outcome)
    cache.remember(store.version, request.scope.get("state", {}).get(REQUEST_KEY), job)
    return outcome


async def _admitted(request: Request, store: QueryStore, job: QueryJob) -> Outcome:
    """Run `job` on `store` within the client's limits."""
    limiter: ClientLimiter = request.app.state.limiter
    client = request.client.host if request.client else "unknown"
    async with limiter.admit(client) as charge:
        return await store.execute(job, charge)
