"""Route `/sparql`: the SPARQL 1.1 Protocol query operation over the served release.

https://www.w3.org/TR/sparql11-protocol/ — §2.1 query operation (GET, POST form, POST direct),
§2.1.4 protocol dataset, §2.1.5 responses; update (§2.2) is refused (read-only).
A GET without a query answers the Service Description; a browser gets the query form.
Request parsing lives in `api.sparql_protocol`, result writing in `api.sparql_results`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.editor import editor_page
from api.errors import ApiError
from api.negotiation import NotAcceptable, negotiate
from api.routes.resources import root_path
from api.service_description import (
    DESCRIPTION_FORMATS,
    DESCRIPTION_NAMES,
    serialized_description,
)
from api.sparql_protocol import (
    QueryRequest,
    looks_like_update,
    malformed_query,
    parse_get,
    parse_post,
    read_only,
    uses_service,
)
from api.sparql_results import choose, formats_for, prefers_html, serialize
from api.state import Served, ServedDep

router = APIRouter(tags=["SPARQL"])


@router.api_route("/sparql", methods=["GET", "HEAD"], summary="SPARQL query (GET)")
async def sparql_get(request: Request, served: ServedDep) -> Response:
    """§2.1.1 query via GET; without `query`, the service description (or the form)."""
    with _headed_errors(served):
        parsed = parse_get(request.scope["query_string"])
        return await _answer(request, served, parsed)


@router.post("/sparql", summary="SPARQL query (POST form or direct)")
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


def _headers(served: Served) -> dict[str, str]:
    return {"X-Data-Version": served.version, "Vary": "Accept"}


@contextmanager
def _headed_errors(served: Served) -> Iterator[None]:
    """Error responses carry the same data-version and Vary headers as results."""
    try:
        yield
    except NotAcceptable as error:
        refused = ApiError(406, "not_acceptable", error.reason, offered=error.offered)
        refused.headers.update(_headers(served))
        raise refused from None
    except ApiError as error:
        error.headers.update(_headers(served))
        raise


async def _answer(request: Request, served: Served, parsed: QueryRequest) -> Response:
    endpoint = str(request.url).split("?", 1)[0]
    accept = request.headers.get("accept")
    if not parsed.formats and prefers_html(accept):
        return _form(served, endpoint, parsed.query or "")
    if parsed.query is None:
        return _description(served, endpoint, accept, parsed.formats)
    # Evaluated on the event loop, not in a worker thread: pyoxigraph holds the GIL while it
    # evaluates and writes, so a thread would add overhead without concurrency, and its result
    # objects must be dropped on the thread that created them.
    body, content_type = evaluate(served, parsed, endpoint, accept)
    return Response(body, headers=_headers(served), media_type=content_type)


def evaluate(
    served: Served, parsed: QueryRequest, endpoint: str, accept: str | None
) -> tuple[bytes, str]:
    """Run the query and write its whole result: (body, Content-Type)."""
    query = parsed.query or ""
    if uses_service(query):
        raise ApiError(
            400, "unsupported_feature", "SERVICE (federated query) is not offered by this endpoint"
        )
    try:
        result = served.store.query(
            query,
            default_graph=parsed.default_graphs,
            named_graphs=parsed.named_graphs,
            base_iri=endpoint,
        )
    except SyntaxError as error:
        raise (read_only() if looks_like_update(query) else malformed_query(error)) from None
    offered, names = formats_for(result)
    failure: Exception | None = None
    try:
        media_type = choose(accept, offered, names, parsed.formats)
        body = serialize(result, media_type, offered)
    except NotAcceptable as error:
        failure = error.with_traceback(None)
    except (OSError, ValueError, RuntimeError) as error:
        failure = ApiError(400, "query_failed", f"query evaluation failed: {error}")
    # A pyoxigraph result must be dropped on the thread that made it; raised with the result
    # still in this frame, a traceback would keep it alive until a GC run on any thread.
    del result
    if failure is not None:
        raise failure
    return body, offered[media_type].content_type


def _description(
    served: Served, endpoint: str, accept: str | None, formats: tuple[str, ...]
) -> Response:
    offered = list(DESCRIPTION_FORMATS)
    fmt = formats[0] if formats else None
    media_type = negotiate(accept, offered, format_param=fmt, formats=DESCRIPTION_NAMES)
    body = serialized_description(served.store, endpoint, media_type)
    return Response(body, headers=_headers(served), media_type=f"{media_type}; charset=utf-8")


def _form(served: Served, endpoint: str, query: str) -> Response:
    """The query editor for browsers (api/editor.py), pre-filled with `query`."""
    return editor_page(served, endpoint, query, root_path(served), _headers(served))
