"""Fixtures for the benchmark smoke tests: a private output folder and a real release."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_build import build_release
from bench.servers import PROJECT_ROOT

FIXTURES = PROJECT_ROOT / "tests" / "api" / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def bench_out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every benchmark writes under a temporary KSKG_BENCH_OUT, never into bench/out/."""
    folder = tmp_path_factory.mktemp("bench-out")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KSKG_BENCH_OUT", str(folder))
        yield folder


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder with a release of the real corpus, built by `kskg build`."""
    build_dir = tmp_path_factory.mktemp("bench-release") / "build"
    build_release(PROJECT_ROOT / "data", build_dir)
    return build_dir
