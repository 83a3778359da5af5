"""What the query worker pool costs: SPARQL requests per second and latency through the pool
(`kskg serve` with one HTTP process feeding worker processes) against the same app evaluating
in-process on the event loop (no deadline).

    python -m bench.pool_overhead [--duration 10] [--connections 16]

Both servers run as subprocesses with the uvicorn configuration of `kskg serve`; the load comes
from wrk (one thread) on 127.0.0.1, one source address, so the per-client concurrency limit is
raised for the measurement (KSKG_CLIENT_CONCURRENCY=1024). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
from pathlib import Path
from urllib.parse import urlencode

from api.engine.worker import die_with
from bench.loadgen import Request, run_load
from bench.servers import HOST, ServerProcess, free_port, kskg_command
from kskg.settings import Settings

QUERIES = {
    "ASK": "ASK { ?s ?p ?o }",
    "SELECT 10 rows": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10",
    "SELECT 100 rows": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100",
}
ENV = {"KSKG_CLIENT_CONCURRENCY": "1024"}


def serve_in_process(build_dir: Path, port: int, processes: int = 1) -> None:
    """Serve the app with each query evaluated in-process (the pool's workers are idle). With
    `processes` > 1, that many processes accept on one listening socket, each with its own
    app and store (forked before either is made; the others die with the first)."""
    from dataclasses import replace

    import uvicorn

    from api.app import create_app
    from api.engine.oxigraph_store import OxigraphStore
    from api.http.server import raise_open_file_limit, uvicorn_config

    raise_open_file_limit()
    listening = socket.create_server((HOST, port), backlog=2048)
    for _ in range(processes - 1):
        if os.fork() == 0:
            die_with(os.getppid(), signal.SIGTERM)
            break
    app = create_app(Settings(build_dir=build_dir, client_concurrency=1024, query_workers=1))
    served = app.state.served
    app.state.served = replace(served, store=OxigraphStore(served.release))
    config = uvicorn_config(app, host=HOST, port=port, log_level="warning")
    uvicorn.Server(config).run(sockets=[listening])


def servers(build_dir: Path) -> dict[str, ServerProcess]:
    pool_port, local_port = free_port(), free_port()
    pool = [kskg_command(), "serve", "--build-dir", str(build_dir), "--port", str(pool_port)]
    local = [sys.executable, "-m", "bench.pool_overhead", "--serve-in-process"]
    local += ["--build-dir", str(build_dir), "--port", str(local_port)]
    return {
        "worker pool": ServerProcess(
            pool, pool_port, "/health", env={**ENV, "KSKG_HTTP_PROCESSES": "1"}
        ),
        "in-process": ServerProcess(local, local_port, "/health", env=ENV),
    }


def measure(build_dir: Path, duration: float, connections: int) -> list[str]:
    rows = ["| query | server | req/s | p50 | p99 | errors |", "|---|---|---|---|---|---|"]
    accept = {"Accept": "application/sparql-results+json"}
    for name, server in servers(build_dir).items():
        with server:
            server.start()
            for label, query in QUERIES.items():
                path = "/sparql?" + urlencode({"query": query})
                result = run_load(
                    server.url, [Request("GET", path, accept)], connections, duration, "wrk"
                )
                rows.append(
                    f"| {label} | {name} | {result.rps:.0f} | {result.p50_ms:.1f} ms "
                    f"| {result.p99_ms:.1f} ms | {result.errors} |"
                )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--build-dir", type=Path, default=Settings().build_dir)
    parser.add_argument("--serve-in-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_in_process:
        serve_in_process(args.build_dir, args.port, args.processes)
        return 0
    if not 1 <= args.duration <= 60:
        parser.error("--duration: 1–60 s")
    print("\n".join(measure(args.build_dir, args.duration, args.connections)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
