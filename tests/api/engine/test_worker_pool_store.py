"""The main (HTTP) process holds no copy of the data: the server's own fixed queries (pages,
descriptions, editor terms) run in a query worker as `Purpose.ROWS` jobs answering plain terms."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pyoxigraph as ox
import pytest

from api.app import create_app
from api.engine.messages import ReleaseDump
from api.engine.oxigraph_store import OxigraphStore
from api.engine.pool_store import WorkerPoolStore
from api.engine.query_job import Boolean, Purpose, QueryJob, Rows, Triples
from api.engine.query_run import run_job
from api.errors import ApiError
from api.release_watch import running_loop
from kskg.release import current_release
from kskg.settings import Settings
from tests.support.live_server import LiveServer

ID = "https://w3id.org/kinderschutz-kg/id/"
BREMEN = ID + "kommune/stadtgemeinde-bremen"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SELECT = f"SELECT ?s ?label ?none WHERE {{ ?s a ?type ; <{LABEL}> ?label }} ORDER BY ?s"
ASK = f"ASK {{ ?s <{LABEL}> ?label }}"
CONSTRUCT = f"CONSTRUCT {{ ?s <{LABEL}> ?label }} WHERE {{ ?s <{LABEL}> ?label }}"


@pytest.fixture(scope="module")
def served(settings: Settings) -> Iterator[tuple[LiveServer, object]]:
    app = create_app(Settings(build_dir=settings.build_dir, query_workers=1))
    server = LiveServer(app).start()
    try:
        yield server, app
    finally:
        server.stop()


@pytest.fixture(scope="module")
def local(settings: Settings) -> OxigraphStore:
    """The same release in-process: what the worker's answers must equal."""
    return OxigraphStore(current_release(settings.build_dir))


# --- the rows job, in-process ---------------------------------------------------------------


def rows_job(query: str, **options) -> QueryJob:
    return QueryJob(query, purpose=Purpose.ROWS, guard=False, **options)


def test_rows_job_answers_select_as_picklable_rows(local: OxigraphStore):
    answer = run_job(local._store, local.named_graphs(), rows_job(SELECT))
    answer = pickle.loads(pickle.dumps(answer))  # it crosses the worker pipe so
    assert isinstance(answer, Rows)
    assert [v.value for v in answer.variables] == ["s", "label", "none"]
    expected = list(local.query(SELECT))
    assert len(answer) == len(expected) > 0
    for row, solution in zip(answer, expected, strict=True):
        assert row["s"] == solution["s"] == row[ox.Variable("s")] == row[0]
        assert row["label"] == solution["label"]
        assert row["none"] is None
        assert list(row) == list(solution)


def test_rows_job_binds_substitutions(local: OxigraphStore):
    job = rows_job(
        f"SELECT * WHERE {{ ?_iri <{LABEL}> ?label }}",
        substitutions=(("_iri", ox.NamedNode(BREMEN)),),
    )
    (row,) = run_job(local._store, local.named_graphs(), job)
    assert row["_iri"] == ox.NamedNode(BREMEN)
    assert row["label"] == ox.Literal("Stadtgemeinde Bremen", language="de")


def test_rows_job_answers_ask_as_boolean(local: OxigraphStore):
    graphs = local.named_graphs()
    assert run_job(local._store, graphs, rows_job(ASK)) == Boolean(True)
    missing = rows_job("ASK { <urn:x:nothing> ?p ?o }")
    assert not pickle.loads(pickle.dumps(run_job(local._store, graphs, missing)))


def test_rows_job_answers_construct_as_triples(local: OxigraphStore):
    answer = pickle.loads(
        pickle.dumps(run_job(local._store, local.named_graphs(), rows_job(CONSTRUCT)))
    )
    assert isinstance(answer, Triples)
    assert set(answer) == set(local.query(CONSTRUCT))
    assert all(isinstance(t, ox.Triple) for t in answer)


def test_rows_job_for_a_malformed_query_is_a_400_refusal(local: OxigraphStore):
    with pytest.raises(ApiError) as refused:
        run_job(local._store, local.named_graphs(), rows_job("SELECT WHERE {"))
    assert (refused.value.status, refused.value.code) == (400, "malformed_query")


# --- the served app ----------------------------------------------------------------------------


def test_main_process_holds_no_store(served):
    _, app = served
    store = app.state.served.store
    assert isinstance(store, WorkerPoolStore)
    assert not any(isinstance(v, ox.Store | OxigraphStore) for v in vars(store).values())


def test_query_from_a_thread_runs_in_a_worker(served, local: OxigraphStore):
    _, app = served
    store = app.state.served.store
    answer = store.query(SELECT)
    assert [[*row] for row in answer] == [[*row] for row in local.query(SELECT)]
    assert bool(store.query(ASK))
    assert set(store.query(CONSTRUCT)) == set(local.query(CONSTRUCT))
    assert store.named_graphs() == local.named_graphs()


def test_query_on_the_event_loop_is_refused(served):
    _, app = served
    store = app.state.served.store

    async def on_the_loop():
        return store.query(ASK)

    future = asyncio.run_coroutine_threadsafe(on_the_loop(), app.state.loop)
    with pytest.raises(RuntimeError, match="event loop"):
        future.result(timeout=30)


def test_query_async_is_awaited_on_the_loop(served):
    _, app = served
    store = app.state.served.store
    future = asyncio.run_coroutine_threadsafe(store.query_async(ASK), app.state.loop)
    assert future.result(timeout=30) == Boolean(True)


def test_query_before_the_pool_runs_is_refused(settings: Settings):
    app = create_app(Settings(build_dir=settings.build_dir, query_workers=1))
    with pytest.raises(RuntimeError, match="not running"):
        app.state.served.store.query(ASK)
    assert not app.state.pool.workers, "creating the app starts no worker and loads no data"


@pytest.mark.parametrize(
    ("path", "accept", "media"),
    [
        ("/id/kommune/stadtgemeinde-bremen", "text/html", "text/html"),
        ("/id/kommune/stadtgemeinde-bremen", "text/turtle", "text/turtle"),
        ("/", "text/html", "text/html"),
        ("/sparql", "text/turtle", "text/turtle"),
        ("/sparql", "text/html", "text/html"),
        ("/ontology", "text/html", "text/html"),
        ("/dataset", "text/turtle", "text/turtle"),
        ("/.well-known/void", "text/turtle", "text/turtle"),
    ],
)
def test_pages_render_from_the_workers(served, path, accept, media):
    server, _ = served
    response = httpx.get(server.url + path, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith(media)


def test_service_description_counts_the_named_graphs(served, local: OxigraphStore):
    server, _ = served
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    for graph in local.named_graphs():
        assert f"<{graph}>" in response.text


# --- a fixed query that fails becomes the usual 503 --------------------------------------------


@pytest.fixture()
def broken(served) -> Iterator[LiveServer]:
    """The server answering from a data version whose worker data cannot be loaded: the worker
    that tries dies, so every fixed query is refused with a 503. Restored afterwards."""
    server, app = served
    good = app.state.served
    source = ReleaseDump(str(good.release.path / "missing" / "dataset.nq"))
    store = WorkerPoolStore("unloadable", app.state.pool, source, running_loop(app), graphs=[])
    app.state.served = replace(good, store=store)
    try:
        yield server
    finally:
        app.state.served = good


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/id/kommune/stadtgemeinde-bremen", "text/html"),
        ("/", "text/html"),
        ("/sparql", "text/turtle"),
        ("/ontology", "text/html"),
    ],
)
def test_a_failed_page_query_is_a_503_json(broken, path, accept):
    response = httpx.get(broken.url + path, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 503, response.text[:300]
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    # The worker dies (query_aborted), or first refuses the job its data is missing for.
    assert body["error"] in ("query_aborted", "data_unavailable")
    assert response.headers["retry-after"]


def test_pages_answer_again_once_the_data_is_loadable(served, broken):
    _, app = served
    unloadable = app.state.served
    refused = httpx.get(broken.url + "/", timeout=30)
    assert refused.status_code == 503
    assert refused.json()["error"] in ("query_aborted", "data_unavailable")
    app.state.served = replace(unloadable, store=WorkerPoolStore(
        unloadable.release.version, app.state.pool,
        ReleaseDump(str(unloadable.release.dump_path("nq"))), running_loop(app),
    ))  # fmt: skip
    # The dead worker's replacement takes the job once it has started.
    page = httpx.get(broken.url + "/", timeout=30)
    assert page.status_code == 200 and "Kinderschutzcluster" in page.text
