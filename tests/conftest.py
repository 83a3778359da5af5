"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kskg.settings import Settings
from loaders.build import build
from tests.support.live_server import LiveServer


@pytest.fixture(scope="session")
def real_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app serving a release built from the real data/ into a temporary folder (one build
    and one server per test process)."""
    settings = Settings(build_dir=tmp_path_factory.mktemp("real-build"))
    build(settings, lambda message: None)
    with LiveServer.serving(settings) as server:
        yield server


@pytest.fixture()
def real(real_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client against the server of the real release."""
    with httpx.Client(base_url=real_server.url, timeout=30) as client:
        yield client
