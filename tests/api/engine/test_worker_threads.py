"""Query slots beyond the worker processes the memory budget admits run as threads of one worker,
sharing its store (api/engine/pool.py, api/engine/job_threads.py): two jobs are evaluated at
once, a deadline kill re-runs the innocent neighbour, and a long job's thread alone yields the
CPU. Real worker processes on a real release; the budget is squeezed below what one worker
holds, so exactly one process starts."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from api.engine.job_threads import LONG_QUERY_NICE, JobThreads
from api.engine.messages import Done, ReleaseDump
from api.engine.pool import WorkerPool
from api.engine.query_job import Outcome, QueryJob
from api.errors import ApiError
from kskg.release import current_release
from tests.support.hardened import hardened_settings

# Six unconstrained triple patterns: far more solutions than any deadline allows.
ENDLESS = QueryJob(
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6)) + " }",
    accept="text/csv",
)
# Four patterns three times over the mini release: a few seconds, well within the deadline.
MEDIUM = QueryJob(
    "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?x { 1 2 3 } "
    + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(4))
    + " }",
    accept="text/csv",
)
ASK = QueryJob("ASK { ?s ?p ?o }", accept="text/csv")


def one_process(
    build_dir: Path,
    scenario: Callable[[WorkerPool, str, ReleaseDump], Awaitable],
    timeout_s: float = 30,
    dump: Path | None = None,
):
    """Run `scenario(pool, key, source)` on a pool of two query slots whose memory budget admits
    one worker process; `dump`: the N-Quads file to load instead of the release's own."""
    release = current_release(build_dir)
    key, source = release.version, ReleaseDump(str(dump or release.dump_path("nq")))

    async def main():
        settings = hardened_settings(build_dir, query_workers=2, query_timeout_s=timeout_s)
        pool = WorkerPool(settings)
        await pool.load(key, source)
        # Below any worker's size (the settings' own floor is 256 MiB).
        pool.settings = settings.model_copy(update={"memory_budget_mb": 1})
        await pool.start()
        await pool.run(key, ASK, source)
        await pool.started()
        try:
            return await scenario(pool, key, source)
        finally:
            await pool.close()

    return asyncio.run(main())


async def until(condition: Callable[[], bool], seconds: float = 20) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def test_the_budget_admits_the_second_slot_as_a_thread_of_the_one_worker(
    mini_build: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(pool, key, source):
        return len(pool.workers), pool.slots(), pool.busy()

    with caplog.at_level(logging.WARNING, logger="kskg.pool"):
        workers, slots, busy = one_process(mini_build, scenario)
    assert (workers, slots, busy) == (1, 2, 0)
    assert "1 query worker(s) instead of 2" in caplog.text
    assert "the other 1 run as threads of those that fit" in caplog.text


def test_two_jobs_run_at_once_in_one_worker(mini_build: Path) -> None:
    """A short query is answered while a long one runs in the same process."""

    async def scenario(pool, key, source):
        (worker,) = pool.workers
        endless = asyncio.ensure_future(pool.run(key, ENDLESS, source))
        await until(lambda: pool.busy() == 1)
        answers = [await pool.run(key, ASK, source) for _ in range(3)]
        still_running = not endless.done() and pool.busy() == 1
        endless.cancel()
        await asyncio.gather(endless, return_exceptions=True)
        return worker.pid, {w.pid for w in pool.workers}, answers, still_running

    pid, pids_after, answers, still_running = one_process(mini_build, scenario)
    assert still_running and all(a.body.strip().endswith(b"true") for a in answers)
    assert pid not in pids_after, "cancelling the endless query killed its worker"


async def endless_pair(pool, key, source, first_s: float, second_s: float):
    """Two endless jobs running at once in the pool: the first with a deadline of `first_s`,
    the second (its neighbour) with `second_s`."""
    pool.timeout = first_s
    first = asyncio.ensure_future(pool.run(key, ENDLESS, source))
    await until(lambda: pool.busy() == 1)
    pool.timeout = second_s
    second = asyncio.ensure_future(pool.run(key, ENDLESS, source))
    await until(lambda: pool.busy() == 2)
    return first, second


def test_a_deadline_kill_runs_the_neighbour_again_on_the_replacement(mini_build: Path) -> None:
    """The job beside one killed at its deadline is not refused: it runs again, first in line,
    on the worker that replaces the killed one. (The neighbour here is endless too, with a
    later deadline, so it is surely still running at the kill.)"""

    async def scenario(pool, key, source):
        (worker,) = pool.workers
        killed, neighbour = await endless_pair(pool, key, source, 3.0, 60.0)
        with pytest.raises(ApiError) as refused:
            await killed
        await until(lambda: worker.pid not in {w.pid for w in pool.workers} and pool.busy() == 1)
        running_again = not neighbour.done()
        neighbour.cancel()
        await asyncio.gather(neighbour, return_exceptions=True)
        return refused.value, running_again, pool.runs_again, pool.restarts

    refused, running_again, runs_again, restarts = one_process(mini_build, scenario)
    assert (refused.status, refused.code) == (503, "query_timeout")
    assert running_again and runs_again == 1
    assert restarts == 2, "the deadline killed the first worker, the cancel its replacement"


def test_a_neighbour_run_again_is_answered_in_full(mini_build: Path) -> None:
    """Killing a worker for one job (here: its client went away) leaves the answer of the job
    beside it whole."""

    async def scenario(pool, key, source):
        endless = asyncio.ensure_future(pool.run(key, ENDLESS, source))
        await until(lambda: pool.busy() == 1)
        neighbour = asyncio.ensure_future(pool.run(key, MEDIUM, source))
        await until(lambda: pool.busy() == 2)
        endless.cancel()
        answer = await neighbour
        return answer, pool.runs_again

    answer, runs_again = one_process(mini_build, scenario)
    assert runs_again == 1
    assert isinstance(answer, Outcome) and answer.body.split()[-1].isdigit()


def test_a_neighbour_whose_deadline_passes_while_it_waits_is_told_so(
    mini_build: Path, tmp_path: Path
) -> None:
    """No worker is free to run the neighbour again before its own deadline (the replacement
    cannot load the release: its file is gone): 503 `query_interrupted`, not `query_timeout`,
    which would blame its query."""
    dump = tmp_path / "dataset.nq"
    shutil.copy(current_release(mini_build).dump_path("nq"), dump)

    async def scenario(pool, key, source):
        killed, neighbour = await endless_pair(pool, key, source, 2.0, 4.0)
        dump.unlink()
        results = await asyncio.gather(killed, neighbour, return_exceptions=True)
        return [(r.status, r.code, r.headers["Retry-After"]) for r in results]

    killed, neighbour = one_process(mini_build, scenario, dump=dump)
    assert killed[:2] == (503, "query_timeout")
    assert neighbour == (503, "query_interrupted", "5")


def _nice(thread: int) -> int:
    stat = Path(f"/proc/self/task/{thread}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


def test_a_slow_jobs_thread_alone_yields_and_gets_its_priority_back() -> None:
    replies, started, release = [], threading.Event(), threading.Event()
    threads: list[int] = []

    def job() -> Done:
        threads.append(threading.get_native_id())
        started.set()
        release.wait(10)
        return Done(Outcome(b"", "text/plain"), 7)

    jobs = JobThreads(replies.append)
    base = os.getpriority(os.PRIO_PROCESS, 0)
    jobs.submit(7, job)
    assert started.wait(10)
    jobs.slow(7)
    slowed = _nice(threads[0])
    release.set()
    for _ in range(500):
        if replies:
            break
        threading.Event().wait(0.01)
    assert replies == [Done(Outcome(b"", "text/plain"), 7)]
    assert slowed == min(19, base + LONG_QUERY_NICE)
    assert os.getpriority(os.PRIO_PROCESS, 0) == base, "this thread kept its priority"
    if os.geteuid() == 0:  # raising a priority back needs the privilege
        assert _nice(threads[0]) == base
