"""A large curated response is sent gzip-coded to a client that accepts gzip (the network route
at a million triples is several MiB), plain to one that does not; both decode to the same
JSON (api/curated/responder.py)."""

from __future__ import annotations

import gzip

import pytest

from api.curated import responder


@pytest.fixture()
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixture releases are small: every body counts as large here.
    monkeypatch.setattr(responder, "GZIP_FROM", 1)


def test_a_large_body_goes_gzip_coded_to_a_client_that_takes_it(small_threshold, http):
    coded = http.get("/api/netzwerk", headers={"Accept-Encoding": "gzip"})
    plain = http.get("/api/netzwerk", headers={"Accept-Encoding": "identity"})
    assert coded.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert coded.json() == plain.json()
    for response in (coded, plain):
        assert response.headers["vary"] == "Accept, Accept-Encoding"


def test_gzip_refused_with_q_zero_gets_the_plain_body(small_threshold, http):
    response = http.get("/api/statistik", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in response.headers
    assert response.json()["data"]


def test_the_coded_body_is_the_plain_body_gzipped():
    rendered = responder.Rendered.of(
        b"x" * responder.GZIP_FROM, "application/json", {"Vary": "Accept"}
    )
    assert gzip.decompress(rendered.gzipped) == rendered.body
    small = responder.Rendered.of(b"{}", "application/json", {"Vary": "Accept"})
    assert small.gzipped is None and small.headers == {"Vary": "Accept"}
