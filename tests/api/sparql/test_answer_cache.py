"""The SPARQL answer cache (api/sparql/answer_cache.py): the cache itself, and a real server whose
worker pool is closed after some queries were answered, so that only kept answers can still be
a 200 and everything else (another format or dataset, a syntax error) gets 503."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.engine.query_job import Outcome, QueryJob
from api.http.answer_replay import AnswerReplay
from api.sparql.answer_cache import ENTRY_OVERHEAD, AnswerCache, entry_size, request_key
from kskg.settings import Settings
from tests.support.live_server import LiveServer

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
ONE = ALL + " LIMIT 1"
GRAPH = "https://w3id.org/kinderschutz-kg/graph/referenz/kommunen"


def job(query: str = ONE, **fields) -> QueryJob:
    return QueryJob(query=query, **fields)


def outcome(size: int = 100) -> Outcome:
    return Outcome(b"x" * size, SPARQL_JSON)


# --- AnswerCache --------------------------------------------------------------------------


def test_an_equal_job_gets_the_kept_answer():
    cache = AnswerCache(1 << 20)
    kept = outcome()
    assert cache.get("v1", job()) is None
    assert cache.put("v1", job(), kept)
    assert cache.get("v1", job()) is kept
    assert (cache.hits, cache.misses) == (1, 1)


@pytest.mark.parametrize(
    "other",
    [
        job(accept=SPARQL_XML),
        job(formats=("xml",)),
        job(default_graph=(GRAPH,)),
        job(named_graphs=(GRAPH,)),
        job(base_iri="http://example.org/sparql"),
        job(substitutions=(("s", ox.NamedNode("http://example.org/a")),)),
        job(substitutions=(("s", ox.Literal("1")),)),
        job(dumps_url="http://example.org/dumps/"),
        job(ONE + " "),
    ],
)
def test_every_field_of_the_job_is_in_the_key(other):
    cache = AnswerCache(1 << 20)
    cache.put("v1", job(substitutions=(("s", ox.Literal("1", language="de")),)), outcome())
    cache.put("v1", job(), outcome())
    assert cache.get("v1", other) is None


def test_answers_are_kept_per_data_version():
    cache = AnswerCache(1 << 20)
    cache.put("v1", job(), outcome())
    cache.put("v1", job(ALL), outcome())
    assert cache.get("v2", job()) is None
    cache.put("v2", job(ALL), outcome(50))
    assert len(cache) == 3
    assert cache.get("v2", job(ALL)).body != cache.get("v1", job(ALL)).body


def test_total_bytes_stay_within_the_bound_least_recently_used_go_first():
    size = entry_size(job("ASK { ?s ?p ?o } # 0"), outcome(1000))
    cache = AnswerCache(3 * size, max_entry_bytes=size)
    jobs = [job(f"ASK {{ ?s ?p ?o }} # {n}") for n in range(4)]
    for kept in jobs[:3]:
        assert cache.put("v1", kept, outcome(1000))
    cache.get("v1", jobs[0])
    cache.put("v1", jobs[3], outcome(1000))
    assert cache.bytes == 3 * size
    assert cache.get("v1", jobs[1]) is None
    assert all(cache.get("v1", kept) is not None for kept in (jobs[0], jobs[2], jobs[3]))


def test_an_answer_over_the_entry_bound_is_not_kept():
    cache = AnswerCache(16 * 4096)
    assert cache.max_entry_bytes == 4096
    assert not cache.put("v1", job(), outcome(4096 - ENTRY_OVERHEAD - len(ONE) + 1))
    assert cache.put("v1", job(), outcome(4096 - ENTRY_OVERHEAD - len(ONE)))


def test_the_query_text_counts_against_the_bound():
    long_query = ONE + " #" + "x" * 10_000
    assert entry_size(job(long_query), outcome(10)) == 10 + len(long_query) + ENTRY_OVERHEAD


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (NOW() AS ?t) {}",
        "SELECT (rand () AS ?r) {}",
        "SELECT (UUID() AS ?u) {}",
        "SELECT (STRUUID() AS ?u) {}",
        "SELECT (\\u004EOW() AS ?t) {}",
    ],
)
def test_answers_that_are_not_a_function_of_the_data_are_not_kept(query):
    cache = AnswerCache(1 << 20)
    assert not cache.put("v1", job(query), outcome())
    assert cache.get("v1", job(query)) is None


def test_off_keeps_nothing():
    cache = AnswerCache(0)
    assert not cache.enabled
    assert not cache.put("v1", job(), outcome(1))
    assert len(cache) == 0


# --- over HTTP ---------------------------------------------------------------------------


@contextmanager
def serving(settings: Settings, **overrides) -> Iterator[tuple[LiveServer, FastAPI]]:
    limits = {"query_workers": 1, "max_result_rows": 3}
    app = create_app(Settings(build_dir=settings.build_dir, **(limits | overrides)))
    server = LiveServer(app).start()
    try:
        yield server, app
    finally:
        server.stop()


def stop_workers(app: FastAPI) -> None:
    """Close the worker pool, as on shutdown: from now on a query that needs a worker gets
    503 shutting_down, and only the answer cache can answer with 200."""
    asyncio.run_coroutine_threadsafe(app.state.pool.close(), app.state.loop).result(30)


def ask(http: httpx.Client, query: str, accept: str = SPARQL_JSON, **params) -> httpx.Response:
    return http.post("/sparql", data={"query": query, **params}, headers={"Accept": accept})


def assert_same(answer: httpx.Response, before: httpx.Response) -> None:
    assert answer.status_code == 200, answer.text
    assert answer.content == before.content
    for header in ("content-type", "x-data-version", "x-result-truncated", "x-result-limit"):
        assert answer.headers.get(header) == before.headers.get(header), header


def assert_needs_a_worker(answer: httpx.Response) -> None:
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"] == "shutting_down"


def test_kept_answers_are_served_without_a_worker_and_nothing_else_is(settings):
    with serving(settings) as (server, app), httpx.Client(base_url=server.url) as http:
        before = {accept: ask(http, ONE, accept) for accept in (SPARQL_JSON, SPARQL_XML)}
        cut = ask(http, ALL)
        assert cut.headers["x-result-truncated"] == "true"
        assert ask(http, "SELECT WHERE {").status_code == 400
        kept = len(app.state.answer_cache)
        assert http.get("/api/suche", params={"q": "jugendamt"}).status_code == 200
        assert len(app.state.answer_cache) == kept, "a curated query was kept"
        stop_workers(app)
        for accept, answer in before.items():
            assert_same(ask(http, ONE, accept), answer)
        assert_same(ask(http, ALL), cut)
        assert ask(http, ALL).json()["truncated"]["maximum"] == 3
        assert_needs_a_worker(ask(http, ONE, SPARQL_JSON, format="xml"))
        assert_needs_a_worker(ask(http, ONE, SPARQL_JSON, **{"default-graph-uri": GRAPH}))
        assert_needs_a_worker(ask(http, "SELECT WHERE {"))
        assert_needs_a_worker(ask(http, ONE + " # another text"))


def test_with_the_cache_off_every_query_needs_a_worker(settings):
    with serving(settings, answer_cache_mb=0) as (server, app):
        with httpx.Client(base_url=server.url) as http:
            assert ask(http, ONE).status_code == 200
            stop_workers(app)
            assert_needs_a_worker(ask(http, ONE))
        assert len(app.state.answer_cache) == 0


# --- replaying raw GET requests (api/http/answer_replay.py) ---------------------------------------


def request(query_string: bytes = b"query=x", accept: bytes = b"*/*", host: bytes = b"h") -> tuple:
    scope = {
        "method": "GET",
        "path": "/sparql",
        "query_string": query_string,
        "headers": [(b"host", host), (b"accept", accept)],
        "scheme": "http",
    }
    return request_key(scope)


def test_a_remembered_request_replays_the_kept_answer_until_it_is_dropped():
    room = 4 * (100 + len(ONE) + ENTRY_OVERHEAD) + 4 * 1024
    cache = AnswerCache(room, max_entry_bytes=room)
    cache.put("v1", job(), outcome())
    cache.remember("v1", request(), job())
    assert cache.replay("v1", request()).body == outcome().body
    assert cache.replay("v1", request(accept=b"text/csv")) is None
    assert cache.replay("v1", request(host=b"other")) is None
    assert cache.replay("v2", request()) is None
    for n in range(8):  # push the first answer out
        cache.put("v1", job(f"{ONE} # {n}"), outcome())
    assert cache.replay("v1", request()) is None
    assert cache.bytes <= cache.max_bytes


def test_a_request_is_remembered_only_for_a_kept_answer_and_counts_against_the_bound():
    cache = AnswerCache(1024 * 1024)
    cache.remember("v1", request(), job())
    assert cache.replay("v1", request()) is None
    cache.put("v1", job(), outcome())
    before = cache.bytes
    cache.remember("v1", request(b"query=" + b"y" * 5000), job())
    assert cache.bytes >= before + 5000


def test_a_post_is_keyed_by_its_content_type_and_body_and_other_methods_are_not_kept():
    scope = {
        "method": "POST", "path": "/sparql", "query_string": b"", "scheme": "http",
        "headers": [(b"content-type", b"application/sparql-query")],
    }  # fmt: skip
    form = {**scope, "headers": [(b"content-type", b"application/x-www-form-urlencoded")]}
    keys = {
        request_key(scope, b"ASK {}"),
        request_key(scope, b"ASK{}"),
        request_key(form, b"ASK {}"),
    }
    assert len(keys) == 3
    assert request_key(scope, b"ASK {}") == request_key(dict(scope), b"ASK {}")
    assert request_key({**scope, "method": "PUT"}, b"ASK {}") is None


def test_a_repeated_get_is_answered_before_routing_with_the_routes_headers(settings):
    """The replayed answer carries what the route sent, CORS included; a GET differing in
    Accept or Host, or a POST, is not replayed."""
    origin = {"Origin": "https://dashboard.example"}
    with serving(settings) as (server, app), httpx.Client(base_url=server.url) as http:
        first = http.get(
            "/sparql", params={"query": ONE}, headers={"Accept": SPARQL_JSON, **origin}
        )
        replays = app.state.answer_cache.hits
        stop_workers(app)
        again = http.get(
            "/sparql", params={"query": ONE}, headers={"Accept": SPARQL_JSON, **origin}
        )
        assert_same(again, first)
        for header in ("vary", "access-control-allow-origin", "access-control-expose-headers"):
            assert again.headers.get(header) == first.headers.get(header), header
        assert app.state.answer_cache.hits == replays + 1
        other_host = http.get(
            "/sparql", params={"query": ONE}, headers={"Accept": SPARQL_JSON, "Host": "elsewhere"}
        )
        assert other_host.status_code == 503


def test_the_replay_answers_without_calling_the_app_and_passes_everything_else_on():
    app = FastAPI()
    app.state.answer_cache = cache = AnswerCache(1024 * 1024)
    cache.put("v1", job(), outcome())
    key_scope = {
        "type": "http", "method": "GET", "path": "/sparql", "query_string": b"query=x",
        "headers": [(b"host", b"h")], "scheme": "http", "app": app,
    }  # fmt: skip
    cache.remember("v1", request_key(key_scope), job())
    passed_on, sent = [], []

    async def inner(scope, receive, send):
        passed_on.append(scope["query_string"])

    async def send(message):
        sent.append(message)

    async def call(query_string: bytes) -> None:
        scope = {**key_scope, "query_string": query_string, "state": {"served": _Pinned("v1")}}
        await AnswerReplay(inner)(scope, None, send)

    asyncio.run(call(b"query=x"))
    # Not a cached request, and not a query either (the service description): the route's.
    asyncio.run(call(b"format=json"))
    assert passed_on == [b"format=json"]
    assert sent[0]["status"] == 200 and sent[1]["body"] == outcome().body


def test_a_post_body_read_for_the_key_reaches_the_app_unchanged():
    app = FastAPI()
    app.state.answer_cache = AnswerCache(1024 * 1024)
    chunks = [
        {"type": "http.request", "body": b"query=ASK", "more_body": True},
        {"type": "http.request", "body": b"%7B%7D", "more_body": False},
    ]
    received = []

    async def inner(scope, receive, send):
        received.append(await receive())
        received.append(await receive())

    async def receive():
        return chunks.pop(0)

    scope = {
        "type": "http", "method": "POST", "path": "/sparql", "query_string": b"",
        "headers": [], "scheme": "http", "app": app, "state": {"served": _Pinned("v1")},
    }  # fmt: skip
    asyncio.run(AnswerReplay(inner)(scope, receive, None))
    assert [m["body"] for m in received] == [b"query=ASK", b"%7B%7D"]


class _Pinned:
    """What PinServed pins, as far as the replay reads it."""

    def __init__(self, version: str) -> None:
        self.version = version
