"""A real remote engine for tests: Oxigraph servers from the pinned PyPI package (two slots, on
free loopback ports), with a release published into them by `kskg publish --store`'s code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from kskg.oxigraph_server import OxigraphServer
from kskg.release import current_release
from kskg.settings import Settings
from kskg.store_publish import publish_to_store


class Engine:
    """Two Oxigraph slots; `settings(**more)` points the store settings at them."""

    def __init__(self, slots: list[OxigraphServer]) -> None:
        self.slots = slots

    def settings(self, build_dir: Path, **more) -> Settings:
        return Settings(
            build_dir=build_dir,
            store_url=",".join(s.query_url for s in self.slots),
            store_update_url=",".join(s.update_url for s in self.slots),
            store_data_url=",".join(s.data_url for s in self.slots),
            store_engine_timeout_s=ENGINE_TIMEOUT_S,
            **more,
        )

    def publish(self, settings: Settings) -> str:
        """Publish the current release of `settings.build_dir` into the engine."""
        return publish_to_store(settings, current_release(settings.build_dir), lambda _: None)


#: The engine's own timeout in these tests (ours, query_timeout_s, is at least this).
ENGINE_TIMEOUT_S = 2.0


@contextmanager
def engine(folder: Path) -> Iterator[Engine]:
    """Two running Oxigraph slots with their data in `folder`, stopped at the end."""
    with ExitStack() as stack:
        slots = [
            stack.enter_context(OxigraphServer(folder / name, ENGINE_TIMEOUT_S))
            for name in ("blue", "green")
        ]
        yield Engine(slots)
