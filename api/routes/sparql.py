"""Route `/sparql`: the SPARQL 1.1 Protocol query operation over the served release.

https://www.w3.org/TR/sparql11-protocol/ — §2.1 query operation (GET, POST form, POST direct),
§2.1.4 protocol dataset, §2.1.5 responses; update (§2.2) is refused (read-only).
A GET without a query answers the Service Description; a browser gets the query form.
Request parsing lives in `api.sparql.protocol`; the query runs in a worker process under the
deadline and result limits (`api.sparql.execution.execute`, api/engine/pool.py,
api/engine/result_writing.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.http.served import Served, ServedDep
from api.media import DESCRIPTION, negotiate, prefers_html
from api.pages.editor import editor_page
from api.routes.resources import root_path
from api.sparql.answers import VARY, answer_response, run_query
from api.sparql.protocol import QueryRequest, parse_get, parse_post
from api.sparql.service_description import serialized_description

router = APIRouter(tags=["SPARQL"])

# The protocol's parameters (§2.1), documented here because the routes read them raw.
_QUERY = {"type": "string", "description": "the SPARQL query"}
_GRAPHS = {"type": "array", "items": {"type": "string"}}
_PARAMETERS = [
    {"name": "query", "in": "query", "schema": _QUERY},
    {"name": "default-graph-uri", "in": "query", "schema": _GRAPHS, "explode": True},
    {"name": "named-graph-uri", "in": "query", "schema": _GRAPHS, "explode": True},
    {"name": "format", "in": "query", "schema": {"type": "string"}},
]
_GET_DOCS = {"parameters": _PARAMETERS}
_POST_DOCS = {
    "parameters": _PARAMETERS[1:],
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {"query": _QUERY, "format": {"type": "string"}},
                }
            },
            "application/sparql-query": {"schema": _QUERY},
        },
    },
}


# HEAD is the same handler, left out of the schema: one route with both methods would give
# GET and HEAD the same OpenAPI operationId.
@router.head("/sparql", include_in_schema=False)
@router.get("/sparql", summary="SPARQL query (GET)", openapi_extra=_GET_DOCS)
async def sparql_get(request: Request, served: ServedDep) -> Response:
    """§2.1.1 query via GET; without `query`, the service description (or the form)."""
    with _headed_errors(served):
        parsed = parse_get(request.scope["query_string"])
        return await _answer(request, served, parsed)


@router.post("/sparql", summary="SPARQL query (POST form or direct)", openapi_extra=_POST_DOCS)
async def sparql_post(request: Request, served: ServedDep) -> Response:
    """§2.1.2 query via URL-encoded POST and §2.1.3 query via POST directly."""
    with _headed_errors(served):
        body = await request.body()
        parsed = parse_post(
            request.headers.get("content-type"), body, request.scope["query_string"]
        )
        return await _answer(request, served, parsed)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def sparql_other(request: Request, served: ServedDep) -> Response:
    """§2.1: the query operation is GET or POST only."""
    with _headed_errors(served):
        error = ApiError(405, "method_not_allowed", f"{request.method} is not allowed on /sparql")
        error.headers["Allow"] = "GET, HEAD, POST"
        raise error


@contextmanager
def _headed_errors(served: Served) -> Iterator[None]:
    """Error responses vary by Accept as results do."""
    try:
        yield
    except ApiError as error:
        error.headers.update(VARY)
        raise


async def _answer(request: Request, served: Served, parsed: QueryRequest) -> Response:
    endpoint = str(request.url).split("?", 1)[0]
    accept = request.headers.get("accept")
    if not parsed.formats and prefers_html(accept):
        return await _form(served, endpoint, parsed.query or "")
    if parsed.query is None:
        return await _description(served, endpoint, accept, parsed.formats)
    dumps_url = str(request.base_url) + "dumps/"
    outcome = await run_query(request, served.settings, served.store, parsed, endpoint, dumps_url)
    return answer_response(outcome)


async def _description(
    served: Served, endpoint: str, accept: str | None, formats: tuple[str, ...]
) -> Response:
    rep = negotiate(accept, DESCRIPTION, formats[:1])
    # Its graph counts are queries in a worker: waited for off the event loop.
    body = await run_in_threadpool(serialized_description, served.store, endpoint, rep)
    return Response(body, headers=VARY, media_type=rep.content_type)


async def _form(served: Served, endpoint: str, query: str) -> Response:
    """The query editor for browsers (api/pages/editor.py), pre-filled with `query`."""
    root = root_path(served)
    return await run_in_threadpool(editor_page, served, endpoint, query, root, VARY)
