"""Benchmark 2: start-up, from a published release to the first answered request.

    python -m bench.bench_startup [--quick] [--build-dir B]

Spawns `kskg serve` on the release and polls (every 5 ms) a SPARQL `ASK {}` until it answers
2xx, so the time covers Python start-up, imports, loading the release into the store and the
first query. The same is measured for rdflib-endpoint serving the same release (dataset.trig).
Results: bench/out/results/startup.json.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench import outputs
from bench.bench_build import ensure_release
from bench.bench_sparql import READY
from bench.servers import ServerProcess, kskg_serve, python_module
from kskg.release import current_release


def time_start(make_server) -> float:
    server: ServerProcess = make_server()
    with server:
        return server.start()


def measure(build_dir: Path, repeats: int) -> dict:
    trig = str(current_release(build_dir).dump_path("trig"))
    servers = {
        "kskg serve": lambda: kskg_serve(build_dir, READY),
        "rdflib-endpoint": lambda: python_module(
            "bench.rdflib_endpoint_app", ["--trig", trig], READY
        ),
    }
    rows = []
    for label, make in servers.items():
        runs = [round(time_start(make), 3) for _ in range(repeats)]
        rows.append({"server": label, "median_s": outputs.median(runs), "runs_s": runs})
        print(f"startup {label}: {rows[-1]['median_s']:.3f} s", flush=True)
    return {"release": current_release(build_dir).version, "rows": rows, "ready_path": READY}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one start of each server")
    parser.add_argument("--build-dir", type=Path, help="a build folder with a published release")
    args = parser.parse_args(argv)
    build_dir = args.build_dir or ensure_release()
    outputs.save("startup", measure(build_dir, 1 if args.quick else 5))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
