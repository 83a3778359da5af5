"""Every release a build folder keeps, with the date it was first published (docs/build.md).

    <build_dir>/releases/<version>/   the kept releases (kskg/release.py)
    <build_dir>/published.jsonl       one line per publication: {"version": …, "published": …}

`kskg.release.publish()` appends a line each time it points `current` at a release; a release's
date is that of its first line (a rebuild to the same version publishes nothing new). A release
folder without a line (published before this log existed) is dated by its folder's mtime. The
order of first publication (the log's order) is the order of the versions: a release's
*previous* release is the one published before it.

A version is named in full (16 hex digits, as in `X-Data-Version`) or by a unique prefix of at
least `MIN_PREFIX` characters (`resolve`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kskg.release import LOG, NoReleaseError, Release, current_link, open_release

MIN_PREFIX = 8


@dataclass(frozen=True)
class PublishedRelease:
    """A kept release and when it was first published (ISO 8601, UTC, seconds)."""

    release: Release
    published: str

    @property
    def version(self) -> str:
        return self.release.version


class VersionError(LookupError):
    """A `version` that names no kept release, or more than one; `known` are the kept ones."""

    def __init__(self, message: str, wanted: str, known: Sequence[str]) -> None:
        super().__init__(message)
        self.message, self.wanted, self.known = message, wanted, list(known)


class UnknownVersion(VersionError):
    """No kept release has this version (or a version starting with it)."""


class AmbiguousVersion(VersionError):
    """The prefix starts more than one kept version (`candidates`)."""

    def __init__(self, message: str, wanted: str, known: Sequence[str], candidates) -> None:
        super().__init__(message, wanted, known)
        self.candidates = list(candidates)


class ShortVersion(VersionError):
    """A prefix shorter than MIN_PREFIX characters, which may stop being unique any day."""


def first_publications(build_dir: Path) -> dict[str, str]:
    """The date of each version's first publication, from the log (unreadable lines skipped:
    a crash may have cut the last one)."""
    dates: dict[str, str] = {}
    try:
        lines = (build_dir / LOG).read_text("utf-8").splitlines()
    except OSError:
        return dates
    for line in lines:
        try:
            entry = json.loads(line)
            dates.setdefault(entry["version"], entry["published"])
        except (ValueError, KeyError, TypeError):
            continue
    return dates


def published_releases(build_dir: Path) -> list[PublishedRelease]:
    """Every kept release, oldest first: in the order of the log (releases it does not name,
    published before it existed, first, by date)."""
    dates = first_publications(build_dir)
    order = {version: index for index, version in enumerate(dates)}
    found = []
    folder = build_dir / "releases"
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        try:
            release = open_release(path)
            version = release.version
        except (NoReleaseError, OSError, ValueError, KeyError):
            continue
        found.append(PublishedRelease(release, dates.get(version) or _mtime_date(path)))
    return sorted(found, key=lambda p: (order.get(p.version, -1), p.published, p.version))


def resolve(versions: Sequence[str], wanted: str) -> str:
    """The one version of `versions` that is `wanted` or starts with it; raises a VersionError."""
    if wanted in versions:
        return wanted
    if len(wanted) < MIN_PREFIX:
        raise ShortVersion(
            f"version {wanted!r}: give the full version or at least {MIN_PREFIX} characters",
            wanted,
            versions,
        )
    candidates = [v for v in versions if v.startswith(wanted)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise AmbiguousVersion(
            f"version {wanted!r} starts {len(candidates)} releases: {', '.join(candidates)}",
            wanted,
            versions,
            candidates,
        )
    raise UnknownVersion(f"no release {wanted!r} is kept", wanted, versions)


def prune(build_dir: Path, keep: int | None) -> list[str]:
    """Remove all but the `keep` most recently published releases (None: keep all); the
    release `current` points to is never removed. Returns the removed versions."""
    if keep is None:
        return []
    link = current_link(build_dir)
    current = link.resolve() if link.exists() else None
    kept = published_releases(build_dir)
    removed = []
    for old in kept[: max(0, len(kept) - keep)]:
        if old.release.path != current:
            shutil.rmtree(old.release.path, ignore_errors=True)
            removed.append(old.version)
    return removed


def _mtime_date(path: Path) -> str:
    stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return stamp.replace(microsecond=0).isoformat().replace("+00:00", "Z")
