"""One query worker process as the server sees it: the process, its socket, and the answers
it owes.

Messages (api/engine/messages.py) go out as frames (api/engine/frames.py). The worker answers
loads in order, so each load registers a handler and each incoming load answer goes to the
oldest one; jobs run on the worker's threads (api/engine/job_threads.py), up to `slots` at
once, and their answers, in any order, go to the handler of their tag. Answers are read by an
asyncio protocol, i.e. in the event loop's own read callback: a slot is free again the moment
its answer arrives, without waiting for the request's coroutine to be scheduled (which, on a
busy server, can take tens of milliseconds).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from contextlib import suppress

from api.engine.frames import HEADER, pack, unpack
from api.engine.messages import (
    Done,
    Drop,
    Load,
    LoadFailure,
    Refused,
    ReleaseDump,
    Reply,
    Request,
    Run,
    Slow,
    Source,
)
from api.engine.query_job import QueryJob
from kskg.release import Release
from kskg.settings import PROJECT_ROOT, Settings

Handler = Callable[[Reply | None], None]  # None: the worker died before answering

_PENDING = object()  # a load sent before the event loop ran, not answered yet

#: Workers `kskg serve` started before the app existed (see `prestart`); the pool adopts them.
PRESTARTED: list[WorkerProcess] = []


class WorkerDied(Exception):
    """The worker process ended or its channel broke."""


class LoadFailed(Exception):
    """A worker could not load a dataset."""


class WorkerProcess:
    """A worker process running up to `slots` jobs at once (on threads of one store);
    `on_lost(worker)` is called once when it is gone.

    Workers run `settings.worker_nice` below the server's CPU priority: the server feeds them,
    so it must not wait for a core behind them; a long job's thread yields further (`slow`)."""

    def __init__(self, settings: Settings, on_lost: Callable[[WorkerProcess], None]) -> None:
        parent_end, child_end = socket.socketpair()
        args = [
            sys.executable, "-m", "api.engine.worker", str(child_end.fileno()), str(os.getpid()),
            str(settings.worker_memory_mb), "1" if settings.worker_network_isolation else "0",
            str(settings.worker_nice),
        ]  # fmt: skip
        self.process = subprocess.Popen(args, pass_fds=[child_end.fileno()], cwd=PROJECT_ROOT)
        self.settings = settings
        child_end.close()
        self._socket = parent_end
        self._transport: asyncio.Transport | None = None
        self._handlers: deque[Handler] = deque()
        self._jobs: dict[int, Handler] = {}
        self._tags = itertools.count(1)
        self._on_lost = on_lost
        self.slots = 1  # the pool gives a worker more (api/engine/pool.py)
        self.loaded: set[str] = set()
        self._early: dict[str, object] = {}  # preloaded key -> its answer, or _PENDING
        self._early_waiting: dict[str, Handler] = {}
        self.isolated = False
        self.alive = True
        self.killed = False  # by the server (a deadline, a client gone), not by a failure

    def adopt(self, on_lost: Callable[[WorkerProcess], None]) -> None:
        """Report the worker's end to `on_lost` (a pool taking over a prestarted worker)."""
        self._on_lost = on_lost

    def preload(self, key: str, source: Source) -> None:
        """Send the load of dataset `key` now, before there is an event loop, so the worker
        loads it while the server is still starting; `prepare()` later waits for the answer."""
        self.loaded.add(key)
        self._early[key] = _PENDING
        self._handlers.append(lambda answer: self._early_answer(key, answer))
        self._socket.sendall(pack(Load(key, source)))

    def _early_answer(self, key: str, answer: Reply | None) -> None:
        waiting = self._early_waiting.pop(key, None)
        if waiting is not None:
            waiting(answer)
        elif key in self._early:  # not dropped meanwhile
            self._early[key] = answer

    @property
    def pid(self) -> int:
        return self.process.pid

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.connect_accepted_socket(
            lambda: _Channel(self), sock=self._socket
        )

    def request(self, message: Request, handler: Handler) -> None:
        """Send `message` (a load); `handler` gets the answer (None if the worker dies first)."""
        if not self.alive or self._transport is None:
            handler(None)
            return
        self._handlers.append(handler)
        self._transport.write(pack(message))

    def run(self, key: str, job: QueryJob, handler: Handler) -> int:
        """Send job `job` on dataset `key`; `handler` gets its answer (None if the worker dies
        first). Returns the job's tag (for `slow`)."""
        tag = next(self._tags)
        if not self.alive or self._transport is None:
            handler(None)
            return tag
        self._jobs[tag] = handler
        self._transport.write(pack(Run(key, job, tag)))
        return tag

    def send(self, message: Request) -> None:
        """Send a message that has no answer."""
        if self.alive and self._transport is not None:
            self._transport.write(pack(message))

    def prepare(self, datasets: dict[str, Source], keep: set[str] = frozenset()) -> asyncio.Future:
        """Drop the datasets no longer served (but those in `keep`, older releases it holds on
        demand) and load the missing ones; the future resolves when they are loaded (or fails
        with LoadFailed / WorkerDied). Loads are queued in the worker ahead of anything sent
        later, so a job may be sent before the future resolves."""
        done = asyncio.get_running_loop().create_future()
        done.add_done_callback(_retrieved)
        for key in self.loaded - datasets.keys() - keep:
            self.drop(key)
        missing = [key for key in datasets if key not in self.loaded]
        early = [key for key in self._early if key in datasets]
        loads = _Loads(self, done, datasets, len(missing) + len(early))
        for key in early:
            answer = self._early.pop(key)
            if answer is _PENDING:
                self._early_waiting[key] = loads.handler(key)
            else:
                loads.handler(key)(answer)
        for key in missing:
            self.loaded.add(key)
            self.request(Load(key, datasets[key]), loads.handler(key))
        return done

    def holds(self, datasets: dict[str, Source], keep: set[str] = frozenset()) -> bool:
        """True if `prepare(datasets, keep)` has nothing to do: every dataset is loaded and
        nothing else but the older releases in `keep`."""
        return not self._early and datasets.keys() <= self.loaded <= datasets.keys() | keep

    def drop(self, key: str) -> None:
        """Have the worker forget dataset `key` (after the job it runs now, if any)."""
        self.send(Drop(key))
        self.loaded.discard(key)
        self._early.pop(key, None)

    def slow(self, tag: int) -> None:
        """Job `tag` has run long: its thread yields the CPU to the other jobs and the server."""
        if tag in self._jobs:
            self.send(Slow(tag))

    def kill(self) -> None:
        """SIGKILL the process now; `on_lost` follows when its channel closes."""
        self.killed = True
        with suppress(ProcessLookupError):
            self.process.kill()
        self.close()

    def wait(self) -> None:
        """Reap the process once it has ended (blocks until then)."""
        self.process.wait()

    def close(self) -> None:
        """Close the channel: an idle worker exits on the end of its input."""
        if self._transport is not None:
            self._transport.close()
        else:
            self._socket.close()
            self._gone()

    def _answer(self, answer: Reply) -> None:
        if isinstance(answer, Done | Refused):
            handler = self._jobs.pop(answer.tag, None)
            if handler is not None:
                handler(answer)
        elif self._handlers:
            self._handlers.popleft()(answer)

    def running(self) -> int:
        """Jobs sent and not answered yet."""
        return len(self._jobs)

    def _gone(self) -> None:
        if not self.alive:
            return
        self.alive = False
        while self._handlers:
            self._handlers.popleft()(None)
        for tag in list(self._jobs):
            self._jobs.pop(tag)(None)
        self._on_lost(self)


class _Loads:
    """Settles `done` once `count` loads of `worker` have been answered (at once if none)."""

    def __init__(
        self, worker: WorkerProcess, done: asyncio.Future, datasets: dict[str, Source], count: int
    ) -> None:
        self.worker, self.done, self.datasets, self.remaining = worker, done, datasets, count
        if not count:
            done.set_result(None)

    def handler(self, key: str) -> Handler:
        return lambda answer: self._answered(key, answer)

    def _answered(self, key: str, answer: Reply | None) -> None:
        worker = self.worker
        if self.done.done():
            return
        if answer is None:
            self.done.set_exception(WorkerDied(f"worker {worker.pid} died while loading"))
        elif isinstance(answer, LoadFailure):
            source = self.datasets.get(key)
            shown = source.path if isinstance(source, ReleaseDump) else f"dataset {key}"
            self.done.set_exception(LoadFailed(f"worker {worker.pid}: {shown}: {answer.message}"))
            worker.kill()
        else:
            worker.isolated = answer.isolated
            self.remaining -= 1
            if not self.remaining:
                self.done.set_result(None)


class _Channel(asyncio.Protocol):
    """Reads answer frames from a worker's socket."""

    def __init__(self, worker: WorkerProcess) -> None:
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        start = 0
        while len(buffer) - start >= HEADER.size:
            end = start + HEADER.size + HEADER.unpack_from(buffer, start)[0]
            if len(buffer) < end:
                break
            # Unpickled from the buffer itself: an answer is not copied out before it is read.
            with memoryview(buffer) as view:
                answer = unpack(view[start + HEADER.size : end])
            start = end
            self.worker._answer(answer)
        del buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker._gone()


def release_source(release: Release) -> ReleaseDump:
    """What a worker loads to serve `release`: its N-Quads dump, with the merged default graph
    computed on loading."""
    return ReleaseDump(str(release.dump_path("nq")))


def prestart(settings: Settings, key: str, source: Source) -> WorkerProcess:
    """Start a worker and have it load dataset `key` before the server has an event loop
    (kskg serve does this before importing FastAPI, so the two overlap); the pool created
    later adopts it (`PRESTARTED`)."""
    worker = WorkerProcess(settings, lambda _: None)
    worker.preload(key, source)
    PRESTARTED.append(worker)
    return worker


def take_prestarted(settings: Settings) -> WorkerProcess | None:
    """A worker `kskg serve` started early with these settings (`prestart`), now the pool's."""
    for worker in PRESTARTED:
        if worker.settings == settings:
            PRESTARTED.remove(worker)
            return worker
    return None


def _retrieved(future: asyncio.Future) -> None:
    """Mark a failure as seen: a job sent right behind the loads learns of it on its own."""
    if not future.cancelled():
        future.exception()
