"""The optional Virtuoso job: the app against Debian's Virtuoso 7.2 (`virtuoso-opensource-7`)
holding the real release, compared with the embedded store as test_matches_embedded.py
compares the Oxigraph server: every curated route, the query mix, the deadline and truncation.

Runs only with KSKG_VIRTUOSO=1 (`make test-virtuoso` installs the package and sets it), so
`make test` stays fast and needs nothing but PyPI. The answers Virtuoso is known to get wrong
are listed in KNOWN_BUGS as strict expected failures: one that starts to pass fails the run
until it is taken off the list, so the list shrinks when the package is fixed. The terminal
summary prints the list with what happened to each case (tests/remote/conftest.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from kskg.release import current_release
from tests.remote.test_matches_embedded import MIX, _curated_cases, _diff, assert_answers_alike
from tests.support import virtuoso
from tests.support.live_server import LiveServer

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("KSKG_VIRTUOSO") != "1",
        reason="the optional Virtuoso job: `make test-virtuoso` (docs/deploy.md)",
    ),
    pytest.mark.virtuoso,
]

ENGINE_TIMEOUT_S = 2.0
QUERY_TIMEOUT_S = 3.0

_SELID = "SP031 'ssg_print_retval(): selid is used outside its scope' (compiler internal error)"
_UNTERPUNKT = "OPTIONAL after ksk:unterpunkt* loses every row: no themes"
_ORDER = "same rows, another order (ORDER BY over labels)"
_GROUP = "SP031: an aggregate's alias in ORDER BY is refused ('not mentioned in GROUP BY')"
#: test id -> what Virtuoso 7.2.5 (Debian 7.2.5.1+dfsg1-0.3) answers wrongly there, measured
#: 2026-12-03 (docs/deploy.md).
KNOWN_BUGS: dict[str, str] = {
    "kommune-all": _UNTERPUNKT,
    "kommune_themen-all": _UNTERPUNKT,
    "massnahmen-all": _SELID,
    "massnahmen-status": _SELID,
    "massnahmen-ebene": _SELID,
    "massnahmen-themenfeld": _SELID,
    "organisationen-none": _ORDER,
    "organisationen-kommune": _ORDER,
    "suche-all": _ORDER,
    "statistik-none": "14 extra 'klasse' rows (a FILTER lost in a UNION branch)",
    "themenfelder_cluster-none": _GROUP,
    "themenfelder_cluster-all": _GROUP,
    "ask": "ASK as SPARQL JSON is a SELECT of ?__ASK_RETVAL, not a boolean",
    "describe": "DESCRIBE gives another description (its form is the engine's, SPARQL 1.1 §16.4)",
}


def _known(cases) -> Iterator:
    for case in cases:
        reason = KNOWN_BUGS.get(case.id)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(*case.values, id=case.id, marks=marks)


@pytest.fixture(scope="module")
def virtuoso_server(real_settings, tmp_path_factory) -> Iterator[LiveServer]:
    if not virtuoso.installed():
        pytest.fail("virtuoso-t and isql-vt are not installed: run `make test-virtuoso`")
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso.Virtuoso(folder, ENGINE_TIMEOUT_S) as engine:
        engine.load(current_release(real_settings.build_dir))
        settings = real_settings.model_copy(
            update={
                "store_url": engine.query_url,
                "store_kind": "virtuoso",
                "store_engine_timeout_s": ENGINE_TIMEOUT_S,
                "query_timeout_s": QUERY_TIMEOUT_S,
                "max_result_rows": 1000,
            }
        )
        with LiveServer.serving(settings) as server:
            yield server


@pytest.fixture()
def on_virtuoso(virtuoso_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=virtuoso_server.url, timeout=30) as client:
        yield client


@pytest.mark.parametrize(("name", "params"), list(_known(_curated_cases())))
def test_curated_route_answers_like_embedded(real, on_virtuoso, name, params):
    path = f"/api/{name}?{urlencode(params)}"
    embedded, answer = real.get(path), on_virtuoso.get(path)
    assert answer.status_code == embedded.status_code, answer.text
    assert answer.json() == embedded.json(), _diff(answer.json(), embedded.json())


@pytest.mark.parametrize("name", list(_known(pytest.param(name, id=name) for name in sorted(MIX))))
def test_query_answers_like_embedded(real, on_virtuoso, name):
    assert_answers_alike(real, on_virtuoso, MIX[name])


def test_the_deadline_is_a_503_never_partial_rows(on_virtuoso):
    """Virtuoso answers its own timeout with 200 and the rows found so far (X-SQL-State)."""
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    response = on_virtuoso.post("/sparql", data={"query": cartesian})
    assert response.status_code == 503, response.text
    assert response.json()["error"] in {"query_timeout", "engine_answer_broken"}
    assert time.monotonic() - started < QUERY_TIMEOUT_S + 1.5


def test_a_long_result_is_cut_and_marked(on_virtuoso):
    query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    headers = {"Accept": "application/sparql-results+json"}
    response = on_virtuoso.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["X-Result-Truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 1000
