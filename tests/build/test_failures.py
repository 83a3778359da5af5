"""Builds that must not publish: broken documents, SHACL violations, time-outs, a killed build.

Each starts from a copy of a published release (the `previous` fixture) and checks that the
release is still current and byte-for-byte unchanged afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from kskg.release import current_link
from kskg.settings import Settings
from loaders.build import BuildError, build
from tests.build.conftest import KSKG, Built, clean_env, file_digests, run_kskg

PROFILE = "000_6d25c97e395e9f6f.txt"


def assert_untouched(previous: Built, before: dict[str, str]) -> None:
    """The previous release is still current, its files unchanged, no staging folder left."""
    link = current_link(previous.build_dir)
    assert link.resolve() == previous.release.path
    assert file_digests(previous.release.path) == before
    assert sorted(p.name for p in (previous.build_dir / "releases").iterdir()) == [
        previous.release.version
    ]


def replace_line(path: Path, old: str, new: str) -> int:
    """Replace the line `old` of `path` by `new` (keeping the missing final newline); returns
    its 1-based number."""
    lines = path.read_text("utf-8").split("\n")
    number = lines.index(old)
    lines[number] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def build_cli(previous: Built) -> subprocess.CompletedProcess:
    return run_kskg(
        "build",
        "--data-dir",
        str(previous.settings.data_dir),
        "--build-dir",
        str(previous.build_dir),
        cwd=previous.build_dir.parent,
    )


def test_broken_document_exits_1_with_file_and_line(previous: Built) -> None:
    before = file_digests(previous.release.path)
    source = previous.settings.data_dir / "sources" / PROFILE
    line = replace_line(source, "KINDERSCHUTZCLUSTER 1", "KINDERSCHUTZCLUSTER ATLANTIS")
    result = build_cli(previous)
    assert result.returncode == 1
    assert f"data/sources/{PROFILE}:{line}: " in result.stderr
    assert "ATLANTIS" in result.stderr
    assert "Traceback" not in result.stderr
    assert_untouched(previous, before)
    assert not list(previous.build_dir.glob("staging-*"))


def test_empty_document_exits_1_with_file_and_line(previous: Built) -> None:
    before = file_digests(previous.release.path)
    (previous.settings.data_dir / "sources" / PROFILE).write_text("", encoding="utf-8")
    result = build_cli(previous)
    assert result.returncode == 1
    assert f"data/sources/{PROFILE}:" in result.stderr
    assert "Traceback" not in result.stderr
    assert_untouched(previous, before)


def test_shacl_violation_blocks_publishing(previous: Built) -> None:
    """Two Modellkommunen in cluster 1 (real input: a role changed in kommunen.csv)."""
    before = file_digests(previous.release.path)
    csv = previous.settings.data_dir / "reference" / "kommunen.csv"
    text = csv.read_text("utf-8")
    row = "Kreis Segeberg,Kreis,DE-SH,01060,,,1,,Partnerkommune"
    assert row in text
    csv.write_text(text.replace(row, row.replace("Partnerkommune", "Modellkommune")), "utf-8")
    with pytest.raises(BuildError) as raised:
        build(previous.settings, lambda line: None)
    message = str(raised.value)
    assert "violation(s); nothing was published" in message
    assert "kskid:cluster/1" in message
    assert "ksks:Cluster-modellkommune" in message
    assert "data/reference/" in message  # the Fundstelle of the cluster, as file:line
    assert_untouched(previous, before)
    assert not list(previous.build_dir.glob("staging-*"))


def test_validation_time_limit_kills_the_child(previous: Built) -> None:
    before = file_digests(previous.release.path)
    settings = Settings(
        data_dir=previous.settings.data_dir, build_dir=previous.build_dir, shacl_timeout_s=0.001
    )
    with pytest.raises(BuildError, match=r"validation exceeded 0.001 s"):
        build(settings, lambda line: None)
    assert_untouched(previous, before)


def test_no_shapes_is_an_error(previous: Built, tmp_path: Path) -> None:
    (tmp_path / "no-shapes").mkdir()
    settings = Settings(
        data_dir=previous.settings.data_dir,
        build_dir=previous.build_dir,
        shapes_dir=tmp_path / "no-shapes",
    )
    with pytest.raises(BuildError, match="no SHACL shapes"):
        build(settings, lambda line: None)


def test_kill_9_during_a_build_leaves_the_previous_release(previous: Built) -> None:
    before = file_digests(previous.release.path)
    command = [KSKG, "build", "--data-dir", str(previous.settings.data_dir)]
    command += ["--build-dir", str(previous.build_dir)]
    process = subprocess.Popen(
        command, env=clean_env(), stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        first = process.stderr.readline()
        assert first.startswith("parse "), first
    finally:
        # The build and its pySHACL child form one process group: kill both, as `kill -9`
        # of a terminal's job would.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert_untouched(previous, before)
    # The next build removes what the killed one left and publishes normally; the same inputs
    # give the same version, so the release folder is kept as it is and `current` re-pointed.
    release = build(previous.settings, lambda line: None)
    assert release.version == previous.release.version
    assert current_link(previous.build_dir).resolve() == release.path
    assert file_digests(previous.release.path) == before
    assert not list(previous.build_dir.glob("staging-*"))
