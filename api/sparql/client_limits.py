"""Per-client query limits: concurrency and a rolling query-time budget.

`ClientLimiter`: one client (the IP address of the connection; behind a reverse proxy, that
  uvicorn's `--forwarded-allow-ips` resolves) may run `client_concurrency` queries at once and
  use `client_query_budget_s` seconds of query time (time its queries held a worker) per
  rolling `client_budget_window_s`. Beyond either: 429 with Retry-After. Answers from the
  curated cache and from the SPARQL answer cache (api/sparql/answer_cache.py) cost nothing.

Body size is limited by api/http/body_limit.py, header size in the HTTP parser (api/http/server.py).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from api.errors import ApiError
from kskg.settings import Settings


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
        """Run one query for `client`, or raise ApiError 429 with Retry-After. Yields the
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


def too_many(message: str, retry_after: int) -> ApiError:
    return ApiError(429, "too_many_queries", message + "; try again later", retry_after=retry_after)
