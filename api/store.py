"""The query store behind the API: one small interface, an embedded Oxigraph implementation.

Everything in `api` talks to `QueryStore`, so a remote SPARQL 1.1 store can replace Oxigraph later
by implementing the same three methods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kskg.release import Release


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
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate `sparql`. The default graph is the RDF merge of all named graphs unless
        `default_graph` names graphs to use instead; `named_graphs` restricts GRAPH ?g."""
        ...

    def named_graphs(self) -> list[str]: ...


class OxigraphStore:
    """An in-memory Oxigraph store loaded from a release's N-Quads dump.

    The release keeps every triple in the named graph of the document it came from, so one
    triple may sit in several graphs. Oxigraph's union-default-graph mode would return such a
    triple once per graph; instead the store's own default graph is filled with the
    de-duplicated merge once at load time, which is what SPARQL's dataset model describes.
    """

    def __init__(self, release: Release) -> None:
        self.version = release.version
        self._store = load_nquads(release.dump_path("nq"))

    def query(self, sparql, *, substitutions=None, default_graph=None, named_graphs=None):
        kwargs = {}
        if substitutions:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self._store.query(sparql, **kwargs)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())


def load_nquads(path: Path) -> ox.Store:
    """Load an N-Quads file into a fresh in-memory store and materialise the merged default
    graph (see `OxigraphStore`)."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store
