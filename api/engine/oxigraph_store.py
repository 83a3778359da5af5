"""`OxigraphStore`: a release in an in-process pyoxigraph store (tests, tools, benchmarks), and
`load_nquads`, which is how every store of a release is loaded, the workers' included."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from api.engine.messages import NQuads
from api.engine.query_job import Outcome, QueryJob, own_query
from api.engine.query_run import evaluate, run_job
from api.engine.store import QueryResult, Spent
from kskg.release import Release


class OxigraphStore:
    """An in-memory Oxigraph store loaded from a release's N-Quads dump (a `QueryStore`).

    The release keeps every triple in the named graph of the document it came from, so one
    triple may sit in several graphs. Oxigraph's union-default-graph mode would return such a
    triple once per graph; instead the store's own default graph is filled with the
    de-duplicated merge once at load time, which is what SPARQL's dataset model describes.

    The store is never written to after loading: the API is read-only.
    """

    def __init__(self, release: Release) -> None:
        self.version = release.version
        self._store = load_nquads(release.dump_path("nq"))
        self._graphs: list[str] | None = None

    @classmethod
    def from_store(cls, store: ox.Store, version: str) -> OxigraphStore:
        """Serve an already loaded `store` as it is (its default graph is not recomputed)."""
        served = cls.__new__(cls)
        served.version = version
        served._store = store
        served._graphs = None
        return served

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        default_graph: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """pyoxigraph's own result, on the calling thread (see `QueryStore.query`)."""
        job = own_query(
            sparql,
            substitutions=substitutions,
            default_graph=default_graph,
            named_graphs=named_graphs,
            base_iri=base_iri,
        )
        return evaluate(self._store, job)

    def named_graphs(self) -> list[str]:
        # Listed once: the store is never written to, and at a million triples listing its
        # graphs cost more than evaluating a Kommune's profile query.
        if self._graphs is None:
            self._graphs = sorted(
                g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
            )
        return list(self._graphs)

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        """In-process, on the calling thread, without a deadline."""
        started = time.perf_counter()
        try:
            return run_job(self._store, self.named_graphs(), job)
        finally:
            if spent is not None:
                spent(time.perf_counter() - started)

    def snapshot(self) -> NQuads:
        """The store's content as a worker data source (every quad, default graph included)."""
        return NQuads(self._store.dump(format=ox.RdfFormat.N_QUADS))


def load_nquads(path: Path, location: Path | None = None) -> ox.Store:
    """Load an N-Quads file into a fresh store and materialise the merged default graph (see
    `OxigraphStore`): in memory, or on disk in the empty folder `location` (the benchmarks'
    Oxigraph server baseline, bench/oxigraph_baseline.py, serves such a folder)."""
    store = ox.Store() if location is None else ox.Store(str(location))
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store
