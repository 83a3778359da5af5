"""The portable binding: a VALUES block of serialised RDF terms opening the top-level group."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from api.engine.values_binding import BindingError, bind_values, top_group_start, values_block

IRI = ox.NamedNode("https://example.org/a#b")


def _run(sparql: str) -> list[dict[str, str]]:
    store = ox.Store()
    store.add(ox.Quad(IRI, IRI, ox.Literal("x"), ox.DefaultGraph()))
    return [{v.value: str(row[v]) for v in row_vars} for row_vars, row in _rows(store, sparql)]


def _rows(store, sparql):
    solutions = store.query(sparql)
    variables = solutions.variables
    return [(variables, row) for row in solutions]


def test_nothing_bound_leaves_the_text_alone():
    assert bind_values("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"


def test_block_lists_variables_in_name_order():
    block = values_block({"_b": ox.Literal("1"), "_a": IRI})
    assert block == 'VALUES (?_a ?_b) { (<https://example.org/a#b> "1") }'


def test_literals_are_escaped_by_the_rdf_library():
    hostile = ox.Literal('x" } } DELETE WHERE { ?s ?p ?o } # \n\\')
    sparql = bind_values("SELECT ?_q WHERE { }", {"_q": hostile})
    assert _run(sparql) == [{"_q": str(hostile)}]


def test_language_and_datatype_survive():
    tagged = ox.Literal("Kreis", language="de")
    number = ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    sparql = bind_values("SELECT ?_l ?_n WHERE { }", {"_l": tagged, "_n": number})
    assert _run(sparql) == [{"_l": str(tagged), "_n": str(number)}]


@pytest.mark.parametrize(
    "sparql",
    [
        'PREFIX a: <http://x/#> SELECT * WHERE { ?s ?p "{#}" } # {',
        "SELECT * { ?s ?p ?o { ?o ?p ?s } }",
        "CONSTRUCT { ?s ?p '}' } WHERE { ?s ?p ?o }",
        'ASK WHERE { ?s ?p """ { \\""" } """ }',
        "PREFIX where: <http://x/> SELECT * WHERE { ?s where:p ?o }",
    ],
)
def test_block_opens_the_top_level_group(sparql):
    start = top_group_start(sparql)
    assert sparql[start - 1] == "{"
    assert sparql[: start - 1].rstrip().upper().endswith(("WHERE", "*"))
    ox.Store().query(bind_values(sparql, {"_x": IRI}))


def test_filter_sees_the_bound_term_and_unbound_means_no_filter():
    sparql = "SELECT ?o WHERE { ?s ?p ?o FILTER(!BOUND(?_o) || ?o = ?_o) }"
    assert _run(bind_values(sparql, {"_o": ox.Literal("y")})) == []
    assert _run(bind_values(sparql, {"_o": ox.Literal("x")})) == [{"o": '"x"'}]
    assert _run(bind_values(sparql, {})) == [{"o": '"x"'}]


@pytest.mark.parametrize(
    ("bound", "message"),
    [
        ({"_a": ox.BlankNode()}, "only IRIs and literals"),
        ({"_a b": IRI}, "not a SPARQL variable name"),
        ({"_a": "text"}, "only IRIs and literals"),
    ],
)
def test_unbindable_terms_are_refused(bound, message):
    with pytest.raises(BindingError, match=message):
        bind_values("SELECT * { }", bound)


def test_a_query_without_a_group_is_refused():
    with pytest.raises(BindingError, match="no top-level group"):
        bind_values("SELECT * WHERE", {"_a": IRI})
