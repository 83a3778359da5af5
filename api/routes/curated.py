"""Routes: /api (index) and one GET /api/<name> per `queries/<name>.rq`, generated from headers."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.curated import openapi
from api.curated.registry import CuratedQuery, load_queries
from api.curated.responder import respond
from api.curated.service import CuratedService
from api.http.served import ServedDep
from api.http.urls import UrlsDep, configured_root
from api.pages.not_found import wants_html
from api.pages.render import render_page
from kskg.settings import Settings


def curated_service(settings: Settings) -> CuratedService:
    """The curated queries of `settings.queries_dir` with their result cache."""
    queries = load_queries(settings.queries_dir)
    return CuratedService(queries, root=configured_root(settings))


def build_router(settings: Settings, service: CuratedService | None = None) -> APIRouter:
    """A router with the index and a documented route for every curated query."""
    service = service or curated_service(settings)
    queries = service.queries
    router = APIRouter()

    @router.get("/api", tags=["curated"], summary="Index of the curated queries (JSON or HTML)")
    async def index(request: Request, served: ServedDep, urls: UrlsDep):
        entries = [index_entry(q, urls.root) for q in queries.values()]
        if wants_html(request):
            return render_page(
                "api_index.html", headers={"Vary": "Accept"},
                title="JSON-API", nav="api", root=urls.root, version=served.version,
                queries=entries,
            )  # fmt: skip
        return JSONResponse(
            {"version": served.version, "queries": entries}, headers={"Vary": "Accept"}
        )

    for query in queries.values():
        router.add_api_route(
            f"/api/{query.name}",
            _endpoint(service, query),
            methods=["GET"],
            name=f"curated_{query.name}",
            summary=query.summary,
            description=query.description,
            tags=list(query.tags) or ["curated"],
            responses=openapi.responses(query),
            openapi_extra={"parameters": openapi.parameters(query)},
        )
    return router


def _endpoint(service: CuratedService, query: CuratedQuery):
    async def endpoint(request: Request, served: ServedDep):
        return await respond(service, query, request, served)

    endpoint.__name__ = f"curated_{query.name}"
    return endpoint


def index_entry(query: CuratedQuery, root: str = "/") -> dict:
    """The index entry of `query`; its links are under `root`, the request's root path (a
    public base with a path prefix puts them under the prefix)."""
    route = f"{root}api/{query.name}"
    examples = {p.name: str(p.example) for p in query.params if p.example is not None}
    return {
        "name": query.name,
        "url": route,
        "summary": query.summary,
        "tags": list(query.tags),
        "params": [
            {"name": p.name, "type": p.type, "required": p.required, "description": p.description}
            | ({"enum": list(p.enum)} if p.enum else {})
            | ({"known": p.known} if p.known else {})
            for p in query.params
        ],
        "fields": [
            {"name": f.name, "type": "array" if f.multi else f.type, "description": f.description}
            for f in query.fields
        ],
        "example": route + (f"?{urlencode(examples)}" if examples else ""),
        "examples": _one_filter_examples(query, examples, route),
    }


def _one_filter_examples(
    query: CuratedQuery, examples: dict[str, str], route: str
) -> dict[str, str]:
    """One example URL per parameter: that parameter (with the required ones) alone, since
    the examples of all parameters at once may filter everything out."""
    required = {p.name: examples[p.name] for p in query.params if p.required and p.name in examples}
    return {
        name: f"{route}?{urlencode(required | {name: value})}" for name, value in examples.items()
    }
