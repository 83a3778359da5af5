"""Benchmark 4: our /sparql against rdflib-endpoint on the same release and the same query mix.

    python -m bench.bench_sparql [--quick] [--build-dir B] [--loadgen auto|wrk|httpx]

Both servers load the same published release (ours: `kskg serve`, from dataset.nq; baseline:
rdflib-endpoint over dataset.trig) and get the queries of bench/queries/*.rq as SPARQL Protocol
POSTs (`application/sparql-query`), SELECT/ASK asking for SPARQL JSON results and
CONSTRUCT/DESCRIBE for Turtle. First every query is sent once to each server (all must answer
2xx; SELECT row counts are compared), then each is timed alone (1 client), then the whole mix
runs round robin at 1, 16 and 64 concurrent clients. Results: bench/out/results/sparql.json.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx

from bench import outputs
from bench.load_args import parse_load_args
from bench.loadgen import Request, fetch_all, run_load
from bench.servers import kskg_serve, python_module
from kskg.release import current_release

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


def compare(build_dir: Path, duration_s: float, clients: list[int], tool: str, quick: bool) -> dict:
    release = current_release(build_dir)
    requests = query_requests()
    mix = list(requests.values())
    ours = kskg_serve(build_dir, READY)
    theirs = python_module(
        "bench.rdflib_endpoint_app", ["--trig", str(release.dump_path("trig"))], READY
    )
    with ours, theirs:
        ours.start()
        theirs.start()
        rows_ours = [row_count(b) for b in fetch_all(ours.url, mix)]
        rows_theirs = [row_count(b) for b in fetch_all(theirs.url, mix)]
        per_query = {
            "ours_ms": time_each(ours.url, requests, 1 if quick else 3, 3 if quick else 15),
            "rdflib_endpoint_ms": time_each(
                theirs.url, requests, 1 if quick else 3, 3 if quick else 15
            ),
        }
        loads = []
        for connections in clients:
            for label, server in (("ours", ours), ("rdflib-endpoint", theirs)):
                result = run_load(server.url, mix, connections, duration_s, tool)
                loads.append({"server": label, **result.as_dict()})
                print(f"sparql {label} c={connections}: {result}", flush=True)
    names = list(requests)
    return {
        "release": release.version,
        "queries": names,
        "rows": {
            n: {"ours": a, "rdflib_endpoint": b}
            for n, a, b in zip(names, rows_ours, rows_theirs, strict=True)
        },
        "per_query": per_query,
        "load": loads,
        "duration_s": duration_s,
    }


def main(argv: list[str] | None = None) -> int:
    a = parse_load_args(argv, __doc__.split("\n\n")[0], duration_s=8.0)
    outputs.save("sparql", compare(a.build_dir, a.duration_s, a.clients, a.loadgen, a.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
