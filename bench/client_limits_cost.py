"""What the per-client limits cost per query and per connection, on one thread.

    python -m bench.client_limits_cost [--pairs 100000] [--batch 1000]

The measurement behind the shared client ledger (docs/limits.md, "Per client"); not part of
`make bench`. Times, in microseconds per pair, medians over batches of `--batch` pairs, the
shared ledger's batches interleaved with those of the in-process bookkeeping it replaced
(copied below as it was), so the two columns see the same load:

- `admit_us`: one `ClientLimiter.admit` and its release on the event loop, charging 2 ms (what
  api/sparql/execution.py does per evaluated query), cycling over 64 clients; `admit_dicts_us`
  the same with the former in-process dicts and deques;
- `connection_us`: one open and close of a connection in the ledger (what
  api/http/server.py's protocol does per accepted connection); `connection_counter_us` the
  same with the per-process Counter the protocol used before.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from contextlib import asynccontextmanager

from api.sparql.client_ledger import ClientLedger
from api.sparql.client_limits import ClientLimiter
from bench.outputs import median
from kskg.settings import Settings

CLIENTS = [f"192.0.2.{i}" for i in range(64)]
#: A budget no client reaches, so every admission is admitted and charged.
SETTINGS = Settings(client_concurrency=1024, client_query_budget_s=3600.0)


class DictLimiter:
    """The in-process bookkeeping `ClientLimiter` had before the ledger (its admission path)."""

    def __init__(self, concurrency: int, budget_s: float, window_s: float) -> None:
        self.concurrency, self.budget_s, self.window_s = concurrency, budget_s, window_s
        self._running: defaultdict[str, int] = defaultdict(int)
        self._spent: defaultdict[str, deque[tuple[float, float]]] = defaultdict(deque)
        self._totals: defaultdict[str, float] = defaultdict(float)

    @asynccontextmanager
    async def admit(self, client: str):
        if self._running[client] >= self.concurrency:
            raise RuntimeError("over the concurrency")
        now = time.monotonic()
        if self.used(client, now) >= self.budget_s:
            raise RuntimeError("over the budget")
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
        spent = self._spent.get(client)
        if spent is None:
            return 0.0
        while spent and spent[0][0] <= now - self.window_s:
            self._totals[client] -= spent.popleft()[1]
        if not spent:
            del self._spent[client]
            self._totals.pop(client, None)
            return 0.0
        return self._totals[client]


async def _admissions(limiter, batch: int) -> float:
    started = time.perf_counter()
    for i in range(batch):
        async with limiter.admit(CLIENTS[i & 63]) as charge:
            charge(0.002)
    return time.perf_counter() - started


def _ledger_connections(ledger: ClientLedger, batch: int) -> float:
    started = time.perf_counter()
    for i in range(batch):
        ledger.close_connection(ledger.open_connection(CLIENTS[i & 63], 100))
    return time.perf_counter() - started


def _counter_connections(counts: Counter[str], batch: int) -> float:
    """The protocol's former bookkeeping of a connection opened and closed."""
    started = time.perf_counter()
    for i in range(batch):
        key = CLIENTS[i & 63]
        if counts[key] < 100:
            counts[key] += 1
        counts[key] -= 1
        if not counts[key]:
            del counts[key]
    return time.perf_counter() - started


def measure(pairs: int, batch: int) -> dict[str, float]:
    """Microseconds per pair of each bookkeeping, batches interleaved."""
    loop = asyncio.new_event_loop()
    limiter = ClientLimiter.from_settings(SETTINGS)
    dicts = DictLimiter(1024, 3600.0, SETTINGS.client_budget_window_s)
    ledger, counts = ClientLedger(), Counter()
    runs: dict[str, Callable[[], float]] = {
        "admit_us": lambda: loop.run_until_complete(_admissions(limiter, batch)),
        "admit_dicts_us": lambda: loop.run_until_complete(_admissions(dicts, batch)),
        "connection_us": lambda: _ledger_connections(ledger, batch),
        "connection_counter_us": lambda: _counter_connections(counts, batch),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    try:
        for _ in range(pairs // batch):
            for name, run in runs.items():
                times[name].append(run())
    finally:
        loop.close()
    return {name: round(median(values) / batch * 1e6, 2) for name, values in times.items()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    result = {"pairs": args.pairs, "batch": args.batch, **measure(args.pairs, args.batch)}
    result["admit_ratio"] = round(result["admit_us"] / result["admit_dicts_us"], 2)
    result["connection_ratio"] = round(result["connection_us"] / result["connection_counter_us"], 2)
    result["load_average"] = os.getloadavg()[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
