"""Blue/green publishing into a real engine while two API replicas serve from it: no request
ever sees a mix of two releases, and both replicas switch to each new release."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kskg.release import current_release
from kskg.store_publish import PublishError
from tests.support.live_server import LiveServer
from tests.support.oxigraph import Engine, engine
from tests.support.release_fixture import publish_trig

FIXTURES = Path(__file__).parent.parent / "api" / "fixtures"
PROBE = """PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?version (COUNT(*) AS ?triples)
WHERE { <https://w3id.org/kinderschutz-kg/id/dataset> dcat:version ?version . ?s ?p ?o }
GROUP BY ?version"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Iterator[tuple[Engine, object, list[LiveServer]]]:
    folder = tmp_path_factory.mktemp("blue-green")
    publish_trig(FIXTURES / "sample.trig", folder / "build", version_triple=True)
    with engine(folder / "oxigraph") as started:
        settings = started.settings(folder / "build", release_poll_s=0.2, query_timeout_s=3.0)
        started.publish(settings)
        with LiveServer.serving(settings) as one, LiveServer.serving(settings) as two:
            yield started, settings, [one, two]


class Hammer:
    """Clients asking every replica, as fast as they can, which release answers them."""

    def __init__(self, servers: list[LiveServer]) -> None:
        self.servers = servers
        self.seen: list[tuple[str, str, int]] = []
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._ask, args=(s,)) for s in servers * 2]

    def __enter__(self) -> Hammer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def _ask(self, server: LiveServer) -> None:
        headers = {"Accept": "application/sparql-results+json"}
        with httpx.Client(base_url=server.url, timeout=30) as client:
            while not self.stop.is_set():
                response = client.post("/sparql", data={"query": PROBE}, headers=headers)
                if response.status_code != 200:
                    self.failures.append(f"{response.status_code} {response.text[:200]}")
                    continue
                (row,) = response.json()["results"]["bindings"]
                header = response.headers["X-Data-Version"]
                self.seen.append((header, row["version"]["value"], int(row["triples"]["value"])))


def _served(servers: list[LiveServer]) -> set[str]:
    return {httpx.get(s.url + "/health").json()["version"] for s in servers}


def _wait_until_served(servers: list[LiveServer], version: str, within: float) -> float:
    started = time.monotonic()
    while _served(servers) != {version}:
        assert time.monotonic() - started < within, f"replicas serve {_served(servers)}"
        time.sleep(0.05)
    return time.monotonic() - started


def _release(trig: Path, build_dir: Path, extra: str = "") -> tuple[str, int]:
    if extra:
        changed = build_dir.parent / f"changed-{len(extra)}.trig"
        changed.write_text(trig.read_text("utf-8") + extra, "utf-8")
        trig = changed
    publish_trig(trig, build_dir, version_triple=True)
    release = current_release(build_dir)
    return release.version, release.manifest["counts"]["triples"]


def test_releases_switch_without_a_mixed_answer(setup):
    started, settings, servers = setup
    first = current_release(settings.build_dir)
    expected = {(first.version, first.version, first.manifest["counts"]["triples"])}
    extra = '\n<https://w3id.org/kinderschutz-kg/graph/metadaten> { <urn:x> <urn:y> "z" . }\n'
    with Hammer(servers) as hammer:
        for trig, more in ((FIXTURES / "mini.trig", ""), (FIXTURES / "sample.trig", extra)):
            version, triples = _release(trig, settings.build_dir, more)
            expected.add((version, version, triples))
            time.sleep(0.5)  # `current` names a release the engine does not hold yet
            assert _served(servers) != {version}
            started.publish(settings)
            assert _wait_until_served(servers, version, within=2.0) < 2.0
    assert not hammer.failures, hammer.failures[:3]
    assert set(hammer.seen) <= expected, set(hammer.seen) - expected
    assert len({seen[0] for seen in hammer.seen}) == 3


def test_publishing_again_is_a_switch_only(setup):
    started, settings, servers = setup
    version = current_release(settings.build_dir).version
    assert started.publish(settings) in {s.query_url for s in started.slots}
    assert _served(servers) == {version}


def test_a_release_without_its_version_triple_is_not_published(setup, tmp_path):
    started, settings, servers = setup
    served = _served(servers)
    changed = tmp_path / "changed.trig"
    extra = '\n<https://w3id.org/kinderschutz-kg/graph/metadaten> { <urn:a> <urn:b> "c" . }\n'
    changed.write_text((FIXTURES / "mini.trig").read_text("utf-8") + extra, "utf-8")
    publish_trig(changed, settings.build_dir, version_triple=False)
    with pytest.raises(PublishError, match="version triple"):
        started.publish(settings)
    time.sleep(0.5)
    assert _served(servers) == served
