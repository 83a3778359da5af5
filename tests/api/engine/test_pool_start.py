"""How the query workers start: the first one early (kskg serve), the others after it.

`kskg serve` starts one worker before FastAPI is imported and has it load the release (the
two overlap); the pool adopts that worker, answers as soon as one worker is ready, and starts
the others once the first answer has gone out. Real worker processes, a real release.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.engine import worker_process
from api.engine.messages import ReleaseDump
from api.engine.pool import WorkerPool
from api.engine.query_job import QueryJob
from kskg.release import current_release
from kskg.settings import PROJECT_ROOT
from tests.support.hardened import hardened_settings


def _source(build_dir: Path) -> tuple[str, ReleaseDump]:
    release = current_release(build_dir)
    return release.version, ReleaseDump(str(release.dump_path("nq")))


async def _ask(pool: WorkerPool, key: str, source: ReleaseDump) -> bytes:
    outcome = await pool.run(key, QueryJob(query="ASK { ?s ?p ?o }", accept="text/csv"), source)
    return outcome.body


def test_the_pool_adopts_the_prestarted_worker_and_answers_before_the_others_start(
    mini_build: Path,
) -> None:
    settings = hardened_settings(mini_build, query_workers=3)
    key, source = _source(mini_build)

    async def scenario() -> tuple:
        early = worker_process.prestart(settings, key, source)
        pool = WorkerPool(settings)
        pool.datasets[key] = source
        try:
            await pool.start()
            first = ({w.pid for w in pool.workers}, await _ask(pool, key, source))
            await pool.started()
            return early.pid, first, len(pool.workers), pool.busy()
        finally:
            await pool.close()

    early_pid, (first_pids, answer), workers, busy = asyncio.run(scenario())
    assert first_pids == {early_pid}
    assert answer.strip().endswith(b"true")
    assert (workers, busy) == (3, 0)
    assert worker_process.PRESTARTED == []


def test_a_prestarted_worker_loading_a_release_no_longer_served_loads_the_current_one(
    mini_build: Path,
) -> None:
    settings = hardened_settings(mini_build, query_workers=1)
    key, source = _source(mini_build)

    async def scenario() -> bytes:
        worker_process.prestart(settings, "replaced-meanwhile", source)
        pool = WorkerPool(settings)
        pool.datasets[key] = source
        try:
            await pool.start()
            return await _ask(pool, key, source)
        finally:
            await pool.close()

    assert asyncio.run(scenario()).strip().endswith(b"true")


def test_a_prestarted_worker_that_cannot_load_fails_the_start_with_the_reason(
    mini_build: Path, tmp_path: Path
) -> None:
    settings = hardened_settings(mini_build, query_workers=1)
    missing = ReleaseDump(str(tmp_path / "missing.nq"))

    async def scenario() -> None:
        worker_process.prestart(settings, "v", missing)
        pool = WorkerPool(settings)
        pool.datasets["v"] = missing
        try:
            await pool.start()
        finally:
            await pool.close()

    with pytest.raises(worker_process.LoadFailed, match="missing.nq"):
        asyncio.run(scenario())


def test_the_http_process_does_not_import_rdflib_jinja2_or_httpx_to_start() -> None:
    """Each took a tenth or more of start-up; the server's first answer needs none of them
    (httpx only the remote store, api/app.py)."""
    code = (
        "import sys, api.app, api.http.server; "
        "print(sorted({'rdflib', 'jinja2', 'httpx'} & set(sys.modules)))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"


def _started_workers(settings, build_dir: Path) -> int:
    key, source = _source(build_dir)

    async def scenario() -> int:
        pool = WorkerPool(settings)
        pool.datasets[key] = source
        try:
            await pool.start()
            await _ask(pool, key, source)
            await pool.started()
            return len(pool.workers)
        finally:
            await pool.close()

    return asyncio.run(scenario())


def test_fewer_workers_start_when_more_would_not_fit_the_memory_budget(
    mini_build: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # This test process and three workers hold more than 256 MiB.
    tight = hardened_settings(mini_build, query_workers=3, memory_budget_mb=256)
    assert _started_workers(tight, mini_build) < 3
    assert "memory budget 256 MiB:" in caplog.text
    assert "query worker(s) instead of 3" in caplog.text
    roomy = hardened_settings(mini_build, query_workers=3, memory_budget_mb=64 * 1024)
    assert _started_workers(roomy, mini_build) == 3


def test_a_fast_query_is_charged_the_time_it_held_a_worker_under_uvloop(mini_build: Path):
    """uvloop's clock ticks in whole milliseconds: timed by it, a sub-millisecond query would
    cost its client nothing against the query budget."""
    uvloop = pytest.importorskip("uvloop")
    settings = hardened_settings(mini_build, query_workers=1)
    key, source = _source(mini_build)
    charged: list[float] = []

    async def scenario() -> None:
        pool = WorkerPool(settings)
        pool.datasets[key] = source
        try:
            await pool.start()
            for _ in range(20):
                await pool.run(key, QueryJob(query="ASK {}"), source, charged.append)
        finally:
            await pool.close()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(scenario())
    assert len(charged) == 20 and all(seconds > 0 for seconds in charged)


@pytest.mark.parametrize("nice", [0, 7])
def test_workers_run_worker_nice_below_the_server_and_so_do_their_job_threads(
    mini_build: Path, nice: int
) -> None:
    settings = hardened_settings(mini_build, query_workers=1, worker_nice=nice)
    key, source = _source(mini_build)

    async def scenario() -> list[int]:
        pool = WorkerPool(settings)
        pool.datasets[key] = source
        try:
            await pool.start()
            await _ask(pool, key, source)  # a job thread exists now
            (worker,) = pool.workers
            tasks = Path(f"/proc/{worker.pid}/task").iterdir()
            return [os.getpriority(os.PRIO_PROCESS, int(task.name)) for task in tasks]
        finally:
            await pool.close()

    priorities = asyncio.run(scenario())
    assert len(priorities) >= 2
    assert set(priorities) == {min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice)}
