"""The classification rule, against a small inline thesaurus."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF

from kskg.vocab import KSK
from loaders.classify import Thesaurus, classify

TF = Namespace("https://w3id.org/kinderschutz-kg/id/themenfeld/")

THESAURUS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tf: <https://w3id.org/kinderschutz-kg/id/themenfeld/> .
tf:netzwerk a skos:Concept ; skos:prefLabel "Kooperation und Netzwerke"@de ;
    skos:altLabel "vernetzung"@de ; skos:hiddenLabel "netzwerk"@de , "kooperation"@de .
tf:fehler a skos:Concept ; skos:prefLabel "Fehlerkultur"@de ; skos:hiddenLabel "fehler"@de .
tf:eltern a skos:Concept ; skos:prefLabel "Beteiligung"@de ; skos:hiddenLabel "eltern"@de .
"""


@pytest.fixture(scope="module")
def thesaurus() -> Thesaurus:
    return Thesaurus(Graph().parse(data=THESAURUS, format="turtle"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Stärkere Vernetzung zwischen Gesundheitswesen und Jugendamt",
            [(TF.netzwerk, "Vernetzung", "vernetzung")],
        ),
        ("Optimierung des Netzwerkes", [(TF.netzwerk, "Netzwerkes", "netzwerk")]),
        ("Kinderschutznetzwerk", []),
        (
            "Fehleroffenheit und Kooperation",
            [(TF.fehler, "Fehleroffenheit", "fehler"), (TF.netzwerk, "Kooperation", "kooperation")],
        ),
        ("Gesundheitsamt-Jugendhilfe-Netzwerk", [(TF.netzwerk, "Netzwerk", "netzwerk")]),
        ("Eltern- und Kinder", [(TF.eltern, "Eltern", "eltern")]),
        ("nichts davon", []),
    ],
)
def test_labels_match_at_word_start(thesaurus: Thesaurus, text: str, expected: list) -> None:
    got = [(m.concept, m.treffer, str(m.suchbegriff)) for m in thesaurus.matches(text)]
    assert got == expected


def test_first_label_in_sorted_order_wins(thesaurus: Thesaurus) -> None:
    (match,) = thesaurus.matches("Kooperation im Netzwerk")
    assert str(match.suchbegriff) == "kooperation" and match.treffer == "Kooperation"


def test_classify_records_a_klassifikation(thesaurus: Thesaurus) -> None:
    graph = Graph()
    item = URIRef("https://w3id.org/kinderschutz-kg/id/massnahme/x/1")
    fundstelle = URIRef("https://w3id.org/kinderschutz-kg/id/dokument/x#L3")
    assert classify(graph, item, "Fehlerkultur", thesaurus, KSK.themenfeld, fundstelle) == 1
    node = URIRef(f"{item}/klassifikation/fehler")
    assert set(graph) == {
        (item, KSK.themenfeld, TF.fehler),
        (item, KSK.klassifikation, node),
        (node, RDF.type, KSK.Klassifikation),
        (node, KSK.konzept, TF.fehler),
        (node, KSK.treffer, Literal("Fehlerkultur")),
        (node, KSK.suchbegriff, Literal("fehler")),
        (node, PROV.wasDerivedFrom, fundstelle),
    }
