"""A pool of query worker processes with a hard deadline per query.

Each worker (api/worker.py) holds its own pyoxigraph store of every dataset the pool serves and
runs one job at a time. `WorkerPool.run` hands a job to an idle worker and awaits the answer on
the event loop (nothing blocks it); when the deadline passes first, the worker is killed with
SIGKILL, so the query really stops, a replacement is started, and the caller gets a 503
`query_timeout` with Retry-After. A worker that dies (memory limit, crash) is replaced the same
way. The answer arrives already serialised, so the main process only copies bytes.

Datasets are keyed by data version: `load()` registers one and loads it into every idle worker
at once (busy ones load it before their next job); `retire()` drops a version once no job uses
it any more, so requests in flight finish on the release they started with.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
import subprocess
import sys
from collections import Counter
from contextlib import suppress

from api.query_job import Outcome, QueryJob, QueryRefused
from api.worker_loop import HEADER, pack, unpack
from kskg.settings import PROJECT_ROOT, Settings

log = logging.getLogger("kskg.pool")


class WorkerDied(Exception):
    """The worker process ended or its channel broke."""


class LoadFailed(Exception):
    """A worker could not load a dataset."""


#: Priority (nice) of a worker, and of one whose query has run for `long_query_s`: a long
#: query then yields the CPU to the short ones (the worker itself starts at +5, api/worker.py).
WORKER_NICE = 5
LONG_QUERY_NICE = 19


class WorkerProcess:
    """One worker process and its end of the socketpair."""

    def __init__(self, settings: Settings) -> None:
        parent_end, child_end = socket.socketpair()
        args = [
            sys.executable, "-m", "api.worker", str(child_end.fileno()), str(os.getpid()),
            str(settings.worker_memory_mb), "1" if settings.worker_network_isolation else "0",
        ]  # fmt: skip
        self.process = subprocess.Popen(args, pass_fds=[child_end.fileno()], cwd=PROJECT_ROOT)
        child_end.close()
        self._socket = parent_end
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.loaded: set[str] = set()
        self.isolated = False
        self.demoted = False

    @property
    def pid(self) -> int:
        return self.process.pid

    async def call(self, message):
        """Send `message` and return the worker's answer; raises WorkerDied."""
        if self._streams is None:
            self._streams = await asyncio.open_connection(sock=self._socket)
        reader, writer = self._streams
        try:
            writer.write(pack(message))
            await writer.drain()
            size = HEADER.unpack(await reader.readexactly(HEADER.size))[0]
            return unpack(await reader.readexactly(size))
        except (asyncio.IncompleteReadError, ConnectionError, OSError) as error:
            raise WorkerDied(f"worker {self.pid}: {error}") from None

    def send(self, message) -> None:
        """Send a message that has no answer."""
        if self._streams is not None:
            self._streams[1].write(pack(message))

    async def ensure(self, datasets: dict[str, tuple]) -> None:
        """Load the datasets this worker lacks and drop those no longer served."""
        for key in self.loaded - datasets.keys():
            self.send(("drop", key))
            self.loaded.discard(key)
        for key, source in datasets.items():
            if key not in self.loaded:
                answer = await self.call(("load", key, source))
                if answer[0] != "loaded":
                    raise LoadFailed(f"worker {self.pid} could not load {key}: {answer[1]}")
                self.loaded.add(key)
                self.isolated = answer[2]

    def demote(self) -> None:
        """Lower the worker's priority (its query is a long one)."""
        with suppress(ProcessLookupError, PermissionError):
            os.setpriority(os.PRIO_PROCESS, self.pid, _nice(LONG_QUERY_NICE))
            self.demoted = True

    def restore(self) -> bool:
        """Back to the normal priority; False where raising a priority is not permitted."""
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid, _nice(WORKER_NICE))
        except (ProcessLookupError, PermissionError):
            return False
        self.demoted = False
        return True

    def kill(self) -> None:
        with suppress(ProcessLookupError):
            self.process.kill()
        if self._streams is not None:
            self._streams[1].close()
        else:
            self._socket.close()

    async def stop(self, grace: float) -> None:
        """Close the channel (the worker exits on EOF); kill it if it lingers."""
        if self._streams is not None:
            self._streams[1].close()
        else:
            self._socket.close()
        try:
            await asyncio.wait_for(asyncio.to_thread(self.process.wait), grace)
        except TimeoutError:
            self.kill()
            await asyncio.to_thread(self.process.wait)


class WorkerPool:
    """`settings.query_workers` worker processes serving datasets by key (data version)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timeout = settings.query_timeout_s
        self.datasets: dict[str, tuple] = {}
        self.workers: set[WorkerProcess] = set()
        self._idle: asyncio.Queue[WorkerProcess] = asyncio.Queue()
        self._waiting = 0
        self._in_flight: Counter[str] = Counter()
        self._retired: set[str] = set()
        self._replacements: set[asyncio.Task] = set()
        self._closed = False
        self.restarts = 0

    async def start(self) -> None:
        """Start every worker; returns when all have loaded the registered datasets."""
        await asyncio.gather(*(self._add_worker() for _ in range(self.settings.query_workers)))

    async def _add_worker(self) -> None:
        worker = WorkerProcess(self.settings)
        self.workers.add(worker)
        try:
            await worker.ensure(self.datasets)
        except (WorkerDied, LoadFailed):
            self.workers.discard(worker)
            worker.kill()
            raise
        self._idle.put_nowait(worker)

    async def load(self, key: str, source: tuple) -> None:
        """Serve dataset `key` from `source` (see api/worker.py) in every worker. Raises
        LoadFailed (and forgets `key`) if a worker cannot load it."""
        self.datasets[key] = source
        self._retired.discard(key)
        idle = []
        while not self._idle.empty():
            idle.append(self._idle.get_nowait())
        results = await asyncio.gather(
            *(w.ensure(self.datasets) for w in idle), return_exceptions=True
        )
        for worker, result in zip(idle, results, strict=True):
            self._give_back(worker, result)
        failure = next((r for r in results if isinstance(r, LoadFailed)), None)
        if failure is not None:
            self.datasets.pop(key, None)
            raise failure

    def _give_back(self, worker: WorkerProcess, result) -> None:
        if isinstance(result, BaseException):
            self._replace(worker)
        else:
            self._idle.put_nowait(worker)

    def retire(self, key: str) -> None:
        """Stop serving `key` once the jobs running on it have finished."""
        self._retired.add(key)
        self._forget_retired()

    def _forget_retired(self) -> None:
        for key in [k for k in self._retired if not self._in_flight[k]]:
            self._retired.discard(key)
            self.datasets.pop(key, None)

    async def run(self, key: str, job: QueryJob, source: tuple, spent=None) -> Outcome:
        """The answer to `job` on dataset `key` within the deadline; raises QueryRefused (the
        job's own refusals, or 503 for a timeout, a dead worker or a full queue).

        `source` is the dataset's source: a request that started on a release just replaced
        (and already retired) brings it back for as long as it runs. `spent(seconds)` is told
        how long the job held a worker (not its wait for one)."""
        deadline = _now() + self.timeout
        if key not in self.datasets:
            self.datasets[key] = source
            self._retired.add(key)
        self._in_flight[key] += 1
        try:
            worker = await self._acquire(deadline)
            started = _now()
            try:
                answer = await self._run_on(worker, key, job, deadline)
            finally:
                if spent is not None:
                    spent(_now() - started)
        finally:
            self._in_flight[key] -= 1
            self._forget_retired()
        if answer[0] == "refused":
            raise answer[1]
        return answer[1]

    async def _acquire(self, deadline: float) -> WorkerProcess:
        if self._closed:
            raise unavailable("shutting_down", "the server is shutting down", 5)
        if not self._waiting and not self._idle.empty():
            # The common case, without a timer or a task; only when no one is waiting, or a
            # newcomer would take the worker a waiting request was woken for (starving it).
            return self._idle.get_nowait()
        if self._waiting >= self.settings.query_queue:
            raise unavailable("busy", "all query workers are busy; try again shortly", 1)
        self._waiting += 1
        try:
            return await asyncio.wait_for(self._idle.get(), deadline - _now())
        except TimeoutError:
            raise self._timeout() from None
        finally:
            self._waiting -= 1

    async def _run_on(self, worker: WorkerProcess, key: str, job: QueryJob, deadline: float):
        demotion = asyncio.get_running_loop().call_later(self.settings.long_query_s, worker.demote)
        try:
            async with asyncio.timeout_at(deadline):
                await worker.ensure(self.datasets)
                answer = await worker.call(("run", key, job))
        except TimeoutError:
            self._replace(worker)
            raise self._timeout() from None
        except (WorkerDied, LoadFailed) as error:
            log.warning("query worker failed: %s", error)
            self._replace(worker)
            raise unavailable(
                "query_aborted",
                "the query was stopped: it needed more memory than a query may use, or its "
                "worker failed",
                5,
            ) from None
        except BaseException:
            # Cancelled (client gone, shutdown): the worker's answer would still arrive later
            # and be read as the next job's, so the worker goes.
            self._replace(worker)
            raise
        finally:
            demotion.cancel()
        if worker.demoted and not worker.restore():
            self._replace(worker)  # a fresh worker rather than a slow one
        else:
            self._idle.put_nowait(worker)
        return answer

    def _timeout(self) -> QueryRefused:
        limit = f"{self.timeout:g}"
        return unavailable(
            "query_timeout",
            f"the query did not finish within {limit} s and was stopped; narrow it down (LIMIT, "
            "more specific patterns) or download the data from /dumps/",
            math.ceil(self.timeout),
            timeout_s=self.timeout,
        )

    def _replace(self, worker: WorkerProcess) -> None:
        """Kill `worker` now and start a replacement in the background."""
        worker.kill()
        self.workers.discard(worker)
        asyncio.get_running_loop().run_in_executor(None, worker.process.wait)
        if self._closed:
            return
        self.restarts += 1
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._replacements.add(task)
        task.add_done_callback(self._replacements.discard)

    async def _respawn(self) -> None:
        for attempt in range(5):
            try:
                await self._add_worker()
                return
            except (WorkerDied, LoadFailed) as error:
                log.error("could not start a query worker (attempt %d): %s", attempt + 1, error)
                await asyncio.sleep(0.5 * (attempt + 1))

    async def close(self, grace: float = 5.0) -> None:
        """Stop every worker: idle ones at once, busy ones after their job or `grace` s."""
        self._closed = True
        for task in list(self._replacements):
            task.cancel()
        await asyncio.gather(*self._replacements, return_exceptions=True)
        await asyncio.gather(*(w.stop(grace) for w in list(self.workers)))
        self.workers.clear()

    def busy(self) -> int:
        """Workers running a job (or starting)."""
        return max(0, len(self.workers) - self._idle.qsize())

    def pids(self) -> list[int]:
        return sorted(w.pid for w in self.workers)


def unavailable(code: str, message: str, retry_after: int, **details) -> QueryRefused:
    """A 503 with Retry-After (seconds) for a query that could not be answered now."""
    refused = QueryRefused(503, code, message, retry_after_s=retry_after, **details)
    refused.headers["Retry-After"] = str(retry_after)
    return refused


def _nice(relative: int) -> int:
    """The nice value `relative` above the server's own."""
    return min(19, os.getpriority(os.PRIO_PROCESS, 0) + relative)


def _now() -> float:
    return asyncio.get_running_loop().time()
