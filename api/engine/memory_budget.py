"""`memory_budget_mb` as the pool applies it: how many worker processes fit, and what is left
for older releases (api/engine/on_demand.py). Judged by the resident memory the kernel reports
now for the server and its running workers (a worker holds the loaded release).

A query slot beyond the processes that fit costs no copy of the release: it is one more thread
of a worker, sharing its store (api/engine/job_threads.py), so the pool gives those slots to
the running workers instead of refusing them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

from api.engine.process_memory import rss_mib

log = logging.getLogger("kskg.pool")


def fitting(budget_mib: int, workers: Iterable[int], wanted: int) -> int:
    """How many of `wanted` more worker processes fit `budget_mib` next to this process and
    the running workers (`workers`: their pids); `wanted` where /proc does not say."""
    resident = _resident(workers)
    if resident is None or not resident[1]:
        return wanted
    own, held = resident
    worker = max(held)
    count = max(0, int((budget_mib - own - sum(held)) // worker))
    if count < wanted:
        log.warning(
            "memory budget %d MiB: %d query worker(s) instead of %d (the server holds "
            "%.0f MiB, a worker %.0f MiB; raise KSKG_MEMORY_BUDGET_MB for more); the "
            "other %d run as threads of those that fit",
            budget_mib, len(held) + count, len(held) + wanted, own, worker, wanted - count,
        )  # fmt: skip
    return min(count, wanted)


def spare_mib(budget_mib: int, workers: Iterable[int], older_mib: float) -> float | None:
    """MiB `budget_mib` leaves for older releases: the budget less this process and the
    workers (`workers`: pids) without the older releases they hold (`older_mib`); None where
    /proc does not say."""
    resident = _resident(workers)
    if resident is None:
        return None
    own, held = resident
    return budget_mib - (own + sum(held) - older_mib)


def _resident(workers: Iterable[int]) -> tuple[float, list[float]] | None:
    """MiB resident in this process and in each of `workers` (pids); None where /proc does not
    say for one of them."""
    own = rss_mib(os.getpid())
    held = [rss_mib(pid) for pid in workers]
    if own is None or None in held:
        return None
    return own, held
