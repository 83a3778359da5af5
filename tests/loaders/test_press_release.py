"""The press release (003): parsing and mapping."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kskg.namespaces import GRAPH, ID, SCHEMA
from kskg.vocab import KSK
from loaders.diagnostics import SourceError
from loaders.press_release_parser import is_press_release, parse_press_release
from loaders.profile_parser import read_lines
from loaders.sources import LoadResult

STEM = "003_7d62d1692db32bc5"
TEXT = (
    "Insgesamt 42 Kommunen haben am 12. November ihre Erfahrungen mit dem vom "
    "Bundesministerium für Familie, Senioren, Frauen und Jugend geförderten Projekt "
    '"Aus Fehlern lernen - X" des Nationalen '
    "Zentrums Frühe Hilfen (NZFH) in Berlin vorgestellt.\n"
    'Zu diesem Anlass stellte Bundesfamilienministerin Kristina Schröder fest: "Ein Satz."\n'
    "Zentrale Ergebnisse sind:\n- Erstens.\n- Zweitens.\nDanach.\n- kein Befund\n"
    "Das Projekt wurde von der A Hochschule in Kooperation mit dem B Verein durchgeführt. "
    "Fast 600 Fachkräfte haben sich beteiligt."
)


def test_facts_with_lines() -> None:
    release = parse_press_release("p.txt", TEXT)
    assert (release.title.value, release.title.line) == ("Aus Fehlern lernen - X", 1)
    assert release.kommunen.value == "42"
    assert release.day == (12, 11, None, 1)
    assert release.location.value == "Berlin"
    assert release.foerderer.value == "Bundesministerium für Familie, Senioren, Frauen und Jugend"
    assert (release.auftraggeber[0].value, release.auftraggeber[1]) == (
        "Nationalen Zentrums Frühe Hilfen",
        "NZFH",
    )
    assert [f.value for f in release.durchfuehrung] == ["A Hochschule", "B Verein"]
    assert release.fachkraefte[0].value == "600" and release.fachkraefte[1] == "Fast 600 Fachkräfte"
    assert (release.quote.amt, release.quote.name, release.quote.text, release.quote.line) == (
        "Bundesfamilienministerin",
        "Kristina Schröder",
        "Ein Satz.",
        2,
    )
    assert [(f.value, f.line) for f in release.befunde] == [("Erstens.", 4), ("Zweitens.", 5)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(TEXT, True), ("PARTNERKOMMUNE\nKreis A", False), ('Das Projekt "Anderes" lief gut.', False)],
)
def test_detected_by_content(text: str, expected: bool) -> None:
    assert is_press_release(read_lines(text)) is expected


def test_without_title_is_an_error() -> None:
    with pytest.raises(SourceError, match="not a press release"):
        parse_press_release("p.txt", "Nur Text.")


def test_mapped_graph(loaded: LoadResult) -> None:
    g = loaded.dataset.graph(GRAPH[f"dokument/{STEM}"])
    projekt = ID["projekt/aus-fehlern-lernen"]
    event = ID["ereignis/abschlussveranstaltung-2010-11-12"]
    assert (
        g.value(projekt, KSK.foerderer)
        == ID["organisation/bundesministerium-fuer-familie-senioren-frauen-und-jugend"]
    )
    assert g.value(projekt, KSK.auftraggeber) == ID["organisation/nationales-zentrum-fruehe-hilfen"]
    assert set(g.objects(projekt, KSK.durchfuehrung)) == {
        ID["organisation/alice-salomon-hochschule-berlin"],
        ID["organisation/kronberger-kreis-fuer-qualitaetsentwicklung-ev"],
    }
    assert g.value(projekt, KSK.anzahlKommunen) == Literal(42)
    assert g.value(projekt, KSK.teilnehmerzahl) == Literal(600)
    assert g.value(event, SCHEMA.startDate).toPython().isoformat() == "2010-11-12"
    sources = set(g.objects(event, PROV.wasDerivedFrom))
    assert {ID[f"dokument/{STEM}#L1"], ID["dokument/projekt#L34"]} <= sources
    assert g.value(event, RDFS.comment) is not None
    quote = URIRef(f"{event}/zitat/1")
    assert (quote, RDF.type, SCHEMA.Quotation) in g
    assert g.value(quote, SCHEMA.creator) == ID["person/kristina-schroeder"]
    befunde = sorted(g.subjects(RDF.type, KSK.Befund))
    assert befunde == [ID["befund/1"], ID["befund/2"], ID["befund/3"]]
    assert all(set(g.objects(b, KSK.themenfeld)) for b in befunde)
