"""The command line shared by the load benchmarks (curated routes, SPARQL endpoint)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from bench.bench_build import ensure_release


@dataclass(frozen=True)
class LoadArgs:
    build_dir: Path
    duration_s: float
    clients: list[int]
    loadgen: str
    quick: bool


def parse_load_args(argv: list[str] | None, description: str, duration_s: float) -> LoadArgs:
    """Parse --quick/--build-dir/--loadgen/--duration; `duration_s` is the default per run.

    --quick means 1 s at 1 and 4 clients; otherwise 1, 16 and 64 clients. Without --build-dir
    the release of the project's own build folder is used (built first if there is none)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="1 s at 1 and 4 clients")
    parser.add_argument("--build-dir", type=Path, help="a build folder with a published release")
    parser.add_argument("--loadgen", default="auto", choices=["auto", "wrk", "httpx"])
    parser.add_argument("--duration", type=float, default=duration_s, help="seconds per load run")
    args = parser.parse_args(argv)
    duration, clients = (1.0, [1, 4]) if args.quick else (args.duration, [1, 16, 64])
    build_dir = args.build_dir or ensure_release()
    return LoadArgs(build_dir, duration, clients, args.loadgen, args.quick)
