"""The direct SPARQL JSON writer gives the bytes pyoxigraph's own writer gives for the same
solutions (api/engine/solutions_json.py)."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.solutions_json import solutions_json

XSD = "http://www.w3.org/2001/XMLSchema#"
P = ox.NamedNode("urn:x:p")

texts = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20)
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
objects = st.one_of(iris, literals, st.sampled_from(["b1", "x2"]).map(ox.BlankNode))


def pyoxigraph_json(store: ox.Store) -> tuple[bytes, list, list]:
    query = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x:none> ?none } }"
    written = store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
    solutions = store.query(query)
    variables = [v.value for v in solutions.variables]
    return written, variables, [tuple(s) for s in solutions]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.one_of(iris, st.just(ox.BlankNode("s1"))), objects), max_size=6))
def test_the_same_bytes_as_pyoxigraph(pairs):
    store = ox.Store()
    for subject, obj in pairs:
        store.add(ox.Quad(subject, P, obj))
    expected, variables, rows = pyoxigraph_json(store)
    assert solutions_json(variables, rows) == expected


def test_a_triple_term_is_left_to_pyoxigraph():
    triple = ox.Triple(ox.NamedNode("urn:x:a"), P, ox.NamedNode("urn:x:b"))
    assert solutions_json(["t"], [(triple,)]) is None
