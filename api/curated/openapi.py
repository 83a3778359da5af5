"""OpenAPI documentation of a curated route, generated from its query header."""

from __future__ import annotations

from api.curated.records import columns
from api.curated.registry import CuratedQuery, Param

_JSON_TYPES = {
    "string": "string",
    "integer": "integer",
    "decimal": "number",
    "boolean": "boolean",
    "date": "string",
    "iri": "string",
}


def param_schema(param: Param) -> dict:
    schema: dict = {"type": "integer" if param.type == "integer" else "string"}
    if param.type == "enum":
        schema["enum"] = list(param.enum)
    if param.type == "iri" and not param.iri_template:
        schema["format"] = "iri"
    for key in ("pattern", "minimum", "maximum", "default"):
        if getattr(param, key) is not None:
            schema[key] = getattr(param, key)
    if param.min_length is not None:
        schema["minLength"] = param.min_length
    if param.max_length is not None:
        schema["maxLength"] = param.max_length
    return schema


def parameters(query: CuratedQuery) -> list[dict]:
    """OpenAPI parameter objects: the declared ones, then limit/offset/format/explain/version."""
    return [_declared(param) for param in query.params] + _controls(query)


def _declared(param) -> dict:
    description = param.description
    if param.iri_template:
        description += f" (bound as the IRI {param.iri_template}; that IRI and its page path"
        description += " /id/… are accepted too)"
    if param.known:
        description += (
            f"; must name a {param.known} of the served release, else 422 listing the"
            " values it has (`allowed`)"
        )
    entry = {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": description.strip(),
        "schema": param_schema(param),
    }
    if param.example is not None:
        entry["example"] = param.example
    return entry


def _controls(query: CuratedQuery) -> list[dict]:
    docs = []
    if query.pagination is not None:
        limit = {"type": "integer", "minimum": 1, "maximum": query.pagination.max_limit}
        limit["default"] = query.pagination.default_limit
        docs.append(_control("limit", "page size", limit))
        offset = {"type": "integer", "minimum": 0, "default": 0}
        docs.append(_control("offset", "index of the first record", offset))
    formats = {"type": "string", "enum": ["json", "csv"]}
    docs.append(_control("format", "json or csv (overrides Accept)", formats))
    explain = "1 = return the SPARQL and bindings instead of running it"
    docs.append(_control("explain", explain, {"type": "string", "enum": ["1"]}))
    version = (
        "answer from this release (full version as in X-Data-Version, or a unique prefix "
        "of 8+ characters); default: the current one. GET /releases lists them"
    )
    docs.append(_control("version", version, {"type": "string", "pattern": "^[0-9a-f]{8,}$"}))
    return docs


def _control(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def record_schema(query: CuratedQuery) -> dict:
    specs = {f.name: f for f in query.fields}
    properties = {}
    for name in columns(query.fields):
        spec = specs.get(name)
        kind = _JSON_TYPES.get(spec.type if spec else "string", "string")
        if spec is not None and spec.multi:
            schema = {"type": "array", "items": {"type": kind}}
        else:
            schema = {"type": kind, "nullable": True}
        properties[name] = {**schema, "description": _describe(query, name)}
    for key, target in query.sections.items():
        properties[key] = {
            "type": "array",
            "items": {"type": "object"},
            "description": f"the records of /api/{target} for the same parameters",
        }
    return {"type": "object", "properties": properties}


def _describe(query: CuratedQuery, name: str) -> str:
    spec = next((f for f in query.fields if f.name == name), None)
    if spec is None:
        return "path of the linked-data page of the IRI field before it"
    return spec.description


def responses(query: CuratedQuery) -> dict:
    data = (
        {
            "type": "object",
            "properties": {
                "nodes": {"type": "array", "description": "{id, label, type, page} per node"},
                "edges": {"type": "array", "description": "{source, target, relation} per edge"},
            },
        }
        if query.shape == "graph"
        else {"type": "array", "items": record_schema(query)}
    )
    envelope = {
        "type": "object",
        "properties": {
            "data": {**data, "description": "the records of this page"},
            "total": {"type": "integer", "description": "number of records in all pages"},
            "limit": {
                "type": "integer",
                "nullable": True,
                "description": "page size (null: the route is not paged)",
            },
            "offset": {"type": "integer", "description": "index of the first record of data"},
            "version": {"type": "string", "description": "data version of the served release"},
            "query": {
                "type": "object",
                "description": "name of the curated query and the URL that explains it",
            },
            "links": {
                "type": "object",
                "description": "URLs of self, first, last and (when they exist) prev and next",
            },
        },
    }
    return {
        "200": {
            "description": "the records (JSON) or CSV",
            "content": {"application/json": {"schema": envelope}, "text/csv": {}},
        },
        "422": {
            "description": "a parameter is invalid, repeated, unknown or names nothing the "
            "release knows; the body names it (and lists the `allowed` values)"
        },
    }
