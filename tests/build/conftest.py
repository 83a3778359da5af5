"""Fixtures for the build tests: copies of the real data/ and one real release shared by the
tests that only read it (a build takes a few seconds)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kskg.release import Release, current_link
from kskg.settings import PROJECT_ROOT, Settings
from loaders.build import build

KSKG = str(Path(sys.executable).with_name("kskg"))


def copy_data(target: Path) -> Path:
    """A copy of data/sources and data/reference under `target`/data (never data/build)."""
    data = target / "data"
    for part in ("sources", "reference"):
        shutil.copytree(PROJECT_ROOT / "data" / part, data / part)
    return data


def file_digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_kskg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed `kskg` command; the caller's KSKG_* settings are not inherited."""
    return subprocess.run(
        [KSKG, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=120
    )


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KSKG_")}
    return {**env, **extra}


@dataclass(frozen=True)
class Built:
    """A release built from a copy of data/: where it came from and what the build printed."""

    settings: Settings
    release: Release
    progress: list[str]

    @property
    def build_dir(self) -> Path:
        return self.settings.build_dir


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real data/ built once into a temporary build folder (read-only for the tests)."""
    root = tmp_path_factory.mktemp("real")
    settings = Settings(data_dir=copy_data(root), build_dir=root / "build")
    progress: list[str] = []
    release = build(settings, progress.append)
    assert current_link(settings.build_dir).resolve() == release.path
    return Built(settings, release, progress)


@pytest.fixture
def previous(built: Built, tmp_path: Path) -> Built:
    """A writable copy of the shared build folder and data (a 'previous release' to protect)."""
    data = copy_data(tmp_path)
    build_dir = tmp_path / "build"
    shutil.copytree(built.build_dir, build_dir, symlinks=True)
    settings = Settings(data_dir=data, build_dir=build_dir)
    release = Release(current_link(build_dir).resolve(), built.release.manifest)
    return Built(settings, release, [])
