"""`WorkerPoolStore`: the `QueryStore` the served app uses; every query runs in a worker process
of the pool (api/engine/pool.py), so the main process holds no copy of the data."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import TypeVar

import pyoxigraph as ox

from api.engine.messages import Source
from api.engine.own_queries import rq
from api.engine.pool import WorkerPool, unavailable
from api.engine.query_job import Answer, Outcome, QueryJob, own_query
from api.engine.store import Spent

T = TypeVar("T")

#: Seconds past the pool's own deadline after which a waiting thread gives up.
STOPPED_LOOP_GRACE_S = 5.0
GRAPHS_QUERY = rq("named_graphs")


class WorkerPoolStore:
    """A release served by a worker pool.

    `execute()` runs a client's query in a worker under the deadline. `query()` runs the
    server's own fixed queries in a worker too, as a `Purpose.ROWS` job answering the terms
    themselves (api/engine/query_job.py `Answer`), unguarded and without result limits; it
    blocks its calling thread, so it must be called from a thread other than the event loop's
    (run_in_threadpool). Async code awaits `query_async()` instead. `loop` gives the event loop
    the pool runs on (None before the app's lifespan started it)."""

    def __init__(
        self,
        version: str,
        pool: WorkerPool,
        source: Source,
        loop: Callable[[], asyncio.AbstractEventLoop | None],
        graphs: Sequence[str] | None = None,
    ) -> None:
        self.version = version
        self.pool = pool
        self.source = source  # what a worker loads (api/engine/messages.py)
        self._loop = loop
        self._graphs = None if graphs is None else sorted(graphs)

    async def query_async(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> Answer:
        """`query()` awaited on the event loop. Raises ApiError (503 when the worker timed
        out or died; 400 for a malformed query)."""
        job = own_query(
            sparql,
            substitutions=substitutions,
            default_graph=default_graph,
            named_graphs=named_graphs,
            base_iri=base_iri,
        )
        return await self.pool.run(self.version, job, self.source)

    def query(self, sparql: str, **options) -> Answer:
        return self._wait(self.query_async(sparql, **options))

    def _wait(self, work: Coroutine[None, None, T]) -> T:
        """Run `work` on the pool's event loop and wait for it on this (another) thread."""
        loop = self._loop()
        if _on_running_loop():
            work.close()
            raise RuntimeError(
                "WorkerPoolStore.query() blocks, so it cannot run on the event loop's thread; "
                "call it in run_in_threadpool or await query_async()"
            )
        if loop is None or not loop.is_running():
            work.close()
            raise RuntimeError("WorkerPoolStore.query(): the worker pool is not running yet")
        future = asyncio.run_coroutine_threadsafe(work, loop)
        try:
            # pool.run has its own deadline (queueing included); this only guards against a
            # loop that stopped with the job in it.
            return future.result(timeout=self.pool.timeout + STOPPED_LOOP_GRACE_S)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise unavailable("shutting_down", "the server is shutting down", 5) from None

    def named_graphs(self) -> list[str]:
        """The release's named graphs, asked from a worker once (like `query()`, from a
        thread; `load_graphs()` on the loop when the release is switched in)."""
        if self._graphs is None:
            self._graphs = _graph_names(self.query(GRAPHS_QUERY))
        return list(self._graphs)

    async def load_graphs(self) -> None:
        """Ask a worker for the named graphs now (on the event loop)."""
        self._graphs = _graph_names(await self.query_async(GRAPHS_QUERY))

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        return await self.pool.run(self.version, job, self.source, spent)


def _graph_names(rows) -> list[str]:
    return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))


def _on_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
