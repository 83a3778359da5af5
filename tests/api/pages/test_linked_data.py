"""Linked-data resolution of /id/<path> and /ontology over real HTTP (sample release)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

BREMEN = "https://w3id.org/kinderschutz-kg/id/kommune/stadtgemeinde-bremen"
SCHULEN = "/id/organisation/stadtgemeinde-bremen/schulen"


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
    ],
)
def test_machine_description(http, accept, media, rdflib_format):
    response = http.get("/id/kommune/stadtgemeinde-bremen", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["x-data-version"]
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (URIRef(BREMEN), RDFS.label, None) in graph
    cluster = URIRef("https://w3id.org/kinderschutz-kg/id/cluster/2")
    assert (cluster, RDFS.label, None) in graph, "labels of linked resources are included"


def test_html_page_links_sources_findings_and_sparql(http):
    response = http.get(SCHULEN, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert 'href="/id/dokument/004_1ad5341d1f9797a2#L33"' in html
    assert 'href="/id/kommune/stadtgemeinde-bremen"' in html, "incoming link"
    assert "Organisation ohne Sektor" in html, "SHACL finding"
    assert "/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org" in html


def test_html_escapes_labels(http):
    html = http.get(SCHULEN, headers={"Accept": "text/html"}).text
    assert "<script>" not in html
    assert "Schulen &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_document_page_has_line_anchors(http):
    html = http.get("/id/dokument/004_1ad5341d1f9797a2", headers={"Accept": "text/html"}).text
    assert 'id="L33"' in html and "Gesundheitsamt | Kinder- und Jugendpsychiatrie" in html
    assert 'id="L3"' in html and "Stadtgemeinde Bremen" in html


def test_thesaurus_tree(http):
    html = http.get("/id/thesaurus/themenfelder", headers={"Accept": "text/html"}).text
    top = html.index('href="/id/themenfeld/kooperation-und-netzwerke"')
    assert html.index('href="/id/themenfeld/fallreflexion"', top) > top
    ttl = http.get("/id/thesaurus/themenfelder?format=ttl")
    assert ttl.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/html", "text/html"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
    ],
)
def test_unknown_iri_is_404(http, accept, media):
    response = http.get("/id/kommune/atlantis", headers={"Accept": accept})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(media)
    assert response.headers["x-data-version"]


def test_not_acceptable(http):
    response = http.get("/id/kommune/stadtgemeinde-bremen", headers={"Accept": "image/png"})
    assert response.status_code == 406 and "text/turtle" in response.json()["offered"]


def test_ontology_html_and_turtle(http):
    html = http.get("/ontology", headers={"Accept": "text/html"}).text
    assert 'id="Kommune"' in html and "municipality" in html
    assert 'href="/ontology#Gebietskoerperschaft"' in html
    ttl = http.get("/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=ttl.text, format="turtle")
    kommune = URIRef("https://w3id.org/kinderschutz-kg/ontology#Kommune")
    assert (kommune, RDFS.subClassOf, None) in graph
