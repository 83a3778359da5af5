"""Query slots on threads of the HTTP process itself, for the layout with several HTTP
processes on one port (api/serving.py).

`LocalWorker` is what the pool (api/engine/pool.py) sees of a worker process, kept in this
process: jobs run on job threads (api/engine/job_threads.py) over the datasets this process
holds (`LocalStores`, shared by its local workers), so a query costs no hop to another process
and back. Loads run on one loading thread, in order, and a job waits for the loads sent before
it, as in a worker process.

No thread can be stopped, so the deadline is kept by ending the process: `kill()` (the pool's
answer to a query past its deadline, or to a client gone) tells `LocalStores.condemned`, which
stops this process taking connections and ends it once the requests it holds are answered; the
supervisor has started a replacement by then. To the pool the killed worker is gone as a worker
process would be: the jobs beside the stopped one run again on a fresh local worker (new
threads, the same datasets), and the stopped query's thread burns on only until the process
ends.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from functools import partial

from api.engine.job_threads import JobThreads
from api.engine.messages import Load, Loaded, LoadFailure, Reply, Request, Run, Source
from api.engine.process_memory import address_space_mib, release_freed
from api.engine.query_job import QueryJob
from api.engine.worker_loop import Dataset, load, load_into, run_message
from api.engine.worker_process import LoadFailed

Handler = Callable[[Reply | None], None]

#: Share of the address-space limit past which the running queries are aborted.
MEMORY_SHARE = 0.85
MEMORY_CHECK_S = 0.02


class LocalStores:
    """The datasets this process holds, by key, and its live local workers; `condemned()` is
    called once, when a query must be stopped and only ending the process can stop it."""

    def __init__(self, condemned: Callable[[], None], isolated: bool = False) -> None:
        self.datasets: dict[str, Dataset] = {}
        self.isolated = isolated
        self.workers: set[LocalWorker] = set()
        self.loop: asyncio.AbstractEventLoop | None = None  # set by the first local worker
        self._condemned = condemned
        self.is_condemned = False
        # One loading thread: loads happen in the order they were asked for.
        self.loading = ThreadPoolExecutor(1, thread_name_prefix="load")

    def watch_memory(self, limit_mib: float, every_s: float = MEMORY_CHECK_S) -> None:
        """Check this process's address space every `every_s` on a thread of its own; past
        `MEMORY_SHARE` of `limit_mib` (its RLIMIT_AS, at which an allocation would fail and end
        the process with every connection it holds), every running query is answered
        `503 query_aborted`, as when a worker process dies, and the process is condemned."""
        watcher = threading.Thread(
            target=self._watch, args=(limit_mib * MEMORY_SHARE, every_s), daemon=True
        )
        watcher.start()

    def _watch(self, most_mib: float, every_s: float) -> None:
        while (size := address_space_mib()) is None or size < most_mib or self.loop is None:
            time.sleep(every_s)
        self.loop.call_soon_threadsafe(self.exhausted)

    def exhausted(self) -> None:
        """The process is about to run out of memory: its running queries end as aborted."""
        self.condemn()
        for worker in list(self.workers):
            worker.die()

    def preload(self, key: str, source: Source) -> None:
        """Start loading dataset `key` now, before there is an event loop (the app's modules
        import meanwhile); a local worker's load of `key` later finds it here."""
        self.loading.submit(self._preload, key, source)

    def _preload(self, key: str, source: Source) -> None:
        with suppress(OSError, SyntaxError, ValueError):  # the worker's own load reports it
            self.datasets[key] = load(source)

    def condemn(self) -> None:
        if not self.is_condemned:
            self.is_condemned = True
            self._condemned()


class LocalWorker:
    """A worker as the pool sees it (the interface of api/engine/worker_process.py's
    `WorkerProcess`), running its jobs on threads of this process."""

    def __init__(self, stores: LocalStores, on_lost: Callable[[LocalWorker], None]) -> None:
        self.stores = stores
        self._on_lost = on_lost
        self._loop = asyncio.get_running_loop()
        self._jobs: dict[int, Handler] = {}
        self._tags = itertools.count(1)
        self._threads = JobThreads(self._answered)
        self._loads: asyncio.Future | None = None  # the last load asked for
        self.slots = 1
        self.loaded: set[str] = set()
        self.isolated = stores.isolated
        self.alive = True
        self.killed = False
        stores.loop = self._loop
        stores.workers.add(self)

    @property
    def pid(self) -> int:
        return os.getpid()

    def adopt(self, on_lost: Callable[[LocalWorker], None]) -> None:
        self._on_lost = on_lost

    async def connect(self) -> None:
        """Nothing to connect: the datasets are this process's own."""

    def request(self, message: Request, handler: Handler) -> None:
        """Load `message.source` as dataset `message.key` (after the loads asked for before);
        `handler` gets `Loaded` or `LoadFailure` (None if the worker was killed first)."""
        assert isinstance(message, Load)
        self.loaded.add(message.key)
        future = self._after_loads(partial(self._load, message))
        future.add_done_callback(lambda done: handler(done.result() if self.alive else None))

    def _after_loads(self, work: Callable[[], Reply]) -> asyncio.Future:
        previous = self._loads
        future = self._loop.create_future()

        def start(_: object = None) -> None:
            loading = self._loop.run_in_executor(self.stores.loading, work)
            loading.add_done_callback(partial(_settle, future))

        if previous is None or previous.done():
            start()
        else:
            previous.add_done_callback(start)
        self._loads = future
        return future

    def _load(self, message: Load) -> Reply:
        """On the loading thread: after a preload, or for a fresh local worker of this process,
        the data is here already."""
        if message.key in self.stores.datasets:
            return Loaded(message.key, self.isolated, 0.0)
        return load_into(self.stores.datasets, message, self.isolated)

    def prepare(self, datasets: dict[str, Source], keep: set[str] = frozenset()) -> asyncio.Future:
        """As `WorkerProcess.prepare`: drop what is no longer served (but `keep`), load what is
        missing; the future fails with LoadFailed if a load fails."""
        for key in self.loaded - datasets.keys() - keep:
            self.drop(key)
        missing = [key for key in datasets if key not in self.loaded]
        done = self._loop.create_future()
        if not missing:
            done.set_result(None)
        answers: list[Reply | None] = []

        def answered(key: str, answer: Reply | None) -> None:
            answers.append(answer)
            if isinstance(answer, LoadFailure) and not done.done():
                self.loaded.discard(key)
                done.set_exception(LoadFailed(f"{datasets[key]}: {answer.message}"))
            elif len(answers) == len(missing) and not done.done():
                done.set_result(None)

        for key in missing:
            self.request(Load(key, datasets[key]), partial(answered, key))
        return done

    def holds(self, datasets: dict[str, Source], keep: set[str] = frozenset()) -> bool:
        return datasets.keys() <= self.loaded <= datasets.keys() | keep

    def drop(self, key: str) -> None:
        """Forget dataset `key` (a job running on it keeps its store until it ends)."""
        self.loaded.discard(key)
        if self.stores.datasets.pop(key, None) is not None:
            release_freed()

    def run(self, key: str, job: QueryJob, handler: Handler) -> int:
        """Run `job` on dataset `key` once the loads asked for before it are done; `handler`
        gets its answer on the event loop. Returns the job's tag (for `slow`)."""
        tag = next(self._tags)
        if not self.alive:
            handler(None)
            return tag
        self._jobs[tag] = handler
        message = Run(key, job, tag)
        if self._loads is None or self._loads.done():
            self._submit(message)
        else:
            self._loads.add_done_callback(lambda _: self._submit(message))
        return tag

    def _submit(self, message: Run) -> None:
        if not self.alive:  # killed while the job waited for a load: its handler has its None
            return
        dataset = self.stores.datasets.get(message.key)
        self._threads.submit(message.tag, partial(run_message, message, dataset))

    def _answered(self, reply: Reply) -> None:
        """From a job thread: hand the answer to the event loop."""
        self._loop.call_soon_threadsafe(self._deliver, reply)

    def _deliver(self, reply: Reply) -> None:
        handler = self._jobs.pop(reply.tag, None)
        if handler is not None and self.alive:
            handler(reply)

    def slow(self, tag: int) -> None:
        """Job `tag` has run long: its thread yields the CPU to the others."""
        if tag in self._jobs:
            self._threads.slow(tag)

    def kill(self) -> None:
        """Stop this worker's jobs as a killed process would: their handlers get None, the
        process is condemned if a job was running (module docstring; a worker killed for a
        failed load has nothing to stop) and the pool is told the worker is gone."""
        self.killed = True
        if self._jobs:
            self.stores.condemn()
        self._gone()

    def die(self) -> None:
        """End as a worker process that died by itself: the pool answers its running jobs
        `503 query_aborted` (which of them caused it cannot be told) and replaces it."""
        self._gone()

    def close(self) -> None:
        self._gone()

    def running(self) -> int:
        return len(self._jobs)

    def wait(self) -> None:
        """Nothing to reap: no process of its own."""

    def _gone(self) -> None:
        if not self.alive:
            return
        self.alive = False
        self.stores.workers.discard(self)
        for tag in list(self._jobs):
            self._jobs.pop(tag)(None)
        self._on_lost(self)


def _settle(future: asyncio.Future, loading: asyncio.Future) -> None:
    """`future` gets the load's reply; an error no `LoadFailure` covers fails the load too."""
    error = loading.exception()
    reply = LoadFailure(f"{type(error).__name__}: {error}") if error else loading.result()
    future.set_result(reply)
