"""Where a loaded server's time goes: py-spy samples `kskg serve` (and its query workers) while
wrk sends the SPARQL mix or the curated routes at a fixed concurrency.

    python -m bench.profile_server --mix sparql --clients 16 --seconds 10 [--top 25] [--cache-off]

Needs py-spy (the `bench` extra). `--cache-off` serves with `KSKG_ANSWER_CACHE_MB=0`, so every
query is evaluated (what a query not asked before costs). Prints the load result and, per
process kind (server, worker), the functions with the largest share of samples, self time and
inclusive time, from py-spy's raw (collapsed-stack) output. Raw stacks: bench/out/profile-<mix>.txt.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import threading
from collections import Counter
from pathlib import Path

from bench import outputs
from bench.bench_build import ensure_release
from bench.bench_curated import curated_urls
from bench.bench_sparql import READY, query_requests
from bench.loadgen import Request, run_load
from bench.servers import kskg_serve


def mix(name: str) -> list[Request]:
    if name == "sparql":
        return list(query_requests().values())
    return [Request("GET", u, {"Accept": "application/json"}) for u in curated_urls()]


def record(pid: int, seconds: float, out: Path) -> subprocess.Popen:
    spy = shutil.which("py-spy") or str(Path(__import__("sys").executable).with_name("py-spy"))
    argv = [spy, "record", "-p", str(pid), "--subprocesses", "-d", str(int(seconds))]
    argv += ["-r", "200", "--format", "raw", "-o", str(out), "--nonblocking"]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarise(raw: Path, top: int) -> dict[str, list[tuple[str, float, float]]]:
    """Per process kind: (function, self %, inclusive %) of the `top` largest inclusive."""
    inclusive: dict[str, Counter] = {}
    own: dict[str, Counter] = {}
    totals: Counter = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        kind = "worker" if "api.engine.worker" in frames[0] or "worker_loop" in stack else "server"
        totals[kind] += int(count)
        names = [f.split(" (")[0].strip() for f in frames[1:]]
        for name in set(names):
            inclusive.setdefault(kind, Counter())[name] += int(count)
        if names:
            own.setdefault(kind, Counter())[names[-1]] += int(count)
    return {
        kind: [
            (name, 100 * own[kind][name] / totals[kind], 100 * n / totals[kind])
            for name, n in inclusive[kind].most_common(top)
        ]
        for kind in inclusive
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mix", choices=["sparql", "curated"], default="sparql")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--build-dir", type=Path)
    parser.add_argument("--cache-off", action="store_true", help="KSKG_ANSWER_CACHE_MB=0")
    args = parser.parse_args(argv)
    raw = outputs.out_dir() / f"profile-{args.mix}.txt"
    server = kskg_serve(args.build_dir or ensure_release(), READY)
    if args.cache_off:
        server.env["KSKG_ANSWER_CACHE_MB"] = "0"
    with server:
        server.start()
        spy = record(server.process.pid, args.seconds + 1, raw)
        result: list = []
        load = threading.Thread(
            target=lambda: result.append(
                run_load(server.url, mix(args.mix), args.clients, args.seconds, "wrk")
            )
        )
        load.start()
        load.join()
        spy.wait(timeout=60)
    print(result[0])
    for kind, rows in summarise(raw, args.top).items():
        print(f"\n{kind}: function, self %, inclusive %")
        for name, self_pct, incl_pct in rows:
            print(f"  {self_pct:5.1f} {incl_pct:5.1f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
