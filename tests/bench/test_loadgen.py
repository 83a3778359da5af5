"""bench/loadgen.py against a real server (the upper-bound app): counts, errors, loopback only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.loadgen import (
    LoadResult,
    Request,
    check_loopback,
    fetch_all,
    lua_mix,
    median_of,
    parse_wrk_output,
    percentile,
    pick_tool,
    run_load,
)
from bench.servers import ServerProcess, python_module
from bench.upper_bound_app import save_responses


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    responses = tmp_path_factory.mktemp("ub") / "responses.json"
    save_responses(
        responses,
        {
            "/api/a": (200, "application/json", b'{"a": 1}'),
            "/api/b?x=%C3%A4": (200, "text/csv", b"x\n\xc3\xa4\n"),
        },
    )
    with python_module("bench.upper_bound_app", ["--responses", str(responses)], "/api/a") as up:
        up.start()
        yield up


GOOD = [Request("GET", "/api/a"), Request("GET", "/api/b?x=%C3%A4")]


def test_the_upper_bound_app_answers_the_precomputed_bytes(server):
    assert fetch_all(server.url, GOOD) == [b'{"a": 1}', b"x\n\xc3\xa4\n"]


def test_fetch_all_fails_loudly_on_a_non_2xx_answer(server):
    with pytest.raises(RuntimeError, match="GET /api/missing: HTTP 404"):
        fetch_all(server.url, [Request("GET", "/api/missing")])


@pytest.mark.parametrize("tool", ["httpx", pick_tool("auto")])
def test_a_load_run_stops_by_itself_and_counts_every_non_2xx(server, tool):
    result = run_load(server.url, [*GOOD, Request("GET", "/api/missing")], 2, 1.0, tool)
    assert result.tool == tool
    assert result.requests >= 3
    assert result.duration_s < 10
    # one request in three is a 404; round robin per client allows an uneven tail
    assert result.requests // 3 - 2 <= result.errors <= result.requests // 3 + 2
    assert 0 < result.p50_ms <= result.p99_ms


def test_only_loopback_targets_are_accepted():
    with pytest.raises(ValueError, match="only run against 127.0.0.1"):
        check_loopback("http://example.org:80")
    check_loopback("http://127.0.0.1:8000")


def test_wrk_summary_line_is_read():
    stdout = (
        "Running 1s test @ http://127.0.0.1:1\n"
        '{"requests": 100, "duration_us": 2000000, "non2xx": 3, "connect": 0, "read": 1, '
        '"write": 0, "timeout": 1, "p50_us": 1500, "p99_us": 9000}\n'
    )
    result = parse_wrk_output(stdout, 16)
    assert (result.requests, result.rps, result.errors) == (100, 50.0, 5)
    assert (result.p50_ms, result.p99_ms) == (1.5, 9.0)


def test_the_lua_mix_escapes_bodies_and_headers_byte_for_byte():
    chunk = lua_mix([Request("POST", "/sparql", {"Accept": "a/b"}, 'ASK { "ä\\\\" }'.encode())])
    assert chunk.startswith("return {")
    assert "\\034\\195\\164\\092\\092\\034" in chunk
    assert '["Accept"] = "a/b"' in chunk


def test_percentile_is_nearest_rank():
    assert percentile([], 50) == 0.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 99) == 99.0


def test_rounds_combine_to_the_median_round_and_the_sum_of_their_requests():
    rounds = [
        LoadResult("wrk", 16, 3.0, 3000, 1000.0, 10.0, 40.0, 0),
        LoadResult("wrk", 16, 3.0, 1500, 500.0, 30.0, 90.0, 1),
        LoadResult("wrk", 16, 3.0, 3300, 1100.0, 9.0, 35.0, 0),
    ]
    combined = median_of(rounds)
    assert (combined.rps, combined.p50_ms, combined.p99_ms) == (1000.0, 10.0, 40.0)
    assert (combined.requests, combined.duration_s, combined.errors) == (7800, 9.0, 1)
