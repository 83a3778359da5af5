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


_virtuoso_outcomes: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect what happened to each case of the Virtuoso job, for the summary below."""
    if "test_virtuoso.py" not in report.nodeid or report.when != "call":
        return
    if hasattr(report, "wasxfail"):
        outcome = "still wrong (expected failure)" if report.skipped else "FIXED: take it off"
    else:
        outcome = {"passed": "right", "failed": "WRONG (not a known bug)"}[report.outcome]
    _virtuoso_outcomes[report.nodeid.split("::", 1)[1]] = outcome


def pytest_terminal_summary(terminalreporter) -> None:
    """The Virtuoso job's report: the known engine bugs and what became of each."""
    if not _virtuoso_outcomes:
        return
    from tests.remote.test_virtuoso import KNOWN_BUGS

    write = terminalreporter.write_line
    terminalreporter.section("Virtuoso: known engine bugs (tests/remote/test_virtuoso.py)")
    for case, outcome in sorted(_virtuoso_outcomes.items()):
        case_id = case.rsplit("[", 1)[-1].rstrip("]")
        if case_id in KNOWN_BUGS or outcome != "right":
            write(f"{outcome:32} {case}: {KNOWN_BUGS.get(case_id, '')}")
    right = sum(outcome == "right" for outcome in _virtuoso_outcomes.values())
    write(f"{right} of {len(_virtuoso_outcomes)} cases answered right")
