"""`LedgerTable`: the fixed table of api/sparql/client_ledger.py in an anonymous shared mapping,
without its locking: every method expects the caller to hold the ledger's lock.

Layout: `entries` 64-bit keys (0: never used), then one record per entry:

    connections, running         totals over the process slots (COUNTS)
    latest, oldest, total        spending summary (SPENT, below)
    buckets × (number, seconds)  the rolling window, one bucket per window/buckets seconds
    slots × (connections, running)

A bucket records its absolute number (monotonic time // bucket width) and is live while it is
one of the last `buckets` numbers. SPENT keeps the number of the latest bucket charged, that of
the oldest bucket holding seconds and the seconds all buckets hold: while the oldest is live the
window's spending is `total` without reading the buckets; once it has left, the stale buckets
are emptied and the summary recomputed (at most once per bucket width and client).

A client's entry lies within `NEIGHBOURHOOD` entries from the position its hash names (bounded
linear probing): lookups read those keys at once, and nothing is deleted, since an entry with no
connection, no running query and no spending in the window is free for the next new client near
it. No free entry near a new client's position raises `LedgerFull`.
"""

from __future__ import annotations

import functools
import mmap
import os
import struct
import tempfile
import weakref
from hashlib import blake2b

#: How far from the position its hash names a client's entry may lie.
NEIGHBOURHOOD = 32
KEY = struct.Struct("<Q")
#: An entry's counts: open connections and running queries, totals over the slots.
COUNTS = struct.Struct("<ii")
#: An entry's spending summary: latest bucket charged, oldest bucket holding seconds, seconds.
SPENT = struct.Struct("<qqd")
HEAD_SIZE = COUNTS.size + SPENT.size
#: One bucket: its number, the seconds charged in it.
BUCKET = struct.Struct("<qd")
#: One slot's counts of an entry: open connections, running queries.
SLOT = struct.Struct("<ii")


class LedgerFull(Exception):
    """More distinct clients are active at once than the ledger holds (answer 503 `busy`)."""


@functools.lru_cache(maxsize=4096)
def key_hash(key: str) -> int:
    """The 64-bit hash a client key is stored as (never 0, which marks an unused entry)."""
    return int.from_bytes(blake2b(key.encode(), digest_size=8).digest(), "little") or 1


class LedgerTable:
    """The shared table (see the module docstring). A record is addressed by its byte offset,
    which the ledger hands out as a ticket: it stays the client's while the client holds a
    connection or a running query there."""

    def __init__(self, entries: int, slots: int, window_s: float, buckets: int) -> None:
        self.entries, self.slots, self.buckets = entries, slots, buckets
        self.bucket_s = window_s / buckets
        self._near = min(NEIGHBOURHOOD, entries)
        self._homes = entries - self._near + 1
        self._keys = struct.Struct(f"<{self._near}Q")
        self._buckets = struct.Struct("<" + "qd" * buckets)
        self._slot_counts = struct.Struct(f"<{2 * slots}i")
        self._slots_at = HEAD_SIZE + BUCKET.size * buckets
        self._record_size = self._slots_at + SLOT.size * slots
        self._records_at = KEY.size * entries
        self._blank = bytes(self._record_size)
        size = self._records_at + entries * self._record_size
        self.fd = _anonymous_file(size)
        self.map = mmap.mmap(self.fd, size)
        weakref.finalize(self, _close, self.map, self.fd)

    # Entries.

    def find(self, h: int) -> int | None:
        """The record of hash `h`, or None."""
        home = h % self._homes
        keys = self._keys.unpack_from(self.map, KEY.size * home)
        return self._record(home + keys.index(h)) if h in keys else None

    def entry(self, h: int, number: int) -> int:
        """The record of hash `h`, taking a free entry (at bucket `number`) for a new client.
        Raises LedgerFull."""
        home = h % self._homes
        keys = self._keys.unpack_from(self.map, KEY.size * home)
        if h in keys:
            return self._record(home + keys.index(h))
        for offset, key in enumerate(keys):
            record = self._record(home + offset)
            if key == 0 or self._is_free(record, number):
                # Blank first, key last: a kill between the two leaves a free entry.
                self.map[record : record + self._record_size] = self._blank
                KEY.pack_into(self.map, KEY.size * (home + offset), h)
                return record
        raise LedgerFull(
            f"more clients are active at once than the server's client ledger holds "
            f"({self.entries} entries)"
        )

    def records(self) -> list[int]:
        """The records of every entry ever used."""
        keys = struct.unpack_from(f"<{self.entries}Q", self.map, 0)
        return [self._record(index) for index, key in enumerate(keys) if key]

    def _record(self, index: int) -> int:
        return self._records_at + index * self._record_size

    def _is_free(self, record: int, number: int) -> bool:
        connections, running = COUNTS.unpack_from(self.map, record)
        return connections <= 0 and running <= 0 and not self.used(record, number)

    # Counts.

    def counts(self, record: int) -> tuple[int, int]:
        """The open connections and running queries of `record` (totals over the slots)."""
        return COUNTS.unpack_from(self.map, record)

    def add(self, record: int, slot: int, connections: int, running: int) -> tuple[int, int]:
        """Add to the counts of `record`, in `slot` and in the totals; the new totals."""
        held_connections, held_running = COUNTS.unpack_from(self.map, record)
        totals = held_connections + connections, held_running + running
        COUNTS.pack_into(self.map, record, *totals)
        at = record + self._slots_at + SLOT.size * slot
        held_connections, held_running = SLOT.unpack_from(self.map, at)
        SLOT.pack_into(self.map, at, held_connections + connections, held_running + running)
        return totals

    def recount(self, record: int, released: int) -> None:
        """Zero slot `released` of `record` and recount its totals from its slots."""
        SLOT.pack_into(self.map, record + self._slots_at + SLOT.size * released, 0, 0)
        counts = self._slot_counts.unpack_from(self.map, record + self._slots_at)
        COUNTS.pack_into(self.map, record, sum(counts[0::2]), sum(counts[1::2]))

    # Spending.

    def used(self, record: int, number: int) -> float:
        """Seconds `record` spent in the window ending in bucket `number`."""
        latest, oldest, total = SPENT.unpack_from(self.map, record + COUNTS.size)
        if number - latest >= self.buckets:
            return 0.0
        if oldest > number - self.buckets:
            return total
        return self._drop_stale(record, number)

    def retry_after_s(self, record: int, number: int, excess: float) -> float:
        """The monotonic time at which more than `excess` seconds of `record`'s spending will
        have left the window (oldest first; the current window's end if it never does)."""
        for bucket, seconds in self._live(record, number):
            excess -= seconds
            if excess < 0:
                return (bucket + self.buckets) * self.bucket_s
        return (number + self.buckets) * self.bucket_s

    def charge(self, record: int, number: int, seconds: float) -> None:
        """Charge `seconds` to `record` in bucket `number`."""
        at = record + HEAD_SIZE + BUCKET.size * (number % self.buckets)
        held, held_seconds = BUCKET.unpack_from(self.map, at)
        latest, oldest, total = SPENT.unpack_from(self.map, record + COUNTS.size)
        if held >= number and held_seconds:
            # The bucket is current (or, if this process waited a whole window for the lock, a
            # later one): add to it.
            BUCKET.pack_into(self.map, at, held, held_seconds + seconds)
            total += seconds
        else:
            BUCKET.pack_into(self.map, at, number, seconds)
            total += seconds - held_seconds
            oldest = min(bucket for bucket, _ in self._held(record))
        SPENT.pack_into(self.map, record + COUNTS.size, max(latest, number), oldest, total)

    def _held(self, record: int) -> list[tuple[int, float]]:
        """(number, seconds) of the buckets of `record` holding seconds, oldest first."""
        values = self._buckets.unpack_from(self.map, record + HEAD_SIZE)
        return sorted((b, s) for b, s in zip(values[0::2], values[1::2], strict=True) if s)

    def _live(self, record: int, number: int) -> list[tuple[int, float]]:
        """`_held` of the window ending in bucket `number`."""
        return [(b, s) for b, s in self._held(record) if b > number - self.buckets]

    def _drop_stale(self, record: int, number: int) -> float:
        """Empty the buckets that left the window; the seconds the others hold."""
        live = self._live(record, number)
        values = [number - self.buckets, 0.0] * self.buckets
        for bucket, seconds in live:
            position = bucket % self.buckets
            values[2 * position : 2 * position + 2] = bucket, seconds
        self._buckets.pack_into(self.map, record + HEAD_SIZE, *values)
        total = sum(seconds for _, seconds in live)
        latest = live[-1][0] if live else number - self.buckets
        oldest = live[0][0] if live else number
        SPENT.pack_into(self.map, record + COUNTS.size, latest, oldest, total)
        return total


def _anonymous_file(size: int) -> int:
    """A file descriptor of `size` zero bytes that lives in memory only."""
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("kskg-client-ledger")
    else:  # not Linux: an unlinked temporary file does the same
        with tempfile.TemporaryFile() as file:
            fd = os.dup(file.fileno())
    os.ftruncate(fd, size)
    return fd


def _close(mapping: mmap.mmap, fd: int) -> None:
    mapping.close()
    os.close(fd)
