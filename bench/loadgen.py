"""Load generation against 127.0.0.1: `wrk` when installed, an httpx asyncio client otherwise.

Both loop over a fixed list of requests (round robin) with `connections` concurrent clients for
`duration_s` seconds (wrk: one thread, so the client keeps to one of the two cores), then stop by
themselves. Every response's status is checked: anything outside 2xx counts as an error, as do
socket errors and timeouts. Latency percentiles come from wrk's own histogram (or from every
measured request in the httpx client).
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

LUA_SCRIPT = Path(__file__).with_name("wrk_mix.lua")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class LoadResult:
    tool: str
    connections: int
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx responses + socket errors + timeouts

    def as_dict(self) -> dict:
        return asdict(self)


def median_of(rounds: list[LoadResult]) -> LoadResult:
    """One result for several rounds of the same load: the median round's rate and
    percentiles (a round that met a burst of the machine's other work does not decide the
    comparison), the requests, seconds and errors of them all."""
    first = rounds[0]
    return LoadResult(
        first.tool,
        first.connections,
        round(sum(r.duration_s for r in rounds), 3),
        sum(r.requests for r in rounds),
        round(statistics.median(r.rps for r in rounds), 1),
        round(statistics.median(r.p50_ms for r in rounds), 3),
        round(statistics.median(r.p99_ms for r in rounds), 3),
        sum(r.errors for r in rounds),
    )


def check_loopback(base_url: str) -> None:
    """Refuse any target but 127.0.0.1: the benchmarks never leave this machine."""
    if urlsplit(base_url).hostname != "127.0.0.1":
        raise ValueError(f"{base_url}: benchmarks only run against 127.0.0.1")


def pick_tool(preferred: str = "auto") -> str:
    if preferred == "auto":
        return "wrk" if shutil.which("wrk") else "httpx"
    if preferred == "wrk" and not shutil.which("wrk"):
        raise RuntimeError(
            "wrk is not installed (Debian: apt-get install wrk); use --loadgen httpx"
        )
    return preferred


def run_load(
    base_url: str,
    requests: list[Request],
    connections: int,
    duration_s: float,
    tool: str = "auto",
    timeout_s: float = 10.0,
) -> LoadResult:
    """Run the mix against `base_url` and return throughput, p50/p99 latency and errors."""
    check_loopback(base_url)
    if not requests:
        raise ValueError("no requests to send")
    if pick_tool(tool) == "wrk":
        return _run_wrk(base_url, requests, connections, duration_s, timeout_s)
    return asyncio.run(_run_httpx(base_url, requests, connections, duration_s, timeout_s))


def _run_wrk(
    base_url: str, requests: list[Request], connections: int, duration_s: float, timeout_s: float
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(lua_mix(requests))
        mix_file = handle.name
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration_s))}s"]
    command += [f"--timeout={timeout_s:g}s", "-s", str(LUA_SCRIPT), base_url, "--", mix_file]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=duration_s + timeout_s + 30
        )
    finally:
        Path(mix_file).unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk_output(done.stdout, connections)


def lua_mix(requests: list[Request]) -> str:
    """The request mix as a Lua chunk (`return { {method=…, path=…, headers={…}, body=…}, … }`)
    for wrk_mix.lua, which has no JSON parser."""
    entries = []
    for req in requests:
        headers = ", ".join(f"[{_lua_str(k)}] = {_lua_str(v)}" for k, v in req.headers.items())
        entries.append(
            f"{{method = {_lua_str(req.method)}, path = {_lua_str(req.path)}, "
            f"headers = {{{headers}}}, body = {_lua_str(req.body)}}}"
        )
    return "return {\n  " + ",\n  ".join(entries) + "\n}\n"


def _lua_str(value: str | bytes) -> str:
    data = value.encode("utf-8") if isinstance(value, str) else value
    safe = (chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}" for b in data)
    return '"' + "".join(safe) + '"'


def parse_wrk_output(stdout: str, connections: int) -> LoadResult:
    """Read the JSON line `wrk_mix.lua` prints in done() (the last line starting with '{')."""
    line = next(ln for ln in reversed(stdout.splitlines()) if ln.startswith("{"))
    data = json.loads(line)
    duration = data["duration_us"] / 1e6
    errors = data["non2xx"] + data["connect"] + data["read"] + data["write"] + data["timeout"]
    return LoadResult(
        tool="wrk",
        connections=connections,
        duration_s=round(duration, 3),
        requests=data["requests"],
        rps=round(data["requests"] / duration, 1) if duration else 0.0,
        p50_ms=round(data["p50_us"] / 1000, 3),
        p99_ms=round(data["p99_us"] / 1000, 3),
        errors=errors,
    )


async def _run_httpx(
    base_url: str, requests: list[Request], connections: int, duration_s: float, timeout_s: float
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    deadline = start + duration_s

    async def client(offset: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        index = offset
        while time.perf_counter() < deadline:
            req = requests[index % len(requests)]
            index += 1
            sent = time.perf_counter()
            try:
                response = await http.request(
                    req.method, req.path, headers=req.headers, content=req.body or None
                )
                ok = 200 <= response.status_code < 300
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - sent)
            errors += not ok

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout_s) as http:
        await asyncio.gather(*(client(i, http) for i in range(connections)))
    elapsed = time.perf_counter() - start
    return LoadResult(
        tool="httpx",
        connections=connections,
        duration_s=round(elapsed, 3),
        requests=len(latencies),
        rps=round(len(latencies) / elapsed, 1),
        p50_ms=round(percentile(latencies, 50) * 1000, 3),
        p99_ms=round(percentile(latencies, 99) * 1000, 3),
        errors=errors,
    )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def fetch_all(base_url: str, requests: list[Request], timeout_s: float = 60.0) -> list[bytes]:
    """Send every request once and return the bodies; raises if any answer is not 2xx.

    Used before a load run, so a misconfigured benchmark fails loudly instead of measuring
    how fast a server can say 404.
    """
    check_loopback(base_url)
    bodies = []
    with httpx.Client(base_url=base_url, timeout=timeout_s) as http:
        for req in requests:
            response = http.request(
                req.method, req.path, headers=req.headers, content=req.body or None
            )
            if not 200 <= response.status_code < 300:
                raise RuntimeError(
                    f"{req.method} {req.path}: HTTP {response.status_code}: {response.text[:300]}"
                )
            bodies.append(response.content)
    return bodies
