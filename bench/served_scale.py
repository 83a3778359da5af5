"""The served configuration at scale: `kskg serve` (main process + query workers) on a release
whose dataset.nq is a synthetic graph; what a user's server costs, not only a bare store.

Reports the seconds to the first answered query, the resident memory of the server and of
each worker process (summed: what the machine must have), how many queries the workers ran at
once (`query_slots` of /health: processes and the threads beside them, api/engine/pool.py),
and per parameterless curated route the latency of its first request (cold: the release
answers it from its precomputed file, kskg/curated_answers.py; anything without one was warmed
in the background first, api/curated/warm.py) and its median over the following ones (warm).
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from api.engine.process_memory import rss_mib as process_rss_mib
from bench.bench_curated import curated_urls
from bench.outputs import median
from bench.scale_worker import bench_texts
from bench.servers import PROJECT_ROOT, kskg_serve
from kskg.curated_answers import ANSWERS, merged_store, write_store_answers
from kskg.query_files import load_queries
from kskg.release import current_release
from kskg.search_index import SEARCH_DB, write_search_index

READY = "/sparql?query=ASK%7B%7D"


def synthetic_release(real_build: Path, nq: Path, build_dir: Path) -> tuple[Path, dict]:
    """A build folder whose current release is the real one with `nq` as its dataset.nq and
    the files the build derives from the data written for `nq` as `kskg build` does: the
    full-text index and the precomputed curated answers (the other dumps stay those of the
    real release; the server loads only dataset.nq). Also returns the seconds each took."""
    real = current_release(real_build)
    shutil.rmtree(build_dir, ignore_errors=True)
    target = build_dir / "releases" / real.path.name
    derived = ("dataset.nq", SEARCH_DB, ANSWERS)
    shutil.copytree(real.path, target, ignore=shutil.ignore_patterns(*derived))
    (target / "dataset.nq").symlink_to(nq.resolve())
    (build_dir / "current").symlink_to(target.relative_to(build_dir))
    return build_dir, write_derived(target, nq)


def write_derived(release: Path, nq: Path) -> dict:
    """Write the index and the answers of `nq` into `release`; the seconds of each step (the
    answers: loading the merged store and evaluating the queries, apart)."""
    started = time.perf_counter()
    write_search_index(nq, release / SEARCH_DB)
    search_s = time.perf_counter() - started
    started = time.perf_counter()
    store = merged_store(nq)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    queries = load_queries(PROJECT_ROOT / "queries").values()
    answered = write_store_answers(store, queries, release / ANSWERS)
    return {
        "search_index_s": round(search_s, 3),
        "answers_load_s": round(load_s, 3),
        "answers_queries_s": round(time.perf_counter() - started, 3),
        "answers_s": round(load_s + time.perf_counter() - started, 3),
        "answered": answered,
        "answers_mib": round(
            sum(f.stat().st_size for f in (release / ANSWERS).iterdir()) / 2**20, 1
        ),
    }


def rss_mib(pid: int) -> float:
    return process_rss_mib(pid) or 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _ask(http: httpx.Client, text: str) -> float:
    started = time.perf_counter()
    http.post("/sparql", data={"query": text}, headers={"Accept": "text/csv"}).raise_for_status()
    return time.perf_counter() - started


def concurrent_queries(http: httpx.Client, repeats: int) -> dict:
    """The mix's whole-graph aggregate (bench/queries/graph_sizes.rq) alone, then two at once;
    each text is new to the answer cache (a numbered comment), so each is evaluated. Two at
    once taking about as long as one means they were evaluated at the same time."""
    text, asked = bench_texts()["graph_sizes"], iter(range(1, 1000))
    alone, both = [], []
    with ThreadPoolExecutor(2) as two:
        for _ in range(repeats):
            alone.append(_ask(http, f"{text}\n# {next(asked)}"))
            started = time.perf_counter()
            texts = [f"{text}\n# {next(asked)}" for _ in range(2)]
            list(two.map(lambda t: _ask(http, t), texts))
            both.append(time.perf_counter() - started)
    one, two_at_once = median(alone), median(both)
    return {
        "one_ms": round(one * 1000, 1),
        "two_at_once_ms": round(two_at_once * 1000, 1),
        "ratio": round(two_at_once / one, 2),
    }


def measure_served(build_dir: Path, repeats: int = 5, warm_timeout_s: float = 300) -> dict:
    server = kskg_serve(build_dir, READY)
    with server:
        ready_s = server.start(timeout_s=600)
        routes = [u for u in curated_urls() if "?" not in u]
        with httpx.Client(base_url=server.url, timeout=120) as http:
            started = time.perf_counter()
            while not http.get("/health").json().get("curated_warm"):
                if time.perf_counter() - started > warm_timeout_s:
                    raise RuntimeError("curated warming did not finish")
                time.sleep(0.1)
            warm_s = time.perf_counter() - started
            concurrent = concurrent_queries(http, repeats)
            health = http.get("/health").json()
            dashboard = {}
            for url in routes:
                times = []
                for _ in range(repeats):
                    t = time.perf_counter()
                    response = http.get(url, headers={"Accept": "application/json"})
                    response.raise_for_status()
                    times.append(time.perf_counter() - t)
                dashboard[url.removeprefix("/api/")] = {
                    "first_ms": round(times[0] * 1000, 3),
                    "p50_ms": round(median(times[1:] or times) * 1000, 3),
                    "bytes": len(response.content),
                    "wire_bytes": int(response.headers.get("content-length", 0)),
                }
        main = server.process.pid
        workers = {pid: round(rss_mib(pid), 1) for pid in children(main)}
        main_rss = round(rss_mib(main), 1)
    return {
        "ready_s": round(ready_s, 3),
        "warm_s": round(warm_s + ready_s, 3),
        "main_rss_mib": main_rss,
        "worker_rss_mib": sorted(workers.values()),
        # With several HTTP processes (api/serving.py) /health tells the slots of one.
        "query_slots": health.get("query_slots", health["workers"])
        * health.get("http_processes", 1),
        "http_processes": health.get("http_processes", 1),
        "total_rss_mib": round(main_rss + sum(workers.values()), 1),
        "concurrent": concurrent,
        "dashboard": dashboard,
    }
