"""The thesauri classify every item of the current sources, with the matching rule of
loaders/classify.py: a concept matches when one of its labels (prefLabel, altLabel,
hiddenLabel), lower-cased, occurs in the lower-cased text at a word boundary.

The items are copied from data/sources/ into fixtures/items.txt; a test checks they still occur
there verbatim, so the fixture cannot drift from the documents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, URIRef

ROOT = Path(__file__).resolve().parents[2]
ITEMS = Path(__file__).parent / "fixtures" / "items.txt"
THESAURI = {
    "themenfeld": ROOT / "ontology" / "themenfelder.ttl",
    "sektor": ROOT / "ontology" / "sektoren.ttl",
}
LABELS = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
#: Labels shorter than four characters are allowed only as these abbreviations.
ABBREVIATIONS = {"asd", "awo", "drk", "dji", "§ 8a"}


def read_items() -> list[tuple[int, str, str]]:
    """(line number, kind, text) for each item line of the fixture."""
    items = []
    for number, line in enumerate(ITEMS.read_text(encoding="utf-8").splitlines(), start=1):
        if line and not line.startswith("#"):
            kind, text = line.split("\t", 1)
            items.append((number, kind, text))
    return items


def concept_labels(path: Path) -> dict[URIRef, set[str]]:
    graph = Graph().parse(path)
    return {
        concept: {str(label).lower() for p in LABELS for label in graph.objects(concept, p)}
        for concept in graph.subjects(RDF.type, SKOS.Concept)
    }


def matches(labels: dict[URIRef, set[str]], text: str) -> dict[URIRef, list[str]]:
    """Concepts whose labels occur in `text` at a word boundary, with the labels that matched."""
    lowered = text.lower()
    found: dict[URIRef, list[str]] = {}
    for concept, terms in labels.items():
        hits = [t for t in sorted(terms) if re.search(r"(?<![0-9a-zäöüß])" + re.escape(t), lowered)]
        if hits:
            found[concept] = hits
    return found


@pytest.fixture(scope="module")
def thesauri() -> dict[str, dict[URIRef, set[str]]]:
    return {kind: concept_labels(path) for kind, path in THESAURI.items()}


def test_every_item_matches_a_concept(thesauri: dict[str, dict[URIRef, set[str]]]) -> None:
    unmatched = [
        f"{ITEMS.name}:{number}: no {kind} matches {text[:60]!r}; "
        f"add a stem to ontology/{THESAURI[kind].name}"
        for number, kind, text in read_items()
        if not matches(thesauri[kind], text)
    ]
    assert not unmatched, "\n".join(unmatched)


def test_items_are_copied_verbatim_from_the_sources() -> None:
    documents = [*(ROOT / "data" / "sources").glob("*.txt"), ROOT / "data/reference/projekt.md"]
    corpus = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in documents)
    missing = [
        f"{ITEMS.name}:{number}: {text[:70]!r} is not in data/sources or projekt.md"
        for number, _kind, text in read_items()
        if " ".join(text.split()) not in corpus
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("kind", sorted(THESAURI))
def test_no_stem_is_too_short_or_too_general(
    thesauri: dict[str, dict[URIRef, set[str]]], kind: str
) -> None:
    texts = [text.lower() for _n, k, text in read_items() if k == kind]
    problems = []
    for concept, terms in thesauri[kind].items():
        for term in terms:
            if len(term) < 4 and term not in ABBREVIATIONS:
                problems.append(f"{concept}: label {term!r} is shorter than 4 characters")
            pattern = re.compile(r"(?<![0-9a-zäöüß])" + re.escape(term))
            share = sum(bool(pattern.search(t)) for t in texts) / len(texts)
            if share > 0.3:
                problems.append(f"{concept}: label {term!r} matches {share:.0%} of the items")
    assert not problems, "\n".join(problems)


#: Spot checks that matches are sensible, not merely present: (kind, text, expected concept).
EXPECTED = [
    (
        "themenfeld",
        "Stärkere Vernetzung zwischen Gesundheitswesen und Jugendamt",
        "themenfeld/kooperation-mit-dem-gesundheitswesen",
    ),
    (
        "themenfeld",
        "Grundsätze erfolgreicher Zusammenarbeit mit Familien",
        "themenfeld/zusammenarbeit-mit-familien",
    ),
    (
        "themenfeld",
        "Methoden der Falluntersuchung/-analyse",
        "themenfeld/fallanalyse-und-reflexion",
    ),
    (
        "themenfeld",
        "Prozess-Controlling, Evaluation und Koordination",
        "themenfeld/qualitaetsentwicklung-und-evaluation",
    ),
    ("sektor", "Kinderkliniken", "sektor/gesundheitswesen"),
    ("sektor", "niedergelassene Kinder- und Jugendärzte und -ärztinnen", "sektor/gesundheitswesen"),
    ("sektor", "Allgemeiner Sozialer Dienst", "sektor/oeffentliche-jugendhilfe"),
    (
        "sektor",
        "Freie Träger der Jugendhilfe (Landesarbeitsgemeinschaft der Freien Wohlfahrtspflege "
        "Bremen e.V.)",
        "sektor/freie-traeger",
    ),
    ("sektor", "Alice Salomon Hochschule Berlin", "sektor/wissenschaft"),
    ("sektor", "BMFSFJ", "sektor/politik"),
]


@pytest.mark.parametrize(("kind", "text", "expected"), EXPECTED)
def test_spot_checks(
    thesauri: dict[str, dict[URIRef, set[str]]], kind: str, text: str, expected: str
) -> None:
    found = {str(c).split("/id/", 1)[1] for c in matches(thesauri[kind], text)}
    assert expected in found, f"{text!r} -> {sorted(found)}"


def test_generic_words_do_not_misclassify(thesauri: dict[str, dict[URIRef, set[str]]]) -> None:
    ministry = {
        str(c)
        for c in matches(
            thesauri["sektor"], "Bundesministerium für Familie, Senioren, Frauen und Jugend"
        )
    }
    assert not any(c.endswith("/familien") for c in ministry), ministry
    freie = {str(c) for c in matches(thesauri["sektor"], "Freie Träger der Jugendhilfe")}
    assert not any(c.endswith("/oeffentliche-jugendhilfe") for c in freie), freie
