"""One query as a unit of work: what is asked (`QueryJob`) and what comes back (`Outcome`, the
`Rows`/`Boolean`/`Triples` of a `Purpose.ROWS` job; a refusal is an `api.errors.ApiError`).
Plain data, picklable, so jobs and answers cross the pipe to a worker process
(api/engine/messages.py). Nothing here imports FastAPI, so a worker starts quickly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import pyoxigraph as ox


@dataclass(frozen=True)
class ResultLimits:
    """Most rows (SELECT), triples (CONSTRUCT/DESCRIBE) and bytes one answer may have;
    None = unlimited (curated queries, whose size the data bounds)."""

    rows: int | None = None
    triples: int | None = None
    bytes: int | None = None


class Purpose(Enum):
    """Who asks, which decides how the answer is written (api/engine/query_run.py)."""

    #: A client's SPARQL query: a format negotiated from `accept`/`formats`, `limits` applied.
    SPARQL = "sparql"
    #: A curated query: SPARQL JSON of the whole result.
    RECORDS = "records"
    #: The server's own fixed queries: the terms themselves (`Answer`), without limits.
    ROWS = "rows"


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query with everything needed to evaluate it and write its answer.

    `purpose` says how the answer is written (`Purpose`). `guard` runs the refusal checks of
    api.engine.query_guard (SERVICE, updates, foreign FROM graphs)."""

    query: str
    substitutions: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = ()
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    accept: str | None = None
    formats: tuple[str, ...] = ()
    limits: ResultLimits = field(default_factory=ResultLimits)
    purpose: Purpose = Purpose.SPARQL
    guard: bool = True
    dumps_url: str = "/dumps/"


def own_query(
    sparql: str,
    *,
    substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    default_graph: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    base_iri: str | None = None,
) -> QueryJob:
    """The job of one of the server's own fixed queries (`QueryStore.query`): unguarded,
    answered as terms, without limits."""
    return QueryJob(
        sparql,
        substitutions=tuple((substitutions or {}).items()),
        default_graph=None if default_graph is None else tuple(default_graph),
        named_graphs=None if named_graphs is None else tuple(named_graphs),
        base_iri=base_iri,
        purpose=Purpose.ROWS,
        guard=False,
    )


@dataclass(frozen=True)
class Cut:
    """Why and where an answer was cut: `limit` is "rows", "triples" or "bytes"; `returned`
    counts `unit`s ("rows" or "triples") in the cut answer."""

    limit: str
    maximum: int
    returned: int
    unit: str
    dumps_url: str

    def note(self) -> dict:
        unit = self.unit
        return {
            "limit": self.limit,
            "maximum": self.maximum,
            "returned": self.returned,
            "message": f"the result was cut after {self.returned} {unit} (limit: {self.maximum} "
            f"{self.limit}); use LIMIT/OFFSET to page, or download the complete data from "
            f"{self.dumps_url}",
            "dumps": self.dumps_url,
        }


@dataclass(frozen=True)
class Outcome:
    """A complete answer: its bytes, Content-Type and, if it was cut, how."""

    body: bytes
    content_type: str
    cut: Cut | None = None


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class Solution:
    """One row of `Rows`: a term (or None when unbound) by variable name, ox.Variable or index,
    as pyoxigraph's QuerySolution."""

    __slots__ = ("_index", "_values")

    def __init__(self, index: dict[str, int], values: tuple[Term | None, ...]) -> None:
        self._index = index
        self._values = values

    def __getitem__(self, key: str | ox.Variable | int) -> Term | None:
        if isinstance(key, int):
            return self._values[key]
        name = key.value if isinstance(key, ox.Variable) else key
        return self._values[self._index[name]]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


@dataclass(frozen=True)
class Rows:
    """The whole answer of a SELECT: `variables` and rows (`Solution`s) in query order."""

    names: tuple[str, ...]
    values: tuple[tuple[Term | None, ...], ...]

    @property
    def variables(self) -> list[ox.Variable]:
        return [ox.Variable(name) for name in self.names]

    def __iter__(self):
        index = {name: i for i, name in enumerate(self.names)}
        return (Solution(index, row) for row in self.values)

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Boolean:
    """The answer of an ASK."""

    value: bool

    def __bool__(self) -> bool:
        return self.value


@dataclass(frozen=True)
class Triples:
    """The whole answer of a CONSTRUCT or DESCRIBE, as triples."""

    triples: tuple[ox.Triple, ...]

    def __iter__(self):
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)


Answer = Rows | Boolean | Triples
