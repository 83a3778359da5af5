"""Run the whole benchmark suite in order, then write bench/RESULTS.md (what `make bench` does).

    python -m bench.run [--quick] [--only build,sparql]

A benchmark that fails is reported on stderr and left out of the results (RESULTS.md then says
"Not measured"); the others still run. Exit status 1 if any failed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from datetime import UTC, datetime

from bench import outputs, report

ORDER = ["build", "startup", "curated", "sparql", "scale"]


def run_one(name: str, quick: bool) -> bool:
    module = importlib.import_module(f"bench.bench_{name}")
    started = time.perf_counter()
    print(f"== {name}", flush=True)
    try:
        module.main(["--quick"] if quick else [])
    except Exception:  # one broken benchmark must not hide the results of the others
        traceback.print_exc()
        print(f"== {name} FAILED", file=sys.stderr, flush=True)
        return False
    print(f"== {name} done in {time.perf_counter() - started:.0f} s", flush=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny runs, seconds each")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(ORDER)}")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else ORDER
    unknown = sorted(set(names) - set(ORDER))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {ORDER}")
    for name in names:
        (outputs.results_dir() / f"{name}.json").unlink(missing_ok=True)
    run = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": os.getloadavg()[0],
        "cores": os.cpu_count(),
    }
    failed = [name for name in names if not run_one(name, args.quick)]
    outputs.save("run", {**run, "load_end": os.getloadavg()[0]})
    if not args.quick:
        report.main([])
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
