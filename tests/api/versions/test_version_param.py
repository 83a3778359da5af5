"""`version=V` answers from release V on every kind of route (docs/api.md "Versions"): the
SPARQL endpoint (GET and POST form), the curated routes, the linked-data pages and the dumps;
X-Data-Version names V; an unknown, too short or ambiguous version is a clear 4xx."""

from __future__ import annotations

import json
import shutil

import httpx

from tests.support.two_releases import NEW_KOMMUNE, TwoReleases

KOMMUNEN = (
    "SELECT (COUNT(?k) AS ?n) WHERE { ?k a <https://w3id.org/kinderschutz-kg/ontology#Kommune> }"
)
JSON = {"Accept": "application/sparql-results+json"}


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_sparql_get_and_post_answer_from_the_release_named(client, two: TwoReleases) -> None:
    now = client.get("/sparql", params={"query": KOMMUNEN}, headers=JSON)
    assert now.headers["X-Data-Version"] == two.new.version
    old = client.get(
        "/sparql", params={"query": KOMMUNEN, "version": two.old.version}, headers=JSON
    )
    assert old.headers["X-Data-Version"] == two.old.version
    assert count(old) == count(now) - 1
    posted = client.post(
        "/sparql", data={"query": KOMMUNEN, "version": two.old.version[:8]}, headers=JSON
    )
    assert posted.headers["X-Data-Version"] == two.old.version
    assert count(posted) == count(old)
    again = client.get("/sparql", params={"query": KOMMUNEN}, headers=JSON)  # not the old cached
    assert count(again) == count(now) and again.headers["X-Data-Version"] == two.new.version


def test_curated_routes_answer_from_the_release_named(client, two: TwoReleases) -> None:
    now = client.get("/api/kommunen", params={"limit": 100}).json()
    old = client.get("/api/kommunen", params={"limit": 100, "version": two.old.version})
    assert old.headers["X-Data-Version"] == two.old.version
    assert old.json()["version"] == two.old.version
    assert {row["kommune"] for row in now["data"]} - {
        row["kommune"] for row in old.json()["data"]
    } == {NEW_KOMMUNE}


def test_pages_answer_from_the_release_named(client, two: TwoReleases) -> None:
    path = "/id/" + NEW_KOMMUNE.split("/id/")[1]
    assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 200
    old = client.get(path, params={"version": two.old.version}, headers={"Accept": "text/turtle"})
    assert old.status_code == 404 and old.headers["X-Data-Version"] == two.old.version
    page = client.get(path, params={"version": two.old.version}, headers={"Accept": "text/html"})
    assert page.status_code == 404


def test_dumps_answer_from_the_release_named(client, two: TwoReleases) -> None:
    index = client.get("/dumps/", params={"version": two.old.version})
    assert index.json()["version"] == two.old.version
    urls = {entry["url"] for entry in index.json()["dumps"]}
    assert f"{client.base_url}/dumps/dataset.nq?version={two.old.version}" in urls
    current = {e["url"] for e in client.get("/dumps/").json()["dumps"]}
    assert f"{client.base_url}/dumps/dataset.nq" in current
    dump = client.get("/dumps/dataset.nq", params={"version": two.old.version})
    assert dump.headers["X-Data-Version"] == two.old.version
    assert dump.content == two.old.dump_path("nq").read_bytes()
    assert client.get("/dumps/dataset.nq").content == two.new.dump_path("nq").read_bytes()


def test_an_unknown_version_is_a_404_listing_the_kept_ones(client, two: TwoReleases) -> None:
    answer = client.get("/sparql", params={"query": KOMMUNEN, "version": "0123456789abcdef"})
    assert answer.status_code == 404
    body = answer.json()
    assert body["error"] == "unknown_version"
    assert body["known_versions"] == [two.old.version, two.new.version]
    short = client.get("/api/kommunen", params={"version": two.old.version[:7]})
    assert short.status_code == 400 and short.json()["error"] == "invalid_version"


def test_an_ambiguous_prefix_names_the_candidates(client, two: TwoReleases) -> None:
    differing = "0" if two.old.version[8] != "0" else "1"
    twin = two.old.version[:8] + differing * 8
    folder = two.settings.build_dir / "releases" / twin
    shutil.copytree(two.old.path, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "version": twin}))
    try:
        answer = client.get("/dumps/", params={"version": two.old.version[:8]})
        assert answer.status_code == 400
        assert answer.json()["error"] == "ambiguous_version"
        assert sorted(answer.json()["candidates"]) == sorted([two.old.version, twin])
        assert client.get("/dumps/", params={"version": two.old.version[:9]}).status_code == 200
    finally:
        shutil.rmtree(folder)
