"""One query as a unit of work: what is asked (`QueryJob`) and what comes back (`Outcome`, or
`QueryRefused`). Plain data, picklable, so jobs and answers cross the pipe to a worker process.

Nothing here imports FastAPI, so a worker starts quickly; a `QueryRefused` becomes the JSON error
body (api/errors.py shape) in the main process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox


class QueryRefused(Exception):
    """The query is not run or not answered: an HTTP status, a short code, a message."""

    def __init__(self, status: int, code: str, message: str, **details) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers: dict[str, str] = {}

    def __reduce__(self):
        # Crosses the worker pipe pickled; the keyword details need an explicit recipe.
        return (_refused, (self.status, self.code, self.message, self.details, self.headers))


def _refused(status, code, message, details, headers) -> QueryRefused:
    refused = QueryRefused(status, code, message, **details)
    refused.headers.update(headers)
    return refused


@dataclass(frozen=True)
class ResultLimits:
    """Most rows (SELECT), triples (CONSTRUCT/DESCRIBE) and bytes one answer may have;
    None = unlimited (curated queries, whose size the data bounds)."""

    rows: int | None = None
    triples: int | None = None
    bytes: int | None = None


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query with everything needed to evaluate it and write its answer.

    `purpose` "sparql" negotiates a format from `accept`/`formats` and applies `limits`;
    "records" (curated queries) answers SPARQL JSON of the whole result. `guard` runs the
    refusal checks of api.query_guard (SERVICE, updates, foreign FROM graphs)."""

    query: str
    substitutions: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = ()
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    accept: str | None = None
    formats: tuple[str, ...] = ()
    limits: ResultLimits = field(default_factory=ResultLimits)
    purpose: str = "sparql"
    guard: bool = True
    dumps_url: str = "/dumps/"


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


def read_only() -> QueryRefused:
    return QueryRefused(
        403, "read_only", "this SPARQL endpoint is read-only; update operations are not accepted"
    )
