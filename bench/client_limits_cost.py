"""What the per-client limits cost per query and per connection, on one thread.

    python -m bench.client_limits_cost [--pairs 100000] [--batch 1000]

The measurement behind the shared client ledger (docs/limits.md, "Per client"); not part of
`make bench`. Times, in microseconds per pair, medians over batches of `--batch` pairs:

- `admit_us`: one `ClientLimiter.admit` and its release on the event loop, charging 2 ms (what
  api/sparql/execution.py does per evaluated query), cycling over 64 clients;
- `connection_us`: one open and close of a connection in the ledger (what
  api/http/server.py's protocol does per accepted connection), or, where there is no ledger,
  the per-process Counter the protocol used before.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections import Counter

from bench.outputs import median
from kskg.settings import Settings

CLIENTS = [f"192.0.2.{i}" for i in range(64)]


async def _admit_batch(limiter, batch: int) -> float:
    started = time.perf_counter()
    for i in range(batch):
        async with limiter.admit(CLIENTS[i & 63]) as charge:
            charge(0.002)
    return time.perf_counter() - started


def admit_us(pairs: int, batch: int) -> float:
    from api.sparql.client_limits import ClientLimiter

    # A budget no client reaches, so every admission is admitted and charged.
    settings = Settings(client_concurrency=1024, client_query_budget_s=3600.0)
    limiter = ClientLimiter.from_settings(settings)
    loop = asyncio.new_event_loop()
    try:
        times = [loop.run_until_complete(_admit_batch(limiter, batch)) for _ in range(pairs // batch)]
    finally:
        loop.close()
    return median(times) / batch * 1e6


def connection_us(pairs: int, batch: int) -> tuple[str, float]:
    try:
        from api.sparql.client_ledger import ClientLedger
    except ImportError:
        return "counter", _counter_us(pairs, batch)
    ledger = ClientLedger()
    times = []
    for _ in range(pairs // batch):
        started = time.perf_counter()
        for i in range(batch):
            ledger.close_connection(ledger.open_connection(CLIENTS[i & 63], 100))
        times.append(time.perf_counter() - started)
    return "ledger", median(times) / batch * 1e6


def _counter_us(pairs: int, batch: int) -> float:
    """The protocol's former bookkeeping: a Counter of open connections per client key."""
    counts: Counter[str] = Counter()
    times = []
    for _ in range(pairs // batch):
        started = time.perf_counter()
        for i in range(batch):
            key = CLIENTS[i & 63]
            if counts[key] < 100:
                counts[key] += 1
            counts[key] -= 1
            if not counts[key]:
                del counts[key]
        times.append(time.perf_counter() - started)
    return median(times) / batch * 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    kind, connection = connection_us(args.pairs, args.batch)
    result = {
        "pairs": args.pairs,
        "batch": args.batch,
        "admit_us": round(admit_us(args.pairs, args.batch), 2),
        "connection_us": round(connection, 2),
        "connection_bookkeeping": kind,
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
