"""The query store behind the API: one small interface, two Oxigraph implementations.

Everything in `api` talks to `QueryStore`, so a remote SPARQL 1.1 store can replace Oxigraph later
by implementing the same methods. `query()` evaluates in-process and is for the server's own
fixed queries (linked-data pages, descriptions); `execute()` runs a client's query (the SPARQL
endpoint, curated routes). `OxigraphStore` does both in-process (tests, tools);
`WorkerPoolStore`, which the served app uses, runs `execute()` in a killable worker process
under the query deadline (api/pool.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from kskg.release import Release

if TYPE_CHECKING:
    from api.pool import WorkerPool
    from api.query_job import Outcome, QueryJob

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
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
        Relative IRIs in the query resolve against `base_iri`. Raises SyntaxError for a
        malformed query (message starts with "error at <line>:<column>")."""
        ...

    def named_graphs(self) -> list[str]: ...

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        """Run a client's query and write its whole answer (api/query_run.py); raises
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
        from api.query_run import run_job

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
    """A release served by a worker pool: `execute()` in a worker under the deadline,
    `query()` and `named_graphs()` from an in-process copy (`local`)."""

    def __init__(self, local: OxigraphStore, pool: WorkerPool, source: tuple) -> None:
        self.version = local.version
        self.local = local
        self.pool = pool
        self.source = source  # what a worker loads (api/worker.py)
        self._graphs = local.named_graphs()

    def query(self, sparql, **options):
        return self.local.query(sparql, **options)

    def named_graphs(self) -> list[str]:
        return list(self._graphs)

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        return await self.pool.run(self.version, job, self.source, spent)


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
