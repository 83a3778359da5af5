"""Serialising query results in the representations of api/media.py.

SELECT and ASK give a result set, CONSTRUCT and DESCRIBE an RDF graph (`offer_for`). Every
format is written by pyoxigraph itself, in one go, so a result is complete before the status
line is sent (no 200 that fails halfway) and no per-request conversion is needed.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from api.engine.query_job import Triples
from api.media import GRAPHS, RDF_XML, SOLUTIONS, Offer, Representation, write_rdf


def offer_for(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Triples) -> Offer:
    """The representations offered for a result of this query form."""
    return GRAPHS if isinstance(result, ox.QueryTriples | Triples) else SOLUTIONS


def serialize(result, rep: Representation) -> bytes:
    """Write the whole result as `rep`. Raises ValueError if the format cannot express it."""
    if rep is RDF_XML:
        return serialize_triples(list(result), rep)
    return result.serialize(format=rep.writer)


def serialize_triples(triples: list[ox.Triple], rep: Representation) -> bytes:
    """Write a list of triples (a possibly cut graph result) like `serialize`."""
    if rep is RDF_XML:
        _check_rdfxml_predicates(triples)
    return write_rdf(triples, rep)


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
