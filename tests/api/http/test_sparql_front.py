"""api/http/sparql_front.py against the real server: a query request answered before the
middleware stack gets what the stack would have answered (headers included), and every request
the front must not answer still meets the stack (version=V, body limit, the editor)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from api.http.served import VERSION_HEADER
from kskg.release import current_release
from tests.support.live_server import LiveServer

SPARQL_JSON = "application/sparql-results+json"
QUERY = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3"
#: Headers every answer must carry, however it was answered (the date aside).
SHARED = (
    "content-type",
    "content-length",
    "vary",
    "access-control-allow-origin",
    "access-control-expose-headers",
    VERSION_HEADER.lower(),
)


def chunked(body: bytes) -> Iterator[bytes]:
    """A body httpx sends chunked: the front hands such a request on to the stack."""
    yield body


def test_an_answer_from_the_front_is_the_answer_of_the_stack(client: httpx.Client):
    headers = {"Content-Type": "application/sparql-query", "Accept": SPARQL_JSON}
    front = client.post("/sparql", content=QUERY.encode(), headers=headers)
    stack = client.post("/sparql", content=chunked(QUERY.encode()), headers=headers)
    assert front.status_code == stack.status_code == 200
    assert front.content == stack.content
    for name in SHARED:
        assert front.headers.get(name) == stack.headers.get(name), name
    assert [n for n, _ in front.headers.raw] == [n for n, _ in stack.headers.raw]


def test_a_refusal_from_the_front_has_the_headers_of_every_answer(client: httpx.Client, settings):
    refused = client.get("/sparql", params={"query": "SELECT * WHERE {"})
    assert refused.status_code == 400
    assert refused.json()["error"] == "malformed_query"
    assert refused.headers["vary"] == "Accept"
    assert refused.headers["access-control-allow-origin"] == "*"
    assert refused.headers[VERSION_HEADER] == current_release(settings.build_dir).version


@pytest.mark.parametrize("where", ["url", "form"])
def test_a_request_naming_a_version_is_left_to_the_stack(client: httpx.Client, where):
    params = {"query": QUERY, "version": "ffffffffffffffff"}
    if where == "url":
        answer = client.get("/sparql", params=params)
    else:
        answer = client.post("/sparql", data=params)
    assert answer.status_code == 404
    assert answer.json()["error"] == "unknown_version"


def test_a_body_over_the_limit_is_refused(client: httpx.Client, settings):
    body = b"query=" + b"x" * settings.max_body_bytes
    refused = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert refused.status_code == 413
    assert refused.json()["error"] == "body_too_large"


def test_a_browser_still_gets_the_editor(client: httpx.Client):
    page = client.get("/sparql", params={"query": QUERY}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


def test_relative_iris_resolve_against_the_public_endpoint(sample_settings):
    """The base IRI of a query is the endpoint's public address, as the route gives it."""
    query = 'SELECT (IRI("x") AS ?x) WHERE {}'
    with (
        LiveServer.serving(sample_settings) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        answer = http.get("/sparql", params={"query": query}, headers={"Accept": SPARQL_JSON})
    assert answer.status_code == 200, answer.text
    value = answer.json()["results"]["bindings"][0]["x"]["value"]
    assert value == sample_settings.public_base + "x"
