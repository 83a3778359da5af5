"""Routes: /api (index) and one GET /api/<name> per `queries/<name>.rq`, generated from headers."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request

from api.curated import openapi
from api.curated.registry import CuratedQuery, load_queries
from api.curated.responder import respond
from api.curated.service import CuratedService
from api.http.served import ServedDep
from kskg.settings import Settings


def curated_service(settings: Settings) -> CuratedService:
    """The curated queries of `settings.queries_dir` with their result cache."""
    queries = load_queries(settings.queries_dir)
    return CuratedService(queries, root=urlsplit(settings.public_base).path or "/")


def build_router(settings: Settings, service: CuratedService | None = None) -> APIRouter:
    """A router with the index and a documented route for every curated query."""
    service = service or curated_service(settings)
    queries = service.queries
    router = APIRouter()

    @router.get("/api", tags=["curated"], summary="Index of the curated queries")
    async def index(served: ServedDep) -> dict:
        return {"version": served.version, "queries": [index_entry(q) for q in queries.values()]}

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


def index_entry(query: CuratedQuery) -> dict:
    examples = {p.name: str(p.example) for p in query.params if p.example is not None}
    return {
        "name": query.name,
        "url": f"/api/{query.name}",
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
        "example": f"/api/{query.name}" + (f"?{urlencode(examples)}" if examples else ""),
    }
