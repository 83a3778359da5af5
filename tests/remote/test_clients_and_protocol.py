"""The client suites run through a remote Oxigraph server: SPARQLWrapper and rdflib's SPARQLStore
(tests/api/sparql/test_clients.py, on mini.trig) and the W3C SPARQL 1.1 Protocol tests
(tests/w3c/test_protocol.py, on the manifest's data), each against a release published into
the engine by `kskg publish --store`'s code. The test functions are the embedded suites' own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Dataset, URIRef

from tests.api.sparql import test_clients as clients_suite
from tests.support.live_server import LiveServer
from tests.support.oxigraph import Engine, engine
from tests.support.release_fixture import publish_trig
from tests.w3c import test_protocol as protocol_suite
from tests.w3c.conftest import DATA

MINI = Path(__file__).parent.parent / "api" / "fixtures" / "mini.trig"

for _name in dir(clients_suite):
    if _name.startswith("test_") or _name == "store_graph":
        globals()[_name] = getattr(clients_suite, _name)
test_protocol = protocol_suite.test_protocol
test_update_is_refused = protocol_suite.test_update_is_refused


@pytest.fixture(scope="module")
def module_engine(tmp_path_factory) -> Iterator[Engine]:
    with engine(tmp_path_factory.mktemp("oxigraph")) as started:
        yield started


def _remote_server(started: Engine, trig: Path, build_dir: Path) -> LiveServer:
    publish_trig(trig, build_dir, version_triple=True)
    settings = started.settings(build_dir)
    started.publish(settings)
    return LiveServer.serving(settings)


@pytest.fixture(scope="module")
def live_server(module_engine: Engine, tmp_path_factory) -> Iterator[LiveServer]:
    with _remote_server(module_engine, MINI, tmp_path_factory.mktemp("mini")) as server:
        yield server


class _Published:
    """The W3C suite's `w3c_server`: here the data is published once, nothing is swapped."""

    def __init__(self, url: str) -> None:
        self.url = url

    def serve(self, store) -> None:
        pass


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory) -> Iterator[_Published]:
    folder = tmp_path_factory.mktemp("w3c-remote")
    dataset = Dataset()
    for test in protocol_suite.TESTS:
        for iri, path in test.graph_data.items():
            dataset.graph(URIRef(iri)).parse(DATA / path, format="nt")
    trig = folder / "protocol.trig"
    dataset.serialize(trig, format="trig")
    with (
        engine(folder / "oxigraph") as started,
        _remote_server(started, trig, folder / "build") as server,
    ):
        yield _Published(server.url)


@pytest.fixture()
def w3c_client(w3c_server: _Published) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=w3c_server.url, timeout=30) as client:
        yield client


@pytest.fixture()
def protocol_store() -> None:
    return None
