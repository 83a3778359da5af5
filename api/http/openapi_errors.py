"""The error responses of every operation in /openapi.json, with the one JSON error body
(api/http/errors.py): `{"error", "message", "status", …}`.

Added to the generated schema in one place rather than on each route, so a new route is
documented with the errors every route can give, and the query routes with the refusals of
api/sparql/client_limits.py and api/engine/pool.py (429 and 503 with Retry-After).
"""

from __future__ import annotations

from fastapi import FastAPI

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message", "status"],
    "properties": {
        "error": {"type": "string", "description": "short, stable error code"},
        "message": {"type": "string", "description": "what is wrong, for people"},
        "status": {"type": "integer", "description": "the HTTP status again"},
        "retry_after_s": {"type": "integer", "description": "with 429 and 503"},
    },
    "additionalProperties": True,
}
REF = {"$ref": "#/components/schemas/Error"}

COMMON = {
    "400": "bad request (malformed HTTP, bad encoding)",
    "404": "nothing found",
    "406": "no offered format is acceptable; `offered` lists them",
    "413": "request body too large (`max_body_bytes`)",
    "422": "a parameter is invalid; the body names it",
}
QUERY = {
    "429": "this client runs too many queries at once or used its query-time budget (Retry-After)",
    "503": "the query ran past its deadline and was stopped, its worker failed, or all workers "
    "are busy (Retry-After)",
}
SPARQL = {
    "403": "updates are not accepted (read-only)",
    "405": "method not allowed",
    "415": "unsupported Content-Type or charset",
}
RETRY_AFTER = {
    "Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}},
}


def install(app: FastAPI) -> None:
    """Make `app.openapi()` add the error responses (and unique operation ids)."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            add_errors(generate())
        return app.openapi_schema

    app.openapi = openapi


def add_errors(schema: dict) -> dict:
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    seen_ids: set[str] = set()
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            statuses = dict(COMMON)
            if path == "/sparql":
                statuses |= SPARQL | QUERY
            elif path == "/sparql/check":
                statuses |= SPARQL
            elif path.startswith("/api/"):
                statuses |= QUERY
            _document(operation.setdefault("responses", {}), statuses)
            _unique_id(operation, method, seen_ids)
    return schema


def _document(responses: dict, statuses: dict[str, str]) -> None:
    for status, description in statuses.items():
        entry = responses.setdefault(status, {"description": description})
        entry["content"] = {"application/json": {"schema": REF}}
        if status in QUERY:
            entry["headers"] = RETRY_AFTER


def _unique_id(operation: dict, method: str, seen: set[str]) -> None:
    """FastAPI gives a GET+HEAD route one id for both; ids must be unique (OpenAPI 3.1)."""
    operation_id = operation.get("operationId")
    if operation_id in seen:
        operation["operationId"] = f"{operation_id}_{method}"
    seen.add(operation["operationId"] if operation_id else "")
