"""The dumps over real HTTP: index, every format, gzip, ETag/Last-Modified, 304, HEAD."""

from __future__ import annotations

import gzip

import pytest
from rdflib import Dataset, Graph

from kskg.release import DUMPS, current_release


def test_index_json(http):
    response = http.get("/dumps/")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert {d["file"] for d in body["dumps"]} == {name for name, _ in DUMPS.values()}
    assert body["version"] == response.headers["x-data-version"]


def test_index_html(http):
    response = http.get("/dumps/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/dumps/dataset.ttl"' in response.text


@pytest.mark.parametrize("fmt", sorted(DUMPS))
def test_every_format_is_served_as_is(http, sample_settings, fmt):
    path = current_release(sample_settings.build_dir).dump_path(fmt)
    response = http.get(f"/dumps/dataset.{fmt}", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(DUMPS[fmt][1])
    assert int(response.headers["content-length"]) == path.stat().st_size
    assert response.content == path.read_bytes()
    assert "content-encoding" not in response.headers
    assert f".{fmt}" in response.headers["content-disposition"]


@pytest.mark.parametrize("fmt", ["ttl", "nq"])  # ttl has a .gz beside it, nq is gzipped live
def test_gzip(http, sample_settings, fmt):
    path = current_release(sample_settings.build_dir).dump_path(fmt)
    with http.stream("GET", f"/dumps/dataset.{fmt}", headers={"Accept-Encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
        assert r.headers["content-encoding"] == "gzip"
        assert r.headers["etag"].endswith('-gzip"')
    assert gzip.decompress(raw) == path.read_bytes()


def test_dump_parses_as_rdf(http):
    graph = Graph().parse(data=http.get("/dumps/dataset.ttl").text, format="turtle")
    dataset = Dataset().parse(data=http.get("/dumps/dataset.trig").text, format="trig")
    assert len(graph) > 100 and len(dataset) >= len(graph)


def test_etag_and_last_modified_revalidate(http):
    first = http.get("/dumps/dataset.nt")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["x-data-version"] in etag
    again = http.get("/dumps/dataset.nt", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = http.get("/dumps/dataset.nt", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    other = http.get("/dumps/dataset.nt", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_head_has_headers_but_no_body(http, sample_settings):
    path = current_release(sample_settings.build_dir).dump_path("jsonld")
    response = http.head("/dumps/dataset.jsonld", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == path.stat().st_size
    assert response.headers["content-type"].startswith("application/ld+json")


def test_unknown_dump_is_404(http):
    response = http.get("/dumps/dataset.xml")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_index_not_acceptable(http):
    response = http.get("/dumps/", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json()["offered"] == ["application/json", "text/html"]
