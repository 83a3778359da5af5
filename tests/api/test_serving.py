"""`kskg serve`'s choice of layout (api/serving.py): several HTTP processes where that many
copies of the release and one more fit the memory budget, else one HTTP process with worker
processes; each process's share of the query slots and of the budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.serving import layout
from kskg.release import current_release
from tests.support.hardened import hardened_settings


@pytest.fixture
def release(mini_build: Path):
    return current_release(mini_build)


def test_two_processes_share_the_slots_and_the_budget(mini_build: Path, release) -> None:
    chosen = layout(hardened_settings(mini_build, http_processes=2, query_workers=3), release)
    assert chosen.processes == 2
    assert chosen.settings.http_processes == 2
    assert chosen.settings.query_workers == 2
    assert chosen.settings.memory_budget_mb == max(256, 1024 // 3)


@pytest.mark.parametrize(
    "settings, why",
    [
        ({"http_processes": 1}, "one HTTP process asked for"),
        ({"http_processes": 0, "memory_budget_mb": 256}, "copies of about"),
        ({"http_processes": 2, "worker_memory_mb": 512}, "worker_memory_mb"),
        (
            {"http_processes": 2, "store_url": "http://127.0.0.1:1/q", "store_engine_timeout_s": 1},
            "remote store",
        ),
    ],
)
def test_one_http_process_where_several_do_not_fit(
    mini_build: Path, release, settings: dict, why: str
) -> None:
    chosen = layout(hardened_settings(mini_build, **settings), release)
    assert chosen.processes == 1 and why in chosen.why
