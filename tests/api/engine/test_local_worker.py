"""Query slots on threads of the HTTP process itself (api/engine/local_worker.py), as each of
several HTTP processes runs them: answers without a worker process, a query past its deadline
refused at the deadline with the process condemned (its thread cannot be stopped), the job
beside it run again on a fresh local worker that reuses the loaded data, and a failed load.

Each scenario runs in a forked process that ends with it, as a condemned HTTP process does: a
query past its deadline burns on in its thread until then."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from pathlib import Path

from api.engine.local_worker import LocalStores
from api.engine.messages import ReleaseDump
from api.engine.pool import LoadFailed, WorkerPool
from api.engine.query_job import Outcome, QueryJob
from api.errors import ApiError
from kskg.release import current_release
from tests.api.engine.test_worker_threads import ASK, ENDLESS, MEDIUM, until
from tests.support.hardened import hardened_settings


def in_forked_process(build_dir: Path, scenario: str, **options):
    """`scenario(pool, key, source, stores)` (a function of this module, by name) on a started
    pool of two local slots, in a forked process that ends afterwards; returns its result."""
    with multiprocessing.get_context("fork").Pool(1) as process:
        return process.apply(_run, (build_dir, scenario, options))


def _run(build_dir: Path, scenario: str, options: dict):
    release = current_release(build_dir)
    key, source = release.version, ReleaseDump(str(release.dump_path("nq")))
    condemned: list[int] = []

    async def main():
        settings = hardened_settings(build_dir, query_workers=2, **options)
        stores = LocalStores(lambda: condemned.append(1))
        pool = WorkerPool(settings, stores)
        pool.datasets[key] = source
        await pool.start()
        try:
            return await globals()[scenario](pool, key, source, stores)
        finally:
            await pool.close()

    return asyncio.run(main()), len(condemned)


async def answers_in_this_process(pool, key, source, stores):
    (worker,) = pool.workers
    answers = await asyncio.gather(*(pool.run(key, ASK, source) for _ in range(4)))
    return worker.pid == os.getpid(), pool.slots(), [a.body.strip()[-4:] for a in answers]


def test_jobs_are_answered_on_threads_of_the_process(mini_build: Path) -> None:
    (same_process, slots, answers), condemned = in_forked_process(
        mini_build, "answers_in_this_process"
    )
    assert same_process and slots == 2 and answers == [b"true"] * 4 and condemned == 0


async def deadline_beside_a_neighbour(pool, key, source, stores):
    (worker,) = pool.workers
    data = stores.datasets[key]
    pool.timeout = 0.6  # the neighbour takes about a second alone: it is running at the kill
    endless = asyncio.ensure_future(pool.run(key, ENDLESS, source))
    await until(lambda: pool.busy() == 1)
    pool.timeout = 60.0
    neighbour = asyncio.ensure_future(pool.run(key, MEDIUM, source))
    await until(lambda: pool.busy() == 2)
    try:
        await endless
    except ApiError as error:
        refused = (error.status, error.code)
    answer = await neighbour
    after = await pool.run(key, ASK, source)
    (fresh,) = pool.workers
    return (
        refused,
        isinstance(answer, Outcome) and answer.body.split()[-1].isdigit(),
        after.body.strip().endswith(b"true"),
        (pool.runs_again, pool.restarts, fresh is not worker, stores.datasets[key] is data),
    )


def test_a_query_past_its_deadline_condemns_the_process_and_the_neighbour_runs_again(
    mini_build: Path,
) -> None:
    (refused, neighbour, after, counts), condemned = in_forked_process(
        mini_build, "deadline_beside_a_neighbour"
    )
    assert refused == (503, "query_timeout")
    assert neighbour and after and condemned == 1
    runs_again, restarts, fresh_worker, same_data = counts
    assert (runs_again, restarts, fresh_worker) == (1, 1, True)
    assert same_data, "the fresh local worker loaded the release again"


async def a_failed_load(pool, key, source, stores):
    try:
        await pool.load("broken", ReleaseDump("/nonexistent/dataset.nq"))
    except LoadFailed as failure:
        failed = str(failure)
    answer = await pool.run(key, QueryJob("ASK { ?s ?p ?o }", accept="text/csv"), source)
    return failed, "broken" in pool.datasets, answer.body.strip()[-4:]


def test_a_failed_load_is_reported_and_the_served_data_stays(mini_build: Path) -> None:
    (failed, kept, answer), condemned = in_forked_process(mini_build, "a_failed_load")
    assert "/nonexistent/dataset.nq" in failed and "FileNotFoundError" in failed
    assert not kept and answer == b"true" and condemned == 0


async def memory_running_out(pool, key, source, stores):
    endless = asyncio.ensure_future(pool.run(key, ENDLESS, source))
    await until(lambda: pool.busy() == 1)
    stores.watch_memory(1.0, every_s=0.01)  # this process holds far more than 0.85 MiB
    try:
        await endless
    except ApiError as error:
        refused = (error.status, error.code, error.headers.get("Retry-After"))
    after = await pool.run(key, ASK, source)
    return refused, after.body.strip()[-4:], pool.runs_again


def test_a_process_running_out_of_memory_aborts_its_queries_and_is_condemned(
    mini_build: Path,
) -> None:
    """Before an allocation would fail at the address-space limit (and end the process with
    every connection it holds), its running queries are answered as a dead worker's are."""
    (refused, after, runs_again), condemned = in_forked_process(mini_build, "memory_running_out")
    assert refused == (503, "query_aborted", "5") and condemned == 1
    assert after == b"true" and runs_again == 0
