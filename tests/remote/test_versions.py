"""`version=V` against a remote store (KSKG_STORE_URL): a slot of the engine holds one release,
so an older release is answered from the slot that still holds it; once publishing has re-used
that slot, its queries are a 410 that says so, while its dumps are still served from the
release folder."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from kskg.release import current_release
from tests.support.live_server import LiveServer
from tests.support.oxigraph import engine
from tests.support.release_fixture import publish_trig

FIXTURES = Path(__file__).parent.parent / "api" / "fixtures"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON = {"Accept": "application/sparql-results+json"}


def _publish(started, settings, trig: Path, extra: str = "") -> str:
    if extra:
        changed = settings.build_dir.parent / "changed.trig"
        changed.write_text(trig.read_text("utf-8") + extra, "utf-8")
        trig = changed
    publish_trig(trig, settings.build_dir, version_triple=True)
    started.publish(settings)
    return current_release(settings.build_dir).version


def _wait_for(http: httpx.Client, version: str) -> None:
    end = time.monotonic() + 10
    while http.get("/health").json()["version"] != version:
        assert time.monotonic() < end, f"not switched to {version}"
        time.sleep(0.05)


def _count(http: httpx.Client, version: str, note: str = "") -> httpx.Response:
    query = COUNT + note
    return http.get("/sparql", params={"query": query, "version": version}, headers=JSON)


def test_old_versions_on_a_remote_store(tmp_path: Path) -> None:
    with engine(tmp_path / "oxigraph") as started:
        settings = started.settings(tmp_path / "build", release_poll_s=0.2, query_timeout_s=3.0)
        first = _publish(started, settings, FIXTURES / "mini.trig")
        with LiveServer.serving(settings) as server, httpx.Client(base_url=server.url) as http:
            first_count = _count(http, first).json()["results"]["bindings"][0]["n"]["value"]
            second = _publish(started, settings, FIXTURES / "sample.trig")
            _wait_for(http, second)
            old = _count(http, first)
            assert old.status_code == 200 and old.headers["X-Data-Version"] == first
            assert old.json()["results"]["bindings"][0]["n"]["value"] == first_count
            extra = (
                '\n<https://w3id.org/kinderschutz-kg/graph/metadaten> { <urn:x> <urn:y> "z" . }\n'
            )
            third = _publish(started, settings, FIXTURES / "mini.trig", extra)
            _wait_for(http, third)
            # An answer kept before is still the answer of that release (the answer cache
            # is keyed by version); a query not asked before needs the engine.
            assert _count(http, first).status_code == 200
            gone = _count(http, first, " # new")
            assert gone.status_code == 410
            assert gone.json()["error"] == "version_not_in_store"
            assert sorted(gone.json()["held_versions"]) == sorted([second, third])
            assert _count(http, second).status_code == 200
            dumps = http.get("/dumps/", params={"version": first})
            assert dumps.status_code == 200 and dumps.json()["version"] == first
