"""Benchmark: the first query against an older release (`version=V`) against the same query on
the current one.

    python -m bench.bench_versions [--quick]

Builds the real corpus, then adds one small profile sheet per further release (K releases in
one build folder), serves the newest with `kskg serve` (3 workers), and asks each older
release once for the first time (its worker loads it on demand: api/engine/on_demand.py) and
then `repeats` times more (it stays loaded), each time followed by the same query on the
current release (after `WARM_UP` queries that let every worker start). Every
query text differs by a comment, so no answer comes from the answer cache. Results:
bench/out/results/versions.json; the table is in docs/api.md ("Versions").
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time

import httpx

from bench import outputs
from bench.bench_sparql import READY
from bench.servers import PROJECT_ROOT, kskg_command, kskg_serve

WARM_UP = 30
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # "
SHEET = (
    "PARTNERKOMMUNE\n\nLandkreis Bench {n}\n\nBUNDESLAND NIEDERSACHSEN\n\n"
    "KINDERSCHUTZCLUSTER 4\n\nErgebnisse\n\nKommunal\n\n  • Maßnahme {n} des Benchmarks\n"
)


def build_releases(count: int) -> tuple[object, list[str]]:
    """`count` releases in one fresh build folder, oldest first; returns it and the versions."""
    root = outputs.out_dir() / "versions"
    shutil.rmtree(root, ignore_errors=True)
    data, build = root / "data", root / "build"
    for part in ("sources", "reference"):
        shutil.copytree(PROJECT_ROOT / "data" / part, data / part)
    versions = []
    for n in range(count):
        if n:
            (data / "sources" / f"9{n:02d}_bench.txt").write_text(SHEET.format(n=n), "utf-8")
        argv = [kskg_command(), "build", "--data-dir", str(data), "--build-dir", str(build)]
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        versions.append(done.stdout.rstrip().split("\n")[-1].split()[1].rstrip(":"))
    return build, versions


def timed(http: httpx.Client, params: dict) -> float:
    started = time.perf_counter()
    answer = http.get("/sparql", params=params, headers={"Accept": "text/csv"})
    answer.raise_for_status()
    return time.perf_counter() - started


def measure(count: int, repeats: int) -> dict:
    build_dir, versions = build_releases(count)
    tag = iter(range(1_000_000))
    with kskg_serve(build_dir, READY) as server:
        server.start()
        with httpx.Client(base_url=server.url, timeout=60) as http:
            for _ in range(WARM_UP):  # every worker started and past its first query
                timed(http, {"query": QUERY + str(next(tag))})
            current, first, warm = [], [], []
            for version in versions[:-1]:
                first.append(timed(http, {"query": QUERY + str(next(tag)), "version": version}))
                for _ in range(repeats):
                    warm.append(timed(http, {"query": QUERY + str(next(tag)), "version": version}))
                    current.append(timed(http, {"query": QUERY + str(next(tag))}))
    rows = {
        "current release": current,
        "older release, first query (loads it)": first,
        "older release, later queries": warm,
    }
    base = outputs.median(current)
    return {
        "releases": count,
        "repeats": repeats,
        "rows": [
            {
                "case": case,
                "median_ms": round(outputs.median(runs) * 1000, 1),
                "ratio": round(outputs.median(runs) / base, 1) if base else None,
                "runs": len(runs),
            }
            for case, runs in rows.items()
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 releases, 5 repeats")
    args = parser.parse_args()
    result = measure(3, 5) if args.quick else measure(6, 20)
    path = outputs.save("versions", result)
    for row in result["rows"]:
        print(f"{row['case']:<40} {row['median_ms']:>8.1f} ms  ×{row['ratio']}  ({row['runs']})")
    print(f"saved {path}")


if __name__ == "__main__":
    main()
