"""GET /sparql without a query: the SPARQL 1.1 Service Description, checked against the three
tests of the W3C service-description manifest (returns RDF, has a matching sd:endpoint triple,
conforms to the schema) and against what the issue demands of its content."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from tests.api.conftest import FIXTURES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")
GRAPH = "https://w3id.org/kinderschutz-kg/graph/"


def expected_description(client, endpoint: str) -> Graph:
    """The golden description of mini.trig (tests/api/fixtures/service_description.ttl), for
    the served endpoint URL and data version."""
    version = client.get("/health").json()["version"]
    text = (FIXTURES / "service_description.ttl").read_text("utf-8")
    text = text.replace("<ENDPOINT>", f"<{endpoint}>").replace('"VERSION"', f'"{version}"')
    return Graph().parse(data=text, format="turtle")


def description(client, accept: str = "text/turtle", rdflib_format: str = "turtle") -> Graph:
    response = client.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert response.headers["x-data-version"] and response.headers["vary"] == "Accept"
    return Graph().parse(data=response.text, format=rdflib_format)


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_returns_rdf(client, live_server, accept, rdflib_format):
    """W3C sd:returns-rdf, in each offered serialisation: each is the expected graph."""
    graph = description(client, accept, rdflib_format)
    assert isomorphic(graph, expected_description(client, live_server.url + "/sparql"))


def test_default_is_turtle_and_format_parameter_works(client):
    assert client.get("/sparql").headers["content-type"] == "text/turtle; charset=utf-8"
    response = client.get("/sparql", params={"format": "jsonld"})
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"


def test_has_endpoint_triple(client, live_server):
    """W3C sd:has-endpoint-triple: sd:endpoint is the URL that was dereferenced."""
    graph = description(client)
    assert list(graph.objects(None, SD.endpoint)) == [URIRef(live_server.url + "/sparql")]


def test_conforms_to_schema(client):
    """W3C sd:conforms-to-schema: the terms are used with the domains and ranges of the
    vocabulary (Service -> Language, Format, Dataset -> Graph / NamedGraph with sd:name)."""
    graph = description(client)
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL10Query, SD.SPARQL11Query}
    (dataset,) = graph.objects(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in graph
    (default_graph,) = graph.objects(dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in graph
    for named in graph.objects(dataset, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in graph
        assert isinstance(graph.value(named, SD.name), URIRef)
        assert (graph.value(named, SD.graph), RDF.type, SD.Graph) in graph


def test_content(client):
    graph = description(client)
    (service,) = graph.subjects(RDF.type, SD.Service)
    assert set(graph.objects(service, SD.resultFormat)) == {
        FORMATS[name]
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "RDF_XML",
            "JSON-LD",
            "TriG",
            "N-Quads",
        )
    }
    assert SD.SPARQL11Update not in set(graph.objects(service, SD.supportedLanguage))
    assert set(graph.objects(service, SD.feature)).isdisjoint(
        {SD.UnionDefaultGraph, SD.BasicFederatedQuery}
    )
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert names == {
        GRAPH + "dokument/000_6d25c97e395e9f6f",
        GRAPH + "referenz/bundeslaender",
        GRAPH + "referenz/kommunen",
    }
    sizes = {
        str(graph.value(named, SD.name)): graph.value(graph.value(named, SD.graph), VOID.triples)
        for named in graph.subjects(RDF.type, SD.NamedGraph)
    }
    assert sizes[GRAPH + "referenz/bundeslaender"].toPython() == 6


def test_unacceptable_description(client):
    response = client.get("/sparql", headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["offered"]
