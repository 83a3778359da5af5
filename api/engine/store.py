"""The query store behind the API: one small interface (`QueryStore`).

Everything in `api` talks to `QueryStore`, so a remote SPARQL 1.1 store can replace Oxigraph later
by implementing the same methods. `query()` answers the server's own fixed queries (linked-data
pages, descriptions) as terms; `execute()` runs a client's query (the SPARQL endpoint, curated
routes) and answers serialised bytes. Two implementations: `OxigraphStore` does both in-process
(tests, tools; api/engine/oxigraph_store.py); `WorkerPoolStore`, which the served app uses, does
both in killable worker processes under the query deadline (api/engine/pool_store.py), so the
main process holds no copy of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import pyoxigraph as ox

from api.engine.query_job import Answer, Outcome, QueryJob

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
        ApiError (in a worker: 400 malformed, 503 timeout or dead worker)."""
        ...

    def named_graphs(self) -> list[str]: ...

    async def execute(self, job: QueryJob, spent: Spent | None = None) -> Outcome:
        """Run a client's query and write its whole answer (api/engine/query_run.py); raises
        ApiError. `spent(seconds)` is told the evaluation time (the client's cost)."""
        ...
