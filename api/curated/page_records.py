"""What the server-rendered pages need of the curated queries: the app's one `CuratedService`
as a typed dependency, and the records a parameterless `/api/<name>` answers.

The start page shows the same data a dashboard gets from `/api/<name>`: the same query files
through the same service and its one result cache, so the two never disagree.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.curated.params import bind_params
from api.curated.precomputed import release_answers
from api.curated.service import CuratedService
from api.http.served import Served


async def get_curated(request: Request) -> CuratedService:
    return request.app.state.curated


CuratedDep = Annotated[CuratedService, Depends(get_curated)]


async def curated_records(service: CuratedService, served: Served, name: str) -> list[dict]:
    """The records `/api/<name>` answers without parameters (all of them, unpaged): the
    release's precomputed answer, or else run as the server's own query (no client limits)."""
    query = service.queries[name]
    bound = bind_params(query, {})
    answers = release_answers(served.release, service.root)
    return await service.fetch(served.store.execute, served.version, query, bound, answers)
