"""bench/synth_graph.py: copies of the per-Kommune quads, shared nodes untouched, deterministic."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from bench.synth_graph import generate_graph, split_template
from tests.bench.conftest import FIXTURES

KSK = "https://w3id.org/kinderschutz-kg/ontology#"


def _template(tmp_path: Path) -> Path:
    dataset = Dataset()
    dataset.parse(FIXTURES / "mini.trig", format="trig")
    path = tmp_path / "template.nq"
    path.write_text(dataset.serialize(format="nquads"), "utf-8")
    return path


def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)


def test_the_graph_reaches_the_size_in_whole_copies(tmp_path):
    info = generate_graph(_template(tmp_path), tmp_path / "g.nq", 2_000)
    lines = (tmp_path / "g.nq").read_text("utf-8").splitlines()
    assert info.quads == len(lines) >= 2_000
    assert info.quads == info.shared + info.copies * info.per_copy


def test_copies_are_new_resources_linked_to_the_same_shared_nodes(tmp_path):
    template = _template(tmp_path)
    info = generate_graph(template, tmp_path / "g.nq", 1_000)
    store, base = ox.Store(), ox.Store()
    store.load(path=str(tmp_path / "g.nq"), format=ox.RdfFormat.N_QUADS)
    base.load(path=str(template), format=ox.RdfFormat.N_QUADS)
    kommunen = f"SELECT (COUNT(DISTINCT ?k) AS ?n) {{ GRAPH ?g {{ ?k a <{KSK}Kommune> }} }}"
    assert _count(store, kommunen) == info.copies * _count(base, kommunen)
    modell = f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?c <{KSK}modellkommune> ?k }} }}"
    assert _count(store, modell) == _count(base, modell)
    clusters = f"SELECT (COUNT(DISTINCT ?c) AS ?n) {{ GRAPH ?g {{ ?k <{KSK}cluster> ?c }} }}"
    assert _count(store, clusters) == _count(base, clusters)
    assert len(store) == info.quads


def test_generation_is_deterministic(tmp_path):
    template = _template(tmp_path)
    generate_graph(template, tmp_path / "a.nq", 500)
    generate_graph(template, tmp_path / "b.nq", 500)
    assert (tmp_path / "a.nq").read_bytes() == (tmp_path / "b.nq").read_bytes()


def test_a_template_without_kommunen_is_refused(tmp_path):
    empty = tmp_path / "empty.nq"
    empty.write_text('<http://example.org/a> <http://example.org/b> "c" .\n', "utf-8")
    assert split_template(empty.read_text("utf-8").splitlines()).per_copy == []
    with pytest.raises(ValueError, match="no Kommune-scoped quads"):
        generate_graph(empty, tmp_path / "out.nq", 10)
