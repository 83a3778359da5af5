"""Solutions read as TSV lines and written back give the bytes pyoxigraph's own writers give for
the result, in every results format, and reading stops at the limit
(api/engine/solutions_tsv.py)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.solutions_tsv import read_solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
P = ox.NamedNode("urn:x:p")
FORMATS = [
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
]
QUERY = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x:none> ?none } }"

# Tabs, newlines and carriage returns are the characters TSV must escape to keep one line each.
texts = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from('\t\n\r\\"')),
    max_size=20,
)
iris = st.sampled_from(["urn:x:a", "http://example.org/ä?b=c#d", "urn:x:q%22"]).map(ox.NamedNode)
literals = st.one_of(
    texts.map(ox.Literal),
    st.tuples(texts, st.sampled_from(["de", "en-GB"])).map(
        lambda t: ox.Literal(t[0], language=t[1])
    ),
    st.tuples(st.integers(), st.just(XSD + "integer")).map(
        lambda t: ox.Literal(str(t[0]), datatype=ox.NamedNode(t[1]))
    ),
    texts.map(lambda t: ox.Literal(t, datatype=ox.NamedNode(XSD + "string"))),
)
objects = st.one_of(
    iris,
    literals,
    st.sampled_from(["b1", "x2"]).map(ox.BlankNode),
    iris.map(lambda o: ox.Triple(ox.NamedNode("urn:x:a"), P, o)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(iris, st.just(ox.BlankNode("s1"))), objects), max_size=6))
def test_the_same_bytes_as_pyoxigraph(pairs):
    store = ox.Store()
    for subject, obj in pairs:
        store.add(ox.Quad(subject, P, obj))
    for writer in FORMATS:
        solutions = read_solutions(store.query(QUERY), None)
        expected = store.query(QUERY).serialize(format=writer)
        assert solutions.write(solutions.rows, writer) == expected


@pytest.mark.parametrize(
    "query, rows",
    [
        ("SELECT * WHERE {}", 1),  # one solution without variables: an empty line
        ("SELECT * WHERE { FILTER(false) }", 0),
        ("SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) (UNDEF UNDEF) } }", 2),
        ("SELECT ?t WHERE { BIND(STRLANGDIR('x', 'ar', 'rtl') AS ?t) }", 1),
    ],
)
def test_edge_results_keep_their_solutions(query, rows):
    store = ox.Store()
    solutions = read_solutions(store.query(query), None)
    assert len(solutions.rows) == rows
    for writer in FORMATS:
        assert solutions.write(solutions.rows, writer) == store.query(query).serialize(
            format=writer
        )


def many(count: int) -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:x:s{i}"), P, ox.Literal("x" * (i % 50))) for i in range(count)
    )
    return store


@pytest.mark.parametrize("most", [0, 1, 999, 1000, 1001, 2500])
def test_reading_keeps_the_first_solutions_up_to_the_limit(most):
    store = many(20_000)
    query = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    every = read_solutions(store.query(query), None).rows
    kept = read_solutions(store.query(query), most)
    assert kept.rows == every[:most]
    assert all(row.count(b"\t") == 1 for row in kept.rows)  # whole lines only


def test_reading_stops_once_the_limit_is_passed():
    store = many(200_000)
    result = store.query("SELECT ?s ?o WHERE { ?s ?p ?o }")
    read_solutions(result, 10)
    # The writer was stopped: what it had not read is still in the result.
    assert next(result, None) is not None


def test_an_evaluation_error_comes_through():
    store = ox.Store()
    with pytest.raises(OSError):
        result = store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
        read_solutions(result, 5)
