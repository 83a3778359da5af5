"""Rows of the profile queries (api/engine/rq/profile_*.rq) for the pages shaped like the domain.

Each query binds the page's IRI to `?_iri` in a VALUES block (api/engine/values_binding.py), the
same portable binding the curated routes use; values come back as plain Python (the term's
lexical value, or None).
"""

from __future__ import annotations

import pyoxigraph as ox

from api.engine.own_queries import rq
from api.engine.store import QueryStore
from api.engine.values_binding import bind_values


def rows(store: QueryStore, name: str, iri: str) -> list[dict]:
    """Rows of `profile_<name>.rq` with `?_iri` bound to `iri`, as {variable: value or None}."""
    solutions = store.query(bind_values(rq(f"profile_{name}"), {"_iri": ox.NamedNode(iri)}))
    names = [v.value for v in solutions.variables if v.value != "_iri"]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in solutions]


def first(store: QueryStore, name: str, iri: str) -> dict:
    """The first row (the queries that group to one), or {} when there is none."""
    found = rows(store, name, iri)
    return found[0] if found else {}
