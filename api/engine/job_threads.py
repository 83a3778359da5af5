"""The threads of a query worker that evaluate its jobs (api/engine/worker_loop.py).

pyoxigraph releases the GIL while it evaluates a query and while it writes a result (measured
on the 1M graph: two whole-graph aggregates on two threads take 0.56× the time of the two in
turn; bench/worker_threads.py), so jobs on two threads of one process run at once on one
in-memory store: a second concurrent query costs its own working memory, not a second copy of
the release (docs/benchmarks.md, "Memory at scale"). Each job runs wholly on one thread (a
pyoxigraph result must be dropped on the thread that made it).

An idle thread takes the next job; a job that finds none starts a new thread (the server sends
a worker no more jobs at once than it has slots, api/engine/pool.py). A long job's thread gets a
lower priority (`slow`): on Linux the nice value belongs to the thread, so the jobs beside it
keep theirs. After such a job the thread raises its priority back or, where that is not
permitted, ends; a new thread, at the worker's priority, takes the later jobs.

After a job of `TRIM_AFTER_S` or more, once its answer is sent, the heap it freed is handed back
to the system (`release_freed`, about 10 ms at a million triples): each thread allocates from
its own malloc arena, and what a whole-graph query leaves there would otherwise stay resident
and count against the memory budget (measured: three threads running the bench mix at once
left 38 MiB, trimmed 45 MiB; bench/worker_threads.py).
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import suppress

from api.engine.messages import Reply
from api.engine.process_memory import release_freed

#: Nice value, relative to the worker's, of a thread whose job has run long: it yields the CPU
#: to short queries, to its neighbours and to the HTTP front.
LONG_QUERY_NICE = 19
TRIM_AFTER_S = 0.1


Job = Callable[[], Reply]


class JobThreads:
    """Runs each submitted job on a job thread and hands its reply to `answer` (called from
    that thread, so it must be thread-safe)."""

    def __init__(self, answer: Callable[[Reply], None]) -> None:
        self._answer = answer
        self._jobs: queue.SimpleQueue[tuple[int, Job]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._running: dict[int, int] = {}  # job tag -> native id of the thread running it
        self._slowed: set[int] = set()
        self._base = os.getpriority(os.PRIO_PROCESS, 0)

    def submit(self, tag: int, job: Job) -> None:
        """Run `job` (whose `Run` had `tag`) on an idle thread, or a new one."""
        with self._lock:
            start = not self._idle
            self._idle -= 0 if start else 1
        self._jobs.put((tag, job))
        if start:
            threading.Thread(target=self._serve, name="job", daemon=True).start()

    def slow(self, tag: int) -> None:
        """Lower the priority of the thread running job `tag` (nothing if it has ended)."""
        with self._lock:
            thread = self._running.get(tag)
            if thread is None:
                return
            with suppress(ProcessLookupError, PermissionError):
                os.setpriority(os.PRIO_PROCESS, thread, min(19, self._base + LONG_QUERY_NICE))
                self._slowed.add(tag)

    def _serve(self) -> None:
        thread = threading.get_native_id()
        while True:
            tag, job = self._jobs.get()
            with self._lock:
                self._running[tag] = thread
            started = time.perf_counter()
            reply = _reply(job)
            took = time.perf_counter() - started
            del job  # the job's dataset may have been dropped meanwhile: let it go now
            with self._lock:
                del self._running[tag]
                slowed = tag in self._slowed
                self._slowed.discard(tag)
            stays = not slowed or self._restore()
            if stays:
                with self._lock:
                    self._idle += 1
            self._answer(reply)
            del reply
            if took >= TRIM_AFTER_S:
                release_freed()
            if not stays:
                return

    def _restore(self) -> bool:
        """Back to the worker's priority; False where raising one is not permitted."""
        try:
            os.setpriority(os.PRIO_PROCESS, 0, self._base)
        except PermissionError:
            return False
        return True


def _reply(job: Job) -> Reply:
    try:
        return job()
    except Exception:
        # An error no refusal covers is a bug: end the worker, as an uncaught exception on its
        # only thread did before (the server answers 503 and starts another).
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(70)
