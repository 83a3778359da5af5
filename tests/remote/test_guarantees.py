"""Our guarantees on a remote store: the deadline (and the engine stops burning), truncation
marked while the answer streams in, refusals before anything is sent, and a cut or corrupted
engine answer never passed on as a 200."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from api.engine.query_job import QueryJob
from api.engine.remote_slots import StoreClients
from api.errors import ApiError
from kskg.oxigraph_server import free_port
from kskg.settings import Settings

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: How long Oxigraph 0.5.13 may take to notice its own timeout in a long aggregate (measured:
#: 13 s with --timeout-s 1); the test fails if it burns longer.
ENGINE_STOPS_WITHIN_S = 40.0


def test_deadline_answers_503_in_time_and_the_engine_stops(remote, real_engine):
    started = time.monotonic()
    response = remote.post("/sparql", data={"query": CARTESIAN})
    took = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "query_timeout", response.text
    assert "Retry-After" in response.headers
    assert took < 3.0 + 1.5
    assert _stops_burning(real_engine.slots), "the engine kept a core busy after the deadline"


def _stops_burning(slots) -> bool:
    deadline = time.monotonic() + ENGINE_STOPS_WITHIN_S
    before = sum(s.cpu_seconds() for s in slots)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = sum(s.cpu_seconds() for s in slots)
        if now - before < 0.05:
            return True
        before = now
    return False


def test_a_long_result_is_cut_and_marked(remote):
    query = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    headers = {"Accept": "application/sparql-results+json"}
    response = remote.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true"
    body = response.json()
    assert len(body["results"]["bindings"]) == 1000
    assert body["truncated"]["limit"] == "rows"


@pytest.mark.parametrize(
    ("query", "status", "error"),
    [
        (
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
            400,
            "unsupported_feature",
        ),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "read_only"),
        ("LOAD <http://127.0.0.1:9/data.ttl>", 403, "read_only"),
        ("SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }", 400, "unknown_graph"),
    ],
)
def test_refused_before_anything_is_sent(query, status, error):
    # The engine's address accepts no connection: a refusal that came from anywhere but our
    # guard would be a 503 engine_unavailable.
    settings = Settings(store_url=f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(ApiError) as refused:
        asyncio.run(_execute(settings, QueryJob(query)))
    assert (refused.value.status, refused.value.code) == (status, error)


async def _execute(settings: Settings, job: QueryJob):
    clients = StoreClients(settings)
    try:
        store = clients.store(settings.store_slots()[0], "v", ["https://example.org/g"])
        return await store.execute(job)
    finally:
        await clients.aclose()


class _Engine(BaseHTTPRequestHandler):
    """An engine that answers 200 and then fails: Oxigraph's cancelled body, or a cut chunk."""

    mode = "cancelled"

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/tab-separated-values")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        rows = b"?s\n<urn:a>\n<urn:b>\n"
        if self.mode == "cancelled":
            rows += b"The SPARQL operation has been cancelled\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(rows), rows))
        if self.mode == "cancelled":
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        self.close_connection = True

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("mode", ["cancelled", "cut"])
def test_a_broken_engine_answer_is_a_503(mode):
    handler = type("Engine", (_Engine,), {"mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = Settings(store_url=f"http://127.0.0.1:{server.server_address[1]}/query")
        with pytest.raises(ApiError) as refused:
            asyncio.run(_execute(settings, QueryJob("SELECT ?s WHERE { ?s ?p ?o }")))
        assert (refused.value.status, refused.value.code) == (503, "engine_answer_broken")
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_engine_is_a_503_with_retry_after():
    settings = Settings(store_url=f"http://127.0.0.1:{free_port()}/query")
    with pytest.raises(ApiError) as refused:
        asyncio.run(_execute(settings, QueryJob("SELECT * WHERE { ?s ?p ?o }")))
    assert refused.value.status == 503
    assert refused.value.headers["Retry-After"]


def test_client_limits_apply(remote_server):
    """Each client may run client_concurrency (2) queries at once on the remote store too."""
    with httpx.Client(base_url=remote_server.url, timeout=30) as client:
        answers = _parallel(client, 4)
    assert (429, "too_many_queries") in answers, answers


def _parallel(client: httpx.Client, count: int) -> list[tuple[int, str | None]]:
    """(status, error code) of `count` queries sent at once."""
    answers: list[tuple[int, str | None]] = []

    def send() -> None:
        response = client.post("/sparql", data={"query": CARTESIAN})
        error = response.json().get("error") if response.status_code >= 400 else None
        answers.append((response.status_code, error))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
