"""Classify items against a SKOS thesaurus (docs/loaders.md, "Classification").

The matching terms live in the thesauri (``ontology/themenfelder.ttl``, ``ontology/sektoren.ttl``)
as prefLabel/altLabel/hiddenLabel; this module holds only the rule: a concept matches an item
when one of its labels, lower-cased, occurs in the item's lower-cased text at a word start.
Every match is recorded as a ``ksk:Klassifikation`` saying which word matched which label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kskg.vocab import KSK
from loaders import iris

_LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
_WORD_START = r"(?<![0-9a-zäöüß])"
_REST_OF_WORD = re.compile(r"\w*")


@dataclass(frozen=True)
class Match:
    """A concept found in a text: ``treffer`` is the word in the text, ``suchbegriff`` the label."""

    concept: URIRef
    treffer: str
    suchbegriff: Literal


class Thesaurus:
    """The concepts of one thesaurus graph with their matching labels."""

    def __init__(self, graph: Graph) -> None:
        concepts = sorted(set(graph.subjects(RDF.type, SKOS.Concept)))
        # Patterns compiled once: escaping and looking them up per item and label was a third
        # of the loaders' time on large corpora.
        self._labels: list[tuple[URIRef, list[tuple[Literal, re.Pattern]]]] = [
            (concept, [(label, _pattern(label)) for label in _labels_of(graph, concept)])
            for concept in concepts
            if isinstance(concept, URIRef)
        ]

    def matches(self, text: str) -> list[Match]:
        """Every matching concept in IRI order, each with the first matching label in sort order."""
        lowered = text.lower()
        source = text if len(lowered) == len(text) else lowered
        result = []
        for concept, labels in self._labels:
            for label, pattern in labels:
                found = pattern.search(lowered)
                if found:
                    end = _REST_OF_WORD.match(lowered, found.end()).end()
                    result.append(Match(concept, source[found.start() : end], label))
                    break
        return result


def _labels_of(graph: Graph, concept: URIRef) -> list[Literal]:
    return sorted({label for p in _LABELS for label in graph.objects(concept, p)}, key=_key)


def _pattern(label: Literal) -> re.Pattern:
    return re.compile(_WORD_START + re.escape(str(label).lower()))


def _key(label: Literal) -> tuple[str, str, str]:
    # Labels equal when lower-cased (prefLabel "Allgemeiner Sozialer Dienst", hiddenLabel
    # "allgemeiner sozialer dienst") must still sort the same way in every process.
    return (str(label).lower(), str(label), label.language or "")


def classify(
    graph: Graph, item: URIRef, text: str, thesaurus: Thesaurus, prop: URIRef, fundstelle: URIRef
) -> int:
    """Add ``item prop concept`` and a Klassifikation per match; returns the number of matches."""
    matches = thesaurus.matches(text)
    for match in matches:
        node = iris.klassifikation(item, match.concept)
        graph.add((item, prop, match.concept))
        graph.add((item, KSK.klassifikation, node))
        graph.add((node, RDF.type, KSK.Klassifikation))
        graph.add((node, KSK.konzept, match.concept))
        graph.add((node, KSK.treffer, Literal(match.treffer)))
        graph.add((node, KSK.suchbegriff, Literal(str(match.suchbegriff).lower())))
        graph.add((node, PROV.wasDerivedFrom, fundstelle))
    return len(matches)
