"""Answers to client SPARQL queries, kept for as long as their release is served.

A release is immutable, so the answer to a `QueryJob` (query text, bindings, dataset, base IRI,
Accept header and `format`, result limits, dumps URL: every field of the frozen dataclass is in
the key) is a pure function of the data version and the job. `AnswerCache` keeps such answers
(`Outcome`s, cut ones included: a cut is deterministic) in least-recently-used order, bounded
by their size in bytes; an answer bigger than `max_entry_bytes` is not kept. Refusals (syntax
errors, time-outs, 429) are exceptions and never reach the cache.

Two kinds of query are not kept because their answer is not a function of the data: those
calling `NOW()`, `RAND()`, `UUID()` or `STRUUID()`, and, to stay on the safe side of that
check, any query written with `\\u`/`\\U` escapes (SPARQL 1.1 §19.2), which could hide them.

Answers are kept per data version: `version=V` (api/http/versions.py) asks older releases,
whose answers are as much a function of their data as the current one's. After a release
switch the old answers are simply the least recently used and go first.

A kept answer also remembers the raw GET and POST requests it answered (`request_key`:
everything the answer depends on besides the data), so api/http/answer_replay.py can answer such a
request again before FastAPI routes it.

Not thread-safe: it is used only on the server's event loop (api/sparql/client_limits.py `execute`,
api/http/answer_replay.py).
"""

from __future__ import annotations

import re
from collections import OrderedDict

from starlette.applications import Starlette
from starlette.types import Scope

from api.engine.query_job import Outcome, QueryJob

MIB = 1024 * 1024
# What an entry costs besides its body and query text: the job and outcome objects, the
# request's own Accept, base IRI and dumps URL strings, the LRU's links (tracemalloc: ≈ 0.8 KiB
# for a short Accept header; rounded up for longer ones).
ENTRY_OVERHEAD = 1024
# An answer larger than this share of the cache would push out many smaller ones.
ENTRY_SHARE = 16

#: Where api/http/answer_replay.py leaves a request's `request_key` (in the ASGI scope's state) for
#: api/sparql/execution.py `execute`, which notes it with the answer it keeps: one key, computed
#: once.
REQUEST_KEY = "answer_request"

_VOLATILE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID)\s*\(|\\[uU]", re.IGNORECASE)


class AnswerCache:
    """LRU of `Outcome`s keyed by (data version, QueryJob), at most `max_bytes` in total and
    `max_entry_bytes` per entry (sizes by `entry_size`). `max_bytes` 0 = off."""

    def __init__(self, max_bytes: int, max_entry_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = (
            max_bytes // ENTRY_SHARE if max_entry_bytes is None else max_entry_bytes
        )
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[tuple[str, QueryJob], _Entry] = OrderedDict()
        self._requests: dict[tuple, tuple[str, QueryJob]] = {}

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: str, job: QueryJob) -> Outcome | None:
        """The kept answer to `job` on `version`, or None (counted as a miss)."""
        entry = self._entries.get((version, job))
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end((version, job))
        self.hits += 1
        return entry.outcome

    def replay(self, version: str, request: tuple | None) -> Outcome | None:
        """The kept answer to the raw `request` (`request_key`), or None."""
        key = self._requests.get((version, request))
        return None if key is None else self.get(*key)

    def remember(self, version: str, request: tuple | None, job: QueryJob) -> None:
        """Note that the kept answer to `job` answers the raw `request` too (nothing happens
        if `job` has no kept answer, or `request` is None)."""
        entry = self._entries.get((version, job))
        if entry is None or request is None or (version, request) in self._requests:
            return
        size = sum(len(part) for part in request if part is not None) + ENTRY_OVERHEAD
        entry.requests.append((version, request))
        entry.size += size
        self.bytes += size
        self._requests[(version, request)] = (version, job)
        self._trim()

    def put(self, version: str, job: QueryJob, outcome: Outcome) -> bool:
        """Keep `outcome` as the answer to `job` on `version`; False if it is not kept (cache
        off, too big, or a query whose answer is not a function of the data)."""
        size = entry_size(job, outcome)
        if size > self.max_entry_bytes or not cacheable(job):
            return False
        if (version, job) in self._entries:
            self._drop((version, job))
        self._entries[(version, job)] = _Entry(outcome, size)
        self.bytes += size
        self._trim()
        return True

    def clear(self) -> None:
        self._entries.clear()
        self._requests.clear()
        self.bytes = 0

    def _trim(self) -> None:
        while self.bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[str, QueryJob]) -> None:
        entry = self._entries.pop(key)
        self.bytes -= entry.size
        for request in entry.requests:
            del self._requests[request]


class _Entry:
    """A kept answer, its size in bytes and the raw requests it answered."""

    __slots__ = ("outcome", "size", "requests")

    def __init__(self, outcome: Outcome, size: int) -> None:
        self.outcome, self.size, self.requests = outcome, size, []


def request_key(scope: Scope, body: bytes = b"") -> tuple | None:
    """Everything a GET or POST request's answer depends on besides the data: method, path,
    raw query string, Accept, Host, scheme, root path and, for a POST, Content-Type and the
    raw `body`. None for other methods."""
    method = scope["method"]
    if method not in ("GET", "POST"):
        return None
    wanted = {b"accept": None, b"host": None, b"content-type": None}
    for name, value in scope["headers"]:
        if name in wanted:
            wanted[name] = value
    where = (method, scope["path"], scope.get("root_path", ""), scope["scheme"])
    return (*where, scope["query_string"], *wanted.values(), body if method == "POST" else b"")


def entry_size(job: QueryJob, outcome: Outcome) -> int:
    """Bytes an entry is charged: its body, its query text and a fixed overhead (the key
    holds the query, so many distinct queries with tiny answers are bounded too)."""
    return len(outcome.body) + len(job.query) + ENTRY_OVERHEAD


def cacheable(job: QueryJob) -> bool:
    """False for queries whose answer may differ between two runs on the same data."""
    return _VOLATILE.search(job.query) is None


def answer_cache(app: Starlette) -> AnswerCache:
    """The app's answer cache, created on first use from the served settings
    (`answer_cache_mb`)."""
    cache = getattr(app.state, "answer_cache", None)
    if cache is None:
        cache = AnswerCache(app.state.served.settings.answer_cache_mb * MIB)
        app.state.answer_cache = cache
    return cache
