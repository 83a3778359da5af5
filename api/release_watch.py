"""Switching to a new release while serving: no restart, no failed request.

`ReleaseWatcher` polls the `current` symlink (every `release_poll_s`). When it points somewhere
new, the release there is checked (manifest, dataset.nq checksum), loaded into the worker pool
(the main process keeps no copy), and only then switched in with one assignment of
`app.state.served`. A request keeps the release it started with (api/http/served.py `PinServed`),
and the pool keeps the old data until its last query has finished. A release that cannot be
opened or loaded is logged and skipped; the last good release stays served.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from api.curated.warm import start_warming
from api.engine.messages import Source
from api.engine.pool import LoadFailed, WorkerPool
from api.engine.pool_store import WorkerPoolStore
from api.engine.worker_process import release_source
from api.errors import ApiError
from api.http.served import Served
from api.http.versions import StoreOpener
from kskg.release import NoReleaseError, Release, current_link, open_release
from kskg.settings import Settings

log = logging.getLogger("kskg.release")


class ReleaseUnusable(Exception):
    """The release `current` points to cannot be served."""


async def switch_to(app: FastAPI, release: Release, source: Source) -> None:
    """Serve `release` (worker data `source`, api/engine/messages.py) from now on. Raises
    LoadFailed, or ApiError when no worker could answer; the last release stays served."""
    pool: WorkerPool = app.state.pool
    store = WorkerPoolStore(release.version, pool, source, loop=running_loop(app))
    try:
        await pool.load(release.version, source)
        await store.load_graphs()
    except BaseException:
        if app.state.served.version != release.version:
            pool.retire(release.version)  # else a replacement worker would load it again
        raise
    old: Served = app.state.served
    app.state.served = Served(settings=old.settings, release=release, store=store)
    if old.version != release.version:
        pool.retire(old.version)
        start_warming(app)


def embedded_opener(app: FastAPI) -> StoreOpener:
    """Opens an older release in the worker pool: a store whose queries make the worker that
    runs them load the release on demand (api/engine/on_demand.py)."""

    async def open_store(release: Release) -> WorkerPoolStore:
        source = release_source(release)
        return WorkerPoolStore(release.version, app.state.pool, source, loop=running_loop(app))

    return open_store


def running_loop(app: FastAPI) -> Callable[[], asyncio.AbstractEventLoop | None]:
    """The event loop the app's lifespan runs on (its pool's), None before it started."""
    return lambda: getattr(app.state, "loop", None)


class ReleaseWatcher:
    """Polls `<build_dir>/current` and switches the app to each new release."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.link = current_link(settings.build_dir)
        self.served_target = str(app.state.served.release.path)
        self.rejected: set[tuple[str, float]] = set()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.settings.release_poll_s)
            await self.check()

    async def check(self) -> bool:
        """Switch if `current` points to a new, usable release; True if switched."""
        target = os.path.realpath(self.link)
        if target == self.served_target or not os.path.isdir(target):
            return False
        mark = (target, _mtime(Path(target)))
        if mark in self.rejected:
            return False
        try:
            release = await asyncio.to_thread(usable_release, Path(target))
            source = release_source(release)
            await switch_to(self.app, release, source)
        except ApiError as e:
            # The workers were busy or one failed (not necessarily for this release's data,
            # which a LoadFailed would name): try again at the next poll.
            log.warning("not switching to %s yet (%s); trying again", target, e.message)
            return False
        except (ReleaseUnusable, NoReleaseError, LoadFailed, OSError, ValueError) as e:
            self.rejected.add(mark)
            log.error("not switching to %s, still serving the last release: %s", target, e)
            return False
        self.served_target = target
        log.info("now serving release %s (%s)", release.version, target)
        return True


def usable_release(path: Path) -> Release:
    """The release at `path` if its manifest is readable and dataset.nq matches its checksum."""
    try:
        release = open_release(path)
        version = release.version
    except (ValueError, KeyError) as error:
        raise ReleaseUnusable(f"{path}: unreadable manifest ({error})") from None
    dump = release.dump_path("nq")
    if not dump.is_file():
        raise ReleaseUnusable(f"{dump}: missing")
    expected = release.manifest.get("files", {}).get(dump.name, {}).get("sha256")
    if expected and _sha256(dump) != expected:
        raise ReleaseUnusable(f"{dump}: checksum differs from the manifest of {version}")
    return release


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
