"""A flood of connections that never finish their request heads, all from one address, against
`kskg serve` (api/http/server.py: `header_timeout_s`, `client_connections`), while a client on
another address asks /health on a fresh connection twice a second.

    python -m bench.connection_flood [--connections 20000] [--seconds 45] [--limits off]

The flood runs in child processes of about 9,500 sockets each (a process's open-file limit is
often 20,000 or less). Prints one JSON line: /health answered and failed, its median and
slowest time, and the most file descriptors the server held (sampled from /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import tempfile
import time
from multiprocessing import Process
from pathlib import Path

import httpx

from bench.servers import HOST, ServerProcess, free_port, kskg_command
from tests.support.release_fixture import publish_trig

MINI = Path(__file__).parent.parent / "tests" / "api" / "fixtures" / "mini.trig"
PER_PROCESS = 9500
FLOODER, PROBE = "127.0.0.1", "127.0.0.7"
#: Without the two limits: the longest head deadline and the most connections the settings allow.
NO_LIMITS = {"KSKG_HEADER_TIMEOUT_S": "300", "KSKG_CLIENT_CONNECTIONS": "100000"}


def flood(port: int, count: int, hold_s: float) -> None:
    """`count` connections from FLOODER, each having sent half a request head; held `hold_s`."""
    held = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind((FLOODER, 0))
        sock.settimeout(3)
        try:
            sock.connect((HOST, port))
            sock.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            pass
        held.append(sock)
    time.sleep(hold_s)


def probe(server: ServerProcess, seconds: float) -> dict:
    times, failed, most_fds = [], 0, 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            transport = httpx.HTTPTransport(local_address=PROBE)
            with httpx.Client(timeout=3, transport=transport) as client:
                client.get(server.url + "/health").raise_for_status()
            times.append(time.monotonic() - started)
        except httpx.HTTPError:
            failed += 1
        most_fds = max(most_fds, len(os.listdir(f"/proc/{server.process.pid}/fd")))
        time.sleep(0.5)
    return {
        "health_answered": len(times),
        "health_failed": failed,
        "health_p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "health_max_ms": round(max(times) * 1000, 1) if times else None,
        "server_most_fds": most_fds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--limits", choices=["on", "off"], default="on")
    args = parser.parse_args()
    build_dir = Path(tempfile.mkdtemp(prefix="flood-"))
    publish_trig(MINI, build_dir)
    port = free_port()
    argv = [kskg_command(), "serve", "--build-dir", str(build_dir), "--host", HOST]
    env = {"KSKG_QUERY_WORKERS": "1"} | (NO_LIMITS if args.limits == "off" else {})
    with ServerProcess([*argv, "--port", str(port)], port, "/health", env=env) as server:
        server.start()
        counts = range(0, args.connections, PER_PROCESS)
        floods = [
            Process(target=flood, args=(port, min(PER_PROCESS, args.connections - n), args.seconds))
            for n in counts
        ]
        for child in floods:
            child.start()
        result = probe(server, args.seconds)
        for child in floods:
            child.join()
    print(json.dumps({"limits": args.limits, "connections": args.connections} | result))


if __name__ == "__main__":
    main()
