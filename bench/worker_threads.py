"""Does pyoxigraph let two threads of one process evaluate queries on ONE store at once?

    python -m bench.worker_threads --nq bench/out/graph-1000000.nq [--repeats 3]

The measurement behind the query worker's threads (docs/benchmarks.md, "Memory at scale"); not
part of `make bench`. Loads the graph once (`load_nquads`, what a worker does), then for each
case (the mix's whole-graph aggregate, bench/queries/graph_sizes.rq, evaluated by iterating its
result; and the SPARQL JSON writing, `QuerySolutions.serialize`, of the mix's largest answer):

- `sequential_s`: the case run twice, one after the other, on one thread;
- `two_threads_s`: the case run twice at once, on two threads;
- `gil_ticks`: how often a pure-Python thread got to run while one case ran, against an idle
  interval of the same length (`gil_free` near 1.0: the GIL is released while pyoxigraph works).

With two cores free, `two_threads_s / sequential_s` near 0.5 means the two ran in parallel, near
1.0 that they ran one after the other. Medians of `--repeats`. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from api.engine.oxigraph_store import load_nquads
from api.engine.process_memory import release_freed, rss_mib
from bench.outputs import median
from bench.scale_worker import bench_texts

#: The whole-graph aggregate of the bench mix (triples per named graph).
AGGREGATE = "graph_sizes"


def evaluate(store: ox.Store, query: str) -> Callable[[], object]:
    return lambda: sum(1 for _ in store.query(query))


def serialize(store: ox.Store, query: str) -> Callable[[], object]:
    return lambda: len(store.query(query).serialize(format=ox.QueryResultsFormat.JSON))


def largest(store: ox.Store, texts: dict[str, str]) -> str:
    """The SELECT of the bench mix with the largest SPARQL JSON answer."""
    sizes = {}
    for name, text in texts.items():
        result = store.query(text)
        if isinstance(result, ox.QuerySolutions):
            sizes[name] = len(result.serialize(format=ox.QueryResultsFormat.JSON))
    return max(sizes, key=sizes.get)


def _wall(action: Callable[[], object], threads: int) -> float:
    started = time.perf_counter()
    if threads == 1:
        action()
        action()
    else:
        running = [threading.Thread(target=action) for _ in range(threads)]
        for thread in running:
            thread.start()
        for thread in running:
            thread.join()
    return time.perf_counter() - started


def _ticks(seconds: float | None, action: Callable[[], object] | None) -> tuple[int, float]:
    """Loop iterations a Python thread made while `action` ran (or for `seconds`)."""
    stop, count = threading.Event(), [0]

    def spin() -> None:
        while not stop.is_set():
            count[0] += 1

    spinner = threading.Thread(target=spin)
    started = time.perf_counter()
    spinner.start()
    if action is None:
        time.sleep(seconds)
    else:
        action()
    stop.set()
    spinner.join()
    return count[0], time.perf_counter() - started


def measure(action: Callable[[], object], repeats: int) -> dict:
    action()  # warm
    sequential = [_wall(action, 1) for _ in range(repeats)]
    concurrent = [_wall(action, 2) for _ in range(repeats)]
    busy, took = _ticks(None, action)
    idle, _ = _ticks(took, None)
    seq, two = median(sequential), median(concurrent)
    return {
        "sequential_s": round(seq, 3),
        "two_threads_s": round(two, 3),
        "ratio": round(two / seq, 3),
        "gil_free": round(busy / idle, 3) if idle else None,
    }


def mix_memory(store: ox.Store, texts: dict[str, str], threads: int = 3) -> dict:
    """Resident memory after `threads` threads ran the whole mix at once (each query written
    as SPARQL JSON), and after handing freed heap back to the system (`release_freed`), with
    the time that took: what a worker's threads leave behind, and what trimming recovers."""
    before = rss_mib(os.getpid()) or 0.0

    def mix() -> None:
        for text in texts.values():
            result = store.query(text)
            if isinstance(result, ox.QuerySolutions):
                result.serialize(format=ox.QueryResultsFormat.JSON)
            else:
                list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)

    running = [threading.Thread(target=mix) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    after = rss_mib(os.getpid()) or 0.0
    trim_s, _ = _timed(release_freed)
    return {
        "threads": threads,
        "rss_before_mib": round(before, 1),
        "rss_after_mix_mib": round(after, 1),
        "rss_trimmed_mib": round(rss_mib(os.getpid()) or 0.0, 1),
        "trim_ms": round(trim_s * 1000, 2),
    }


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nq", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    repeats = args.repeats
    started = time.perf_counter()
    store = load_nquads(args.nq)
    texts = bench_texts()
    result = {
        "load_s": round(time.perf_counter() - started, 1),
        "rss_mib": round(rss_mib(os.getpid()) or 0.0, 1),
        "load_average": os.getloadavg()[0],
        "evaluate": {"query": AGGREGATE, **measure(evaluate(store, texts[AGGREGATE]), repeats)},
    }
    name = largest(store, texts)
    result["serialize"] = {"query": name, **measure(serialize(store, texts[name]), repeats)}
    result["memory"] = mix_memory(store, texts)
    result["rss_after_mib"] = round(rss_mib(os.getpid()) or 0.0, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
