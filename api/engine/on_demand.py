"""Older releases in the query workers: loaded on demand, dropped least recently used.

Only the served release is loaded by every worker (api/engine/pool.py `datasets`). A query on an
older release (`version=V`, api/http/versions.py) makes the worker that runs it load V first,
and that worker keeps V for the next query on it. What the older releases hold in all workers
together stays within what `memory_budget_mb` leaves over after the server and the workers with
the served release (`room`): before a load, the least recently used older releases are
dropped until the new one fits. A release's cost is what its load added to its worker's
resident memory (measured in the worker, `Loaded.mib`); before its first load it is estimated
from its N-Quads size. A release that would not fit even alone is refused with 503.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Hashable

from api.engine.messages import NQuads, ReleaseDump, Source
from api.errors import ApiError

#: Resident MiB a worker gains per MiB of N-Quads loaded (pyoxigraph in-memory store with the
#: merged default graph; measured on the real release: 3.0–4.5, docs/api.md "Versions").
MIB_PER_NQUADS_MIB = 4.5
MIB = 1024 * 1024

Holder = Hashable  # a worker


class NoRoom(ApiError):
    """The release does not fit the memory budget even with every other older one dropped."""


class OnDemand:
    """Which worker holds which older release, in least-recently-used order.

    `spare()` tells how many MiB the budget leaves for older releases (measured by the pool
    each time it is asked)."""

    def __init__(self, spare: Callable[[], float | None]) -> None:
        self.spare = spare
        self.sources: dict[str, Source] = {}
        self._held: OrderedDict[tuple[Holder, str], float] = OrderedDict()
        self._cost: dict[str, float] = {}
        self._ratio: float | None = None  # measured MiB per MiB of N-Quads

    def register(self, key: str, source: Source) -> None:
        self.sources.setdefault(key, source)

    def holds(self, holder: Holder, key: str) -> bool:
        return (holder, key) in self._held

    def held_by(self, holder: Holder) -> set[str]:
        return {key for (h, key) in self._held if h == holder}

    def touch(self, holder: Holder, key: str) -> None:
        self._held.move_to_end((holder, key))

    def held_mib(self, holder: Holder | None = None) -> float:
        """What older releases hold, in one worker or (None) in all."""
        return sum(mib for (h, _), mib in self._held.items() if holder is None or h == holder)

    def count(self) -> int:
        return len(self._held)

    def make_room(
        self, holder: Holder, key: str, busy: set[tuple[Holder, str]]
    ) -> list[tuple[Holder, str]]:
        """The (worker, release) pairs to drop, least recently used first, so that `key`
        fits next to the rest; pairs in `busy` (a query runs on them) stay. Forgets the
        dropped pairs and reserves `key` in `holder`; raises NoRoom if it cannot fit."""
        spare = self.spare()
        need = self.estimate(key)
        victims: list[tuple[Holder, str]] = []
        if spare is not None:
            held = self.held_mib()
            for pair in list(self._held):
                if held + need <= spare:
                    break
                if pair not in busy:
                    victims.append(pair)
                    held -= self._held[pair]
            if held + need > spare:
                raise _no_room(key, need, spare)
        for pair in victims:
            del self._held[pair]
        self._held[(holder, key)] = need
        return victims

    def loaded(self, holder: Holder, key: str, mib: float) -> None:
        """The load of `key` in `holder` added `mib` resident MiB (measured by the worker)."""
        mib = max(mib, 1.0)
        self._cost[key] = mib
        size = _nquads_mib(self.sources.get(key))
        if size:
            self._ratio = max(mib / size, 1.0)
        if (holder, key) in self._held:
            self._held[(holder, key)] = mib

    def failed(self, holder: Holder, key: str) -> None:
        self._held.pop((holder, key), None)

    def estimate(self, key: str) -> float:
        if key in self._cost:
            return self._cost[key]
        size = _nquads_mib(self.sources.get(key)) or 1.0
        return max(1.0, size * (self._ratio or MIB_PER_NQUADS_MIB))

    def promote(self, key: str) -> None:
        """`key` is served now (loaded by every worker): no longer an older release."""
        for pair in [p for p in self._held if p[1] == key]:
            del self._held[pair]
        self.sources.pop(key, None)

    def forget_holder(self, holder: Holder) -> None:
        for pair in [p for p in self._held if p[0] == holder]:
            del self._held[pair]


def _nquads_mib(source: Source | None) -> float:
    if isinstance(source, ReleaseDump):
        try:
            return os.path.getsize(source.path) / MIB
        except OSError:
            return 0.0
    if isinstance(source, NQuads):
        return len(source.data) / MIB
    return 0.0


def _no_room(key: str, need: float, spare: float) -> NoRoom:
    return NoRoom(
        503,
        "memory_budget",
        f"release {key} needs about {need:.0f} MiB but the memory budget leaves "
        f"{max(spare, 0):.0f} MiB for older releases while other queries use them; try again "
        "shortly, or raise KSKG_MEMORY_BUDGET_MB",
        retry_after=5,
    )
