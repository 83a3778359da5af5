"""Shared fixtures: one full load of the project's data (read-only for the tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.sources import LoadResult, load_sources

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"


@pytest.fixture(scope="session")
def loaded() -> LoadResult:
    return load_sources(DATA, ONTOLOGY)
