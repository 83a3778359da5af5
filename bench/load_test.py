"""Bounded load test of `kskg serve` on 127.0.0.1 (issue #4): mixed curated, SPARQL and dump
requests from 64 concurrent clients for 60 s, while one more client keeps sending a query that
runs into its deadline. Writes bench/LOAD.md and exits 1 if any request got an unexpected answer.

    python -m bench.load_test [--duration 60] [--clients 64] [--deadline 5]

Each client connects from its own loopback address (127.0.0.2, 127.0.0.3, …), so the
per-client limits (api/sparql/client_limits.py) apply per simulated client, exactly as with
real clients.
An *error* is any answer other than the expected status (200 for the mix; 503 query_timeout or
429 too_many_queries for the heavy client), and any connection error or client timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import orjson

from bench.loadgen import check_loopback, percentile
from bench.servers import HOST, ServerProcess, free_port, kskg_command
from kskg.release import current_release
from kskg.settings import Settings

OUTPUT = Path(__file__).with_name("LOAD.md")
KSK = "https://w3id.org/kinderschutz-kg/ontology#"
SPARQL = [
    f"SELECT ?k ?label WHERE {{ ?k a <{KSK}Kommune> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
    "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
    f"ASK {{ ?s a <{KSK}Cluster> }}",
    f"CONSTRUCT WHERE {{ ?c a <{KSK}Cluster> ; ?p ?o }}",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 100",
]
#: Six triple patterns over the whole graph: far more work than any deadline allows.
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"
)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    heavy: Counter = field(default_factory=Counter)


def request_mix(http: httpx.Client) -> list[tuple[str, str, dict]]:
    """(kind, path with query, headers): every curated example, SPARQL queries, dumps."""
    mix = [("curated", entry["example"], {}) for entry in http.get("/api").json()["queries"]]
    accept = {"accept": "application/sparql-results+json, text/turtle;q=0.9"}
    mix += [("sparql", "/sparql?" + urlencode({"query": q}), accept) for q in SPARQL]
    mix += [
        ("dump", "/dumps/", {"accept": "application/json"}),
        ("dump", "/dumps/dataset.ttl", {"accept-encoding": "gzip"}),
        ("dump", "/dumps/dataset.nt", {"accept-encoding": "gzip"}),
        ("dump", "/dumps/dataset.trig", {}),
    ]
    return mix


class Connection:
    """A minimal HTTP/1.1 keep-alive client from a given loopback address: sends GETs and reads
    answers (Content-Length or chunked) without decoding them, so the load generator spends
    little CPU and the measurement is of the server."""

    def __init__(self, url: str, address: str) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.address = parts.hostname, parts.port, address
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, target: str, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(
                self.host, self.port, local_addr=(self.address, 0), limit=1 << 20
            )
        reader, writer = self.streams
        lines = [f"GET {target} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head.split(" ", 2)[1])
        if "transfer-encoding: chunked" in head:
            body = await _chunked(reader)
        else:
            length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
            body = await reader.readexactly(length)
        if "connection: close" in head:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _chunked(reader: asyncio.StreamReader) -> bytes:
    body = b""
    while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
        body += await reader.readexactly(size + 2)
    await reader.readuntil(b"\r\n")
    return body


async def client(index: int, url: str, mix: list, end: float, tally: Tally) -> None:
    connection = Connection(url, f"127.0.0.{2 + index}")
    rng = random.Random(index)
    while time.monotonic() < end:
        kind, path, headers = rng.choice(mix)
        started = time.perf_counter()
        try:
            status, body = await connection.get(path, headers)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            tally.errors.append(f"{path}: {type(error).__name__}")
            await connection.close()
            continue
        elapsed = time.perf_counter() - started
        if status != 200:
            tally.errors.append(f"{path}: {status} {body[:120]!r}")
        else:
            tally.latencies[kind].append(elapsed)
    await connection.close()


async def heavy_client(url: str, end: float, tally: Tally) -> None:
    connection = Connection(url, "127.0.0.250")
    target = "/sparql?" + urlencode({"query": HEAVY})
    while time.monotonic() < end:
        try:
            status, body = await connection.get(target, {"accept": "application/json"})
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            tally.errors.append(f"heavy: {type(error).__name__}")
            await connection.close()
            continue
        code = orjson.loads(body).get("error") if status >= 400 else None
        tally.heavy[f"{status} {code}"] += 1
        if (status, code) not in ((503, "query_timeout"), (429, "too_many_queries")):
            tally.errors.append(f"heavy: {status} {body[:120]!r}")
        if status == 429:
            await asyncio.sleep(1)
    await connection.close()


async def run(url: str, mix: list, args) -> tuple[Tally, float]:
    tally = Tally()
    end = time.monotonic() + args.duration
    started = time.perf_counter()
    heavy = [heavy_client(url, end, tally)] if not args.no_heavy else []
    await asyncio.gather(*heavy, *(client(i, url, mix, end, tally) for i in range(args.clients)))
    return tally, time.perf_counter() - started


def report(tally: Tally, elapsed: float, args, version: str, health: dict) -> str:
    """bench/LOAD.md: what ran, throughput, latency per kind, the heavy client, errors."""
    every = [t for values in tally.latencies.values() for t in values]
    total = len(every) + len(tally.errors)
    lines = [
        "# Load test (`make loadtest`, bench/load_test.py)",
        "",
        f"`kskg serve` on 127.0.0.1, release `{version}`, {args.clients} clients (each from its "
        f"own loopback address) for {elapsed:.0f} s, plus one client sending a query that runs "
        f"into the {args.deadline:g} s deadline again and again. The load generator (asyncio, "
        f"plain HTTP/1.1 keep-alive connections) and the server share the machine "
        f"({_cpus()} cores).",
        "",
        "| requests | errors | throughput | p50 | p99 |",
        "|---|---|---|---|---|",
        f"| {total} | {len(tally.errors)} | {len(every) / elapsed:.0f} req/s "
        f"| {_ms(every, 50)} | {_ms(every, 99)} |",
        "",
        "| kind | requests | p50 | p99 |",
        "|---|---|---|---|",
    ]
    for kind, values in sorted(tally.latencies.items()):
        lines.append(f"| {kind} | {len(values)} | {_ms(values, 50)} | {_ms(values, 99)} |")
    heavy = ", ".join(f"{count} × {answer}" for answer, count in sorted(tally.heavy.items()))
    lines += [
        "",
        f"Heavy client: {heavy}. Worker restarts (each deadline kills one worker): "
        f"{health.get('worker_restarts')}.",
        "",
        "An error is any answer but 200 for the mix (503 `query_timeout` or 429 "
        "`too_many_queries` for the heavy client), and any connection error or timeout.",
    ]
    if tally.errors:
        lines += ["", "Errors (first 20):", ""] + [f"- `{e}`" for e in tally.errors[:20]]
    return "\n".join(lines) + "\n"


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct) * 1000:.1f} ms" if values else "–"


def _cpus() -> int:
    return os.cpu_count() or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (60–70 for #4)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument(
        "--deadline", type=float, default=Settings().query_timeout_s, help="KSKG_QUERY_TIMEOUT_S"
    )
    parser.add_argument("--build-dir", type=Path, default=Settings().build_dir)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--no-heavy", action="store_true", help="without the heavy client")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 70 or not 1 <= args.clients <= 200:
        parser.error("the load test is bounded: --duration 1–70 s, --clients 1–200")
    version = current_release(args.build_dir).version  # a clear error if nothing was built
    port = free_port()
    argv_serve = [kskg_command(), "serve", "--build-dir", str(args.build_dir)]
    server = ServerProcess(
        [*argv_serve, "--host", HOST, "--port", str(port)],
        port,
        "/health",
        env={"KSKG_QUERY_TIMEOUT_S": str(args.deadline)},
    )
    with server:
        server.start()
        check_loopback(server.url)
        with httpx.Client(base_url=server.url, timeout=30) as http:
            mix = request_mix(http)
            for _, path, headers in mix:  # warm the curated cache as a first visitor would
                http.get(path, headers=headers)
            tally, elapsed = asyncio.run(run(server.url, mix, args))
            health = http.get("/health").json()
    text = report(tally, elapsed, args, version, health)
    args.output.write_text(text, "utf-8")
    print(text)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
