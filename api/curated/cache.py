"""A small LRU memo that belongs to one data version.

Keys include nothing version-specific: when a request arrives for another version (a new
release was switched in) the whole memo is dropped, so stale results can never be served.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class VersionedCache:
    """LRU of at most `size` entries for the current data version; thread-safe."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.version: str | None = None
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, version: str, key: Hashable):
        with self._lock:
            if version != self.version:
                return None
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return value

    def put(self, version: str, key: Hashable, value) -> None:
        with self._lock:
            if version != self.version:
                self._entries.clear()
                self.version = version
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            self.misses += 1

    def get_or_compute(self, version: str, key: Hashable, compute: Callable[[], T]) -> T:
        value = self.get(version, key)
        if value is None:
            value = compute()
            self.put(version, key, value)
        return value
