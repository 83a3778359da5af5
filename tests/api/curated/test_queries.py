"""Every curated query file is documented, declares exactly the parameters it uses, and runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from api.curated.params import to_term
from api.curated.registry import QueryFileError, load_queries, parse_query_file
from api.engine.oxigraph_store import load_nquads
from api.engine.values_binding import bind_values
from kskg.release import current_release
from kskg.settings import PROJECT_ROOT

QUERIES = load_queries(PROJECT_ROOT / "queries")
NAMES = sorted(QUERIES)
REQUIRED = {"kommunen", "kommune", "cluster", "bundeslaender", "themenfelder", "massnahmen"}
REQUIRED |= {"organisationen", "netzwerk", "statistik", "suche", "qualitaet"}


def test_the_required_queries_exist():
    assert set(QUERIES) >= REQUIRED


@pytest.mark.parametrize("name", NAMES)
def test_has_summary_and_fields(name):
    query = QUERIES[name]
    assert query.summary, f"queries/{name}.rq: add `#+ summary:`"
    assert query.fields, f"queries/{name}.rq: declare the output `fields`"


@pytest.mark.parametrize("name", NAMES)
def test_declared_parameters_are_used(name):
    query = QUERIES[name]
    unused = {p.name for p in query.params} - query.body_variables()
    assert not unused, f"queries/{name}.rq declares {unused} but the body has no ?_<name>"


@pytest.mark.parametrize("name", NAMES)
def test_parameter_variables_are_declared(name):
    query = QUERIES[name]
    undeclared = query.body_variables() - {p.name for p in query.params}
    assert not undeclared, f"queries/{name}.rq uses ?_{undeclared} without declaring it"


@pytest.mark.parametrize("name", NAMES)
def test_body_is_valid_sparql_for_rdflib(name):
    prepareQuery(QUERIES[name].sparql)


@pytest.fixture(scope="module")
def store(sample_settings):
    return load_nquads(current_release(sample_settings.build_dir).dump_path("nq"))


@pytest.mark.parametrize("name", NAMES)
def test_runs_with_and_without_examples(name, store):
    query = QUERIES[name]
    examples = {p.variable: to_term(p, str(p.example)) for p in query.params if p.example}
    for bound in ({} if any(p.required for p in query.params) else None, examples):
        if bound is None:
            continue
        solutions = store.query(bind_values(query.sparql, bound))
        variables = {v.value for v in solutions.variables}
        missing = {f.name for f in query.fields} - variables
        assert not missing, f"queries/{name}.rq: fields {missing} are not projected"
        list(solutions)


def test_header_without_summary_is_rejected(tmp_path: Path):
    path = tmp_path / "bad.rq"
    path.write_text("#+ tags: [x]\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryFileError, match="bad.rq:1: .*summary"):
        parse_query_file(path)


def test_bad_yaml_names_file_and_line(tmp_path: Path):
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: x\n#+ params: [unclosed\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(QueryFileError, match=r"bad.rq:\d+: header is not YAML"):
        parse_query_file(path)


def test_unknown_parameter_type_is_rejected(tmp_path: Path):
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: x\n#+ params: {a: {type: float}}\nSELECT ?_a WHERE {}\n")
    with pytest.raises(QueryFileError, match="type 'float'"):
        parse_query_file(path)


def test_docs_table_is_current():
    from api.curated.markdown import DOC, END, START, routes_table

    document = DOC.read_text("utf-8")
    current = document.partition(START)[2].partition(END)[0].strip()
    assert current == routes_table(QUERIES), "run: .venv/bin/python -m api.curated.markdown"
