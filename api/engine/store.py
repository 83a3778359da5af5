"""The query store behind the API: one small interface, two Oxigraph implementations.

Everything in `api` talks to `QueryStore`, so a remote SPARQL 1.1 store can replace Oxigraph later
by implementing the same methods. `query()` answers the server's own fixed queries (linked-data
pages, descriptions) as terms; `execute()` runs a client's query (the SPARQL endpoint, curated
routes) and answers serialised bytes. `OxigraphStore` does both in-process (tests, tools);
`WorkerPoolStore`, which the served app uses, does both in killable worker processes under the
query deadline (api/engine/pool.py), so the main process holds no copy of the data.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

import pyoxigraph as ox

from api.engine.own_queries import rq
from api.engine.query_job import Answer, Outcome, QueryJob
from kskg.release import Release

if TYPE_CHECKING:
    from api.engine.pool import WorkerPool

T = TypeVar("T")

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Answer
Spent = Callable[[float], None]


class QueryStore(Protocol):
    """Read-only SPARQL access to one release."""

    version: str

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate `sparql`. The default graph is the RDF merge of all named graphs unless
        `default_graph` names graphs to use instead; `named_graphs` restricts GRAPH ?g.
        Relative IRIs in the query resolve against `base_iri`. The result has `.variables`
        and rows indexable by variable name (SELECT), is truthy (ASK) or iterates triples
        (CONSTRUCT/DESCRIBE). A blocking call: never on the event loop's thread. Raises
        SyntaxError (in-process; message starts with "error at <line>:<column>") or
        QueryRefused (in a worker: 400 malformed, 503 timeout or dead worker)."""
        ...

    def named_graphs(self) -> list[str]: ...

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        """Run a client's query and write its whole answer (api/engine/query_run.py); raises
        QueryRefused. `spent(seconds)` is told the evaluation time (the client's cost)."""
        ...


class OxigraphStore:
    """An in-memory Oxigraph store loaded from a release's N-Quads dump.

    The release keeps every triple in the named graph of the document it came from, so one
    triple may sit in several graphs. Oxigraph's union-default-graph mode would return such a
    triple once per graph; instead the store's own default graph is filled with the
    de-duplicated merge once at load time, which is what SPARQL's dataset model describes.

    The store is never written to after loading: the API is read-only.
    """

    def __init__(self, release: Release) -> None:
        self.version = release.version
        self._store = load_nquads(release.dump_path("nq"))

    @classmethod
    def from_store(cls, store: ox.Store, version: str) -> OxigraphStore:
        """Serve an already loaded `store` as it is (its default graph is not recomputed)."""
        served = cls.__new__(cls)
        served.version = version
        served._store = store
        return served

    @classmethod
    def from_files(
        cls,
        version: str,
        *,
        default: Sequence[Path] = (),
        named: Mapping[str, Path] | None = None,
    ) -> OxigraphStore:
        """A store whose default graph holds the files `default` and whose named graphs are
        `named` (graph IRI -> file); formats are guessed from the file extensions and relative
        IRIs resolve against each file's own file: URI. This is the dataset shape of the W3C
        test manifests (qt:data / qt:graphData)."""
        store = ox.Store()
        graphs = [(ox.DefaultGraph(), path) for path in default]
        graphs += [(ox.NamedNode(iri), path) for iri, path in (named or {}).items()]
        for graph, path in graphs:
            store.load(
                path=str(path),
                format=_rdf_format(path),
                base_iri=path.resolve().as_uri(),
                to_graph=graph,
            )
        return cls.from_store(store, version)

    def query(
        self,
        sparql,
        *,
        substitutions=None,
        default_graph=None,
        named_graphs=None,
        base_iri=None,
    ):
        kwargs = {}
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._store.query(sparql, base_iri=base_iri, **kwargs)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        """In-process, on the calling thread, without a deadline."""
        from api.engine.query_run import run_job

        started = time.perf_counter()
        try:
            return run_job(self._store, self.named_graphs(), job)
        finally:
            if spent is not None:
                spent(time.perf_counter() - started)

    def snapshot(self) -> tuple[str, bytes]:
        """The store's content as a worker data source (every quad, default graph included)."""
        return ("nquads", self._store.dump(format=ox.RdfFormat.N_QUADS))


class WorkerPoolStore:
    """A release served by a worker pool; the main process holds no copy of the data.

    `execute()` runs a client's query in a worker under the deadline. `query()` runs the
    server's own fixed queries in a worker too, as a "rows" job answering the terms themselves
    (api/engine/query_job.py `Answer`), unguarded and without result limits; it blocks its calling
    thread, so it must be called from a thread other than the event loop's (run_in_threadpool).
    Async code awaits `query_async()` instead. `loop` gives the event loop the pool runs on
    (None before the app's lifespan started it)."""

    def __init__(
        self,
        version: str,
        pool: WorkerPool,
        source: tuple,
        loop: Callable[[], asyncio.AbstractEventLoop | None],
        graphs: Sequence[str] | None = None,
    ) -> None:
        self.version = version
        self.pool = pool
        self.source = source  # what a worker loads (api/engine/worker.py)
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
        """`query()` awaited on the event loop. Raises QueryRefused (503 when the worker timed
        out or died; 400 for a malformed query)."""
        job = QueryJob(
            sparql,
            substitutions=tuple((substitutions or {}).items()),
            default_graph=None if default_graph is None else tuple(default_graph),
            named_graphs=None if named_graphs is None else tuple(named_graphs),
            base_iri=base_iri,
            purpose="rows",
            guard=False,
        )
        return await self.pool.run(self.version, job, self.source)

    def query(self, sparql, **options) -> Answer:
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
            # Imported here: workers import this module, and need nothing of the pool.
            from api.engine.pool import unavailable

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


#: Seconds past the pool's own deadline after which a waiting thread gives up.
STOPPED_LOOP_GRACE_S = 5.0
GRAPHS_QUERY = rq("named_graphs")


def _graph_names(rows) -> list[str]:
    return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))


def _on_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def load_nquads(path: Path) -> ox.Store:
    """Load an N-Quads file into a fresh in-memory store and materialise the merged default
    graph (see `OxigraphStore`)."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def _rdf_format(path: Path) -> ox.RdfFormat:
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r}")
    return rdf_format
