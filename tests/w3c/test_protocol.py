"""The W3C SPARQL 1.1 Protocol tests (data/sparql/sparql11/protocol/manifest.ttl), run request by
request against the real server, whose store holds data1.nt, data2.nt and data3.nt as the named
graphs the manifest names (and their merge as the default graph, like a release).

All query_* and bad_* entries run as the manifest states them. The update_* entries expect an
update to succeed, which does not apply to a read-only endpoint: for them the test is that the
endpoint refuses the update with 403 read_only.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from api.engine.oxigraph_store import OxigraphStore
from tests.w3c.conftest import DATA
from tests.w3c.manifests import ProtocolRequest, ProtocolTest, protocol_tests

TESTS = protocol_tests(DATA)
QUERY_TESTS = [t for t in TESTS if not t.name.startswith("update_")]
UPDATE_TESTS = [t for t in TESTS if t.name.startswith("update_")]

BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def protocol_store() -> OxigraphStore:
    store = ox.Store()
    graphs = {iri: path for test in TESTS for iri, path in test.graph_data.items()}
    for iri, path in graphs.items():
        store.load(path=str(DATA / path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return OxigraphStore.from_store(store, "w3c-protocol")


def send(client, request: ProtocolRequest):
    # "A program using this manifest ... must replace this value with whatever path prefix is
    # appropriate for the endpoint being tested" (manifest comment).
    assert request.path.startswith("/sparql/")
    path = "/sparql" + request.path.removeprefix("/sparql/")
    return client.request(request.method, path, headers=request.headers, content=request.body)


def check(response, request: ProtocolRequest) -> None:
    assert f"{response.status_code // 100}xx" in request.expected_status, response.text
    media_type = response.headers.get("content-type", "").split(";")[0]
    if request.expected_format == "boolean":
        assert media_type in BOOLEAN_TYPES
    elif request.expected_format == "tabular":
        assert media_type in TABULAR_TYPES
    elif request.expected_format == "RDF":
        ox.parse(response.content, format=RDF_TYPES[media_type])
    if request.expected_boolean is not None:
        assert boolean(response.content, media_type) is request.expected_boolean
    if response.status_code >= 400:
        assert response.json()["status"] == response.status_code


def boolean(body: bytes, media_type: str) -> bool:
    if media_type == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    text = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text
    return text == "true"


def test_manifest_is_complete():
    assert len(TESTS) == 34
    assert (len(QUERY_TESTS), len(UPDATE_TESTS)) == (27, 7)


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_protocol(test: ProtocolTest, w3c_server, w3c_client, protocol_store):
    w3c_server.serve(protocol_store)
    for request in test.requests:
        check(send(w3c_client, request), request)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_update_is_refused(test: ProtocolTest, w3c_server, w3c_client, protocol_store):
    w3c_server.serve(protocol_store)
    response = send(w3c_client, test.requests[0])
    assert response.status_code == 403
    assert response.json()["error"] == "read_only"
