"""kskg/release_history.py: the kept releases, their order and dates, naming a version by a
prefix, and keep_releases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kskg.release import LOG, current_release, publish, staging_dir
from kskg.release_history import (
    AmbiguousVersion,
    ShortVersion,
    UnknownVersion,
    prune,
    published_releases,
    resolve,
)


def _publish(build_dir: Path, version: str) -> None:
    staged = staging_dir(build_dir)
    (staged / "manifest.json").write_text(json.dumps({"version": version}))
    publish(staged, build_dir, version)


def test_releases_in_the_order_of_first_publication(tmp_path: Path) -> None:
    for version in ("ffff000000000001", "0000000000000002", "ffff000000000001"):
        _publish(tmp_path, version)
    kept = published_releases(tmp_path)
    assert [k.version for k in kept] == ["ffff000000000001", "0000000000000002"]
    assert all(k.published.endswith("Z") for k in kept)
    assert len((tmp_path / LOG).read_text().splitlines()) == 3
    assert current_release(tmp_path).version == "ffff000000000001"


def test_resolve_by_full_version_or_unique_prefix() -> None:
    versions = ["3657b5d6c26214d4", "3657b5d6ffffffff", "8a4b8d86f0baf5b2"]
    assert resolve(versions, "8a4b8d86f0baf5b2") == "8a4b8d86f0baf5b2"
    assert resolve(versions, "8a4b8d86") == "8a4b8d86f0baf5b2"
    with pytest.raises(AmbiguousVersion) as ambiguous:
        resolve(versions, "3657b5d6")
    assert ambiguous.value.candidates == ["3657b5d6c26214d4", "3657b5d6ffffffff"]
    with pytest.raises(ShortVersion):
        resolve(versions, "8a4b8d8")
    with pytest.raises(UnknownVersion) as unknown:
        resolve(versions, "0123456789abcdef")
    assert unknown.value.known == versions


def test_prune_keeps_the_newest_and_always_the_current(tmp_path: Path) -> None:
    for n in range(4):
        _publish(tmp_path, f"{n:016x}")
    assert prune(tmp_path, None) == []
    assert prune(tmp_path, 2) == [f"{0:016x}", f"{1:016x}"]
    assert [k.version for k in published_releases(tmp_path)] == [f"{2:016x}", f"{3:016x}"]
    _publish(tmp_path, f"{2:016x}")  # back to an older one: it is current, so it stays too
    assert prune(tmp_path, 1) == []
    assert [k.version for k in published_releases(tmp_path)] == [f"{2:016x}", f"{3:016x}"]
