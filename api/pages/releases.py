"""The kept releases as data (`GET /releases`) and what changed between two of them
(`GET /releases/V1/diff/V2`), shared by their JSON and HTML (docs/api.md "Versions").

A diff of two immutable releases never changes, so each one is computed once
(kskg/release_diff.py, in a thread: it builds a transient store of the two releases) and kept
in a small LRU.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from urllib.parse import quote, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool

from api.http.served import Served
from api.http.versions import ReleaseArchive
from kskg.release import Release
from kskg.release_diff import diff
from kskg.release_history import PublishedRelease

#: Diffs kept (each a few KiB of JSON-ready data).
KEPT_DIFFS = 32


def root_of(served: Served) -> str:
    """The URL path prefix of the public base, ending in '/'."""
    return (urlsplit(served.settings.public_base).path or "/").rstrip("/") + "/"


def with_version(path: str, version: str, **params: str) -> str:
    """`path` asking release `version` (and `params`) in its query string."""
    return f"{path}?{urlencode({**params, 'version': version})}"


class Diffs:
    """Computed diffs by (older version, newer version), least recently used dropped."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, str], dict] = OrderedDict()
        self._lock = asyncio.Lock()

    async def between(self, old: Release, new: Release) -> dict:
        key = (old.version, new.version)
        async with self._lock:
            if key not in self._kept:
                self._kept[key] = await run_in_threadpool(diff, old, new)
                while len(self._kept) > KEPT_DIFFS:
                    self._kept.popitem(last=False)
            self._kept.move_to_end(key)
            return self._kept[key]


async def release_entries(
    archive: ReleaseArchive, diffs: Diffs, served: Served, current: str
) -> list[dict]:
    """Every kept release, newest first, with its changes against the one before it."""
    kept = archive.releases()
    root = root_of(served)
    entries = []
    for index, published in enumerate(kept):
        previous = kept[index - 1] if index else None
        changes = None
        if previous is not None:
            changes = await diffs.between(previous.release, published.release)
        entries.append(entry(published, previous, changes, root, current))
    return entries[::-1]


def entry(
    published: PublishedRelease,
    previous: PublishedRelease | None,
    changes: dict | None,
    root: str,
    current: str,
) -> dict:
    manifest = published.release.manifest
    version = published.version
    counts = manifest.get("counts", {})
    return {
        "version": version,
        "published": published.published,
        "current": version == current,
        "generator": manifest.get("generator"),
        "counts": {k: counts.get(k) for k in ("triples", "quads", "graphs")},
        "per_class": counts.get("per_class", {}),
        "validation": manifest.get("validation"),
        "sources": [
            {k: s.get(k) for k in ("file", "sha256", "lines", "graph")}
            for s in manifest.get("sources", [])
        ],
        "dumps": {
            name: info.get("sha256") for name, info in sorted(manifest.get("files", {}).items())
        },
        "previous_version": previous.version if previous else None,
        "changes": None if changes is None else brief(changes, root),
        "links": {
            "sparql": with_version(root + "sparql", version),
            "dumps": with_version(root + "dumps/", version),
            "dataset": with_version(root + "dataset", version),
        },
    }


def brief(changes: dict, root: str) -> dict:
    """The changes against the previous release as /releases lists them (the full diff is
    behind `diff`)."""
    return {
        "triples": changes["triples"],
        "graphs": changes["graphs"],
        "kommunen": changes["kommunen"],
        "diff": diff_path(root, changes["from"], changes["to"]),
    }


def diff_path(root: str, old: str, new: str, **params: str) -> str:
    path = f"{root}releases/{quote(old)}/diff/{quote(new)}"
    return f"{path}?{urlencode(params)}" if params else path


def diff_body(result: dict, root: str) -> dict:
    """The JSON of GET /releases/V1/diff/V2: the diff with links to its two N-Quads parts."""
    old, new = result["from"], result["to"]
    patch = {
        part: diff_path(root, old, new, format="nquads", part=part) for part in ("added", "removed")
    }
    return {**result, "patch": patch}
