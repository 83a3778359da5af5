"""One live server for all W3C tests; each test swaps in a store holding its own dataset, the
same mechanism a release switch uses: the data is loaded into the query workers and
`app.state.served` is replaced as a whole (api/release_watch.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.engine.oxigraph_store import OxigraphStore
from api.release_watch import switch_to
from kskg.release import Release
from kskg.settings import Settings
from tests.support.live_server import LiveServer
from tests.support.release_fixture import publish_trig

DATA = Path(__file__).parent / "data"
MINI = Path(__file__).parent.parent / "api" / "fixtures" / "mini.trig"


class SwappableServer:
    """The real server plus `serve(store)` to make it answer from another store."""

    def __init__(self, server: LiveServer, app) -> None:
        self.server = server
        self.app = app
        self.url = server.url

    def serve(self, store: OxigraphStore) -> None:
        release = Release(path=DATA, manifest={"version": store.version})
        future = asyncio.run_coroutine_threadsafe(
            switch_to(self.app, release, store.snapshot()), self.app.state.loop
        )
        future.result(timeout=60)


@pytest.fixture(scope="session")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SwappableServer]:
    build_dir = tmp_path_factory.mktemp("w3c-build")
    publish_trig(MINI, build_dir)
    app = create_app(Settings(build_dir=build_dir))
    server = LiveServer(app).start()
    yield SwappableServer(server, app)
    server.stop()


@pytest.fixture(scope="session")
def w3c_client(w3c_server: SwappableServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=w3c_server.url, timeout=30) as http:
        yield http
