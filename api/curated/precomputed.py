"""The precomputed curated answers of a served release (kskg/curated_answers.py), opened once
per release folder."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kskg.curated_answers import ReleaseAnswers
from kskg.release import Release


def release_answers(release: Release) -> ReleaseAnswers:
    """The answers the build stored in `release` (none for a release built before them)."""
    return _opened(release.path)


# A few releases at most are served at once (the current one and `version=V` pins).
@lru_cache(maxsize=16)
def _opened(path: Path) -> ReleaseAnswers:
    return ReleaseAnswers.open(path)
