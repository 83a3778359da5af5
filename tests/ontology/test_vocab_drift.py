"""kskg/vocab.py is generated from the ontology; fail when the committed file has drifted."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kskg import vocab_gen


def test_vocab_module_matches_the_ontology() -> None:
    expected = vocab_gen.generate()
    actual = vocab_gen.TARGET.read_text(encoding="utf-8")
    assert actual == expected, (
        "kskg/vocab.py is out of date with ontology/kinderschutz.ttl; "
        "run `.venv/bin/python -m kskg.vocab_gen` and commit the result"
    )


def test_every_declared_term_is_in_the_namespace_class() -> None:
    from kskg.vocab import KSK

    graph = Graph().parse(vocab_gen.ONTOLOGY)
    for _heading, terms in vocab_gen.terms_by_kind(graph):
        for term in terms:
            assert KSK[str(term)[len(vocab_gen.NAMESPACE) :]] == term


def test_misspelt_term_fails() -> None:
    from kskg.vocab import KSK

    assert str(KSK.Massnahme) == "https://w3id.org/kinderschutz-kg/ontology#Massnahme"
    with pytest.raises(AttributeError):
        _ = KSK.Massnahmen
