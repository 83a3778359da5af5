"""The remote-store suite: the app against a real Oxigraph server (tests/support/oxigraph.py)
holding the release built from the real data/, next to the embedded app of the same release."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.live_server import LiveServer
from tests.support.oxigraph import Engine, engine


@pytest.fixture(scope="session")
def real_engine(real_settings, tmp_path_factory) -> Iterator[Engine]:
    with engine(tmp_path_factory.mktemp("oxigraph")) as started:
        started.publish(started.settings(real_settings.build_dir))
        yield started


@pytest.fixture(scope="session")
def remote_server(real_engine: Engine, real_settings) -> Iterator[LiveServer]:
    settings = real_engine.settings(
        real_settings.build_dir, max_result_rows=1000, query_timeout_s=3.0
    )
    with LiveServer.serving(settings) as server:
        yield server


@pytest.fixture()
def remote(remote_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=remote_server.url, timeout=30) as client:
        yield client
