"""Two releases built once per test process, and a server over them."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.live_server import LiveServer
from tests.support.two_releases import TwoReleases, build_two_releases


@pytest.fixture(scope="session")
def two(tmp_path_factory: pytest.TempPathFactory) -> TwoReleases:
    return build_two_releases(tmp_path_factory.mktemp("two-releases"))


@pytest.fixture(scope="session")
def two_server(two: TwoReleases) -> Iterator[LiveServer]:
    with LiveServer.serving(two.settings) as server:
        yield server


@pytest.fixture()
def client(two_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=two_server.url, timeout=30) as client:
        yield client
