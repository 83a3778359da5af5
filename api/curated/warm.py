"""Warm the curated result cache right after a release is served, for what the release does
not answer from its files.

The parameterless curated routes (listings, statistics, the network graph) are what a
dashboard loads first, and at scale they are whole-graph aggregates: about a second each at a
million triples. A release built with their answers (kskg/curated_answers.py) serves them from
its files on the first request, so there is nothing to warm. For a release built before that
(or a query file edited since), computing them once in the background, one at a time, when
the release is switched in means no dashboard request waits for a cold aggregate.
Parameterised calls are computed on first request (too many combinations to precompute).
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from api.curated.page_records import curated_records
from api.curated.precomputed import release_answers
from api.curated.service import CuratedService
from api.errors import ApiError
from api.http.served import Served

log = logging.getLogger("kskg.curated")


async def warm(service: CuratedService, served: Served) -> list[str]:
    """Compute every curated query that needs no parameter and that `served` has no stored
    answer for; the names done.
    One query at a time, so the other workers stay free for clients; a query that fails
    (deadline, worker lost) is skipped and computed on request as usual."""
    done = []
    answers = release_answers(served.release, service.root)
    for query in service.queries.values():
        if any(p.required for p in query.params):
            continue
        if answers and answers.has(query.name, query.sparql):
            continue  # the first request reads the release's file
        try:
            await curated_records(service, served, query.name)
        except ApiError as error:
            log.warning("not warming %s: %s", query.name, error)
            continue
        done.append(query.name)
    return done


def start_warming(app: FastAPI) -> None:
    """Warm the cache for the release now served, in the background; replaces (cancels) a
    warming still running for an earlier release."""
    service: CuratedService | None = getattr(app.state, "curated", None)
    if service is None:
        return
    stop_warming(app)
    app.state.warming = asyncio.get_running_loop().create_task(_warm_when_started(app, service))


async def _warm_when_started(app: FastAPI, service: CuratedService) -> list[str]:
    # The server answers once its first query worker is up; warming waits for the others, so
    # the first clients do not queue behind it.
    pool = getattr(app.state, "pool", None)
    if pool is not None:
        await pool.started()
    return await warm(service, app.state.served)


def stop_warming(app: FastAPI) -> None:
    task: asyncio.Task | None = getattr(app.state, "warming", None)
    if task is not None and not task.done():
        task.cancel()
