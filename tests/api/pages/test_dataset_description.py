"""DCAT at /dataset and VoID at /.well-known/void over real HTTP (sample release)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from kskg.release import DUMPS, current_release

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef("https://w3id.org/kinderschutz-kg/id/dataset")


def fetch(http, url: str, accept: str = "text/turtle") -> Graph:
    response = http.get(url, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld"}.get(accept, "nt")
    return Graph().parse(data=response.text, format=fmt)


def test_dcat_distributions(http, sample_settings):
    graph = fetch(http, "/dataset")
    version = current_release(sample_settings.build_dir).version
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    assert (DATASET, DCAT.version, Literal(version)) in graph
    assert (
        DATASET,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in graph
    assert {t.language for t in graph.objects(DATASET, DCTERMS.title)} == {"de", "en"}
    assert set(graph.objects(DATASET, DCTERMS.source)) >= {
        URIRef("https://w3id.org/kinderschutz-kg/id/dokument/000_6d25c97e395e9f6f")
    }
    distributions = set(graph.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(DUMPS)
    urls = {str(graph.value(d, DCAT.downloadURL)) for d in distributions}
    assert "https://kskg.example.org/dumps/dataset.ttl" in urls
    assert all(graph.value(d, DCAT.byteSize) is not None for d in distributions)


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/n-triples"])
def test_dcat_formats(http, accept):
    assert (DATASET, RDF.type, DCAT.Dataset) in fetch(http, "/dataset", accept)


def test_dcat_html(http):
    response = http.get("/dataset", headers={"Accept": "text/html"})
    assert response.status_code == 200 and 'href="/dumps/dataset.nq"' in response.text


def test_void_counts(http, sample_settings):
    graph = fetch(http, "/.well-known/void")
    triples = int(graph.value(DATASET, VOID.triples))
    assert triples > 100
    assert graph.value(DATASET, VOID.uriSpace) == Literal("https://w3id.org/kinderschutz-kg/id/")
    assert str(graph.value(DATASET, VOID.sparqlEndpoint)) == "https://kskg.example.org/sparql"
    kommune = URIRef("https://w3id.org/kinderschutz-kg/ontology#Kommune")
    (part,) = [p for p in graph.objects(DATASET, VOID.classPartition)
               if graph.value(p, VOID["class"]) == kommune]  # fmt: skip
    assert int(graph.value(part, VOID.entities)) == 2
    partition_triples = sum(
        int(graph.value(p, VOID.triples)) for p in graph.objects(DATASET, VOID.propertyPartition)
    )
    assert partition_triples == triples
    assert len(set(graph.objects(DATASET, VOID.dataDump))) == len(DUMPS)


def test_void_not_acceptable(http):
    response = http.get("/.well-known/void", headers={"Accept": "text/html"})
    assert response.status_code == 406 and response.json()["error"] == "not_acceptable"
    assert response.json()["offered"][:3] == [
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
    ]
