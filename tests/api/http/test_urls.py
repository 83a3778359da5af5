"""The one URL builder (api/http/urls.py) over real HTTP: without a public base every absolute
link names the host:port the request came to; with a public base (with a path prefix) every
link is under it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef

from api.http.urls import Urls
from kskg.settings import Settings
from tests.support.live_server import LiveServer

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATASET = URIRef("https://w3id.org/kinderschutz-kg/id/dataset")
PREFIXED = "https://kskg.example.org/pfad/"


@pytest.fixture(scope="module")
def plain(mini_build) -> Iterator[LiveServer]:
    """A server without a public base, on whatever free port the OS gave (never 8000)."""
    with LiveServer.serving(Settings(build_dir=mini_build)) as server:
        yield server


@pytest.fixture(scope="module")
def prefixed(mini_build) -> Iterator[LiveServer]:
    with LiveServer.serving(Settings(build_dir=mini_build, public_base=PREFIXED)) as server:
        yield server


def turtle(server: LiveServer, path: str) -> Graph:
    response = httpx.get(server.url + path, headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle")


def links(graph: Graph) -> set[str]:
    """Every IRI in the graph that is not one of the dataset's own names."""
    return {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}


def test_dcat_and_void_name_the_serving_port(plain):
    assert not plain.url.endswith(":8000")
    dcat, void = turtle(plain, "/dataset"), turtle(plain, "/.well-known/void")
    downloads = {str(o) for o in dcat.objects(None, DCAT.downloadURL)}
    assert downloads and all(u.startswith(plain.url + "/dumps/dataset.") for u in downloads)
    assert str(dcat.value(DATASET, DCAT.landingPage)) == plain.url + "/dataset"
    assert str(void.value(DATASET, VOID.sparqlEndpoint)) == plain.url + "/sparql"
    assert all(u.startswith(plain.url + "/dumps/") for u in void.objects(DATASET, VOID.dataDump))
    assert not [u for u in links(dcat) | links(void) if "127.0.0.1:8000" in u]


def test_service_description_and_dumps_name_the_serving_port(plain):
    described = turtle(plain, "/sparql")
    assert {str(e) for e in described.objects(None, SD.endpoint)} == {plain.url + "/sparql"}
    dumps = httpx.get(plain.url + "/dumps/", timeout=30).json()["dumps"]
    assert all(d["url"].startswith(plain.url + "/dumps/") for d in dumps)


def test_a_host_header_is_what_links_name(plain):
    """Behind a proxy that keeps the Host header, links name the public host:port."""
    response = httpx.get(
        plain.url + "/.well-known/void",
        headers={"Accept": "text/turtle", "Host": "daten.example.org:8101"},
        timeout=30,
    )
    graph = Graph().parse(data=response.text, format="turtle")
    assert str(graph.value(DATASET, VOID.sparqlEndpoint)) == "http://daten.example.org:8101/sparql"


def test_a_public_base_with_a_path_prefix_names_every_link(prefixed):
    dcat, void = turtle(prefixed, "/dataset"), turtle(prefixed, "/.well-known/void")
    downloads = {str(o) for o in dcat.objects(None, DCAT.downloadURL)}
    assert downloads and all(u.startswith(PREFIXED + "dumps/dataset.") for u in downloads)
    assert str(void.value(DATASET, VOID.sparqlEndpoint)) == PREFIXED + "sparql"
    described = turtle(prefixed, "/sparql")
    assert {str(e) for e in described.objects(None, SD.endpoint)} == {PREFIXED + "sparql"}
    assert not [u for u in links(dcat) | links(void) if prefixed.url in u]


#: Every kind of page (the mini build has few resources: a missing one is the HTML 404 page,
#: which links like any other).
PAGES = [
    "/", "/sparql", "/dumps/", "/dataset", "/ontology", "/nirgends", "/dashboard", "/qualitaet",
    "/api", "/docs", "/releases", "/suche?q=kreis", "/vergleich", "/id/kommune/",
    "/id/einwohner/", "/id/thesaurus/themenfelder", "/id/kommune/kreis-lippe", "/id/cluster/4",
]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_pages_link_under_the_path_prefix(prefixed, path):
    response = httpx.get(prefixed.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.headers["content-type"].startswith("text/html")
    local = re.findall(r'(?:href|src)="(/[^"]*)"', response.text)
    assert local and all(link.startswith("/pfad/") for link in local), local


def test_urls_builds_paths_and_absolute_urls():
    urls = Urls.of("https://example.org/kskg")
    assert urls.root == "/kskg/"
    assert urls.path("sparql") == "/kskg/sparql"
    assert urls.absolute("dumps/dataset.ttl") == "https://example.org/kskg/dumps/dataset.ttl"
    assert urls.page("https://w3id.org/kinderschutz-kg/id/kommune/x") == "/kskg/id/kommune/x"
    assert urls.page("https://example.org/other") is None


@pytest.mark.parametrize("path", ["/", "/ontology", "/id/kommune/?lang=en"])
def test_the_citation_is_an_absolute_link_from_the_request(plain, prefixed, path):
    """The footer's "cite as" link is copied elsewhere: absolute, on the serving host:port, or
    under the public base."""
    base, _, query = path.partition("?")
    for server, absolute in ((plain, plain.url + base), (prefixed, PREFIXED + base.lstrip("/"))):
        page = httpx.get(server.url + path, headers={"Accept": "text/html"}, timeout=30).text
        cited = re.search(r'<p class="citation">.*?<a href="([^"]+)"', page, re.S).group(1)
        assert cited.startswith(absolute + "?"), (server.url, cited)
        assert "version=" in cited and (query in cited)


def test_the_json_index_links_under_the_path_prefix(prefixed):
    index = httpx.get(prefixed.url + "/api", headers={"Accept": "application/json"}, timeout=30)
    entries = index.json()["queries"]
    linked = [e["url"] for e in entries] + [e["example"] for e in entries]
    linked += [url for e in entries for url in e["examples"].values()]
    assert linked and all(url.startswith("/pfad/api/") for url in linked), linked


def test_paging_links_are_under_the_path_prefix(prefixed):
    answer = httpx.get(prefixed.url + "/api/kommunen", params={"limit": 1, "offset": 1}, timeout=30)
    body = answer.json()
    linked = [*body["links"].values(), body["query"]["sparql_url"]]
    assert len(linked) >= 4 and all(url.startswith("/pfad/api/kommunen?") for url in linked)
    assert all(part.startswith("</pfad/api/") for part in answer.headers["link"].split(", "))
