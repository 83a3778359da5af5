"""Progress of the slow build steps: a line when a step runs longer than a second, then every
few seconds, with the time elapsed (validating 100x the corpus is a minute otherwise silent)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[str], None]

FIRST_TICK_S = 1.0
TICK_EVERY_S = 5.0


@contextmanager
def ticking(
    progress: Progress, step: str, first: float = FIRST_TICK_S, every: float = TICK_EVERY_S
) -> Iterator[None]:
    """Report '<step> … running, <n> s' through `progress` while the block runs: after `first`
    seconds, then every `every` seconds. A block that ends sooner reports nothing."""
    done = threading.Event()
    started = time.perf_counter()

    def tick() -> None:
        wait = first
        while not done.wait(wait):
            progress(f"{step} … running, {time.perf_counter() - started:.0f} s")
            wait = every

    thread = threading.Thread(target=tick, name=f"progress-{step}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
