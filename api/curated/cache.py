"""A small LRU memo keyed by data version.

Every key is paired with its data version, so a result is never served for another release;
results of several releases (`version=V`, api/http/versions.py) live side by side, and after a
release switch the old ones are the least recently used and go first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")


class VersionedCache:
    """LRU of at most `size` entries, each for one data version; thread-safe."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, Hashable], object] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, version: str, key: Hashable):
        with self._lock:
            value = self._entries.get((version, key))
            if value is not None:
                self._entries.move_to_end((version, key))
                self.hits += 1
            return value

    def put(self, version: str, key: Hashable, value) -> None:
        with self._lock:
            self._entries[(version, key)] = value
            self._entries.move_to_end((version, key))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            self.misses += 1

    def get_or_compute(self, version: str, key: Hashable, compute: Callable[[], T]) -> T:
        value = self.get(version, key)
        if value is None:
            value = compute()
            self.put(version, key, value)
        return value
