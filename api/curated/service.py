"""Run curated queries against the served store, with sections, graph shape and a result memo.

Results are computed once per (data version, query, bound parameters) and kept in a
`VersionedCache`; pagination slices the cached list, so `total` is exact and free.

A query with nothing bound is answered from the release's precomputed answer when it has one
(kskg/curated_answers.py: the bytes a worker would answer, written by the build), so even the
first request after a start or a release switch runs no query. Everything else
`fetch` runs through a `Runner`, i.e. in a query worker under the deadline: for the
/api routes within the client's limits (api/sparql/execution.py), for the pages and the cache
warming as the server's own (`QueryStore.execute`). Concurrent requests for the same uncached
result share one computation. One service per app (`app.state.curated`), so the pages and
/api/… share one cache and never disagree.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping

import orjson
import pyoxigraph as ox

from api.curated.cache import VersionedCache
from api.curated.envelope import Page
from api.curated.params import cache_key
from api.curated.precomputed import stored_result
from api.curated.records import json_records
from api.curated.registry import CuratedQuery
from api.curated.search import SearchIndex
from api.engine.query_job import Outcome, Purpose, QueryJob
from api.engine.values_binding import bind_values
from api.errors import ApiError
from kskg.curated_answers import ReleaseAnswers
from kskg.curated_records import edge_graph

Bound = Mapping[str, ox.NamedNode | ox.Literal]
Runner = Callable[[QueryJob], Awaitable[Outcome]]


class CuratedService:
    """The curated queries of one app; `root` is the URL path prefix of the public base."""

    def __init__(self, queries: dict[str, CuratedQuery], root: str = "/") -> None:
        self.queries = queries
        self.root = root
        self.results = VersionedCache()
        self.responses = VersionedCache(size=4096)
        self._pending: dict[tuple[str, Hashable], asyncio.Future] = {}

    async def fetch(
        self,
        run: Runner,
        version: str,
        query: CuratedQuery,
        bound: Bound,
        answers: ReleaseAnswers | None = None,
    ):
        """The records (list) or graph (dict) of `query` with `bound` for this data version,
        from `answers` (the release's precomputed ones) where they have it, else its queries
        run by `run`; raises ApiError 404 for a single record not found."""
        key = (query.name, cache_key(bound))
        cached = self.results.get(version, key)
        if cached is not None:
            return cached
        pending = self._pending.get((version, key))
        if pending is not None:
            return await asyncio.shield(pending)
        future = asyncio.get_running_loop().create_future()
        self._pending[(version, key)] = future
        try:
            value = await self._compute(run, query, bound, answers)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # retrieved: no "never retrieved" warning when no one waits
            raise
        finally:
            del self._pending[(version, key)]
        self.results.put(version, key, value)
        future.set_result(value)
        return value

    async def search(
        self, index: SearchIndex, version: str, query: CuratedQuery, bound: Bound, page: Page
    ) -> tuple[list[dict], int]:
        """The records of one page of the `suche` query from the release's full-text index
        (api/curated/search.py) and how many there are in all, kept like any other result."""
        key = (query.name, cache_key(bound), page.limit, page.offset)
        cached = self.results.get(version, key)
        if cached is None:
            q = bound["_q"].value
            found, total = await asyncio.to_thread(index.page, q, page.limit, page.offset)
            cached = (json_records(found, query.fields, self.root), total)
            self.results.put(version, key, cached)
        return cached

    async def _compute(self, run: Runner, query: CuratedQuery, bound: Bound, answers):
        if answers and not bound and not query.sections:
            stored = answers.get(query.name, query.sparql)
            if stored is not None:
                return stored_result(stored)
        records = await self.records(run, query, bound, answers)
        if query.single and not records:
            raise _nothing_found(query, bound)
        for key, name in query.sections.items():
            section = self.queries[name]
            rows = await self.records(run, section, _subset(bound, section), answers)
            for record in records:
                record[key] = rows
        return self.graph(records) if query.shape == "graph" else records

    async def records(
        self,
        run: Runner,
        query: CuratedQuery,
        bound: Bound,
        answers: ReleaseAnswers | None = None,
    ) -> list[dict]:
        """The records of `query` alone (no sections, no cache): its precomputed records in
        `answers` when nothing is bound and the release has them for this query text, else
        those of a job run by `run`."""
        stored = answers.get(query.name, query.sparql) if answers and not bound else None
        if stored is not None and stored.shape == "records":
            return list(stored_result(stored))
        job = QueryJob(bind_values(query.sparql, bound), purpose=Purpose.RECORDS, guard=False)
        outcome = await run(job)
        return json_records(orjson.loads(outcome.body), query.fields, self.root)

    def graph(self, edges: list[dict]) -> dict:
        """Edge records (source, target, relation, *_label, *_type) -> {"nodes", "edges"}."""
        return edge_graph(edges, self.root)


def _nothing_found(query: CuratedQuery, bound: Bound) -> ApiError:
    shown = ", ".join(f"{k[1:]}={v.value}" for k, v in sorted(bound.items()))
    return ApiError(404, "not_found", f"{query.name}: nothing found for {shown}")


def _subset(bound: Bound, query: CuratedQuery) -> dict:
    wanted = {p.variable for p in query.params}
    return {name: term for name, term in bound.items() if name in wanted}
