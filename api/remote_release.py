"""Serving a release held by a remote engine (KSKG_STORE_URL, docs/deploy.md).

The replica keeps no data: at start it opens the release `current` names in the slot of the
engine that holds it (api/engine/remote_slots.py), and then polls. When `current` names a new
release and the engine holds it completely (published and checked by `kskg publish --store`),
the replica switches with one assignment of `app.state.served`, as the embedded store does; a
request keeps the store it started with (api/http/served.py). Replicas pointed at one engine
and one release source switch within one poll interval of each other, and every request is
answered from one complete release.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from api.curated.warm import start_warming
from api.engine.query_job import QueryJob
from api.engine.remote_slots import StoreClients, open_release, slot_releases
from api.engine.remote_store import RemoteStore
from api.errors import ApiError
from api.http.served import Served
from api.http.versions import StoreOpener
from kskg.release import NoReleaseError, Release, current_release
from kskg.release import open_release as open_release_folder
from kskg.settings import Settings

log = logging.getLogger("kskg.release")


class EngineHoldsNoRelease(RuntimeError):
    """No slot of the engine holds a release the release source has."""


async def open_served(app: FastAPI) -> None:
    """Serve the current release from the engine, or, while the engine does not hold it yet,
    the newest release it holds whose folder the release source has."""
    served: Served = app.state.served
    clients: StoreClients = app.state.store_clients
    release = current_release(served.settings.build_dir)
    store = await open_release(clients, release.version)
    if store is None:
        release, store = await _newest_held(clients, served.settings)
        log.warning("the engine does not hold the current release yet; serving %s", release.version)
    app.state.served = Served(settings=served.settings, release=release, store=store)


async def _newest_held(clients: StoreClients, settings: Settings) -> tuple[Release, RemoteStore]:
    for held in await slot_releases(clients):
        folder = settings.build_dir / "releases" / held.version
        store = await open_release(clients, held.version) if folder.is_dir() else None
        if store is not None:
            return open_release_folder(folder), store
    raise EngineHoldsNoRelease(
        f"no slot of {settings.store_slots()} answers with a published release of "
        f"{settings.build_dir}: start the engine, or run `kskg publish --store` (docs/deploy.md)"
    )


class RemoteReleaseWatcher:
    """Polls `current` and the engine every `release_poll_s` and switches to a new release once
    the engine holds it."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.waiting_for: str | None = None

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.settings.release_poll_s)
            try:
                await self.check()
            except ApiError as error:
                # The engine is unreachable or failed: keep serving, ask again next time.
                log.warning("cannot ask the engine for release %s: %s", error.code, error.message)

    async def check(self) -> bool:
        """Switch if `current` names a release the engine holds and is not served; True if so."""
        try:
            release = await asyncio.to_thread(current_release, self.settings.build_dir)
        except (NoReleaseError, OSError, ValueError) as error:
            log.error("cannot read the current release: %s", error)
            return False
        if release.version == self.app.state.served.version:
            return False
        store = await open_release(self.app.state.store_clients, release.version)
        if store is None:
            if self.waiting_for != release.version:
                log.warning("release %s is current but not in the engine yet", release.version)
                self.waiting_for = release.version
            return False
        self.app.state.served = Served(settings=self.settings, release=release, store=store)
        start_warming(self.app)
        log.info("now serving release %s from %s", release.version, store.endpoint)
        return True


def remote_opener(app: FastAPI) -> StoreOpener:
    """Opens an older release in the slot of the engine that still holds it. A slot holds one
    release and publishing re-uses the idle one, so an engine of n slots keeps at most the n
    most recently published releases; for any other, every query is a 410 (`NotInStore`)."""

    async def open_store(release: Release) -> RemoteStore | NotInStore:
        clients: StoreClients = app.state.store_clients
        store = await open_release(clients, release.version)
        if store is not None:
            return store
        held = sorted({held.version for held in await slot_releases(clients)})
        return NotInStore(release.version, held)

    return open_store


class NotInStore:
    """The `QueryStore` of a kept release the remote engine no longer holds: its dumps are
    still served from the release folder, but every query is refused with 410."""

    def __init__(self, version: str, held: list[str]) -> None:
        self.version = version
        self.held = held

    def refusal(self) -> ApiError:
        return ApiError(
            410,
            "version_not_in_store",
            f"release {self.version} is kept (its dumps are under /dumps/?version="
            f"{self.version}) but the remote store no longer holds it, so it cannot be queried; "
            f"the store holds {', '.join(self.held) or 'nothing'}",
            version=self.version,
            held_versions=self.held,
        )

    def query(self, sparql: str, **options):
        raise self.refusal()

    async def query_async(self, sparql: str, **options):
        raise self.refusal()

    def named_graphs(self) -> list[str]:
        raise self.refusal()

    async def execute(self, job: QueryJob, spent=None):
        raise self.refusal()
