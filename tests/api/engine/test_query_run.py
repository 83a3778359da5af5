"""Query jobs to outcomes on a real pyoxigraph store, in-process and without HTTP
(api/engine/query_run.py): the answer of each query form and purpose, the dataset of a job, cut
answers, the guard's refusals and malformed queries."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from api.engine.oxigraph_store import OxigraphStore
from api.engine.query_job import Purpose, QueryJob, ResultLimits, own_query
from api.engine.query_run import run_job
from api.errors import ApiError

G1, G2 = "urn:x:g1", "urn:x:g2"
P = ox.NamedNode("urn:x:p")
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """Five subjects in g1, two in g2; the default graph is their merge, as a release's."""
    data = ox.Store()
    for index in range(5):
        quad = (ox.NamedNode(f"urn:x:s{index}"), P, ox.Literal(str(index)))
        data.add(ox.Quad(*quad, ox.NamedNode(G1 if index < 3 else G2)))
        data.add(ox.Quad(*quad, ox.DefaultGraph()))
    return data


def run(store: ox.Store, query: str, **options):
    return run_job(store, [G1, G2], QueryJob(query, **options))


def refusal(store: ox.Store, query: str, **options) -> ApiError:
    with pytest.raises(ApiError) as refused:
        run(store, query, **options)
    return refused.value


def bindings(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_select_answers_the_negotiated_format(store):
    outcome = run(store, "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", accept=JSON)
    assert outcome.content_type.startswith(JSON)
    assert [row["s"]["value"] for row in bindings(outcome.body)] == [
        f"urn:x:s{i}" for i in range(5)
    ]
    assert outcome.cut is None


def test_ask_answers_a_boolean(store):
    outcome = run(store, "ASK { <urn:x:s4> ?p ?o }", accept=JSON)
    assert json.loads(outcome.body)["boolean"] is True


def test_construct_answers_a_graph(store):
    outcome = run(store, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    triples = list(ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES))
    assert outcome.content_type.startswith("application/n-triples") and len(triples) == 5


def test_a_records_job_answers_sparql_json_whatever_is_accepted(store):
    outcome = run(store, "SELECT ?s WHERE { ?s ?p ?o }", accept="text/csv", purpose=Purpose.RECORDS)
    assert outcome.content_type == JSON and len(bindings(outcome.body)) == 5


def test_substitutions_and_the_dataset_of_a_job_are_applied(store):
    query = "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
    only_g2 = run(store, query, accept=JSON, named_graphs=(G2,))
    assert {row["g"]["value"] for row in bindings(only_g2.body)} == {G2}
    bound = run(
        store,
        "SELECT ?s ?o WHERE { ?s ?p ?o }",
        accept=JSON,
        substitutions=(("s", ox.NamedNode("urn:x:s1")),),
        default_graph=(G1,),
    )
    assert [row["o"]["value"] for row in bindings(bound.body)] == ["1"]


def test_a_result_over_the_row_limit_is_cut_with_a_note(store):
    outcome = run(store, "SELECT ?s WHERE { ?s ?p ?o }", accept=JSON, limits=ResultLimits(rows=2))
    assert len(bindings(outcome.body)) == 2
    assert (outcome.cut.limit, outcome.cut.maximum, outcome.cut.returned) == ("rows", 2, 2)


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        (
            "SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }",
            400,
            "unsupported_feature",
        ),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "read_only"),
        ("SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }", 400, "unknown_graph"),
    ],
)
def test_the_guard_refuses_what_must_not_run(store, query, status, code):
    refused = refusal(store, query, accept=JSON)
    assert (refused.status, refused.code) == (status, code)


def test_an_unguarded_job_names_any_graph(store):
    query = "SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }"
    assert bindings(run(store, query, accept=JSON, guard=False).body) == []


def test_a_malformed_query_is_a_400_with_line_and_column(store):
    refused = refusal(store, "SELECT ?s WHERE {\n  ?s ?p }", accept=JSON)
    assert (refused.status, refused.code) == (400, "malformed_query")
    assert refused.details["line"] == 2


def test_an_unacceptable_format_is_a_406_listing_the_offered_ones(store):
    refused = refusal(store, "SELECT ?s WHERE { ?s ?p ?o }", accept="image/png")
    assert (refused.status, refused.code) == (406, "not_acceptable")
    assert JSON in refused.details["offered"]


def test_the_in_process_store_evaluates_own_queries_with_their_dataset(store):
    local = OxigraphStore.from_store(store, "v")
    rows = local.query("SELECT ?s WHERE { ?s ?p ?o }", default_graph=[G2])
    assert sorted(row["s"].value for row in rows) == ["urn:x:s3", "urn:x:s4"]
    job = own_query("SELECT ?s WHERE { ?s ?p ?o }", default_graph=[G2])
    assert (job.purpose, job.guard, job.default_graph) == (Purpose.ROWS, False, (G2,))
