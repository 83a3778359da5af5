"""The worker pool with real worker processes and no HTTP (api/engine/pool.py): answers come back
from a worker, a query past the deadline is stopped by killing its worker (503 with
Retry-After), and a worker that dies is replaced."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from api.engine.messages import ReleaseDump
from api.engine.pool import WorkerPool
from api.engine.query_job import Outcome, QueryJob, Rows, own_query
from api.errors import ApiError
from kskg.release import current_release
from tests.support.hardened import hardened_settings

# Six unconstrained triple patterns: far more solutions than any deadline allows.
CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }"
)
ASK = QueryJob("ASK { ?s ?p ?o }", accept="text/csv")


def in_pool(build_dir: Path, scenario: Callable[[WorkerPool, str, ReleaseDump], Awaitable]):
    """Run `scenario(pool, key, source)` on a started one-worker pool serving the release."""
    release = current_release(build_dir)
    key, source = release.version, ReleaseDump(str(release.dump_path("nq")))

    async def main():
        pool = WorkerPool(hardened_settings(build_dir, query_workers=1))
        await pool.load(key, source)
        await pool.start()
        try:
            return await scenario(pool, key, source)
        finally:
            await pool.close()

    return asyncio.run(main())


async def replaced(pool: WorkerPool, gone: int) -> int:
    """The pid of the worker that replaced `gone`, once it is ready."""
    for _ in range(400):
        pids = {worker.pid for worker in pool.workers}
        if pids and gone not in pids and not pool.busy():
            return pids.pop()
        await asyncio.sleep(0.05)
    raise AssertionError(f"worker {gone} was not replaced")


def test_jobs_are_answered_by_a_worker(mini_build: Path) -> None:
    async def scenario(pool, key, source):
        outcome = await pool.run(key, ASK, source)
        rows = await pool.run(key, own_query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"), source)
        return outcome, rows

    outcome, rows = in_pool(mini_build, scenario)
    assert isinstance(outcome, Outcome) and outcome.body.strip().endswith(b"true")
    assert isinstance(rows, Rows) and len(rows) == 3 and rows.names == ("s",)


def test_a_query_past_the_deadline_is_refused_and_its_worker_replaced(mini_build: Path) -> None:
    async def scenario(pool, key, source):
        (worker,) = pool.workers
        with pytest.raises(ApiError) as refused:
            await pool.run(key, QueryJob(CARTESIAN, accept="text/csv"), source)
        ended = await asyncio.to_thread(worker.process.wait, 10)
        after = await replaced(pool, worker.pid)
        answer = await pool.run(key, ASK, source)
        return refused.value, worker.pid, ended, after, answer, pool.restarts

    refused, before, ended, after, answer, restarts = in_pool(mini_build, scenario)
    assert (refused.status, refused.code, refused.headers["Retry-After"]) == (
        503,
        "query_timeout",
        "2",
    )
    assert refused.details["timeout_s"] == 2.0
    assert ended == -signal.SIGKILL and after != before
    assert answer.body.strip().endswith(b"true") and restarts == 1


def test_a_worker_dying_mid_query_is_a_503_and_is_replaced(mini_build: Path) -> None:
    async def scenario(pool, key, source):
        (victim,) = {worker.pid for worker in pool.workers}
        heavy = asyncio.ensure_future(pool.run(key, QueryJob(CARTESIAN, accept="text/csv"), source))
        while not pool.busy():
            await asyncio.sleep(0.01)
        os.kill(victim, signal.SIGKILL)
        with pytest.raises(ApiError) as refused:
            await heavy
        after = await replaced(pool, victim)
        answer = await pool.run(key, ASK, source)
        return refused.value, victim, after, answer

    refused, victim, after, answer = in_pool(mini_build, scenario)
    assert (refused.status, refused.code) == (503, "query_aborted")
    assert refused.headers["Retry-After"] == "5"
    assert after != victim and answer.body.strip().endswith(b"true")
