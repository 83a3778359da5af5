"""Every curated query answers the same whether its parameters are bound by a VALUES block (the
portable binding every store uses) or pre-bound with pyoxigraph `substitutions`.

Run on the release built from the real data/, with no parameter, all examples, and each example
alone. pyoxigraph's substitutions make `BOUND(?_p)` false (pinned below), so the substitution
run resolves the optional-filter guard `!BOUND(?_p) ||` of a bound parameter to `false ||`,
which is what `BOUND` means for a bound variable; everything else in the text is unchanged.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from api.curated.params import to_term
from api.curated.registry import load_queries
from api.engine.oxigraph_store import load_nquads
from api.engine.values_binding import bind_values
from kskg.release import current_release
from kskg.settings import PROJECT_ROOT

QUERIES = load_queries(PROJECT_ROOT / "queries")


def _cases():
    for name, query in sorted(QUERIES.items()):
        examples = {p.variable: to_term(p, str(p.example)) for p in query.params if p.example}
        if not any(p.required for p in query.params):
            yield pytest.param(name, {}, id=f"{name}-none")
        if examples:
            yield pytest.param(name, examples, id=f"{name}-all")
        for variable, term in examples.items() if len(examples) > 1 else ():
            yield pytest.param(name, {variable: term}, id=f"{name}-{variable[1:]}")


@pytest.fixture(scope="module")
def store(real_settings) -> ox.Store:
    return load_nquads(current_release(real_settings.build_dir).dump_path("nq"))


def _answer(solutions: ox.QuerySolutions) -> tuple[list[str], list[tuple]]:
    names = [v.value for v in solutions.variables]
    return names, sorted(tuple(str(t) for t in row) for row in solutions)


def _resolve_guards(sparql: str, bound: dict) -> str:
    for variable in bound:
        sparql = re.sub(rf"!BOUND\(\?{variable}\)", "false", sparql)
    return sparql


@pytest.mark.parametrize(("name", "bound"), list(_cases()))
def test_values_binding_answers_like_substitutions(store, name, bound):
    query = QUERIES[name]
    by_values = _answer(store.query(bind_values(query.sparql, bound)))
    substitutions = {ox.Variable(k): v for k, v in bound.items()}
    pre_bound = _answer(
        store.query(_resolve_guards(query.sparql, bound), substitutions=substitutions)
    )
    assert by_values == pre_bound, f"queries/{name}.rq answers differently bound by VALUES"


def test_the_cases_filter_something(store):
    """The comparison is not vacuous: bound optional filters do narrow the answers."""
    query = QUERIES["kommunen"]
    cluster = {"_cluster": to_term(query.param("cluster"), "2")}
    every = list(store.query(bind_values(query.sparql, {})))
    some = list(store.query(bind_values(query.sparql, cluster)))
    assert 0 < len(some) < len(every)


def test_substitutions_make_bound_false():
    """Why the embedded store binds with VALUES too: under pyoxigraph substitutions a bound
    parameter is not BOUND, so `!BOUND(?_p) || …` would let every row pass. When this starts
    failing, pyoxigraph changed and substitutions could serve the same query text again."""
    store = ox.Store()
    sparql = "SELECT ?_p (BOUND(?_p) AS ?bound) WHERE {}"
    (row,) = store.query(sparql, substitutions={ox.Variable("_p"): ox.Literal("x")})
    assert row["bound"] == ox.Literal("false", datatype=ox.NamedNode(_XSD_BOOLEAN))
    (row,) = store.query(bind_values(sparql, {"_p": ox.Literal("x")}))
    assert row["bound"] == ox.Literal("true", datatype=ox.NamedNode(_XSD_BOOLEAN))


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
