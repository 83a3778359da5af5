"""The 404 answer for every unknown path: an HTML page with the navigation for browsers,
the JSON error body for everyone else (by content negotiation on `Accept`)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from api.errors import ApiError
from api.http.errors import error_response
from api.http.served import get_served
from api.http.urls import Urls
from api.media import HTML, INDEX, NotAcceptable, negotiate
from api.pages.render import render_page


def wants_html(request: Request) -> bool:
    """True when the client prefers HTML to JSON (a browser); `*/*` and no Accept get JSON."""
    try:
        return negotiate(request.headers.get("accept"), INDEX) is HTML
    except NotAcceptable:
        return False


async def not_found_page(request: Request, what: str, iri: str | None = None) -> Response:
    """The HTML 404 page naming `what` was asked for (a path, or one of our IRIs)."""
    served = await get_served(request)
    urls = Urls.for_request(request, served.settings)
    return render_page(
        "not_found.html", status=404, headers={"Vary": "Accept"},
        title="Nicht gefunden", what=what, iri=iri, root=urls.root, version=served.version,
    )  # fmt: skip


async def not_found_handler(request: Request, exc: HTTPException) -> Response:
    """Starlette's 404 (no route matched, or a route raised it) by content negotiation."""
    if wants_html(request):
        return await not_found_page(request, request.url.path)
    headers = {**(exc.headers or {}), "Vary": "Accept"}
    return error_response(ApiError(404, "not_found", str(exc.detail), headers=headers))
