"""`kskg serve` with several HTTP processes on one port (api/serving.py), each evaluating its
queries on its own threads: the deadline still holds (the query's process is condemned, stops
taking connections, ends and is replaced while the others answer), a crashed process is
replaced, SIGTERM stops them all, and their access log lines never cut into each other."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from kskg.release import current_release
from tests.hardening.conftest import CARTESIAN, MINI
from tests.hardening.test_releases import COUNT, _point, count_of, publish_variant
from tests.hardening.test_shutdown import alive, children
from tests.support.release_fixture import publish_trig
from tests.support.serve_process import serve_process

ACCESS_LINE = re.compile(r'^INFO:     127\.0\.0\.1:\d+ - "GET /[^"]* HTTP/1\.1" \d{3} [A-Za-z ]+$')


@pytest.fixture
def build_dir(tmp_path: Path) -> Path:
    build_dir = tmp_path / "build"
    publish_trig(MINI, build_dir)
    return build_dir


@pytest.fixture
def served(build_dir: Path):
    """`kskg serve` with two HTTP processes (2 s deadline) on a free port: (process, url);
    standard output is a pipe, read after the server has ended."""
    server, url = start(build_dir)
    try:
        until(lambda: len(children(server.pid)) == 2 and _healthy(url), 60, server)
        yield server, url
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def start(build_dir: Path, **more: str) -> tuple[subprocess.Popen, str]:
    settings = {
        "KSKG_HTTP_PROCESSES": "2",
        "KSKG_QUERY_TIMEOUT_S": "2",
        "KSKG_SHUTDOWN_GRACE_S": "2",
        "KSKG_CLIENT_CONCURRENCY": "64",
        "KSKG_RELEASE_POLL_S": "0.2",
        **more,
    }
    return serve_process(build_dir, settings, stdout=subprocess.PIPE)


def until(condition, seconds: float, server: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert server is None or server.poll() is None, server.stderr.read().decode()
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.05)


def replaced(pid: int, before: set[int]) -> bool:
    """`pid` has as many children as `before` again, and not the same ones."""
    now = children(pid)
    return len(now) == len(before) and now != before


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url + "/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


class Probe(threading.Thread):
    """Asks /health and a small query on fresh connections until stopped; keeps the codes."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.codes, self.running = url, [], True

    def run(self) -> None:
        while self.running:
            for path, params in (("/health", {}), ("/sparql", {"query": "ASK { ?s ?p ?o }"})):
                try:
                    code = httpx.get(self.url + path, params=params, timeout=5).status_code
                except httpx.TransportError as error:
                    code = type(error).__name__
                self.codes.append(code)
            time.sleep(0.03)

    def stop(self) -> list:
        self.running = False
        self.join()
        return self.codes


def test_a_query_past_its_deadline_ends_only_its_process_which_is_replaced(served) -> None:
    server, url = served
    before = children(server.pid)
    probe = Probe(url)
    probe.start()
    started = time.monotonic()
    heavy = httpx.get(url + "/sparql", params={"query": CARTESIAN}, timeout=30)
    took = time.monotonic() - started
    until(lambda: replaced(server.pid, before), 20)
    condemned = before - children(server.pid)
    until(lambda: not any(alive(pid) for pid in condemned), 15)
    codes = probe.stop()
    assert heavy.status_code == 503 and heavy.json()["error"] == "query_timeout"
    assert 2 <= took < 4, f"answered after {took:.1f} s, the deadline is 2 s"
    assert len(condemned) == 1, "exactly the process of the query ended"
    assert codes and set(codes) == {200}, codes
    assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_crashed_http_process_is_replaced(served) -> None:
    server, url = served
    before = children(server.pid)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    until(lambda: replaced(server.pid, before), 20)
    codes = [httpx.get(url + "/health").status_code for _ in range(20)]
    assert codes == [200] * 20


def test_sigterm_ends_every_process_and_the_log_lines_stay_whole(served) -> None:
    server, url = served
    processes = children(server.pid)

    def ask(count: int) -> None:
        for _ in range(count):  # a new connection each: both processes answer
            httpx.get(url + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"})

    askers = [threading.Thread(target=ask, args=(150,)) for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == 0
    until(lambda: not any(alive(pid) for pid in processes), 10)
    lines = server.stdout.read().decode().splitlines()
    sparql = [line for line in lines if "/sparql" in line]
    assert len(sparql) == 600, f"{len(sparql)} of 600 access log lines"
    assert all(ACCESS_LINE.match(line) for line in lines), [
        line for line in lines if not ACCESS_LINE.match(line)
    ][:3]


def test_every_process_switches_to_a_new_release_and_keeps_the_old_one_citable(
    served, build_dir: Path, tmp_path: Path
) -> None:
    server, url = served
    old = httpx.get(url + "/health").json()["version"]
    new = publish_variant(build_dir, tmp_path, 5)

    def answers() -> set[tuple[str, int]]:  # a fresh connection each: both processes answer
        found = set()
        for _ in range(12):
            response = httpx.get(url + "/sparql", params={"query": COUNT})
            found.add((response.headers["X-Data-Version"], count_of(response)))
        return found

    until(lambda: {version for version, _ in answers()} == {new}, 30)
    counts = answers()
    pinned = {
        count_of(httpx.get(url + "/sparql", params={"query": COUNT, "version": old}))
        for _ in range(12)
    }
    assert len(counts) == 1 and pinned == {next(iter(counts))[1] - 5}


def test_a_release_that_cannot_be_loaded_stops_the_server_with_the_reason(
    build_dir: Path,
) -> None:
    """No endless restarts: uvicorn's start-up failure in every try ends the supervisor."""
    dump = current_release(build_dir).dump_path("nq")
    with dump.open("a", encoding="utf-8") as broken:
        broken.write("this is not N-Quads <\n")
    server, _ = start(build_dir)
    try:
        status = server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    log = server.stderr.read().decode()
    assert status == 3
    assert f"{dump.name}, line {len(dump.read_text().splitlines())}" in log
    assert "the HTTP processes cannot start" in log


def test_a_query_running_out_of_memory_is_aborted_and_its_process_replaced(
    build_dir: Path,
) -> None:
    """Sorting every combination of four triples holds them all: the process's address space
    passes 85 % of its limit within a second, long before the deadline."""
    server, url = start(build_dir, KSKG_WORKER_MEMORY_MB="1024", KSKG_QUERY_TIMEOUT_S="30")
    try:
        until(lambda: len(children(server.pid)) == 2 and _healthy(url), 60, server)
        before = children(server.pid)
        patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(4))
        query = f"SELECT * WHERE {{ {patterns} }} ORDER BY ?o0 ?o1 ?o2 ?o3"
        hungry = httpx.get(url + "/sparql", params={"query": query}, timeout=60)
        until(lambda: replaced(server.pid, before), 30)
        assert hungry.status_code == 503 and hungry.json()["error"] == "query_aborted"
        assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        server.kill()
        server.wait()


def test_a_replacement_serves_the_last_good_release_when_current_is_broken(
    served, build_dir: Path, tmp_path: Path
) -> None:
    """`current` names a damaged copy: the processes keep the release they serve, and one that
    replaces a condemned process serves it too (the newest kept release that can be served),
    not a failing start after failing start."""
    server, url = served
    good = publish_variant(build_dir, tmp_path, 3)
    until(lambda: served_versions(url) == {good}, 30)
    releases = build_dir / "releases"
    broken = releases / "damaged"
    subprocess.run(["cp", "-r", str(releases / good), str(broken)], check=True)
    (broken / "dataset.nq").write_text("this is not N-Quads\n", "utf-8")
    _point(build_dir, Path("releases") / "damaged")
    time.sleep(1.0)  # five polls of every process's watcher
    before = children(server.pid)
    heavy = httpx.get(url + "/sparql", params={"query": CARTESIAN}, timeout=30)
    until(lambda: replaced(server.pid, before), 20)
    assert heavy.json()["error"] == "query_timeout"
    assert served_versions(url) == {good}
    assert len(children(server.pid)) == 2 and server.poll() is None


def served_versions(url: str) -> set[str]:
    """The data versions of twelve answers, each on a fresh connection (both processes)."""
    return {
        httpx.get(url + "/sparql", params={"query": COUNT}).headers["X-Data-Version"]
        for _ in range(12)
    }
