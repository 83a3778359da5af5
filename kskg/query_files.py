"""Read curated queries from `queries/*.rq`: a YAML header in `#+` comment lines, then SPARQL.

The header (grlc style, STYLE point 1) declares what the API needs; the body stays valid SPARQL.
Parameters reach the body only as variables named `?_<param>`, which the service binds as RDF
terms (STYLE point 2). Keys of the header:

    summary, description, tags            documentation (summary is required)
    params: {name: {type, description, required, default, example, enum, pattern,
                    minimum, maximum, min_length, max_length, iri_template, known}}
                                          `known: <class CURIE>`: the bound IRI must be an
                                          instance of that class in the served release (else
                                          422 naming the values it has; api/curated/known.py)
    fields: {name: {type, description, separator}}
                                          output columns, in order (type: string, integer,
                                          decimal, boolean, date, iri); `separator`: the value
                                          is a set joined by it in SPARQL (GROUP_CONCAT), which
                                          the API answers as a sorted JSON array (CSV: joined
                                          by "; "), since engines concatenate in any order
    pagination: {default_limit, max_limit} or false
    sections: {key: other_query_name}     nested lists added to each record (same params)
    shape: records | graph                graph = edges turned into {"nodes", "edges"}
    single: true                          one entity: no result is a 404, not an empty list
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PARAM_TYPES = frozenset({"string", "integer", "enum", "iri"})
FIELD_TYPES = frozenset({"string", "integer", "decimal", "boolean", "date", "iri"})
PARAM_VARIABLE = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)")
HEADER = "#+"


class QueryFileError(ValueError):
    """A query file is malformed; the message starts with `path:line:`."""


@dataclass(frozen=True)
class Param:
    """One declared request parameter, bound to the SPARQL variable `?_<name>`."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    default: object = None
    example: object = None
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    iri_template: str | None = None
    known: str | None = None

    @property
    def variable(self) -> str:
        return "_" + self.name


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str = ""
    separator: str | None = None

    @property
    def multi(self) -> bool:
        """A set of values: a JSON array in records."""
        return self.separator is not None


@dataclass(frozen=True)
class Pagination:
    default_limit: int = 100
    max_limit: int = 1000


@dataclass(frozen=True)
class CuratedQuery:
    """A parsed query file; `sparql` is the body without the header."""

    name: str
    path: Path
    summary: str
    sparql: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    fields: tuple[Field, ...] = ()
    pagination: Pagination | None = field(default_factory=Pagination)
    sections: dict[str, str] = field(default_factory=dict)
    shape: str = "records"
    single: bool = False

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def body_variables(self) -> set[str]:
        """Names of the `?_<name>` variables the body uses (parameter slots)."""
        return set(PARAM_VARIABLE.findall(self.sparql))


def split_header(text: str) -> tuple[str, str]:
    """Split a file into (YAML header text, SPARQL body); the header is the leading `#+` lines."""
    header, body, in_header = [], [], True
    for line in text.splitlines():
        if in_header and line.startswith(HEADER):
            header.append(line[len(HEADER) :].removeprefix(" "))
        else:
            in_header = in_header and not line.strip()
            body.append(line)
    return "\n".join(header), "\n".join(body).strip() + "\n"


# libyaml's loader when PyYAML has it: the pure-Python one took a tenth of start-up.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_query_file(path: Path) -> CuratedQuery:
    """Parse one `.rq` file; raises QueryFileError naming the file and line."""
    header_text, sparql = split_header(path.read_text("utf-8"))
    try:
        header = yaml.load(header_text, Loader=_SafeLoader) or {}
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        raise QueryFileError(f"{path}:{line}: header is not YAML: {error}") from error
    if not isinstance(header, dict) or not header.get("summary"):
        raise QueryFileError(f"{path}:1: the `#+` header needs a `summary`")
    try:
        return _build(path, header, sparql)
    except (TypeError, ValueError) as error:
        raise QueryFileError(f"{path}:1: {error}") from error


def _build(path: Path, header: dict, sparql: str) -> CuratedQuery:
    params = tuple(_param(name, spec or {}) for name, spec in (header.get("params") or {}).items())
    fields = tuple(_field(name, spec or {}) for name, spec in (header.get("fields") or {}).items())
    paging = header.get("pagination", {})
    return CuratedQuery(
        name=path.stem,
        path=path,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description", "")).strip(),
        tags=tuple(header.get("tags") or ()),
        params=params,
        fields=fields,
        pagination=Pagination(**paging) if paging is not False else None,
        sections=dict(header.get("sections") or {}),
        shape=header.get("shape", "records"),
        single=bool(header.get("single", False)),
        sparql=sparql,
    )


def _param(name: str, spec: dict) -> Param:
    kind = spec.get("type", "string")
    if kind not in PARAM_TYPES:
        raise ValueError(f"parameter {name!r}: type {kind!r} is not one of {sorted(PARAM_TYPES)}")
    spec = {**spec, "type": kind, "enum": tuple(str(v) for v in spec.get("enum") or ())}
    if kind == "enum" and not spec["enum"]:
        raise ValueError(f"parameter {name!r}: type enum needs `enum` values")
    return Param(name=name, **spec)


def _field(name: str, spec: dict) -> Field:
    kind = spec.get("type", "string")
    if kind not in FIELD_TYPES:
        raise ValueError(f"field {name!r}: type {kind!r} is not one of {sorted(FIELD_TYPES)}")
    separator = spec.get("separator")
    description = str(spec.get("description", ""))
    return Field(name=name, type=kind, description=description, separator=separator)


def load_queries(queries_dir: Path) -> dict[str, CuratedQuery]:
    """Every `*.rq` in `queries_dir`, by name, sorted; sections must name existing queries."""
    queries = {p.stem: parse_query_file(p) for p in sorted(queries_dir.glob("*.rq"))}
    for query in queries.values():
        for key, target in query.sections.items():
            if target not in queries:
                raise QueryFileError(f"{query.path}:1: section {key!r} names unknown {target!r}")
    return queries
