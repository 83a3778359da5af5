"""Cut results in-process (api/engine/result_writing.py): every note-carrying format stays
parseable, the byte limit cuts at a whole row or triple, and formats without room for a note are
refused."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from api.engine.query_job import QueryJob, ResultLimits
from api.engine.query_run import run_job
from api.errors import ApiError

P = ox.NamedNode("urn:x:p")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    data = ox.Store()
    for index in range(50):
        subject = ox.NamedNode(f"urn:x:s{index}")
        data.add(ox.Quad(subject, P, ox.Literal("x" * 1000 + str(index)), ox.DefaultGraph()))
    return data


def run(store, query: str, accept: str, **limits):
    return run_job(store, [], QueryJob(query, accept=accept, limits=ResultLimits(**limits)))


SELECT = "SELECT ?s ?o WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"


def test_byte_limit_cuts_at_a_whole_row(store):
    outcome = run(store, SELECT, "application/sparql-results+json", rows=1000, bytes=12_000)
    body = json.loads(outcome.body)
    assert outcome.cut.limit == "bytes" and len(outcome.body) <= 12_000
    assert len(body["results"]["bindings"]) == outcome.cut.returned > 0
    assert body["truncated"]["limit"] == "bytes"


def test_xml_note_keeps_the_document_well_formed(store):
    outcome = run(store, SELECT, "application/sparql-results+xml", rows=5)
    root = ET.fromstring(outcome.body)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.find(f"{namespace}results")) == 5
    assert root.find(f"{namespace}head/{namespace}link") is not None
    assert b"<!-- the result was cut after 5 rows" in outcome.body
    parsed = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.XML)
    assert len(list(parsed)) == 5


@pytest.mark.parametrize(
    "accept, rdf_format",
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/trig", ox.RdfFormat.TRIG),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_graph_notes_keep_the_graph_parseable(store, accept, rdf_format):
    outcome = run(store, CONSTRUCT, accept, triples=7)
    assert outcome.cut.returned == 7
    assert len(list(ox.parse(outcome.body, format=rdf_format))) == 7


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_cut_solutions_are_not_written_where_a_note_cannot_go(store, accept):
    with pytest.raises(ApiError) as refused:
        run(store, SELECT, accept, rows=5)
    assert (refused.value.status, refused.value.code) == (406, "not_acceptable")
    assert refused.value.offered == [
        "application/sparql-results+json",
        "application/sparql-results+xml",
    ]
    assert "limit (5)" in refused.value.message


def test_cut_graph_in_json_ld_is_refused_but_turtle_taken_if_acceptable(store):
    with pytest.raises(ApiError):
        run(store, CONSTRUCT, "application/ld+json", triples=5)
    outcome = run(store, CONSTRUCT, "application/ld+json, text/turtle;q=0.5", triples=5)
    assert outcome.content_type.startswith("text/turtle")


def test_whole_result_is_written_unchanged(store):
    outcome = run(store, SELECT, "text/csv", rows=50, bytes=10**6)
    assert outcome.cut is None
    assert outcome.body.count(b"\r\n") == 51
