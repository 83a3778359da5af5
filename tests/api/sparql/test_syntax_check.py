"""POST /sparql/check over real HTTP, and the readable 400 of /sparql for a malformed query."""

from __future__ import annotations


def test_a_good_query_checks_ok(client):
    response = client.post("/sparql/check", data={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert "x-data-version" in response.headers


def test_an_unknown_prefix_is_named_with_its_place(client):
    query = "SELECT * WHERE {\n  ?s foo:bar ?o }"
    body = client.post("/sparql/check", content=query,
                       headers={"Content-Type": "application/sparql-query"}).json()  # fmt: skip
    assert body["ok"] is False and body["problem"] == "unknown_prefix"
    assert "Unknown prefix `foo:`" in body["message"] and "foaf:" in body["message"]
    assert (body["line"], body["column"], body["mark"]) == (2, 6, [6, 10])


def test_an_empty_query_is_named_so(client):
    body = client.post("/sparql/check", data={"query": ""}).json()
    assert body["problem"] == "empty_query" and "leer" in body["message_de"]


def test_sparql_gives_the_same_sentence_as_a_400(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMT 5"})
    body = response.json()
    assert response.status_code == 400 and body["error"] == "malformed_query"
    assert (
        body["message"] == "malformed query: `LIMT` is not a SPARQL keyword. Did you mean `LIMIT`?"
    )
    assert (body["line"], body["mark"]) == (1, [29, 33])
