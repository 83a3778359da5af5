"""No outbound network: SERVICE, LOAD, updates and FROM naming foreign graphs are refused by
inspecting the parsed query, and a TCP listener on 127.0.0.1 that every such query names sees no
connection from the server."""

from __future__ import annotations

import time

import pytest

from api.engine import query_guard
from api.errors import ApiError

GRAPH = "https://w3id.org/kinderschutz-kg/graph/"


def refused_queries(url: str) -> list[tuple[str, int, str]]:
    """(query, status, error code) that each name the listener at `url`."""
    return [
        (f"SELECT * WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }}", 400, "unsupported_feature"),
        (
            f"SELECT * WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
            400,
            "unsupported_feature",
        ),
        (f"select * where {{ sErViCe <{url}/> {{ ?s ?p ?o }} }}", 400, "unsupported_feature"),
        (f"SELECT * WHERE {{ \\u0053ERVICE <{url}/> {{ ?s ?p ?o }} }}", 400, "unsupported_feature"),
        (
            f"SELECT * WHERE {{ \\U00000053ervice <{url}/> {{ ?s ?p ?o }} }}",
            400,
            "unsupported_feature",
        ),
        (
            f"SELECT * WHERE {{ SERVICE # comment\n <{url}/> {{ ?s ?p ?o }} }}",
            400,
            "unsupported_feature",
        ),
        (
            f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }}",
            400,
            "unsupported_feature",
        ),
        (
            f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }} }}",
            400,
            "unsupported_feature",
        ),
        (
            f"SELECT * WHERE {{ VALUES ?e {{ <{url}/> }} SERVICE ?e {{ ?s ?p ?o }} }}",
            400,
            "unsupported_feature",
        ),
        (
            f"PREFIX l: <{url}/> SELECT * WHERE {{ SERVICE l: {{ ?s ?p ?o }} }}",
            400,
            "unsupported_feature",
        ),
        (f"SELECT * FROM <{url}/x> WHERE {{ ?s ?p ?o }}", 400, "unknown_graph"),
        (
            f"SELECT * FROM NAMED <{url}/x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            400,
            "unknown_graph",
        ),
        (f"BASE <{url}/> SELECT * FROM <x> WHERE {{ ?s ?p ?o }}", 400, "unknown_graph"),
        (f"LOAD <{url}/x>", 403, "read_only"),
        (f"LOAD SILENT <{url}/x> INTO GRAPH <urn:g>", 403, "read_only"),
        (f"\\u004cOAD <{url}/x>", 403, "read_only"),
        (f"INSERT DATA {{ <{url}/s> <urn:p> 1 }}", 403, "read_only"),
        ("DELETE WHERE { ?s ?p ?o }", 403, "read_only"),
        ("CLEAR ALL", 403, "read_only"),
        (f"WITH <{url}/g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", 403, "read_only"),
    ]


def test_refusals_make_no_connection(client, listener):
    direct = {"content-type": "application/sparql-query"}
    for query, status, code in refused_queries(listener.url):
        for response in (
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", content=query, headers=direct),
        ):
            assert (response.status_code, response.json().get("error")) == (status, code), query
    time.sleep(0.3)  # a connection attempt, had there been one, would have arrived by now
    assert listener.connections == []


def test_other_ways_to_name_the_listener_make_no_connection(client, listener):
    url = listener.url
    ok = [
        ("/sparql", {"query": "SELECT * { ?s ?p ?o } LIMIT 1", "default-graph-uri": url + "/d"}),
        ("/sparql", {"query": "ASK { ?s ?p ?o }", "named-graph-uri": url + "/n"}),
        ("/sparql", {"query": f"DESCRIBE <{url}/r>", "format": "jsonld"}),
        ("/sparql", {"query": f'SELECT (IRI("{url}/i") AS ?i) {{}}'}),
        ("/sparql", {"query": f"CONSTRUCT {{ <{url}/s> <urn:p> <{url}/o> }} WHERE {{}}"}),
        ("/sparql", {"query": f'ASK {{ FILTER(REGEX("{url}", "127")) }}'}),
    ]
    for path, params in ok:
        assert client.get(path, params=params).status_code == 200, params
    assert client.get(f"/id/{url}").status_code == 404
    time.sleep(0.3)
    assert listener.connections == []


def test_workers_have_no_network(hardened_app):
    """Defence in depth on kernels that allow it: each worker runs in an empty network
    namespace, so even a query the guard let through could not connect anywhere."""
    assert all(worker.isolated for worker in hardened_app.state.pool.workers)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?service ?p "SERVICE <http://127.0.0.1:1/>" }',
        "SELECT * WHERE { ?s <urn:x:service> ?o } # SERVICE <http://127.0.0.1:1/> {}",
        "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:load ?o }",
        f"SELECT * FROM <{GRAPH}ontology> FROM NAMED <{GRAPH}referenz/kommunen> WHERE {{}}",
        f"PREFIX g: <{GRAPH}> ASK FROM g:ontology {{}}",
        "SELECT ?from ?with ?add WHERE { ?from ?with ?add }",
    ],
)
def test_harmless_queries_pass(query):
    graphs = [GRAPH + "ontology", GRAPH + "referenz/kommunen"]
    assert query_guard.refusal(query, graphs, "http://127.0.0.1:8000/sparql") is None


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://127.0.0.1:1/> {} }",
        "SELECT * { \\u0053\\u0045\\u0052\\u0056\\u0049\\u0043\\u0045 <http://127.0.0.1:1/> {} }",
        "SELECT * { \\U00000053ERVICE <http://127.0.0.1:1/> {} }",
        "SELECT * {\n# {\nSERVICE\n#}\n<http://127.0.0.1:1/> {} }",
        "SELECT * { OPTIONAL { MINUS { SERVICE <http://127.0.0.1:1/> {} } } }",
        "SELECT * FROM <http://127.0.0.1:1/> {}",
        "SELECT * FR\\u004fM <http://127.0.0.1:1/> {}",
        "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } } LATERAL",
    ],
)
def test_disguised_queries_are_refused(query):
    refused = query_guard.refusal(query, [], None)
    assert isinstance(refused, ApiError) and refused.status == 400
    assert refused.code in ("unsupported_feature", "unknown_graph"), refused.body()


def test_codepoint_escapes_are_decoded():
    assert query_guard.decode_escapes("\\u0053\\U00000045x\\uD800") == "SEx\\uD800"
