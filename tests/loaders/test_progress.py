"""Progress lines of slow steps (loaders/progress.py), shown without depending on timing: the
step waits until the ticker has reported."""

from __future__ import annotations

import threading

from loaders.progress import ticking


def test_a_slow_step_reports_that_it_is_still_running() -> None:
    lines: list[str] = []
    ticked = threading.Event()

    def progress(line: str) -> None:
        lines.append(line)
        ticked.set()

    with ticking(progress, "validate", first=0.01, every=0.01):
        assert ticked.wait(30), "the ticker never reported"
    count = len(lines)
    assert lines[0].startswith("validate … running, ") and lines[0].endswith(" s")
    assert len(lines) == count, "nothing is reported after the step ended"


def test_a_quick_step_reports_nothing() -> None:
    lines: list[str] = []
    with ticking(lines.append, "parse", first=3600):
        pass
    assert lines == []
