"""A SPARQL request as rdflib's parser reads it: query or update, SERVICE, FROM graphs.

Used by `api.engine.query_guard` to decide on the parsed query rather than on the text. rdflib's
parser expands `\\u` escapes itself (SPARQL 1.1 Query §19.2) and resolves prefixed names and
relative IRIs of FROM / FROM NAMED (§13.2) against the prologue and the base IRI.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql import algebra
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue


class Unreadable(Exception):
    """rdflib's parser cannot read the text as a query or as an update."""


@dataclass(frozen=True)
class Reading:
    is_update: bool
    uses_service: bool = False
    dataset_iris: tuple[str, ...] = ()


def warm() -> None:
    """Pay the reader's first use (pyparsing builds rdflib's grammar) now, rather than inside
    the deadline of the first query that needs it."""
    read("SELECT * FROM <urn:x:g> WHERE { ?s ?p ?o }", None)


def read(text: str, base_iri: str | None) -> Reading:
    """How rdflib reads `text`; raises Unreadable when it reads neither a query nor an update."""
    try:
        parsed = parseQuery(text)
    except (ParseException, RecursionError, ValueError) as query_error:
        try:
            parseUpdate(text)
        except (ParseException, RecursionError, ValueError):
            raise Unreadable(_first_line(query_error)) from None
        return Reading(is_update=True)
    # Before translating: translateQuery rewrites the parse tree in place (EXISTS patterns).
    uses_service = _has_service(parsed)
    try:
        translated = algebra.translateQuery(parsed, base=base_iri)
    except Exception as error:  # rdflib raises bare Exceptions for some valid queries
        raise Unreadable(_first_line(error)) from None
    clauses = translated.algebra.get("datasetClause") or []
    iris = [str(c["default"] if "default" in c else c["named"]) for c in clauses]
    return Reading(is_update=False, uses_service=uses_service, dataset_iris=tuple(iris))


def _has_service(node) -> bool:
    """True if a SERVICE pattern occurs anywhere in the parse tree (EXISTS, subqueries, …)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)
    return False


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
