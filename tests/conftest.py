"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from kskg.settings import Settings
from loaders.build import build
from tests.support.live_server import LiveServer


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose build folder holds a release built from the real data/ (one build per
    test process)."""
    settings = Settings(build_dir=tmp_path_factory.mktemp("real-build"))
    build(settings, lambda message: None)
    return settings


@pytest.fixture(scope="session")
def real_server(real_settings: Settings) -> Iterator[LiveServer]:
    """The app serving the real release (one server per test process)."""
    with LiveServer.serving(real_settings) as server:
        yield server


@pytest.fixture()
def real(real_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client against the server of the real release."""
    with httpx.Client(base_url=real_server.url, timeout=30) as client:
        yield client
