"""SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/) of a list of
solutions, written with orjson: the bytes pyoxigraph's own JSON writer gives for them.

api/engine/result_writing.py keeps the solutions of a result it may cut in a list, and
pyoxigraph writes only whole results; writing the list through pyoxigraph meant a detour through
SPARQL TSV (terms to text, parsed back), which cost about as much as evaluating the typical query
(docs/benchmarks.md). Same bytes as pyoxigraph: the members in its order (`type`, `value`, then
`xml:lang` or `datatype`, none for xsd:string), unbound variables left out, strings escaped as
its writer escapes them (quote, backslash, the short escapes \\b \\f \\n \\r \\t, other control
characters as \\u00XX, everything else as UTF-8); tests/api/engine/test_solutions_json.py holds
the two writers equal. Terms it does not know (triple terms, directional language strings) make
`solutions_json` return None, and the caller uses pyoxigraph's writer.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Unknown(Exception):
    """A term this writer does not write."""


def solutions_json(variables: Sequence[str], rows: Sequence) -> bytes | None:
    """The JSON results of `rows` (sequences of terms or None, in `variables` order), or None
    if a term is not one this writer knows."""
    try:
        bindings = [_binding(variables, row) for row in rows]
    except _Unknown:
        return None
    return orjson.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}})


def _binding(variables: Sequence[str], row) -> dict:
    return {
        name: _term(term) for name, term in zip(variables, row, strict=True) if term is not None
    }


def _term(term) -> dict:
    kind = type(term)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": term.value}
    if kind is ox.Literal:
        if term.direction is not None:
            raise _Unknown
        written = {"type": "literal", "value": term.value}
        if term.language is not None:
            written["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            written["datatype"] = term.datatype.value
        return written
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": term.value}
    raise _Unknown
