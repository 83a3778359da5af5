"""Which slot of a remote engine holds which release (kskg/store_layout.py), and opening the
`RemoteStore` of a release. Every API replica asks the engine itself, so replicas pointed at the
same engine and release source agree without talking to each other."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from api.engine.query_job import Rows
from api.engine.remote_store import RemoteStore
from api.errors import ApiError
from kskg.settings import Settings
from kskg.store_layout import default_graph, layout_query


@dataclass(frozen=True)
class SlotRelease:
    """A release held completely by the slot at `endpoint`; `published` is an xsd:dateTime."""

    endpoint: str
    version: str
    published: str


class StoreClients:
    """The HTTP clients of one app for its remote engine (made once, closed on shutdown)."""

    def __init__(self, settings: Settings) -> None:
        timeout = httpx.Timeout(
            settings.query_timeout_s, connect=min(5.0, settings.query_timeout_s)
        )
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
        self.settings = settings
        self.client = httpx.AsyncClient(timeout=timeout, limits=limits)
        self.sync_client = httpx.Client(timeout=timeout, limits=limits)

    def store(self, endpoint: str, version: str, graphs: list[str]) -> RemoteStore:
        return RemoteStore(self.settings, endpoint, version, graphs, self.client, self.sync_client)

    async def aclose(self) -> None:
        await self.client.aclose()
        self.sync_client.close()


async def slot_releases(clients: StoreClients) -> list[SlotRelease]:
    """Every published release in every slot, newest first; a slot that cannot be asked is
    left out (it holds nothing that can be served now)."""
    found = []
    for endpoint in clients.settings.store_slots():
        probe = clients.store(endpoint, "", [])
        try:
            rows = await probe.query_async(layout_query("slot_releases"))
        except ApiError:
            continue
        found += [_slot_release(endpoint, row) for row in _rows(rows)]
    return sorted(found, key=lambda r: r.published, reverse=True)


def _slot_release(endpoint: str, row) -> SlotRelease:
    return SlotRelease(endpoint, row["version"].value, row["published"].value)


def _rows(answer) -> list:
    rows = list(answer) if isinstance(answer, Rows) else []
    return [row for row in rows if row["graph"].value == default_graph(row["version"].value)]


async def open_release(clients: StoreClients, version: str) -> RemoteStore | None:
    """The store of `version` in the slot that holds it, with its graphs; None if no slot does."""
    held = [r for r in await slot_releases(clients) if r.version == version]
    if not held:
        return None
    # The graphs publishing recorded: an engine's own graphs are not the release's.
    merge = ox.NamedNode(default_graph(version))
    graphs = await clients.store(held[0].endpoint, "", []).query_async(
        layout_query("release_graphs"), substitutions={"_default": merge}
    )
    return clients.store(held[0].endpoint, version, [row["graph"].value for row in graphs])
