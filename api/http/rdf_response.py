"""RDF responses of the resource-like routes (/id/…, /ontology, /dataset, VoID): the request's
representation (api/media.py) and triples written with the project prefixes."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from api.media import Offer, Representation, negotiate, write_rdf
from kskg.namespaces import PREFIXES


def representation(request: Request, offer: Offer) -> Representation:
    """The representation to answer `request` with (Accept header or `?format=`); may raise
    406."""
    formats = request.query_params.getlist("format")
    return negotiate(request.headers.get("accept"), offer, formats)


#: Every negotiated response varies by Accept.
VARY = {"Vary": "Accept"}


def rdf_response(triples: Iterable[ox.Triple], rep: Representation) -> Response:
    """`triples` written as `rep` (an RDF representation) with the project prefixes."""
    body = write_rdf(list(triples), rep, PREFIXES)
    return Response(body, media_type=rep.media_type, headers=VARY)
