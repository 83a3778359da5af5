"""Request and result limits against the real server: query length and nesting, body and header
size, malformed HTTP framing (raw sockets), cut results, per-client concurrency and budget."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from contextlib import suppress
from urllib.parse import urlsplit

import pytest

from tests.hardening.conftest import CARTESIAN, client_from, fresh_address

DEEP = 5000


def raw(url: str, request: bytes, read_timeout: float = 10) -> bytes:
    """Send `request` bytes on a new connection; everything the server answers until it closes
    (or goes quiet)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=read_timeout) as sock:
        with suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    return answer


def status_and_json(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["error"], body["status"]) == (code, status)
    assert response.headers["x-data-version"]
    return body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * DEEP + "}" * DEEP,
        "ASK { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }",
        "SELECT * WHERE { ?s ?p " + "[ <urn:p> " * DEEP + "1" + " ]" * DEEP + " }",
        "ASK { FILTER(" + "\\u0028" * DEEP + "1" + "\\u0029" * DEEP + ") }",
    ],
    ids=["braces", "parentheses", "brackets", "escaped"],
)
def test_deep_nesting_is_refused_before_parsing(client, query):
    response = client.post(
        "/sparql", content=query, headers={"content-type": "application/sparql-query"}
    )
    body = assert_error(response, 400, "query_too_deep")
    assert body["limit"] == 64
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]


def test_brackets_in_strings_iris_and_comments_do_not_count(client):
    noise = "(" * 200
    query = f'ASK {{ BIND("{noise}" AS ?x) BIND(<urn:{noise}> AS ?y) }} # {noise}'
    assert client.post("/sparql", data={"query": query}).json()["boolean"] is True


def test_long_query_is_refused(client):
    query = "ASK { ?s ?p ?o } #" + "x" * 20_000
    assert_error(client.post("/sparql", data={"query": query}), 400, "query_too_long")


def test_body_too_large_by_content_length(hardened):
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 10000000\r\n\r\nASK {}"
    )
    status, body = status_and_json(raw(hardened.url, request))
    assert (status, body["error"]) == (413, "body_too_large")


def test_chunked_body_too_large(hardened):
    chunk = b"#" * 8192
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(10))
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    )
    status, body = status_and_json(raw(hardened.url, request))
    assert (status, body["error"]) == (413, "body_too_large")


@pytest.mark.parametrize(
    "head",
    [
        b"GET /sparql?query=" + b"A" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20_000 + b"\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Many: 1\r\n" * 2_000 + b"\r\n",
    ],
    ids=["url", "one-header", "many-headers"],
)
def test_oversized_head_gets_431(hardened, head):
    status, body = status_and_json(raw(hardened.url, head))
    assert (status, body["error"]) == (431, "headers_too_large")


def test_endless_header_is_cut_off(hardened):
    """A header that never ends is answered once it passes the limit, not buffered forever."""
    parts = urlsplit(hardened.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        answer = b""
        try:
            for _ in range(100):
                sock.sendall(b"e" * 4096)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    assert answer.startswith(b"HTTP/1.1 431")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
        b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    ],
    ids=["request-line", "version", "cl-and-te", "chunk-size", "header-name", "negative-length"],
)
def test_malformed_framing_gets_json_400(hardened, client, request_bytes):
    status, body = status_and_json(raw(hardened.url, request_bytes))
    assert (status, body["status"]) == (400, 400)
    assert body["error"] == "bad_request"
    assert client.get("/health").status_code == 200


def test_cut_select_says_so(client):
    response = client.get(
        "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-limit"].startswith("rows=20")
    assert "/dumps/" in response.headers["link"]
    body = response.json()
    assert len(body["results"]["bindings"]) == 20
    assert body["truncated"]["limit"] == "rows" and body["truncated"]["dumps"].endswith("/dumps/")
    assert body["head"]["link"] == [body["truncated"]["dumps"]]


def test_cut_construct_says_so(client):
    response = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"accept": "application/n-triples"},
    )
    assert response.headers["x-result-truncated"] == "true"
    lines = response.text.splitlines()
    assert lines[0].startswith("# the result was cut after 20 triples")
    assert len([line for line in lines if not line.startswith("#")]) == 20


def test_complete_result_has_no_cut_headers(client):
    response = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 20"})
    assert "x-result-truncated" not in response.headers
    assert "truncated" not in response.json()


def test_cut_result_in_csv_is_refused_with_the_alternatives(client):
    response = client.get(
        "/sparql", params={"query": "SELECT * { ?s ?p ?o }"}, headers={"accept": "text/csv"}
    )
    body = assert_error(response, 406, "not_acceptable")
    assert "application/sparql-results+json" in body["offered"]


def test_cartesian_product_select_is_cut_not_run_to_the_end(client):
    query = CARTESIAN.replace("(COUNT(*) AS ?n)", "*")
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["x-result-truncated"] == "true"


def test_per_client_concurrency(hardened):
    heavy_address = fresh_address()
    started = threading.Event()
    results = {}

    def heavy() -> None:
        with client_from(hardened.url, heavy_address) as http:
            started.set()
            results["heavy"] = http.get("/sparql", params={"query": CARTESIAN})

    thread = threading.Thread(target=heavy)
    thread.start()
    started.wait()
    with (
        client_from(hardened.url, heavy_address) as same,
        client_from(hardened.url, fresh_address()) as other,
    ):
        # A new query text each time: a repeated one would be answered from the answer cache,
        # which never reaches the limiter.
        for probe in itertools.count():
            second = same.get("/sparql", params={"query": f"ASK {{ ?s ?p ?o }} # {probe}"})
            if second.status_code == 429 or "heavy" in results:
                break
        assert other.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    thread.join()
    body = assert_error(second, 429, "too_many_queries")
    assert int(second.headers["retry-after"]) >= 1 and body["retry_after_s"] >= 1


def test_per_client_query_time_budget(hardened):
    with client_from(hardened.url, fresh_address()) as http:
        # Each query holds a worker for at most its 2 s deadline, and the budget is 3 s of worker
        # time. Time spent waiting for a worker (e.g. for a replacement of a killed one on a busy
        # machine) is not charged, so the budget may need a third query before it refuses.
        for _ in range(4):
            refused = http.get("/sparql", params={"query": CARTESIAN})
            if refused.status_code != 503:
                break
        assert_error(refused, 429, "too_many_queries")
        assert int(refused.headers["retry-after"]) > 500  # the 600 s window
        assert http.get("/api/kommunen").status_code in (200, 429)
    with client_from(hardened.url, fresh_address()) as other:
        assert other.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
