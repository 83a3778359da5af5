"""Content negotiation over every route, over real HTTP: each route answers every `format=`
name and media type it offers (api/media.py) with that representation, whose body parses as
it; one short name means the same on every route; a name a route does not offer is a 406
listing what it does."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from api import media
from api.media import Representation

KOMMUNE = "/id/kommune/stadtgemeinde-bremen"
SELECT = "SELECT ?s WHERE { ?s a ?c } LIMIT 3"
CONSTRUCT = "CONSTRUCT WHERE { ?s a ?c } LIMIT 3"

#: route (path and query parameters) -> its offer
ROUTES = {
    ("/sparql", SELECT): media.SOLUTIONS,
    ("/sparql", CONSTRUCT): media.GRAPHS,
    ("/sparql", None): media.DESCRIPTION,
    (KOMMUNE, None): media.RESOURCE,
    ("/ontology", None): media.RESOURCE,
    ("/dataset", None): media.DATASET,
    ("/.well-known/void", None): media.VOID,
    ("/dumps/", None): media.INDEX,
    ("/dumps/dataset", None): media.DUMP_FILES,
    ("/api/kommunen", None): media.RECORDS,
}
CASES = [
    (path, query, rep, value)
    for (path, query), offer in ROUTES.items()
    for rep in offer
    for value in (*rep.names, rep.media_type)
    if offer.named(value) is rep
]


def fetch(http, path: str, query: str | None, **params):
    if query is not None:
        params["query"] = query
    return http.get(path, params=params, headers={"Accept-Encoding": "identity"})


def assert_parses(body: bytes, rep: Representation) -> None:
    if rep is media.CSV:  # pyoxigraph does not read CSV results (lossy), and curated CSV
        assert len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) > 1
    elif isinstance(rep.writer, ox.RdfFormat):
        assert list(ox.parse(body, format=rep.writer))
    elif isinstance(rep.writer, ox.QueryResultsFormat):
        assert list(ox.parse_query_results(body, format=rep.writer).variables)
    elif rep is media.HTML:
        assert body.lstrip().lower().startswith(b"<!doctype html>")
    elif rep is media.JSON:
        assert json.loads(body)


@pytest.mark.parametrize(
    ("path", "query", "rep", "value"),
    CASES,
    ids=[f"{path}{'?query' if query else ''}-{value}" for path, query, _, value in CASES],
)
def test_every_offered_format_value_is_answered_in_its_representation(
    http, path, query, rep, value
):
    response = fetch(http, path, query, format=value)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == rep.media_type
    assert_parses(response.content, rep)


@pytest.mark.parametrize(
    ("path", "query"), [(KOMMUNE, None), ("/sparql", CONSTRUCT), ("/dumps/dataset", None)]
)
def test_ntriples_means_the_same_on_sparql_resources_and_dumps(http, path, query):
    response = fetch(http, path, query, format="ntriples")
    assert response.headers["content-type"].split(";")[0] == "application/n-triples"
    graph = list(ox.parse(io.BytesIO(response.content), format=ox.RdfFormat.N_TRIPLES))
    assert graph


@pytest.mark.parametrize(("path", "query"), sorted(ROUTES, key=str))
def test_an_unoffered_format_is_406_listing_the_offer(http, path, query):
    response = fetch(http, path, query, format="yaml")
    assert response.status_code == 406
    body = response.json()
    assert body["error"] == "not_acceptable" and "format='yaml'" in body["message"]
    assert body["offered"] == list(ROUTES[(path, query)].by_type)


@pytest.mark.parametrize(("path", "query"), sorted(ROUTES, key=str))
def test_the_accept_header_picks_the_same_representations(http, path, query):
    for rep in ROUTES[(path, query)]:
        response = http.get(
            path,
            params={} if query is None else {"query": query},
            headers={"Accept": rep.media_type, "Accept-Encoding": "identity"},
        )
        if path == "/sparql" and rep is media.HTML:
            continue
        assert response.status_code == 200, (rep, response.text)
        assert response.headers["content-type"].split(";")[0] == rep.media_type


def test_the_negotiated_dump_is_the_file_and_says_which(http):
    named = http.get("/dumps/dataset.nt", headers={"Accept-Encoding": "identity"})
    negotiated = http.get(
        "/dumps/dataset", headers={"Accept": "application/n-triples", "Accept-Encoding": "identity"}
    )
    assert negotiated.content == named.content
    assert negotiated.headers["content-location"] == "dataset.nt"
    assert negotiated.headers["vary"] == "Accept, Accept-Encoding"
