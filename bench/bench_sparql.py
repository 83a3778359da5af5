"""Benchmark 4: our /sparql against rdflib-endpoint on the same release and the same query mix.

    python -m bench.bench_sparql [--quick] [--build-dir B] [--loadgen auto|wrk|httpx]

Six servers load the same published release: ours three times, `kskg serve` as served by
default (with its answer cache, api/sparql/answer_cache.py), `kskg serve` with
`KSKG_ANSWER_CACHE_MB=0` (every query evaluated: what a query not seen before costs), and
`kskg serve` with the cache off on the remote store (KSKG_STORE_URL: two local Oxigraph servers
from the pinned PyPI package, the release published into them by `kskg publish --store`'s
code; docs/deploy.md); a reference that is not a way to serve, the app evaluating every query
in its HTTP processes, one per core on one port (no worker, so no hard deadline: what the hop
to a worker costs); and two
baselines: Oxigraph's own Rust server (`oxigraph serve-read-only` from the pinned PyPI
package, with the de-duplicated merge as its default graph, bench/oxigraph_baseline.py) and
rdflib-endpoint over dataset.trig. They get the
queries of bench/queries/*.rq as SPARQL Protocol POSTs (`application/sparql-query`),
SELECT/ASK asking for SPARQL JSON results and CONSTRUCT/DESCRIBE for Turtle. First every query
is sent once to each server (all must answer 2xx; SELECT row counts are compared, and ours with
and without the cache, on the remote store and evaluating on its event loops must answer the
same bytes), then
each is timed alone (1 client), then the whole mix runs round robin at 1, 16 and 64 concurrent
clients, the servers taking turns at each level: three rounds of a third of the run each,
the order rotating, and per server the median round (a burst of the machine's other work
falls on every server alike rather than deciding a ratio). Results:
bench/out/results/sparql.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
from rdflib import Graph
from rdflib.compare import isomorphic

from bench import outputs, process_cpu
from bench.load_args import parse_load_args
from bench.loadgen import Request, fetch_all, median_of, run_load
from bench.outputs import out_dir
from bench.oxigraph_baseline import for_oxigraph, oxigraph_serve
from bench.servers import (
    BENCH_CLIENT_LIMITS,
    ServerProcess,
    free_port,
    kskg_serve,
    python_module,
)
from kskg.oxigraph_server import OxigraphServer
from kskg.release import current_release
from kskg.settings import Settings
from kskg.store_publish import publish_to_store

QUERY_DIR = Path(__file__).resolve().parent / "queries"
READY = "/sparql?query=ASK%7B%7D"
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)
_ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "text/turtle",
    "DESCRIBE": "text/turtle",
}


def query_requests(query_dir: Path = QUERY_DIR) -> dict[str, Request]:
    """One POST /sparql request per .rq file, keyed by file stem."""
    requests = {}
    for path in sorted(query_dir.glob("*.rq")):
        text = path.read_text("utf-8")
        form = _FORM.search("\n".join(ln for ln in text.splitlines() if not ln.startswith("#")))
        if not form:
            raise ValueError(f"{path}: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
        headers = {
            "Content-Type": "application/sparql-query",
            "Accept": _ACCEPT[form.group(1).upper()],
        }
        requests[path.stem] = Request("POST", "/sparql", headers, text.encode("utf-8"))
    return requests


def row_count(body: bytes) -> int | None:
    """Rows of a SPARQL JSON result; None for other formats."""
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return None


def same_answer(one: bytes, other: bytes) -> bool:
    """The same solutions (in any order, for queries without ORDER BY) or isomorphic graphs:
    two engines may order an unordered answer differently."""
    try:
        first, second = json.loads(one), json.loads(other)
    except ValueError:
        graphs = [Graph().parse(data=body, format="turtle") for body in (one, other)]
        return isomorphic(*graphs)
    if "boolean" in first:
        return first == second

    def rows(body: dict) -> list[str]:
        return sorted(json.dumps(b, sort_keys=True) for b in body["results"]["bindings"])

    return first["head"] == second["head"] and rows(first) == rows(second)


def time_each(url: str, requests: dict[str, Request], budget_s: float, repeats: int) -> dict:
    """Median latency (ms) of each request sent alone, `repeats` times or until `budget_s`."""
    medians = {}
    with httpx.Client(base_url=url, timeout=120) as http:
        for name, req in requests.items():
            times: list[float] = []
            deadline = time.perf_counter() + budget_s
            while len(times) < repeats and (not times or time.perf_counter() < deadline):
                started = time.perf_counter()
                response = http.request(req.method, req.path, headers=req.headers, content=req.body)
                times.append(time.perf_counter() - started)
                response.raise_for_status()
            medians[name] = round(outputs.median(times) * 1000, 3)
    return medians


#: Labels of the servers in the results (and in RESULTS.md).
OURS, UNCACHED, THEIRS = "ours", "ours, answer cache off", "rdflib-endpoint"
REMOTE = "ours, remote Oxigraph, answer cache off"
IN_PROCESS = "ours evaluating on its event loops (no deadline), answer cache off"
OXIGRAPH = "oxigraph serve-read-only"
#: Turns each server takes at a concurrency level (one in --quick): the machine's load comes in
#: bursts, and one run of each in turn let a burst decide a ratio by itself.
ROUNDS = 3
#: The keys of the row counts in the results, in the order the servers are listed.
ROW_KEYS = ["ours", "ours_uncached", "ours_remote", "ours_in_process", "oxigraph"]
ROW_KEYS += ["rdflib_endpoint"]


def uncached_kskg_serve(build_dir: Path) -> ServerProcess:
    """`kskg serve` with the answer cache off: every query is evaluated by a worker."""
    server = kskg_serve(build_dir, READY)
    server.env["KSKG_ANSWER_CACHE_MB"] = "0"
    return server


def in_process_kskg_serve(build_dir: Path) -> ServerProcess:
    """The app evaluating each query on the event loop of its HTTP process, one such process
    per core accepting on one port (bench/pool_overhead.py), with the answer cache off: no
    hand-off to a job thread or a worker, and so no hard deadline (nothing could answer or stop
    a query past it). Not a way to serve: it measures what the deadline's machinery costs."""
    port = free_port()
    argv = [sys.executable, "-m", "bench.pool_overhead", "--serve-in-process"]
    argv += ["--build-dir", str(build_dir), "--port", str(port)]
    argv += ["--processes", str(os.cpu_count() or 1)]
    env = {**BENCH_CLIENT_LIMITS, "KSKG_ANSWER_CACHE_MB": "0"}
    return ServerProcess(argv, port, READY, env=env)


def remote_kskg_serve(build_dir: Path, stack: ExitStack) -> ServerProcess:
    """`kskg serve` with the answer cache off against two Oxigraph slots holding the release."""
    folder = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=out_dir()))
    stack.callback(shutil.rmtree, folder, ignore_errors=True)
    settings = Settings(build_dir=build_dir)
    slots = [
        stack.enter_context(OxigraphServer(folder / n, settings.store_engine_timeout_s))
        for n in ("blue", "green")
    ]
    store = {
        "KSKG_STORE_URL": ",".join(s.query_url for s in slots),
        "KSKG_STORE_UPDATE_URL": ",".join(s.update_url for s in slots),
        "KSKG_STORE_DATA_URL": ",".join(s.data_url for s in slots),
    }
    fields = {k.removeprefix("KSKG_").lower(): v for k, v in store.items()}
    publish_to_store(Settings(build_dir=build_dir, **fields), current_release(build_dir), print)
    server = uncached_kskg_serve(build_dir)
    server.env.update(store)
    return server


def compare(build_dir: Path, duration_s: float, clients: list[int], tool: str, quick: bool) -> dict:
    release = current_release(build_dir)
    requests = query_requests()
    with ExitStack() as stack:
        servers = {
            OURS: kskg_serve(build_dir, READY),
            UNCACHED: uncached_kskg_serve(build_dir),
            REMOTE: remote_kskg_serve(build_dir, stack),
            IN_PROCESS: in_process_kskg_serve(build_dir),
            OXIGRAPH: oxigraph_serve(release, stack, Settings().query_timeout_s),
            THEIRS: python_module(
                "bench.rdflib_endpoint_app", ["--trig", str(release.dump_path("trig"))], READY
            ),
        }
        return _measure(servers, stack, requests, (duration_s, clients, tool, quick), release)


def _mixes(servers: dict, requests: dict) -> dict[str, dict]:
    """Per server, the requests by query name (Oxigraph's endpoint has its own path)."""
    theirs = dict(zip(requests, for_oxigraph(list(requests.values())), strict=True))
    return {label: theirs if label == OXIGRAPH else requests for label in servers}


def _measure(servers: dict, stack: ExitStack, requests: dict, load: tuple, release) -> dict:
    duration_s, clients, tool, quick = load
    mixes = _mixes(servers, requests)
    for server in servers.values():
        stack.enter_context(server)
        server.start()
    bodies = {label: fetch_all(s.url, list(mixes[label].values())) for label, s in servers.items()}
    per_query = _per_query(servers, mixes, quick)
    rounds = 1 if quick else ROUNDS
    loads = []
    for connections in clients:
        for label, row in _level(servers, mixes, connections, (duration_s, rounds, tool)).items():
            loads.append({"server": label, **row})
            print(f"sparql {label} c={connections}: {row}", flush=True)
    nothing = {UNCACHED: NOTHING, IN_PROCESS: NOTHING, OXIGRAPH: for_oxigraph([NOTHING])[0]}
    floor = {
        label: _floor(servers[label], request, 200 if quick else FLOOR_REQUESTS)
        for label, request in nothing.items()
    }
    names = list(requests)
    counts = {label: [row_count(b) for b in answers] for label, answers in bodies.items()}
    return {
        "release": release.version,
        "queries": names,
        "rows": {
            n: dict(zip(ROW_KEYS, c, strict=True))
            for n, *c in zip(names, *counts.values(), strict=True)
        },
        "cache_changes_no_answer": bodies[OURS] == bodies[UNCACHED],
        "remote_answers_the_same": _same_answers(bodies[REMOTE], bodies[UNCACHED]),
        "in_process_answers_the_same": bodies[IN_PROCESS] == bodies[UNCACHED],
        "oxigraph_answers_the_same": _same_answers(bodies[OXIGRAPH], bodies[UNCACHED]),
        # The layout `kskg serve` chose (api/serving.py): 1 = one HTTP process and workers.
        "ours_http_processes": httpx.get(servers[UNCACHED].url + "/health")
        .json()
        .get("http_processes", 1),
        "per_query": per_query,
        "load": loads,
        "floor": floor,
        "duration_s": duration_s,
    }


def _level(servers: dict, mixes: dict, connections: int, load: tuple) -> dict[str, dict]:
    """Every server under the mix at `connections` clients for `duration_s` in all, taken in
    `rounds` turns (the order rotating each round), so a burst of the machine's other work
    falls on every server alike; per server the median round (loadgen.median_of), the rate
    of each round and the CPU per request over all of them."""
    duration_s, rounds, tool = load
    results: dict[str, list] = {label: [] for label in servers}
    cpu: dict[str, list[float]] = {label: [0.0, 0.0] for label in servers}
    labels = list(servers)
    for turn in range(rounds):
        for label in labels[turn % len(labels) :] + labels[: turn % len(labels)]:
            pid = servers[label].process.pid
            before = process_cpu.snapshot(pid)
            mix = list(mixes[label].values())
            results[label].append(
                run_load(servers[label].url, mix, connections, duration_s / rounds, tool)
            )
            spent = process_cpu.spent(before, pid)
            cpu[label] = [a + b for a, b in zip(cpu[label], spent, strict=True)]
    return {
        label: {
            **median_of(done).as_dict(),
            "rounds_rps": [r.rps for r in done],
            **_cpu_ms_per_request(cpu[label], sum(r.requests for r in done)),
        }
        for label, done in results.items()
    }


#: A query that asks for nothing: what a request costs a server besides its query's work.
NOTHING = Request("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK {}")
FLOOR_REQUESTS = 3000


def _floor(server: ServerProcess, request: Request, count: int) -> dict:
    """`server` answering `request`, `ASK {}`, `count` times in turn (the answer cache off for
    ours): the CPU per request of its process tree, the cost every request pays (HTTP, and for
    ours the hop to a query worker and back), and the median latency. Sent one after another
    by one client rather than by wrk: at wrk's full rate (about 7,000 a second)
    `oxigraph serve-read-only`, which starts a thread per request, answers some with 500
    "Resource temporarily unavailable"."""
    before = process_cpu.snapshot(server.process.pid)
    times, errors = [], 0
    with httpx.Client(base_url=server.url) as http:
        for _ in range(count):
            started = time.perf_counter()
            response = http.request(
                request.method, request.path, headers=request.headers, content=request.body
            )
            times.append(time.perf_counter() - started)
            errors += not response.is_success
    spent = process_cpu.spent(before, server.process.pid)
    return {
        "requests": count,
        "errors": errors,
        "p50_ms": round(outputs.median(times) * 1000, 3),
        **_cpu_ms_per_request(list(spent), count),
    }


def _cpu_ms_per_request(spent: list[float], requests: int) -> dict:
    """CPU ms per answered request of the server process and of its children (workers), from
    their CPU seconds `spent` (own, children)."""
    own, children = spent
    per = 1000 / max(requests, 1)
    return {"cpu_ms_front": round(own * per, 3), "cpu_ms_children": round(children * per, 3)}


def _same_answers(ones: list[bytes], others: list[bytes]) -> bool:
    return all(same_answer(a, b) for a, b in zip(ones, others, strict=True))


def _per_query(servers: dict, mixes: dict, quick: bool) -> dict:
    budget, repeats = (1, 3) if quick else (3, 15)
    keys = {OURS: "ours_ms", UNCACHED: "ours_uncached_ms", REMOTE: "ours_remote_ms"}
    keys |= {OXIGRAPH: "oxigraph_ms", THEIRS: "rdflib_endpoint_ms"}
    return {
        key: time_each(servers[label].url, mixes[label], budget, repeats)
        for label, key in keys.items()
    }


def main(argv: list[str] | None = None) -> int:
    a = parse_load_args(argv, __doc__.split("\n\n")[0], duration_s=8.0)
    outputs.save("sparql", compare(a.build_dir, a.duration_s, a.clients, a.loadgen, a.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
