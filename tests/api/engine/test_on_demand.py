"""Older releases in the workers (api/engine/on_demand.py): loaded on demand by the worker that
runs a query on one, kept for the next query, dropped least recently used so that the server
and its workers together stay within `memory_budget_mb` (measured resident memory)."""

from __future__ import annotations

import asyncio
import math
import os
from pathlib import Path

from api.engine.messages import NQuads
from api.engine.pool import WorkerPool
from api.engine.process_memory import rss_mib
from api.engine.query_job import own_query
from api.errors import ApiError
from tests.support.hardened import hardened_settings

QUADS = 40_000
FIRST = own_query("SELECT ?o WHERE { <urn:s:0> <urn:p> ?o }")


def dataset(n: int) -> NQuads:
    """A release of its own: QUADS quads whose objects name `n`."""
    lines = (f'<urn:s:{i}> <urn:p> "release {n} item {i}" .\n' for i in range(QUADS))
    return NQuads("".join(lines).encode())


def resident(pool: WorkerPool) -> float:
    """What the server (this process) and its workers hold, in MiB."""
    return rss_mib(os.getpid()) + sum(rss_mib(w.pid) for w in pool.workers)


async def answer(pool: WorkerPool, n: int, source: NQuads) -> str:
    rows = await pool.run(f"v{n}", FIRST, source)
    return next(iter(rows))["o"].value


def run(build_dir: Path, scenario):
    async def main():
        settings = hardened_settings(
            build_dir, query_workers=2, memory_budget_mb=65_536, query_timeout_s=30
        )
        pool = WorkerPool(settings)
        await pool.load("current", dataset(-1))
        await pool.start()
        await pool.started()
        try:
            return await scenario(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


def budget_for(pool: WorkerPool, releases: float) -> int:
    """A budget leaving room for `releases` older releases of the measured size."""
    base = resident(pool) - pool.on_demand.held_mib()
    return math.ceil(base + releases * pool.on_demand.estimate("v0"))


def test_many_old_releases_in_turn_stay_within_the_budget(mini_build: Path) -> None:
    sources = [dataset(n) for n in range(8)]

    async def scenario(pool: WorkerPool):
        assert await answer(pool, 0, sources[0]) == "release 0 item 0"
        budget = budget_for(pool, 2.5)
        pool.settings = pool.settings.model_copy(update={"memory_budget_mb": budget})
        seen = []
        for n in [*range(1, 8), 1, 7]:
            assert await answer(pool, n, sources[n]) == f"release {n} item 0"
            seen.append((pool.on_demand.count(), resident(pool), budget))
        return seen

    for held, measured, budget in run(mini_build, scenario):
        assert held <= 2
        assert measured <= budget, f"{measured:.0f} MiB resident, budget {budget} MiB"


def test_a_release_kept_by_a_worker_is_not_loaded_again(mini_build: Path) -> None:
    source = dataset(3)

    async def scenario(pool: WorkerPool):
        await answer(pool, 3, source)
        holders = [w for w in pool.workers if "v3" in w.loaded]
        for _ in range(4):
            await answer(pool, 3, source)
        return holders, [w for w in pool.workers if "v3" in w.loaded]

    first, later = run(mini_build, scenario)
    assert len(first) == 1 and later == first


def test_a_release_that_cannot_fit_is_a_503(mini_build: Path) -> None:
    sources = [dataset(n) for n in range(2)]

    async def scenario(pool: WorkerPool):
        await answer(pool, 0, sources[0])
        budget = budget_for(pool, 0.5)
        pool.settings = pool.settings.model_copy(update={"memory_budget_mb": budget})
        try:
            await answer(pool, 1, sources[1])
        except ApiError as refused:
            return refused
        return None

    refused = run(mini_build, scenario)
    assert refused is not None and refused.status == 503 and refused.code == "memory_budget"
    assert refused.headers["Retry-After"] == "5"
