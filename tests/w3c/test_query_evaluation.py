"""W3C query-evaluation tests (SPARQL 1.0 manifest-evaluation and SPARQL 1.1
manifest-sparql11-query) run through the HTTP endpoint: each answer must equal what pyoxigraph
gives in-process for the same query over the same dataset (not the W3C answer files, from which
pyoxigraph itself may differ).

Result sets are compared as multisets of solutions (as lists when the query has ORDER BY), graphs
as graphs, both with blank nodes matched by isomorphism (canonicalised pyoxigraph datasets).
Results travel in a rotating format (JSON, XML, TSV; N-Triples, Turtle, JSON-LD) so every
writer of the endpoint is exercised. Tests whose data or query pyoxigraph cannot parse are listed
in exclusions.txt with the reason; a test checks each one still fails that way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.engine import query_reading
from api.engine.oxigraph_store import OxigraphStore
from api.engine.query_guard import NOT_CODE
from tests.w3c.conftest import DATA
from tests.w3c.manifests import BASE, QUERY_MANIFESTS, EvaluationTest, evaluation_tests

TESTS = [test for manifest in QUERY_MANIFESTS for test in evaluation_tests(DATA, manifest)]
EXCLUSIONS_FILE = Path(__file__).parent / "exclusions.txt"
SOLUTION_FORMATS = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
]
GRAPH_FORMATS = [
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
]
ORDERED = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
ROW = ox.NamedNode("urn:w3c-runner:row")
INDEX = ox.NamedNode("urn:w3c-runner:index")


def exclusions() -> dict[str, str]:
    """test id -> reason, from exclusions.txt (`<id>  <reason>`; `#` starts a comment)."""
    listed = {}
    for line in EXCLUSIONS_FILE.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            test_id, reason = line.split(maxsplit=1)
            listed[test_id] = reason
    return listed


EXCLUDED = exclusions()
RUN = [test for test in TESTS if test.id not in EXCLUDED]


def build_store(test: EvaluationTest) -> OxigraphStore:
    """A store whose default graph holds the test's qt:data files and whose named graphs are its
    qt:graphData (and FROM) files; relative IRIs resolve against each file's own file: URI."""
    store = ox.Store()
    graphs = [(ox.DefaultGraph(), DATA / p) for p in test.data]
    graphs += [
        (ox.NamedNode(BASE + p), DATA / p) for p in (*test.graph_data, *test.from_graphs(DATA))
    ]
    for graph, path in graphs:
        store.load(
            path=str(path),
            format=rdf_format(path),
            base_iri=path.resolve().as_uri(),
            to_graph=graph,
        )
    return OxigraphStore.from_store(store, "w3c-" + test.id.replace("/", "-"))


def rdf_format(path: Path) -> ox.RdfFormat:
    found = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    if found is None:
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r}")
    return found


def code_only(query: str) -> str:
    """`query` with strings and IRIs as `<>` and comments as a space, so that a keyword inside
    them is never taken for one."""
    return NOT_CODE.sub(lambda m: " " if m.group(0).startswith("#") else "<>", query)


def canonical_solutions(variables: list[ox.Variable], rows, ordered: bool) -> tuple:
    quads = []
    for index, row in enumerate(rows):
        node = ox.BlankNode()
        quads.append(ox.Quad(node, ROW, ROW))
        if ordered:
            quads.append(ox.Quad(node, INDEX, ox.Literal(str(index))))
        for variable in variables:
            if row[variable] is not None:
                predicate = ox.NamedNode("urn:w3c-runner:var:" + variable.value)
                quads.append(ox.Quad(node, predicate, row[variable]))
    return ("solutions", [v.value for v in variables], canonical(quads))


def canonical(quads) -> frozenset[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return frozenset(str(quad) for quad in dataset)


def answer(result, ordered: bool) -> tuple:
    if isinstance(result, ox.QueryBoolean):
        return ("boolean", bool(result))
    if isinstance(result, ox.QueryTriples):
        return ("graph", canonical(ox.Quad(*t, ox.DefaultGraph()) for t in result))
    return canonical_solutions(result.variables, list(result), ordered)


def in_process(store: OxigraphStore, query: str, ordered: bool) -> tuple:
    return answer(store.query(query), ordered)


def over_http(client, query: str, ordered: bool, turn: int) -> tuple:
    solutions, graphs = SOLUTION_FORMATS[turn % 3], GRAPH_FORMATS[turn % 3]
    accept = f"{solutions[0]}, {graphs[0]};q=0.9"
    response = client.post("/sparql", data={"query": query}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == graphs[0]:
        triples = ox.parse(response.content, format=graphs[1])
        return ("graph", canonical(ox.Quad(t.subject, t.predicate, t.object) for t in triples))
    assert media_type == solutions[0]
    return answer(ox.parse_query_results(response.content, format=solutions[1]), ordered)


def test_collection():
    assert len(TESTS) == 508 and len({t.id for t in TESTS}) == len(TESTS)
    assert set(EXCLUDED) <= {t.id for t in TESTS}


@pytest.mark.parametrize("test", RUN, ids=lambda t: t.id)
def test_http_equals_in_process(test: EvaluationTest, w3c_server, w3c_client):
    store = build_store(test)
    query = test.query_text(DATA)
    w3c_server.serve(store)
    absent = absent_from_graphs(store, query)
    # The endpoint refuses FROM / FROM NAMED graphs its dataset lacks (nothing is fetched), so
    # every graph a query names must be in the copy, loaded as the harness would.
    assert not absent, f"{absent} missing: rerun tests/w3c/copy_w3c_data.py"
    ordered = bool(ORDERED.search(code_only(query)))
    expected = in_process(store, query, ordered)
    assert over_http(w3c_client, query, ordered, RUN.index(test)) == expected


def absent_from_graphs(store: OxigraphStore, query: str) -> list[str]:
    """FROM / FROM NAMED graphs of `query` that `store` does not hold."""
    named = set(store.named_graphs())
    return [iri for iri in query_reading.read(query, None).dataset_iris if iri not in named]


@pytest.mark.parametrize("test", [t for t in TESTS if t.id in EXCLUDED], ids=lambda t: t.id)
def test_exclusion_still_applies(test: EvaluationTest):
    """Each listed exclusion is a parse failure of pyoxigraph; when that is fixed, this fails
    and the test must move back into the run."""
    with pytest.raises((SyntaxError, ValueError, OSError)):
        build_store(test).query(test.query_text(DATA))
