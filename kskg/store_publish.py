"""`kskg publish --store`: put a release into a remote engine without a moment in which a reader
sees half of it (blue/green over the slots of kskg/store_layout.py), then make it current.

1. Choose the idle slot: neither the one holding the current release nor the most recently
   published one (which replicas may still serve). With fewer than two slots nothing is idle.
2. Wait until no replica can still be reading it: `release_poll_s + query_timeout_s` after the
   last switch of `current`.
3. Empty it, bulk-load the release's N-Quads dump (never TriG: Virtuoso mangles escaped local
   names in TriG), build the merge graph.
4. Check the quads of every graph against the dump, the totals and number of graphs against the
   manifest, and the version triple; only then record the release's graphs (`record_graph.rq`)
   and write the mark that makes the slot's release visible (`mark_published.rq`).
5. Point `<build_dir>/current` at the release. Each replica switches at its next poll.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox

from api.engine.values_binding import bind_values
from kskg.namespaces import XSD
from kskg.release import Release, current_link, current_release
from kskg.settings import Settings
from kskg.store_layout import default_graph, is_internal, layout_query

XSD_DATETIME = ox.NamedNode(XSD + "dateTime")


class PublishError(RuntimeError):
    """The release could not be put into the engine; what was served stays served."""


def publish_to_store(settings: Settings, release: Release, say: Callable[[str], None]) -> str:
    """Load `release` into an idle slot, check it, mark it published and make it current;
    returns the slot's query endpoint. Raises PublishError."""
    slots = _slots(settings)
    try:
        with httpx.Client(
            auth=_auth(settings), timeout=httpx.Timeout(600.0, connect=10.0)
        ) as client:
            index = _publish(client, settings, slots, release, say)
    except httpx.HTTPError as error:
        raise PublishError(f"the engine cannot be reached: {error}") from error
    _make_current(settings, release)
    return slots[index][0]


def _publish(client, settings: Settings, slots: list, release: Release, say) -> int:
    held = [_slot_release(client, slot[0]) for slot in slots]
    for index, found in enumerate(held):
        if found is not None and found[0] == release.version:
            say(f"release {release.version} is already in the engine")
            return index
    index = _idle_slot(held, _current_version(settings))
    if held[index] is not None:
        _wait_for_readers(settings, say)
    _load(client, slots[index], release, say)
    return index


def _slots(settings: Settings) -> list[tuple[str, str, str]]:
    queries = settings.store_slots()
    updates, data = settings.store_write_urls("update"), settings.store_write_urls("data")
    if not queries:
        raise PublishError("no store configured: set KSKG_STORE_URL (docs/deploy.md)")
    if len(updates) != len(queries) or len(data) != len(queries):
        raise PublishError(
            f"KSKG_STORE_URL names {len(queries)} slot(s), but KSKG_STORE_UPDATE_URL names "
            f"{len(updates)} and KSKG_STORE_DATA_URL {len(data)}: give one of each per slot"
        )
    return list(zip(queries, updates, data, strict=True))


def _auth(settings: Settings) -> httpx.BasicAuth | None:
    if settings.store_user is None:
        return None
    password = settings.store_password.get_secret_value() if settings.store_password else ""
    return httpx.BasicAuth(settings.store_user, password)


def _slot_release(client: httpx.Client, endpoint: str) -> tuple[str, str] | None:
    """(version, published) of the release a slot holds, None if it holds none."""
    rows = _select(client, endpoint, layout_query("slot_releases"))
    for row in rows:
        version = _value(row["version"])
        if _value(row["graph"]) == default_graph(version):
            return version, _value(row["published"])
    return None


def _idle_slot(held: list[tuple[str, str] | None], current: str | None) -> int:
    newest = max((h[1] for h in held if h), default=None)
    busy = {i for i, h in enumerate(held) if h and (h[0] == current or h[1] == newest)}
    idle = [i for i in range(len(held)) if i not in busy]
    if not idle:
        raise PublishError(
            f"no idle slot: the engine has {len(held)} slot(s) and every one may be serving "
            "(the current release or the newest published one); configure two slots for "
            "blue/green publishing (docs/deploy.md)"
        )
    return min(idle, key=lambda i: held[i][1] if held[i] else "")


def _current_version(settings: Settings) -> str | None:
    try:
        return current_release(settings.build_dir).version
    except (OSError, RuntimeError):
        return None


def _wait_for_readers(settings: Settings, say: Callable[[str], None]) -> None:
    link = current_link(settings.build_dir)
    grace = settings.release_poll_s + settings.query_timeout_s + 1.0
    try:
        ready = os.lstat(link).st_mtime + grace
    except OSError:
        return
    if (wait := ready - time.time()) > 0:
        say(f"waiting {wait:.1f} s until no replica can still read the idle slot")
        time.sleep(wait)


def _load(client, slot: tuple[str, str, str], release: Release, say) -> None:
    query, update, data = slot
    merge = ox.NamedNode(default_graph(release.version))
    _update(client, update, layout_query("clear_slot"))
    dump = release.dump_path("nq")
    say(f"loading {dump.name} into {data}")
    with dump.open("rb") as body:
        response = client.post(data, content=body, headers={"Content-Type": "application/n-quads"})
    _check(response, f"POST {data}")
    _update(client, update, bind_values(layout_query("build_merge"), {"_default": merge}))
    for graph in sorted(_verify(client, query, release)):
        recorded = {"_default": merge, "_graph": ox.NamedNode(graph)}
        _update(client, update, bind_values(layout_query("record_graph"), recorded))
    now = ox.Literal(datetime.now(UTC).isoformat(), datatype=XSD_DATETIME)
    marked = bind_values(layout_query("mark_published"), {"_default": merge, "_published": now})
    _update(client, update, marked)
    say(f"release {release.version} is published in {query}")


def _verify(client: httpx.Client, endpoint: str, release: Release) -> set[str]:
    """The release's named graphs; raises PublishError unless the slot holds exactly the
    release's quads per graph."""
    loaded = {_value(r["graph"]): int(_value(r["quads"])) for r in
              _select(client, endpoint, layout_query("graph_sizes"))}  # fmt: skip
    merged = loaded.pop(default_graph(release.version), 0)
    loaded = {g: n for g, n in loaded.items() if not is_internal(g)}
    expected = _dump_counts(release.dump_path("nq"))
    counts = release.manifest["counts"]
    problems = [f"graph {g}: {loaded.get(g, 0)} quads, the dump has {n}"
                for g, n in expected.items() if loaded.get(g, 0) != n]  # fmt: skip
    problems += [f"graph {g} is not in the release" for g in loaded.keys() - expected.keys()]
    if sum(loaded.values()) != counts["quads"] or len(loaded) != counts["graphs"]:
        problems.append(f"{sum(loaded.values())} quads in {len(loaded)} graphs, the manifest "
                        f"says {counts['quads']} in {counts['graphs']}")  # fmt: skip
    if merged != counts["triples"]:
        problems.append(f"merge graph: {merged} triples, the manifest says {counts['triples']}")
    if not problems and not _has_version(client, endpoint, release.version):
        problems.append(f"the version triple of {release.version} is missing")
    if problems:
        raise PublishError(f"{endpoint}: the load does not match the release: {problems}")
    return set(expected)


def _dump_counts(dump: Path) -> Counter:
    with dump.open("rb") as handle:
        return Counter(q.graph_name.value for q in ox.parse(handle, format=ox.RdfFormat.N_QUADS))


def _has_version(client: httpx.Client, endpoint: str, version: str) -> bool:
    bound = {"_default": ox.NamedNode(default_graph(version)), "_version": ox.Literal(version)}
    response = client.post(
        endpoint,
        data={"query": bind_values(layout_query("release_version"), bound)},
        headers={"Accept": "application/sparql-results+json"},
    )
    _check(response, f"POST {endpoint}")
    return bool(response.json().get("boolean"))


def _select(client: httpx.Client, endpoint: str, sparql: str) -> list:
    response = client.post(
        endpoint, data={"query": sparql}, headers={"Accept": "application/sparql-results+json"}
    )
    _check(response, f"POST {endpoint}")
    return list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON))


def _update(client: httpx.Client, endpoint: str, sparql: str) -> None:
    _check(client.post(endpoint, data={"update": sparql}), f"POST {endpoint}")


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 300:
        raise PublishError(f"{what}: {response.status_code} {response.text[:300]}")


def _value(term) -> str:
    return term.value


def _make_current(settings: Settings, release: Release) -> None:
    """Point `current` at `release` (a folder under releases/), atomically."""
    link = current_link(settings.build_dir)
    if link.exists() and link.resolve() == release.path:
        return
    tmp = settings.build_dir / f".current-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(os.path.relpath(release.path, settings.build_dir))
    os.replace(tmp, link)
