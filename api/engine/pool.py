"""A pool of query worker processes with a hard deadline per query.

(With several HTTP processes, api/serving.py, the pool of each has one `LocalWorker` instead:
its slots are threads of the HTTP process itself, and a kill condemns that process,
api/engine/local_worker.py. Everything below holds for both but the processes' own start.)

Each worker (api/engine/worker.py) holds its own pyoxigraph store of every dataset the pool serves
and runs up to `slots` jobs at once, on threads sharing that store (api/engine/job_threads.py).
`settings.query_workers` is how many queries run at once: one worker process each while
`memory_budget_mb` admits them (api/engine/memory_budget.py), the rest as more slots of the
workers that fit, so at scale one copy of the release still evaluates two or more queries at once.

`WorkerPool.run` queues a job and awaits its answer on the event loop (nothing blocks it). Jobs
go to free slots first come, first served, from the worker's read callback
(api/engine/worker_process.py), so no slot idles while jobs wait. When the deadline passes
first, the worker running the job is killed with SIGKILL, so the query really stops, a
replacement is started, and the caller gets a 503 `query_timeout` with Retry-After; a job still
waiting is simply dropped. The other jobs the killed worker was running are innocent: they go
back to the head of the queue and run again, on another worker or the replacement, within their
own deadline; if it passes while they wait, their answer is a 503 `query_interrupted` with
Retry-After. A worker that dies by itself (memory limit, crash) is replaced the same way, and
its jobs are answered 503 `query_aborted` (which of them caused it is unknown). Answers arrive
serialised, so the main process only copies bytes. A query running longer than `long_query_s`
has its thread's priority lowered, so it yields the CPU to short ones.

Datasets are keyed by data version: `load()` registers one and loads it into every idle worker
at once (busy ones load it before their next job); `retire()` drops a version once no job uses
it any more, so requests in flight finish on the release they started with. A job on any other
version (an older release, `version=V`) is run by a worker that loads it on demand and keeps
it, within the memory budget, for the next job on it (api/engine/on_demand.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field

from api.engine import memory_budget
from api.engine.local_worker import LocalStores, LocalWorker
from api.engine.messages import Done, Load, Loaded, Refused, Reply, Source
from api.engine.on_demand import NoRoom, OnDemand
from api.engine.pool_refusals import aborted, interrupted, timed_out, unavailable
from api.engine.query_job import Answer, Outcome, QueryJob
from api.engine.worker_process import LoadFailed, WorkerDied, WorkerProcess, take_prestarted
from kskg.settings import Settings

__all__ = ["LoadFailed", "WorkerDied", "WorkerPool", "unavailable"]

log = logging.getLogger("kskg.pool")

#: Seconds after the first worker is ready at which the others start even if no query came.
MORE_WORKERS_AFTER_S = 1.0


@dataclass(eq=False)
class _Job:
    key: str
    job: QueryJob
    future: asyncio.Future
    worker: WorkerProcess | None = None
    started: float | None = None
    ended: float | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    held: float = 0.0  # seconds on a worker before it was run again
    stopped: bool = False  # its worker was killed for it (deadline, client gone)
    again: bool = False  # run again after a neighbour's kill took its worker


class WorkerPool:
    """`settings.query_workers` query slots in worker processes, serving datasets by key (data
    version)."""

    def __init__(self, settings: Settings, local: LocalStores | None = None) -> None:
        self.settings = settings
        self.local = local  # slots on threads of this process (api/engine/local_worker.py)
        self.timeout = settings.query_timeout_s
        self.datasets: dict[str, Source] = {}
        self.on_demand = OnDemand(self._spare_mib)
        self.workers: set[WorkerProcess] = set()
        self._idle: list[WorkerProcess] = []  # one entry per free slot
        self._queue: deque[_Job] = deque()
        self._in_flight: Counter[str] = Counter()
        self._jobs: set[_Job] = set()
        self._retired: set[str] = set()
        self._starting: set[asyncio.Task] = set()
        self._rest: asyncio.Future | None = None
        self._answered: asyncio.Future | None = None  # set by the first finished job
        self._failures = 0
        self._closed = False
        self.restarts = 0
        self.runs_again = 0  # jobs run anew after a neighbour's kill took their worker

    async def start(self) -> None:
        """Start the first worker; returns once it has loaded the registered datasets (the
        server can answer then). The others start when the first answer has gone out, or
        after `MORE_WORKERS_AFTER_S` without one: booting them at once would take the CPU
        the first worker and the server's first answer need. `started()` waits for them."""
        if self.local is not None:
            await self._add_worker(self.settings.query_workers)
            return
        await self._add_worker()
        self._answered = asyncio.get_running_loop().create_future()
        self._rest = asyncio.ensure_future(self._start_more(self.settings.query_workers - 1))

    async def started(self) -> None:
        """Returns when every worker `start()` began has loaded (or failed to start)."""
        if self._rest is not None:
            await asyncio.shield(self._rest)

    async def _start_more(self, count: int) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._answered), MORE_WORKERS_AFTER_S)
        pids = [w.pid for w in self.workers]
        fitting = memory_budget.fitting(self.settings.memory_budget_mb, pids, count)
        self._add_slots(count - fitting)
        starts = [self._add_worker() for _ in range(fitting)]
        for result in await asyncio.gather(*starts, return_exceptions=True):
            if isinstance(result, Exception):
                log.error("could not start a query worker: %s", result)

    def _add_slots(self, count: int) -> None:
        """`count` more jobs at once in the running workers (threads sharing their store)."""
        workers = sorted(self.workers, key=lambda w: w.slots)
        for index in range(count if workers else 0):
            worker = workers[index % len(workers)]
            worker.slots += 1
            self._release(worker)

    async def _add_worker(self, slots: int = 1) -> None:
        worker = self._new_worker()
        worker.adopt(self._lost)
        worker.slots = slots
        self.workers.add(worker)
        try:
            await worker.connect()
            await worker.prepare(self.datasets)
        except BaseException:
            worker.kill()
            raise
        self._failures = 0
        for _ in range(worker.slots):
            self._release(worker)

    def _new_worker(self) -> WorkerProcess | LocalWorker:
        if self.local is not None:
            return LocalWorker(self.local, self._lost)
        return take_prestarted(self.settings) or WorkerProcess(self.settings, self._lost)

    async def load(self, key: str, source: Source) -> None:
        """Serve dataset `key` from `source` (api/engine/messages.py) in every worker. Raises
        LoadFailed (and forgets `key`) if a worker cannot load it."""
        self.datasets[key] = source
        self._retired.discard(key)
        self.on_demand.promote(key)
        loads = [self._prepare(worker) for worker in list(self._idle)]
        results = await asyncio.gather(*loads, return_exceptions=True)
        failure = next((r for r in results if isinstance(r, LoadFailed)), None)
        if failure is not None:
            self.datasets.pop(key, None)
            raise failure

    def retire(self, key: str) -> None:
        """Stop serving `key` once the jobs running on it have finished."""
        self._retired.add(key)
        self._forget_retired()

    def _forget_retired(self) -> None:
        for key in [k for k in self._retired if not self._in_flight[k]]:
            self._retired.discard(key)
            self.datasets.pop(key, None)

    async def run(
        self,
        key: str,
        job: QueryJob,
        source: Source,
        spent: Callable[[float], None] | None = None,
    ) -> Outcome | Answer:
        """The answer to `job` on dataset `key` within the deadline; raises ApiError (the
        job's own refusals, or 503 for a timeout, a dead worker or a full queue).

        `source` is the dataset's source: a `key` the pool does not serve to every worker (an
        older release, or one just replaced) is loaded on demand by the worker that runs the
        job. `spent(seconds)` is told how long the job held a worker (not its wait for one)."""
        if self._closed:
            raise unavailable("shutting_down", "the server is shutting down", 5)
        if len(self._queue) >= self.settings.query_queue:
            raise unavailable("busy", "all query workers are busy; try again shortly", 1)
        if key not in self.datasets:
            self.on_demand.register(key, source)
        entry = _Job(key, job, asyncio.get_running_loop().create_future())
        self._in_flight[key] += 1
        self._jobs.add(entry)
        self._queue.append(entry)
        self._dispatch()
        try:
            answer = await self._answer(entry)
        finally:
            self._in_flight[key] -= 1
            self._jobs.discard(entry)
            self._forget_retired()
            if spent is not None and (entry.started is not None or entry.held):
                running = (entry.ended or _now()) - entry.started if entry.started else 0.0
                spent(entry.held + running)
        if isinstance(answer, Refused):
            raise answer.refusal
        return answer.outcome

    async def _answer(self, entry: _Job) -> Done | Refused:
        try:
            async with asyncio.timeout(self.timeout):
                return await entry.future
        except TimeoutError:
            waiting = entry.again and entry.worker is None
            self._abandon(entry)
            raise interrupted() if waiting else timed_out(self.timeout) from None
        except WorkerDied as error:
            log.warning("query worker failed: %s", error)
            raise aborted() from None
        except BaseException:
            # Cancelled (client gone, shutdown): its query stops too.
            self._abandon(entry)
            raise

    def _abandon(self, entry: _Job) -> None:
        if entry.worker is not None and entry.ended is None:
            entry.stopped = True
            entry.worker.kill()
        elif entry in self._queue:
            self._queue.remove(entry)

    def _dispatch(self) -> None:
        """Give waiting jobs, oldest first, to free slots."""
        self._idle = [w for w in self._idle if w.alive]
        while self._idle and self._queue:
            entry = self._queue.popleft()
            if not entry.future.done():
                self._start(self._take_idle(entry.key), entry)

    def _take_idle(self, key: str) -> WorkerProcess:
        """A worker with a free slot, one that holds `key` already if there is one."""
        holding = [w for w in self._idle if key in w.loaded]
        worker = holding[-1] if holding else self._idle[-1]
        self._idle.remove(worker)
        return worker

    def _prepare(self, worker: WorkerProcess) -> asyncio.Future:
        return worker.prepare(self.datasets, keep=self.on_demand.held_by(worker))

    def _start(self, worker: WorkerProcess, entry: _Job) -> None:
        loop = asyncio.get_running_loop()
        if not worker.holds(self.datasets, self.on_demand.held_by(worker)):
            self._prepare(worker)  # loads go ahead of the job; a failure kills the worker
        if entry.key not in self.datasets:
            try:
                self._load_on_demand(worker, entry.key)
            except NoRoom as refused:
                entry.future.set_exception(refused)
                self._idle.append(worker)
                return
        entry.worker, entry.started = worker, _now()
        tag = worker.run(entry.key, entry.job, lambda a: self._finished(worker, entry, a))
        if entry.ended is None:
            entry.timers.append(loop.call_later(self.settings.long_query_s, worker.slow, tag))

    def _load_on_demand(self, worker: WorkerProcess, key: str) -> None:
        """Have `worker` hold the older release `key` (queued ahead of the job), dropping the
        least recently used older releases the budget has no room for. Raises NoRoom."""
        if self.on_demand.holds(worker, key):
            self.on_demand.touch(worker, key)
            return
        busy = {(e.worker, e.key) for e in self._running()} | {(worker, key)}
        for holder, dropped in self.on_demand.make_room(worker, key, busy):
            holder.drop(dropped)
        worker.loaded.add(key)
        worker.request(
            Load(key, self.on_demand.sources[key]),
            lambda answer: self._loaded_on_demand(worker, key, answer),
        )

    def _loaded_on_demand(self, worker: WorkerProcess, key: str, answer: Reply | None) -> None:
        if isinstance(answer, Loaded):
            self.on_demand.loaded(worker, key, answer.mib)
        else:  # the job behind the load is refused as data_unavailable
            self.on_demand.failed(worker, key)
            worker.loaded.discard(key)

    def _running(self) -> list[_Job]:
        return [e for e in self._jobs if e.worker is not None and e.ended is None]

    def _spare_mib(self) -> float | None:
        # Local workers are this process, which memory_budget counts already.
        pids = [w.pid for w in self.workers] if self.local is None else []
        return memory_budget.spare_mib(
            self.settings.memory_budget_mb, pids, self.on_demand.held_mib()
        )

    def _finished(self, worker: WorkerProcess, entry: _Job, answer: Reply | None) -> None:
        entry.ended = _now()
        if self._answered is not None and not self._answered.done():
            self._answered.set_result(None)
        for timer in entry.timers:
            timer.cancel()
        if answer is None and worker.killed and not (entry.stopped or entry.again):
            self._run_again(entry)
        elif not entry.future.done():
            if answer is None:
                entry.future.set_exception(WorkerDied(f"worker {worker.pid} died"))
            else:
                entry.future.set_result(answer)
        if answer is not None:
            self._release(worker)

    def _run_again(self, entry: _Job) -> None:
        """`entry` ran beside a job whose worker was killed: first in the queue again."""
        entry.held += (entry.ended or _now()) - (entry.started or _now())
        entry.worker = entry.started = entry.ended = None
        entry.timers.clear()
        entry.again = True
        self.runs_again += 1
        if not entry.future.done():
            self._queue.appendleft(entry)
            self._dispatch()

    def _release(self, worker: WorkerProcess) -> None:
        """One slot of `worker` is free."""
        if not worker.alive:
            return
        if self._closed:
            if not worker.running():
                worker.close()
        else:
            self._idle.append(worker)
            self._dispatch()

    def _lost(self, worker: WorkerProcess) -> None:
        """A worker is gone (killed, crashed, closed): forget it, reap it, replace it."""
        self.workers.discard(worker)
        self.on_demand.forget_holder(worker)
        self._idle = [w for w in self._idle if w is not worker]
        loop = asyncio.get_running_loop()
        if self.local is None:  # a process to reap
            loop.run_in_executor(None, worker.wait)
        if self._closed:
            return
        self.restarts += 1
        task = loop.create_task(self._respawn(worker.slots))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _respawn(self, slots: int) -> None:
        # Back off while starts keep failing (e.g. the data cannot be loaded).
        await asyncio.sleep(min(5.0, 0.5 * self._failures))
        try:
            await self._add_worker(slots)
        except (WorkerDied, LoadFailed, OSError) as error:
            self._failures += 1
            log.error("could not start a query worker: %s", error)

    async def close(self, grace: float = 5.0) -> None:
        """Stop every worker: idle ones at once, busy ones after their job or `grace` s."""
        self._closed = True
        if self._rest is not None:
            self._rest.cancel()
        for task in list(self._starting):
            task.cancel()
        await asyncio.gather(*self._starting, return_exceptions=True)
        if self._rest is not None:
            await asyncio.gather(self._rest, return_exceptions=True)
        for worker in set(self._idle):
            if not worker.running():
                worker.close()
        remaining = list(self.workers)
        try:
            await asyncio.wait_for(
                asyncio.gather(*(asyncio.to_thread(w.wait) for w in remaining)), grace
            )
        except TimeoutError:
            for worker in remaining:
                worker.kill()
            await asyncio.gather(*(asyncio.to_thread(w.wait) for w in remaining))

    def busy(self) -> int:
        """Slots running a job (or whose worker is starting)."""
        return max(0, self.slots() - len(self._idle))

    def slots(self) -> int:
        """Jobs the workers run at once."""
        return sum(worker.slots for worker in self.workers)


def _now() -> float:
    # Not the loop's clock: uvloop's ticks in whole milliseconds, so a query answered within
    # one tick would cost its client nothing against the budget.
    return time.perf_counter()
