"""Fixtures for API tests: a release published from a TriG fixture, and a real uvicorn server
on 127.0.0.1 serving it (`live_server`/`client` for mini.trig, `sample_server`/`http` for
sample.trig, one server per test module)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kskg.release import current_release
from kskg.settings import Settings
from tests.support.live_server import LiveServer
from tests.support.release_fixture import publish_trig

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "sample.trig"


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder whose current release is published from mini.trig."""
    build_dir = tmp_path_factory.mktemp("mini-build")
    publish_trig(FIXTURES / "mini.trig", build_dir)
    return build_dir


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    build_dir = tmp_path_factory.mktemp("build")
    publish_trig(FIXTURES / "mini.trig", build_dir)
    return Settings(build_dir=build_dir)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer.serving(settings) as server:
        yield server


@pytest.fixture()
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client against the real server (no ASGI shortcut)."""
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="module")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    build_dir = tmp_path_factory.mktemp("sample-build")
    publish_trig(SAMPLE, build_dir)
    release = current_release(build_dir)
    add_gzip(release.dump_path("ttl"))
    return Settings(build_dir=build_dir, public_base="https://kskg.example.org/")


def add_gzip(path: Path) -> None:
    """Write `<path>.gz` as real releases do (mtime 0), for one format only: the others are
    left without, so both the pre-built and the on-the-fly gzip paths are exercised."""
    target = path.with_name(path.name + ".gz")
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
        packed.write(path.read_bytes())


@pytest.fixture(scope="module")
def sample_server(sample_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer.serving(sample_settings) as server:
        yield server


@pytest.fixture()
def http(sample_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client against the real server running the sample release."""
    with httpx.Client(base_url=sample_server.url, timeout=30) as client:
        yield client
