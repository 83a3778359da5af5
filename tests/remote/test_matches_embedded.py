"""The app on a remote Oxigraph server answers like the app on its embedded store: every curated
route (no parameter, all examples, each example alone), the pages, and a query mix on /sparql
(the example queries plus CONSTRUCT, DESCRIBE, ASK, FROM and GRAPH forms)."""

from __future__ import annotations

import difflib
import json
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest

from api.curated.registry import load_queries
from kskg.settings import PROJECT_ROOT

QUERIES = load_queries(PROJECT_ROOT / "queries")
EXAMPLES = sorted((PROJECT_ROOT / "queries" / "examples").glob("*.rq"))
KSK = "PREFIX ksk: <https://w3id.org/kinderschutz-kg/ontology#>\n"
MIX = {
    "construct": KSK + "CONSTRUCT { ?k ksk:cluster ?c } WHERE { ?k ksk:cluster ?c }",
    "describe": "DESCRIBE <https://w3id.org/kinderschutz-kg/id/kommune/stadtgemeinde-bremen>",
    "ask": KSK + "ASK { ?k a ksk:Kommune }",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "merge": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "from": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/kinderschutz-kg/graph/ontology> "
    "WHERE { ?s ?p ?o }",
    "from-named": "SELECT ?g (COUNT(*) AS ?n) FROM NAMED <https://w3id.org/kinderschutz-kg/graph/"
    "sektoren> WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
}
MIX |= {path.stem: path.read_text("utf-8") for path in EXAMPLES}
PAGES = [
    "/",
    "/dashboard",
    "/dataset",
    "/.well-known/void",
    "/ontology",
    "/id/kommune/stadtgemeinde-bremen",
    "/id/cluster/2",
    "/id/kommune/gibt-es-nicht",
]


def _curated_cases():
    for name, query in sorted(QUERIES.items()):
        examples = {p.name: str(p.example) for p in query.params if p.example}
        if not any(p.required for p in query.params):
            yield pytest.param(name, {}, id=f"{name}-none")
        if examples:
            yield pytest.param(name, examples, id=f"{name}-all")
        for key, value in examples.items() if len(examples) > 1 else ():
            yield pytest.param(name, {key: value}, id=f"{name}-{key}")


@pytest.mark.parametrize(("name", "params"), list(_curated_cases()))
def test_curated_route_answers_like_embedded(real, remote, name, params):
    path = f"/api/{name}?{urlencode(params)}"
    embedded, remote_answer = real.get(path), remote.get(path)
    assert remote_answer.status_code == embedded.status_code, remote_answer.text
    assert remote_answer.json() == embedded.json(), _diff(remote_answer.json(), embedded.json())


def _diff(remote_answer, embedded) -> str:
    lines = [
        json.dumps(x, indent=1, sort_keys=True).splitlines() for x in (embedded, remote_answer)
    ]
    return "\n".join(difflib.unified_diff(*lines, "embedded", "remote", lineterm="", n=1))


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_like_embedded(real, remote, path):
    embedded, remote_answer = real.get(path), remote.get(path)
    assert remote_answer.status_code == embedded.status_code
    # Each server names its own host:port in absolute links (api/http/urls.py).
    assert _here(remote_answer.text, remote) == _here(embedded.text, real)


def _here(text: str, client: httpx.Client) -> str:
    return text.replace(str(client.base_url).rstrip("/"), "http://server")


def _answer(response) -> object:
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/n-triples":
        return sorted(str(t) for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    body = response.json()
    if "boolean" in body:
        return body["boolean"]
    rows = [sorted(b.items()) for b in body["results"]["bindings"]]
    return body["head"]["vars"], sorted(map(str, rows))


@pytest.mark.parametrize("name", sorted(MIX))
def test_query_answers_like_embedded(real, remote, name):
    assert_answers_alike(real, remote, MIX[name])


def assert_answers_alike(real, other, query: str) -> None:
    """`other` answers `query` on /sparql with the embedded store's solutions or triples."""
    headers = {"Accept": "application/sparql-results+json, application/n-triples;q=0.9"}
    embedded = real.post("/sparql", data={"query": query}, headers=headers)
    answer = other.post("/sparql", data={"query": query}, headers=headers)
    assert embedded.status_code == 200, embedded.text
    assert answer.status_code == 200, answer.text
    assert _answer(answer) == _answer(embedded)


def test_health_names_the_remote_store(remote):
    assert remote.get("/health").json()["store"] == "remote"
