"""The layout of a published release and the one atomic step that publishes it (DESIGN.md).

    <build_dir>/releases/<version>/   one immutable folder per release
    <build_dir>/current               symlink to the served release, replaced atomically
    <build_dir>/staging-*/            a release being written; never served
    <build_dir>/published.jsonl       when each release was published (kskg/release_history.py)

A reader calls `current_release()`; the builder writes into `staging_dir()` and calls `publish()`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

MANIFEST = "manifest.json"
#: The publication log: one JSON line {"version", "published"} per `publish()`.
LOG = "published.jsonl"

#: Dump formats of a release: key -> (file name, media type).
DUMPS: dict[str, tuple[str, str]] = {
    "trig": ("dataset.trig", "application/trig"),
    "nq": ("dataset.nq", "application/n-quads"),
    "ttl": ("dataset.ttl", "text/turtle"),
    "nt": ("dataset.nt", "application/n-triples"),
    "jsonld": ("dataset.jsonld", "application/ld+json"),
}
SHACL_REPORT_TTL = "shacl-report.ttl"
SHACL_REPORT_TXT = "shacl-report.txt"
SUMMARY_TXT = "summary.txt"


class NoReleaseError(RuntimeError):
    """There is no published release yet (run `kskg build`)."""


@dataclass(frozen=True)
class Release:
    """A published, immutable release folder and its parsed manifest."""

    path: Path
    manifest: dict

    @property
    def version(self) -> str:
        return self.manifest["version"]

    def dump_path(self, fmt: str) -> Path:
        """Path of the dump in format `fmt` (a key of DUMPS)."""
        return self.path / DUMPS[fmt][0]


def current_link(build_dir: Path) -> Path:
    return build_dir / "current"


def open_release(path: Path) -> Release:
    """Open the release folder `path`; raises NoReleaseError if it has no manifest."""
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise NoReleaseError(f"{path}: no {MANIFEST}; not a published release")
    return Release(path=path.resolve(), manifest=json.loads(manifest_path.read_text("utf-8")))


def current_release(build_dir: Path) -> Release:
    """The release `current` points to; raises NoReleaseError if nothing was published."""
    link = current_link(build_dir)
    if not link.exists():
        raise NoReleaseError(f"{link}: no release published yet; run `kskg build`")
    return open_release(link.resolve())


def staging_dir(build_dir: Path) -> Path:
    """A fresh, empty folder inside `build_dir` to write a release into (same filesystem)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="staging-", dir=build_dir))


def publish(staged: Path, build_dir: Path, version: str) -> Release:
    """Move a fully written staging folder to releases/<version> and point `current` at it.

    Both steps are renames within one filesystem, so a reader sees the old release or the new
    one, never a half-written folder; a crash leaves at worst a stale staging folder.
    """
    releases = build_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / version
    if target.exists():
        shutil.rmtree(staged)
    else:
        _fsync_tree(staged)
        os.replace(staged, target)
    tmp_link = build_dir / f".current-{os.getpid()}"
    tmp_link.unlink(missing_ok=True)
    tmp_link.symlink_to(Path("releases") / version)
    os.replace(tmp_link, current_link(build_dir))
    record_publication(build_dir, version)
    return open_release(target)


def now() -> str:
    """The current time as ISO 8601 in UTC, to the second (`2026-12-03T07:18:00Z`)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def record_publication(build_dir: Path, version: str, when: str | None = None) -> None:
    """Append the publication of `version` to the log (one short line: atomic on POSIX)."""
    line = json.dumps({"version": version, "published": when or now()}) + "\n"
    with (build_dir / LOG).open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_tree(folder: Path) -> None:
    """Flush every file of `folder` to disk before it becomes visible as a release."""
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
