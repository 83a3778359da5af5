"""Building the same inputs twice gives byte-identical releases (DESIGN.md, "Release layout")."""

from __future__ import annotations

from pathlib import Path

from kskg.release import current_release
from tests.build.conftest import Built, file_digests, run_kskg


def test_rebuild_in_another_process_is_byte_identical(built: Built, tmp_path: Path) -> None:
    """A second build, in a fresh interpreter (other hash seed, other bnode ids), other folder."""
    build_dir = tmp_path / "build"
    result = run_kskg(
        "build",
        "--data-dir",
        str(built.settings.data_dir),
        "--build-dir",
        str(build_dir),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    again = current_release(build_dir)
    assert again.version == built.release.version
    assert file_digests(again.path) == file_digests(built.release.path)
