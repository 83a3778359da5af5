"""`ClientLedger`: per-client counts in memory shared by every process forked after it was made,
so the per-client limits (api/sparql/client_limits.py, api/http/server.py) hold for a server
whose several HTTP processes serve one port, instead of once per process.

**The table** (api/sparql/ledger_table.py) is a fixed table in an anonymous shared mapping (a
memfd mapped MAP_SHARED), made before `fork()`. Per client key (stored as a 64-bit BLAKE2b hash
of the string) it keeps the open connections, the running queries and the query seconds spent
in a rolling window, as `buckets` time buckets of window/buckets seconds each: spending leaves
the window between window − window/buckets and window after it was charged. `time.monotonic()`
is the system's CLOCK_MONOTONIC on Linux, the same clock in every process.

**Locking.** Every operation holds a POSIX record lock on the memfd (`fcntl.lockf`) and, since
such locks belong to a process and do not exclude its threads, a `threading.Lock` too. The
kernel drops a record lock when its process dies, so a process killed with SIGKILL inside the
locked section blocks nobody (a semaphore would stay taken for ever).

**Process slots.** Connections and running queries are counted per process slot and in a
total per client. A process forked to serve calls `attach(slot)` with the slot its supervisor
handed out (a process that never attaches counts in slot 0); when it has died, the supervisor
calls `release_slot(slot)`, which takes that process's counts off the totals (recounting them
from the slots, which also repairs an update the kill cut short). Spent seconds are history and
stay.

**Full.** An entry is free again when it has no connection, no running query and no spending
in the window. When a new client finds no free entry near the position its hash names, the
operation raises `LedgerFull`: more clients are active at once than the table holds (size
`entries` at about twice the most clients expected to be active at once). It is logged at
most once a minute per process; the callers answer 503 `busy`.
"""

from __future__ import annotations

import fcntl
import logging
import math
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from api.sparql.ledger_table import LedgerFull, LedgerTable, key_hash
from kskg.settings import Settings

__all__ = ["AtConcurrency", "BudgetSpent", "ClientCounts", "ClientLedger", "LedgerFull"]

log = logging.getLogger("kskg.api")

#: How often a process logs that the table is full, at most.
FULL_LOG_INTERVAL_S = 60.0


class AtConcurrency(Exception):
    """The client already runs as many queries as it may at once."""


class BudgetSpent(Exception):
    """The client used its query-time budget: `used_s` seconds in the window; enough of it
    leaves the window in `retry_after_s` seconds."""

    def __init__(self, used_s: float, retry_after_s: int) -> None:
        super().__init__(used_s, retry_after_s)
        self.used_s = used_s
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class ClientCounts:
    """What the ledger holds for one client: totals over every process, seconds in the window."""

    connections: int
    running: int
    spent_s: float


class ClientLedger:
    """Per-client connections, running queries and spent query seconds, shared by the processes
    forked after it was made (see the module docstring). Every operation is atomic across
    processes and threads. `now` arguments are `time.monotonic()` values (default: now)."""

    def __init__(
        self, entries: int = 16_384, slots: int = 64, window_s: float = 60.0, buckets: int = 32
    ) -> None:
        if min(entries, slots, buckets) < 1 or not window_s > 0:
            raise ValueError("a client ledger needs entries, slots, buckets >= 1, window_s > 0")
        self.entries, self.slots, self.buckets, self.window_s = entries, slots, buckets, window_s
        self._table = LedgerTable(entries, slots, window_s, buckets)
        self._bucket_s = self._table.bucket_s
        self._slot = 0
        self._thread_lock = threading.Lock()
        self._full_logged_at = -math.inf
        _LEDGERS.add(self)

    @classmethod
    def from_settings(cls, settings: Settings, **sizes) -> ClientLedger:
        """A ledger for the budget window of `settings` (`sizes`: entries, slots, buckets)."""
        return cls(window_s=settings.client_budget_window_s, **sizes)

    # Process slots.

    def attach(self, slot: int) -> None:
        """Count this process's connections and queries in `slot` from now on (called after
        fork; a slot handed to a new process starts empty, whatever its last holder left)."""
        self.release_slot(slot)
        self._slot = slot

    def release_slot(self, slot: int) -> None:
        """Take the counts of the (dead) process of `slot` off the totals; its spending stays."""
        if not 0 <= slot < self.slots:
            raise ValueError(f"slot {slot} is not one of the ledger's {self.slots}")
        with self.locked():
            for record in self._table.records():
                self._table.recount(record, slot)

    # Connections.

    def open_connection(self, key: str, cap: int) -> int | None:
        """Count one more open connection of `key` if it holds fewer than `cap`: its ticket for
        `close_connection`, or None at the cap. Raises LedgerFull."""
        h = key_hash(key)
        self._lock()
        try:
            record = self._entry(h, time.monotonic())
            if self._table.add(record, self._slot, 1, 0)[0] > cap:
                self._table.add(record, self._slot, -1, 0)
                return None
            return record
        finally:
            self._unlock()

    def close_connection(self, ticket: int) -> int:
        """Count the connection of `open_connection`'s `ticket` closed; the connections its
        client still holds open (in every process)."""
        self._lock()
        try:
            return self._table.add(ticket, self._slot, -1, 0)[0]
        finally:
            self._unlock()

    # Queries.

    def start_query(
        self, key: str, concurrency: int, budget_s: float, now: float | None = None
    ) -> int:
        """Count one more running query of `key`: its ticket for `end_query`. Raises
        AtConcurrency when `key` runs `concurrency` already, BudgetSpent when it spent
        `budget_s` in the window, LedgerFull."""
        now = time.monotonic() if now is None else now
        h = key_hash(key)
        self._lock()
        try:
            record = self._entry(h, now)
            if self._table.add(record, self._slot, 0, 1)[1] > concurrency:
                self._table.add(record, self._slot, 0, -1)
                raise AtConcurrency(concurrency)
            number = int(now // self._bucket_s)
            used = self._table.used(record, number)
            if used >= budget_s:
                self._table.add(record, self._slot, 0, -1)
                raise BudgetSpent(used, self._retry_after(record, number, now, used - budget_s))
            return record
        finally:
            self._unlock()

    def end_query(self, ticket: int, seconds: float, now: float | None = None) -> None:
        """Count the query of `start_query`'s `ticket` ended, charging it `seconds`."""
        now = time.monotonic() if now is None else now
        self._lock()
        try:
            self._table.add(ticket, self._slot, 0, -1)
            if seconds > 0:
                self._table.charge(ticket, int(now // self._bucket_s), seconds)
        finally:
            self._unlock()

    def used(self, key: str, now: float | None = None) -> float:
        """Query seconds `key` spent in the window ending `now`."""
        return self.counts(key, now).spent_s

    def retry_after(self, key: str, budget_s: float, now: float | None = None) -> int:
        """Seconds (at least 1) until enough of `key`'s spending leaves the window for it to be
        under `budget_s` again."""
        now = time.monotonic() if now is None else now
        number = int(now // self._bucket_s)
        with self.locked():
            record = self._table.find(key_hash(key))
            if record is None:
                return 1
            used = self._table.used(record, number)
            return self._retry_after(record, number, now, used - budget_s)

    def counts(self, key: str, now: float | None = None) -> ClientCounts:
        """What the ledger holds for `key` at `now` (zeros for a client it does not hold)."""
        now = time.monotonic() if now is None else now
        with self.locked():
            record = self._table.find(key_hash(key))
            if record is None:
                return ClientCounts(0, 0, 0.0)
            connections, running = self._table.counts(record)
            spent = self._table.used(record, int(now // self._bucket_s))
            return ClientCounts(connections, running, spent)

    def _entry(self, h: int, now: float) -> int:
        try:
            return self._table.entry(h, int(now // self._bucket_s))
        except LedgerFull:
            if now - self._full_logged_at >= FULL_LOG_INTERVAL_S:
                self._full_logged_at = now
                log.warning(
                    "the client ledger's %d entries are taken: more clients are active at "
                    "once than it holds; new clients get 503 busy (logged at most once a "
                    "minute)",
                    self.entries,
                )
            raise

    def _retry_after(self, record: int, number: int, now: float, excess: float) -> int:
        return max(1, math.ceil(self._table.retry_after_s(record, number, excess) - now))

    # The lock.

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger's lock (across processes and threads) for the block."""
        self._lock()
        try:
            yield
        finally:
            self._unlock()

    def fileno(self) -> int:
        """The memfd the table lives in and the record lock is taken on."""
        return self._table.fd

    def _lock(self) -> None:
        self._thread_lock.acquire()
        try:
            fcntl.lockf(self._table.fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def _unlock(self) -> None:
        try:
            fcntl.lockf(self._table.fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def _after_fork_in_child(self) -> None:
        # A thread of the parent may have held the thread lock at the fork; the child has only
        # the forking thread. The record lock is not inherited. The child counts in slot 0
        # until it attaches.
        self._thread_lock = threading.Lock()
        self._slot = 0


_LEDGERS: weakref.WeakSet[ClientLedger] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for ledger in list(_LEDGERS):
        ledger._after_fork_in_child()


os.register_at_fork(after_in_child=_after_fork_in_child)
