"""Benchmark 3: the curated JSON routes against their upper bound in the same framework.

    python -m bench.bench_curated [--quick] [--build-dir B] [--loadgen auto|wrk|httpx]

The mix is one GET per curated query (/api/<name>; required parameters from their `example`).
Every URL is fetched once from `kskg serve`; the precomputed app (bench/upper_bound_app.py)
then serves those exact bytes under the same uvicorn configuration. Both get the mix round robin
at 1, 16 and 64 concurrent clients, alternating server per step. Results:
bench/out/results/curated.json.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench import outputs
from bench.bench_sparql import READY
from bench.load_args import parse_load_args
from bench.loadgen import Request, fetch_all, run_load
from bench.servers import PROJECT_ROOT, kskg_serve, python_module
from bench.upper_bound_app import save_responses
from kskg.release import current_release


def curated_urls(queries_dir: Path = PROJECT_ROOT / "queries") -> list[str]:
    """/api/<name>?<example parameters> for every curated query."""
    from api.curated.registry import load_queries

    urls = []
    for query in load_queries(queries_dir).values():
        examples = {p.name: str(p.example) for p in query.params if p.required}
        urls.append(f"/api/{query.name}" + (f"?{urlencode(examples)}" if examples else ""))
    return urls


def precompute(url: str, paths: list[str], target: Path) -> None:
    """Save what the real API answers for each path, for the upper-bound app."""
    responses = {}
    with httpx.Client(base_url=url, timeout=60) as http:
        for path in paths:
            response = http.get(path, headers={"Accept": "application/json"})
            media = response.headers.get("content-type", "application/json").split(";")[0]
            responses[path] = (response.status_code, media, response.content)
    bad = {p: r[0] for p, r in responses.items() if not 200 <= r[0] < 300}
    if bad:
        raise RuntimeError(f"curated routes that do not answer 2xx: {bad}")
    save_responses(target, responses)


def compare(build_dir: Path, duration_s: float, clients: list[int], tool: str) -> dict:
    paths = curated_urls()
    mix = [Request("GET", p, {"Accept": "application/json"}) for p in paths]
    responses_file = outputs.out_dir() / "curated-responses.json"
    ours = kskg_serve(build_dir, READY)
    with ours:
        ours.start()
        precompute(ours.url, paths, responses_file)
        bound = python_module(
            "bench.upper_bound_app", ["--responses", str(responses_file)], paths[0]
        )
        with bound:
            bound.start()
            same = fetch_all(ours.url, mix) == fetch_all(bound.url, mix)
            loads = []
            for connections in clients:
                for label, server in (("kskg serve", ours), ("precomputed", bound)):
                    result = run_load(server.url, mix, connections, duration_s, tool)
                    loads.append({"server": label, **result.as_dict()})
                    print(f"curated {label} c={connections}: {result}", flush=True)
    return {
        "release": current_release(build_dir).version,
        "routes": paths,
        "identical_bytes": same,
        "load": loads,
        "duration_s": duration_s,
    }


def main(argv: list[str] | None = None) -> int:
    a = parse_load_args(argv, __doc__.split("\n\n")[0], duration_s=6.0)
    outputs.save("curated", compare(a.build_dir, a.duration_s, a.clients, a.loadgen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
