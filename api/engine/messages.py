"""The messages between the server and a query worker (api/engine/worker.py), framed by
api/engine/frames.py. The worker answers loads in order; jobs run on the worker's threads
(api/engine/job_threads.py) and their answers come back in any order, each with its job's `tag`:

    Load(key, source)  -> Loaded(key, isolated, mib) | LoadFailure(message)
    Drop(key)          -> no answer
    Run(key, job, tag) -> Done(outcome, tag) | Refused(refusal, tag)
    Slow(tag)          -> no answer (the job's thread yields the CPU: a long query)

A `Source` says what a worker loads to serve a dataset: a `ReleaseDump` (the merge of its named
graphs becomes the default graph) or `NQuads` (loaded exactly as given).

One `Run` and its answer cross the pipe per query, so the messages are small, flat values
(slots, no per-instance dict) pickled as their class and field values (`_Message`).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.engine.query_job import Answer, Outcome, QueryJob
from api.errors import ApiError


class _Message:
    """Pickled as `(class, field values)`: rebuilt by one constructor call, without the
    per-field state restoring that a slotted dataclass otherwise pickles with."""

    __slots__ = ()

    def __reduce__(self):
        return (type(self), tuple(map(self.__getattribute__, self.__slots__)))


@dataclass(frozen=True, slots=True)
class ReleaseDump(_Message):
    """A release's N-Quads dump (`path`); the merged default graph is computed on loading."""

    path: str


@dataclass(frozen=True, slots=True)
class NQuads(_Message):
    """N-Quads text to load exactly as given, default graph included."""

    data: bytes


Source = ReleaseDump | NQuads


@dataclass(frozen=True, slots=True)
class Load(_Message):
    """Load `source` as dataset `key` (replacing one of that key)."""

    key: str
    source: Source


@dataclass(frozen=True, slots=True)
class Drop(_Message):
    """Forget dataset `key` and hand its memory back to the system; has no answer."""

    key: str


@dataclass(frozen=True, slots=True)
class Run(_Message):
    """Evaluate `job` on dataset `key`; `tag` names the job in its answer."""

    key: str
    job: QueryJob
    tag: int = 0


@dataclass(frozen=True, slots=True)
class Slow(_Message):
    """Job `tag` has run long: lower its thread's priority; has no answer."""

    tag: int


@dataclass(frozen=True, slots=True)
class Loaded(_Message):
    """Dataset `key` is loaded; `isolated` tells whether the worker has no network, `mib`
    what the load added to the worker's resident memory (0 where /proc does not say)."""

    key: str
    isolated: bool
    mib: float = 0.0


@dataclass(frozen=True, slots=True)
class LoadFailure(_Message):
    """The dataset could not be loaded: why (the exception's type and message)."""

    message: str


@dataclass(frozen=True, slots=True)
class Done(_Message):
    """The answer to `Run` `tag`: written bytes, or the terms of a `Purpose.ROWS` job."""

    outcome: Outcome | Answer
    tag: int = 0


@dataclass(frozen=True, slots=True)
class Refused(_Message):
    """`Run` `tag` was not answered, and why."""

    refusal: ApiError
    tag: int = 0


Request = Load | Drop | Run | Slow
Reply = Loaded | LoadFailure | Done | Refused
