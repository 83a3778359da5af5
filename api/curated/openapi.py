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
    docs = []
    for param in query.params:
        description = param.description
        if param.iri_template:
            description += f" (bound as the IRI {param.iri_template})"
        entry = {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": description.strip(),
            "schema": param_schema(param),
        }
        if param.example is not None:
            entry["example"] = param.example
        docs.append(entry)
    if query.pagination is not None:
        limit = {"type": "integer", "minimum": 1, "maximum": query.pagination.max_limit}
        limit["default"] = query.pagination.default_limit
        docs.append(_control("limit", "page size", limit))
        docs.append(
            _control(
                "offset",
                "index of the first record",
                {"type": "integer", "minimum": 0, "default": 0},
            )
        )
    docs.append(
        _control(
            "format", "json or csv (overrides Accept)", {"type": "string", "enum": ["json", "csv"]}
        )
    )
    docs.append(
        _control(
            "explain",
            "1 = return the SPARQL and bindings instead of running it",
            {"type": "string", "enum": ["1"]},
        )
    )
    docs.append(
        _control(
            "version",
            "answer from this release (full version as in X-Data-Version, or a unique prefix "
            "of 8+ characters); default: the current one. GET /releases lists them",
            {"type": "string", "pattern": "^[0-9a-f]{8,}$"},
        )
    )
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
    types = {f.name: f.type for f in query.fields}
    properties = {}
    for name in columns(query.fields):
        kind = _JSON_TYPES.get(types.get(name, "string"), "string")
        properties[name] = {"type": kind, "nullable": True, "description": _describe(query, name)}
    for key in query.sections:
        properties[key] = {"type": "array", "items": {"type": "object"}}
    return {"type": "object", "properties": properties}


def _describe(query: CuratedQuery, name: str) -> str:
    spec = next((f for f in query.fields if f.name == name), None)
    if spec is None:
        return "path of the linked-data page of the IRI field before it"
    return spec.description


def responses(query: CuratedQuery) -> dict:
    data = (
        {"type": "object", "properties": {"nodes": {"type": "array"}, "edges": {"type": "array"}}}
        if query.shape == "graph"
        else {"type": "array", "items": record_schema(query)}
    )
    envelope = {
        "type": "object",
        "properties": {
            "data": data,
            "total": {"type": "integer"},
            "limit": {"type": "integer", "nullable": True},
            "offset": {"type": "integer"},
            "version": {"type": "string"},
            "query": {"type": "object"},
            "links": {"type": "object"},
        },
    }
    return {
        "200": {
            "description": "the records (JSON) or CSV",
            "content": {"application/json": {"schema": envelope}, "text/csv": {}},
        },
        "422": {"description": "a parameter is invalid; the body names it"},
    }
