"""/sparql over real HTTP: the three query operations, the protocol dataset, every result format,
negotiation, the query form, and every error status with its JSON body (SPARQL 1.1 Protocol)."""

from __future__ import annotations

import csv
import gc
import io
import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal, URIRef

from kskg.release import current_release

KSK = "https://w3id.org/kinderschutz-kg/ontology#"
ID = "https://w3id.org/kinderschutz-kg/id/"
GRAPH = "https://w3id.org/kinderschutz-kg/graph/"
SELECT_KOMMUNEN = (
    f"SELECT ?k ?label WHERE {{ ?k a <{KSK}Kommune> ; <http://www.w3.org/2000/01/rdf-schema#label>"
    " ?label } ORDER BY ?label"
)
CONSTRUCT_CLUSTER = f"CONSTRUCT WHERE {{ <{ID}cluster/2> ?p ?o }}"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
FORM = {"content-type": "application/x-www-form-urlencoded"}
DIRECT = {"content-type": "application/sparql-query"}


def labels(response) -> list[str]:
    return [b["label"]["value"] for b in response.json()["results"]["bindings"]]


def assert_error(response, status: int, error: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-data-version"]
    body = response.json()
    assert body["error"] == error and body["status"] == status and body["message"]
    assert "Traceback" not in response.text
    return body


def test_get_select_json(client, settings):
    response = client.get("/sparql", params={"query": SELECT_KOMMUNEN})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.headers["x-data-version"] == current_release(settings.build_dir).version
    assert response.json()["head"]["vars"] == ["k", "label"]
    assert labels(response) == ["Kreis Herzogtum Lauenburg", "Stadtgemeinde Bremen"]


def test_post_form(client):
    response = client.post("/sparql", data={"query": SELECT_KOMMUNEN})
    assert labels(response) == ["Kreis Herzogtum Lauenburg", "Stadtgemeinde Bremen"]


def test_post_direct(client):
    response = client.post("/sparql", content=SELECT_KOMMUNEN.encode(), headers=DIRECT)
    assert labels(response) == ["Kreis Herzogtum Lauenburg", "Stadtgemeinde Bremen"]


def test_post_direct_with_utf8_charset(client):
    headers = {"content-type": "application/sparql-query; charset=UTF-8"}
    query = 'ASK { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(CONTAINS(?l, "ä")) }'
    response = client.post("/sparql", content=query.encode(), headers=headers)
    assert response.json()["boolean"] is True


def test_default_graph_is_deduplicated_merge(client):
    # The Kreis' label is stated in two source graphs but is one triple of the default graph.
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ <{ID}kommune/kreis-herzogtum-lauenburg> ?p ?o }}"
    merged = client.get("/sparql", params={"query": query}).json()
    per_graph = client.get(
        "/sparql",
        params={"query": query.replace("WHERE {", "WHERE { GRAPH ?g {") + " }"},
    ).json()
    n_merged = int(merged["results"]["bindings"][0]["n"]["value"])
    n_graphs = int(per_graph["results"]["bindings"][0]["n"]["value"])
    assert (n_merged, n_graphs) == (8, 12)


def test_graph_variable_reaches_named_graphs(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [
        GRAPH + "dokument/000_6d25c97e395e9f6f",
        GRAPH + "referenz/bundeslaender",
        GRAPH + "referenz/kommunen",
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_protocol_default_graph(client, method):
    query = f"SELECT ?label WHERE {{ ?x a <{KSK}Bundesland> ; <{RDFS_LABEL}> ?label }}"
    params = {"query": query, "default-graph-uri": GRAPH + "referenz/kommunen"}
    response = (
        client.get("/sparql", params=params)
        if method == "get"
        else client.post("/sparql", data=params)
    )
    assert labels(response) == []
    params["default-graph-uri"] = [GRAPH + "referenz/kommunen", GRAPH + "referenz/bundeslaender"]
    response = client.get("/sparql", params=params)
    assert sorted(labels(response)) == ["Bremen", "Schleswig-Holstein"]


def test_protocol_dataset_overrides_from(client):
    """§2.1.4: the protocol dataset replaces FROM / FROM NAMED of the query."""
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{ID}bundesland/DE-SH> ?p ?o }} }}".replace(
        "WHERE", f"FROM NAMED <{GRAPH}referenz/bundeslaender> WHERE"
    )
    alone = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert {r["g"]["value"] for r in alone} == {GRAPH + "referenz/bundeslaender"}
    overridden = client.get(
        "/sparql", params={"query": query, "named-graph-uri": GRAPH + "referenz/kommunen"}
    ).json()["results"]["bindings"]
    assert overridden == []


def test_named_graph_only_dataset_has_empty_default_graph(client):
    params = {"query": "ASK { ?s ?p ?o }", "named-graph-uri": GRAPH + "referenz/kommunen"}
    assert client.get("/sparql", params=params).json()["boolean"] is False


def test_unknown_graph_is_empty(client):
    params = {"query": "ASK { ?s ?p ?o }", "default-graph-uri": "http://example.org/none"}
    assert client.get("/sparql", params=params).json()["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        ("application/json", None, "application/sparql-results+json"),
        (
            "text/csv;q=0.5, application/sparql-results+xml;q=0.9",
            None,
            "application/sparql-results+xml",
        ),
        ("text/csv", "json", "application/sparql-results+json"),
        (None, "xml", "application/sparql-results+xml"),
        (None, "csv", "text/csv"),
        (None, "tsv", "text/tab-separated-values"),
        (None, "text/csv", "text/csv"),
    ],
)
def test_select_formats(client, accept, fmt, content_type):
    params = {"query": SELECT_KOMMUNEN} | ({"format": fmt} if fmt else {})
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{content_type}; charset=utf-8"
    assert sorted(parse_select(response.text, content_type)) == [
        "Kreis Herzogtum Lauenburg",
        "Stadtgemeinde Bremen",
    ]


def parse_select(text: str, content_type: str) -> list[str]:
    if content_type == "application/sparql-results+json":
        return [b["label"]["value"] for b in json.loads(text)["results"]["bindings"]]
    if content_type == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ET.fromstring(text)
        return [
            b.find(f"{ns}literal").text
            for b in root.iter(f"{ns}binding")
            if b.get("name") == "label"
        ]
    if content_type == "text/csv":
        return [row["label"] for row in csv.DictReader(io.StringIO(text))]
    lines = text.splitlines()
    assert lines[0] == "?k\t?label"
    return [line.split("\t")[1].split('"')[1] for line in lines[1:]]


@pytest.mark.parametrize(
    ("accept", "fmt", "content_type", "rdflib_format"),
    [
        (None, None, "text/turtle", "turtle"),
        ("application/n-triples", None, "application/n-triples", "nt"),
        ("application/rdf+xml", None, "application/rdf+xml", "xml"),
        ("application/ld+json", None, "application/ld+json", "json-ld"),
        ("application/trig", None, "application/trig", "trig"),
        ("application/n-quads", None, "application/n-quads", "nquads"),
        (None, "ttl", "text/turtle", "turtle"),
        (None, "nt", "application/n-triples", "nt"),
        (None, "rdfxml", "application/rdf+xml", "xml"),
        (None, "jsonld", "application/ld+json", "json-ld"),
        (None, "trig", "application/trig", "trig"),
        ("text/turtle", "nq", "application/n-quads", "nquads"),
        ("application/xml", None, "application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(client, accept, fmt, content_type, rdflib_format):
    params = {"query": CONSTRUCT_CLUSTER} | ({"format": fmt} if fmt else {})
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{content_type}; charset=utf-8"
    graph = Graph()
    graph.parse(data=response.text, format=rdflib_format)
    cluster = URIRef(ID + "cluster/2")
    assert len(graph) == 4
    assert (cluster, URIRef(KSK + "nummer"), Literal(2)) in graph


def test_describe(client):
    query = f"DESCRIBE <{ID}cluster/1>"
    response = client.get("/sparql", params={"query": query, "format": "nt"})
    graph = Graph().parse(data=response.text, format="nt")
    assert set(graph.subjects()) == {URIRef(ID + "cluster/1")} and len(graph) == 3


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/csv", None])
def test_ask(client, accept):
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers=headers)
    assert response.status_code == 200
    assert "true" in response.text


def test_relative_iris_resolve_against_the_endpoint(client, live_server):
    response = client.get("/sparql", params={"query": "SELECT (<x> AS ?x) {}"})
    assert response.json()["results"]["bindings"][0]["x"]["value"] == live_server.url + "/x"


def test_browser_gets_the_form_with_query(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(
        "/sparql", params={"query": "SELECT * { ?s ?p ?o } # <&>"}, headers={"accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "SELECT * { ?s ?p ?o } # &lt;&amp;&gt;</textarea>" in response.text
    assert "http://" not in response.text.split("<body>")[0]  # no CDN, nothing external
    empty = client.get("/sparql", headers={"accept": accept})
    assert "</textarea>" in empty.text and empty.headers["content-type"].startswith("text/html")


def test_format_parameter_beats_browser_accept(client):
    response = client.get(
        "/sparql", params={"query": "ASK {}", "format": "json"}, headers={"accept": "text/html"}
    )
    assert response.json() == {"head": {}, "boolean": True}


def test_sparqlwrapper_style_repeated_format(client):
    params = [
        ("query", CONSTRUCT_CLUSTER),
        ("format", "rdf+xml"),
        ("format", "application/rdf+xml"),
    ]
    response = client.get("/sparql", params=params)
    assert response.headers["content-type"] == "application/rdf+xml; charset=utf-8"


# --- errors ------------------------------------------------------------------------------------


def test_malformed_query_has_position(client):
    response = client.get("/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"})
    body = assert_error(response, 400, "malformed_query")
    assert (body["line"], body["column"]) == (2, 16)  # as Oxigraph reports it
    assert body["message"].startswith("malformed query: ")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "params": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {
            "method": "POST",
            "content": b"CLEAR ALL",
            "headers": {"content-type": "application/sparql-update"},
        },
        {
            "method": "GET",
            "params": {"query": "PREFIX ex: <http://ex/>\nINSERT DATA { ex:a ex:b ex:c }"},
        },
        {"method": "POST", "content": b"# comment\nDELETE WHERE { ?s ?p ?o }", "headers": DIRECT},
        {"method": "POST", "content": b"LOAD <http://example.org/x>", "headers": DIRECT},
    ],
)
def test_updates_are_refused(client, request_kwargs):
    response = client.request(url="/sparql", **request_kwargs)
    assert_error(response, 403, "read_only")
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] != "0"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods(client, method):
    response = client.request(method, "/sparql", params={"query": "ASK {}"})
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD, POST"


def test_two_queries(client):
    response = client.get("/sparql", params=[("query", "ASK {}"), ("query", "SELECT * {}")])
    assert_error(response, 400, "multiple_queries")


def test_query_in_url_and_direct_body(client):
    response = client.post("/sparql", params={"query": "ASK {}"}, content=b"ASK {}", headers=DIRECT)
    assert_error(response, 400, "multiple_queries")


@pytest.mark.parametrize(
    ("headers", "body", "status", "error"),
    [
        ({}, b"query=ASK%20%7B%7D", 415, "unsupported_media_type"),
        ({"content-type": "text/plain"}, b"ASK {}", 415, "unsupported_media_type"),
        (
            {"content-type": "application/sparql-query; charset=UTF-16"},
            "ASK {}".encode("utf-16"),
            415,
            "unsupported_charset",
        ),
        (
            {"content-type": "application/x-www-form-urlencoded; charset=latin1"},
            b"query=ASK+%7B%7D",
            415,
            "unsupported_charset",
        ),
        (DIRECT, 'ASK { FILTER("ä") }'.encode("latin-1"), 400, "bad_encoding"),
        (FORM, b"query=ASK+%7B%7D%E4", 400, "bad_encoding"),
        (FORM, b"format=json", 400, "missing_query"),
    ],
)
def test_bad_post_bodies(client, headers, body, status, error):
    assert_error(client.post("/sparql", content=body, headers=headers), status, error)


def test_not_acceptable_lists_offered(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"})
    body = assert_error(response, 406, "not_acceptable")
    assert "application/sparql-results+json" in body["offered"]
    graph = client.get("/sparql", params={"query": CONSTRUCT_CLUSTER, "format": "csv"})
    assert "text/turtle" in assert_error(graph, 406, "not_acceptable")["offered"]


def test_service_is_refused(client):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert_error(client.get("/sparql", params={"query": query}), 400, "unsupported_feature")


def test_service_in_a_string_is_not_a_clause(client):
    query = 'SELECT * WHERE { BIND("SERVICE <x> {}" AS ?s) }  # SERVICE'
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [
        {"s": {"type": "literal", "value": "SERVICE <x> {}"}}
    ]


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_refused_graph_result_is_dropped_on_its_thread(client):
    """Regression: a 406 for a CONSTRUCT kept the pyoxigraph result alive in a traceback, and
    a garbage collection on another thread then failed ("unsendable ... dropped on another
    thread")."""
    for _ in range(3):
        response = client.get("/sparql", params={"query": CONSTRUCT_CLUSTER, "format": "csv"})
        assert_error(response, 406, "not_acceptable")
    gc.collect()


def test_head(client):
    response = client.head("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"


def test_graph_rdfxml_cannot_express_is_400(client):
    query = "CONSTRUCT { <http://example.org/s> <http://example.org/p/> 1 } WHERE {}"
    response = client.get("/sparql", params={"query": query, "format": "rdfxml"})
    assert "RDF/XML cannot express" in assert_error(response, 400, "query_failed")["message"]
