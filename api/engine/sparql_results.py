"""Serialising query results: which formats each query form offers, and writing them.

SELECT and ASK give a result set (https://www.w3.org/TR/sparql11-protocol/#query-success):
SPARQL Results JSON, XML, CSV and TSV. CONSTRUCT and DESCRIBE give an RDF graph: Turtle,
N-Triples, RDF/XML, JSON-LD, TriG and N-Quads (the last two write the graph as the default
graph). Every format is written by pyoxigraph itself, in one go, so a result is complete before
the status line is sent (no 200 that fails halfway) and no per-request conversion is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from api.engine.query_job import Triples
from api.errors import NotAcceptable
from api.negotiation import negotiate

HTML = "text/html"


@dataclass(frozen=True)
class ResultFormat:
    """A way to write results: the Content-Type answered with and pyoxigraph's writer."""

    media_type: str
    writer: ox.QueryResultsFormat | ox.RdfFormat

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


_JSON = ResultFormat("application/sparql-results+json", ox.QueryResultsFormat.JSON)
_XML = ResultFormat("application/sparql-results+xml", ox.QueryResultsFormat.XML)
_CSV = ResultFormat("text/csv", ox.QueryResultsFormat.CSV)
_TSV = ResultFormat("text/tab-separated-values", ox.QueryResultsFormat.TSV)
_TURTLE = ResultFormat("text/turtle", ox.RdfFormat.TURTLE)
_NTRIPLES = ResultFormat("application/n-triples", ox.RdfFormat.N_TRIPLES)
_RDFXML = ResultFormat("application/rdf+xml", ox.RdfFormat.RDF_XML)
_JSONLD = ResultFormat("application/ld+json", ox.RdfFormat.JSON_LD)
_TRIG = ResultFormat("application/trig", ox.RdfFormat.TRIG)
_NQUADS = ResultFormat("application/n-quads", ox.RdfFormat.N_QUADS)

#: Result-set formats by the media types a client may ask for, in the server's preference
#: order (the first one answers `*/*`); later entries are aliases clients send.
SOLUTION_FORMATS: dict[str, ResultFormat] = {f.media_type: f for f in (_JSON, _XML, _CSV, _TSV)} | {
    "application/json": _JSON,
    "application/xml": _XML,
    "text/xml": _XML,
}

#: Graph formats, same convention (Turtle answers `*/*`).
GRAPH_FORMATS: dict[str, ResultFormat] = {
    f.media_type: f for f in (_TURTLE, _NTRIPLES, _RDFXML, _JSONLD, _TRIG, _NQUADS)
} | {
    "application/x-turtle": _TURTLE,
    "application/turtle": _TURTLE,
    "application/xml": _RDFXML,
    "application/json": _JSONLD,
}

#: `format=` short names. SPARQLWrapper sends json/xml for every query form, so "json" and
#: "xml" mean JSON-LD and RDF/XML for a graph result.
SOLUTION_NAMES = {"json": _JSON.media_type, "xml": _XML.media_type, "csv": "text/csv"} | {
    "tsv": _TSV.media_type,
    "srj": _JSON.media_type,
    "srx": _XML.media_type,
}
GRAPH_NAMES = {
    "ttl": _TURTLE.media_type,
    "turtle": _TURTLE.media_type,
    "n3": _TURTLE.media_type,
    "nt": _NTRIPLES.media_type,
    "ntriples": _NTRIPLES.media_type,
    "rdfxml": _RDFXML.media_type,
    "rdf+xml": _RDFXML.media_type,
    "rdf": _RDFXML.media_type,
    "xml": _RDFXML.media_type,
    "jsonld": _JSONLD.media_type,
    "json-ld": _JSONLD.media_type,
    "json": _JSONLD.media_type,
    "trig": _TRIG.media_type,
    "nq": _NQUADS.media_type,
    "nquads": _NQUADS.media_type,
}


def formats_for(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Triples):
    """(media type -> format, short names) offered for a result of this query form."""
    if isinstance(result, ox.QueryTriples | Triples):
        return GRAPH_FORMATS, GRAPH_NAMES
    return SOLUTION_FORMATS, SOLUTION_NAMES


def choose(
    accept: str | None,
    offered: dict[str, ResultFormat],
    names: dict[str, str],
    format_params: Sequence[str] = (),
    *,
    html: bool = False,
) -> str:
    """The media type to answer with: the first usable `format=` value, else the Accept header
    (text/html, if `html`, only when the client prefers it to every data format).

    Several `format` values occur because SPARQLWrapper sends a short name and a media type."""
    media_types = [*offered, HTML] if html else list(offered)
    for value in format_params:
        key = value.strip().lower()
        if names.get(key, key) in offered:
            return names.get(key, key)
    if format_params:
        return negotiate(accept, media_types, format_param=format_params[0], formats=names)
    return negotiate(accept, media_types)


def prefers_html(accept: str | None) -> bool:
    """True if the client (a browser) prefers an HTML page to every result format."""
    data = [*SOLUTION_FORMATS, *GRAPH_FORMATS]
    try:
        return negotiate(accept, [*data, HTML]) == HTML
    except NotAcceptable:
        return False


def serialize(result, media_type: str, offered: dict[str, ResultFormat]) -> bytes:
    """Write the whole result in the format registered for `media_type`. Raises ValueError
    if the format cannot express the result."""
    writer = offered[media_type].writer
    if writer == ox.RdfFormat.RDF_XML:
        triples = list(result)
        _check_rdfxml_predicates(triples)
        return ox.serialize(triples, format=writer)
    return result.serialize(format=writer)


def serialize_triples(triples: list[ox.Triple], media_type: str, offered) -> bytes:
    """Write a list of triples (a possibly cut graph result) like `serialize`."""
    writer = offered[media_type].writer
    if writer == ox.RdfFormat.RDF_XML:
        _check_rdfxml_predicates(triples)
    return ox.serialize(triples, format=writer)


# RDF/XML writes a predicate as an XML element, so its IRI must end in an XML name
# (https://www.w3.org/TR/rdf-syntax-grammar/#section-Serialising); pyoxigraph 0.5 otherwise
# writes an element without a local name, i.e. not well-formed XML.
_XML_LOCAL_NAME = re.compile(r"[^\W\d][\w.-]*$")


def _check_rdfxml_predicates(triples: list[ox.Triple]) -> None:
    for triple in triples:
        if not _XML_LOCAL_NAME.search(triple.predicate.value):
            raise ValueError(
                f"RDF/XML cannot express the predicate <{triple.predicate.value}> (its IRI does "
                "not end in an XML name); ask for Turtle, N-Triples or JSON-LD instead"
            )
