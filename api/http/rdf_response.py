"""RDF responses: negotiate an RDF media type (or HTML) and serialise triples with pyoxigraph."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from api.negotiation import negotiate
from kskg.namespaces import PREFIXES

HTML = "text/html"
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    # A client asking for plain JSON gets JSON-LD, which is JSON, under the type it asked for.
    "application/json": ox.RdfFormat.JSON_LD,
}
FORMATS = {
    "html": HTML,
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
}
#: Offered by every resource-like route; HTML first so browsers and `*/*` get a page.
OFFERED = [HTML, *RDF_TYPES]


def choose(request: Request, offered: list[str] | None = None) -> str:
    """The media type to answer `request` with (Accept header or `?format=`); may raise 406."""
    return negotiate(
        request.headers.get("accept"),
        offered or OFFERED,
        format_param=request.query_params.get("format"),
        formats=FORMATS,
    )


def rdf_response(triples: Iterable[ox.Triple], media_type: str, headers: dict) -> Response:
    """Serialise `triples` as `media_type` (one of RDF_TYPES) with the project prefixes."""
    fmt = RDF_TYPES[media_type]
    items = list(triples)
    if fmt.supports_datasets:
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in items]
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = (
        ox.serialize(items, format=fmt, prefixes=prefixes)
        if prefixes
        else ox.serialize(items, format=fmt)
    )
    return Response(body, media_type=media_type, headers={**headers, "Vary": "Accept"})
