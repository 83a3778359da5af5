"""Golden graphs: each source document's named graph compared by isomorphism with
tests/loaders/golden/<stem>.ttl. Regenerate after a deliberate change with
``KSKG_REGENERATE_GOLDEN=1 pytest tests/loaders/test_golden.py`` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kskg.namespaces import GRAPH, bind_prefixes
from loaders.sources import LoadResult, load_sources
from tests.loaders.conftest import DATA, ONTOLOGY

GOLDEN = Path(__file__).parent / "golden"
STEMS = sorted(p.stem for p in (DATA / "sources").glob("*.txt"))


def _document_graph(loaded: LoadResult, stem: str) -> Graph:
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    for triple in loaded.dataset.graph(GRAPH[f"dokument/{stem}"]):
        graph.add(triple)
    return graph


@pytest.mark.parametrize("stem", STEMS)
def test_document_graph_matches_golden(loaded: LoadResult, stem: str) -> None:
    actual = _document_graph(loaded, stem)
    path = GOLDEN / f"{stem}.ttl"
    if os.environ.get("KSKG_REGENERATE_GOLDEN") == "1":
        path.write_text(actual.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(path, format="turtle")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            f"{stem}: graph differs from {path.name}\n"
            f"only in the loaded graph:\n{only_actual.serialize(format='nt')}\n"
            f"only in the golden file:\n{only_expected.serialize(format='nt')}"
        )


def test_load_is_deterministic(loaded: LoadResult) -> None:
    again = load_sources(DATA, ONTOLOGY)
    assert _canonical(again) == _canonical(loaded)


def _canonical(result: LoadResult) -> list[str]:
    return sorted(result.dataset.serialize(format="nquads").splitlines())
