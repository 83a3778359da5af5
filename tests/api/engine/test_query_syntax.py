"""Parser errors as readable sentences with the place to mark (api/engine/query_syntax.py),
from pyoxigraph's real SyntaxError; and the check without evaluation (query_check.py)."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from api.engine.query_check import MAX_VALUES_ROWS, Unchecked, check, values_rows
from api.engine.query_syntax import explain
from api.errors import ApiError
from kskg.namespaces import ID


def problem(query: str):
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(query)
    return explain(query, raised.value)


@pytest.mark.parametrize(
    ("query", "code", "words", "place"),
    [
        ("", "empty_query", "query is empty", (1, 1, 2)),
        ("  \n# nur ein Kommentar\n", "empty_query", "query is empty", (1, 1, 2)),
        ("SELECT * WHERE { ?s foo:bar ?o }", "unknown_prefix", "Did you mean `foaf:`", (1, 21, 25)),
        ("SELECT * WHERE { ?s ksj:x ?o }", "unknown_prefix", "`ksk:`", (1, 21, 25)),
        ("SELECT * {\n  ?s kskid:x ?o }", "undeclared_prefix", f"PREFIX kskid: <{ID}>", (2, 6, 12)),
        ("SELECT * WHERE { ?s ?p ?o } LIMT 5", "unknown_keyword", "`LIMIT`", (1, 29, 33)),
        ("SELEC * WHERE { ?s ?p ?o }", "unknown_keyword", "`SELECT`", (1, 1, 6)),
        ("SELECT * WHERE {\n  ?s ?p ?o ", "unclosed", "brace {", (1, 16, 17)),
        ('SELECT * WHERE { ?s ?p "abc }', "unclosed", "string", (1, 24, 25)),
        ("SELECT * WHERE { ?s <http://a b> ?o }", "bad_iri", "IRI", (1, 21, 33)),
    ],
)  # fmt: skip
def test_a_parser_error_reads_as_a_sentence_with_its_place(query, code, words, place):
    found = problem(query)
    assert found.code == code
    assert words in found.message
    assert (found.line, *found.mark) == place
    assert "expected one of" not in found.message and found.message_de


def test_other_errors_keep_the_parsers_position_and_mark_the_word_before():
    found = problem("SELECT *\nWHERE { ?s ?p }")
    assert (found.code, found.line, found.column, found.mark) == ("syntax_error", 2, 16, (15, 16))
    assert "line 2, column 16" in found.message and "Zeile 2, Spalte 16" in found.message_de


def test_check_parses_without_running():
    assert check("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s", [], 10_000, 64) is None
    assert check("SELECT * WHERE { ?s foo:x ?o }", [], 10_000, 64).code == "unknown_prefix"
    refused = check("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", [], 10_000, 64)
    assert isinstance(refused, ApiError) and refused.code == "unsupported_feature"


def test_check_does_not_evaluate_large_values_products():
    block = "VALUES ?%s { " + " ".join(str(i) for i in range(200)) + " }"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {block % 'a'} {block % 'b'} {block % 'c'} }}"
    assert values_rows(query) == 200**3 > MAX_VALUES_ROWS
    started = time.monotonic()
    with pytest.raises(Unchecked):
        check(query, [], 100_000, 64)
    assert time.monotonic() - started < 1  # evaluating would take seconds
