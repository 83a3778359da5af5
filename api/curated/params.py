"""Validate request values against a query's declared parameters and make RDF terms of them.

Values never reach the query text as text: each becomes a pyoxigraph term, bound to `?_<name>`
by a VALUES block the term itself serialises (api/engine/values_binding.py, STYLE point 2).
Absent optional parameters stay unbound; the queries are written so an unbound parameter
variable means "no filter" (docs/api.md, "Optional filters").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from api.curated.registry import CuratedQuery, Param
from api.errors import ApiError
from kskg.namespaces import ID, XSD

#: Query-string names every curated route understands besides its declared parameters
#: (`version` is read by api/http/versions.py before the route runs).
CONTROL = ("limit", "offset", "format", "explain", "version")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')
_ID = str(ID)


def invalid(name: str, message: str) -> ApiError:
    return ApiError(422, "invalid_parameter", f"{name}: {message}", parameter=name)


def single_values(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The query string as {name: value}; 422 for a name given twice, since every curated
    parameter takes one value and "the last one wins" would silently drop a filter."""
    values: dict[str, str] = {}
    for name, value in items:
        if name in values:
            raise invalid(name, "is given more than once; it takes a single value")
        values[name] = value
    return values


def bind_params(
    query: CuratedQuery, raw: Mapping[str, str], root: str = "/"
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Validated terms by variable name (`_<param>`); raises ApiError(422) naming the parameter.

    Unknown parameter names are rejected too, so a misspelt filter never silently returns
    everything. A parameter with an `iri_template` also takes the full IRI or the page path
    (under `root`) that the API itself answers, e.g. `kommune_page`.
    """
    unknown = sorted(set(raw) - {p.name for p in query.params} - set(CONTROL))
    if unknown:
        allowed = [p.name for p in query.params] + list(CONTROL)
        raise invalid(unknown[0], f"unknown parameter; {query.name} accepts {allowed}")
    bound = {}
    for param in query.params:
        value = raw.get(param.name)
        if value is None or value == "":
            if param.required:
                raise invalid(param.name, "is required")
            if param.default is None:
                continue
            value = str(param.default)
        bound[param.variable] = to_term(param, unwrap(param, value, root))
    return bound


def unwrap(param: Param, value: str, root: str = "/") -> str:
    """The template's `{value}` part of an IRI or page path the API answered; else `value`."""
    if not param.iri_template or "{value}" not in param.iri_template:
        return value
    prefix, _, suffix = param.iri_template.partition("{value}")
    local = root.rstrip("/") + "/id/" + prefix.removeprefix(_ID) if prefix.startswith(_ID) else None
    for start in (prefix, local):
        if start and value.startswith(start) and value.endswith(suffix) and len(value) > len(start):
            return value[len(start) : len(value) - len(suffix)]
    return value


def to_term(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for one checked value: an IRI via `iri_template`, else a typed literal."""
    checked = _check(param, value)
    if param.iri_template:
        return ox.NamedNode(param.iri_template.format(value=checked))
    if param.type == "iri":
        return ox.NamedNode(checked)
    if param.type == "integer":
        return ox.Literal(checked, datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(checked)


def _check(param: Param, value: str) -> str:
    if param.type == "integer":
        return str(_check_integer(param, value))
    # A parameter with `known` is checked against the served release instead (known.py).
    if param.type == "enum" and not param.known and value not in param.enum:
        raise invalid(param.name, f"{value!r} is not one of {list(param.enum)}")
    if param.min_length is not None and len(value) < param.min_length:
        raise invalid(param.name, f"needs at least {param.min_length} characters")
    if param.max_length is not None and len(value) > param.max_length:
        raise invalid(param.name, f"allows at most {param.max_length} characters")
    if param.pattern and not re.fullmatch(param.pattern, value):
        raise invalid(param.name, f"{value!r} does not match {param.pattern}")
    if param.type == "iri" and not param.iri_template:
        _check_iri(param, value)
    return value


def _check_integer(param: Param, value: str) -> int:
    try:
        number = int(value, 10)
    except ValueError:
        raise invalid(param.name, f"{value!r} is not an integer") from None
    if param.minimum is not None and number < param.minimum:
        raise invalid(param.name, f"must be at least {param.minimum}")
    if param.maximum is not None and number > param.maximum:
        raise invalid(param.name, f"must be at most {param.maximum}")
    return number


def _check_iri(param: Param, value: str) -> None:
    if not value.startswith(("http://", "https://")) or _IRI_FORBIDDEN.search(value):
        raise invalid(param.name, f"{value!r} is not an absolute http(s) IRI")


def describe_bindings(bound: Mapping[str, ox.NamedNode | ox.Literal]) -> dict[str, str]:
    """The bindings as `?var -> term in SPARQL syntax`, for `explain`."""
    return {"?" + name: str(term) for name, term in sorted(bound.items())}


def cache_key(bound: Mapping[str, ox.NamedNode | ox.Literal]) -> tuple:
    return tuple(sorted((name, str(term)) for name, term in bound.items()))
