"""`execute()`: the one entry point that runs a client's query (`/sparql` and the curated routes):
from the SPARQL answer cache (keyed by data version) when it can, otherwise within the client's
limits on the store."""

from __future__ import annotations

from fastapi import Request

from api.engine.query_job import Outcome, Purpose, QueryJob
from api.engine.store import QueryStore
from api.sparql.answer_cache import REQUEST_KEY, answer_cache
from api.sparql.client_limits import ClientLimiter


async def execute(request: Request, store: QueryStore, job: QueryJob) -> Outcome:
    """Answer a client's query on `store`: a `/sparql` query from the answer cache if it was
    answered before on this release (no worker, no admission: it costs the client nothing),
    otherwise run within the client's limits. Curated queries have their own cache."""
    if job.purpose is not Purpose.SPARQL:
        return await _admitted(request, store, job)
    cache = answer_cache(request.app)
    if not cache.enabled:
        return await _admitted(request, store, job)
    outcome = cache.get(store.version, job)
    if outcome is None:
        outcome = await _admitted(request, store, job)
        cache.put(store.version, job, outcome)
    cache.remember(store.version, request.scope.get("state", {}).get(REQUEST_KEY), job)
    return outcome


async def _admitted(request: Request, store: QueryStore, job: QueryJob) -> Outcome:
    """Run `job` on `store` within the client's limits."""
    limiter: ClientLimiter = request.app.state.limiter
    client = request.client.host if request.client else "unknown"
    async with limiter.admit(client) as charge:
        return await store.execute(job, charge)
