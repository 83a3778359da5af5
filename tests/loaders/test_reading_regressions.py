"""One regression test per class of reading bug named in issue 10, each on a small sheet mapped
with the project's reference data and thesauri (the Kommune is the real Kreis Lippe)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import PROV, RDFS

from kskg.namespaces import ID
from kskg.vocab import KSK
from loaders.diagnostics import Severity, SourceError
from loaders.sources import load_context
from tests.loaders import variants
from tests.loaders.conftest import DATA, ONTOLOGY

HEAD = (
    "PARTNERKOMMUNE\n\nKreis Lippe\n\nwww.kreis-lippe.de\n\nBUNDESLAND: NORDRHEIN-WESTFALEN\n\n"
    "KINDERSCHUTZCLUSTER 4\n\nPartnerkommune:\n\nLandkreis Friesland\n\n"
)  # 14 lines: the body starts on line 15
LIPPE = ID["kommune/kreis-lippe"]


@pytest.fixture(scope="module")
def context() -> tuple:
    return load_context(DATA, ONTOLOGY)


def load(tmp_path: Path, context: tuple, body: str, head: str = HEAD):
    return variants.document_graph(tmp_path, "900_regression.txt", head + body, context)


def texts(graph, prop) -> list[str]:
    nodes = sorted(graph.objects(LIPPE, prop), key=str)
    return [str(graph.value(node, KSK.text) or graph.value(node, RDFS.label)) for node in nodes]


def warnings_at(diagnostics, line: int) -> list[str]:
    return [d.message for d in diagnostics if d.line == line and d.severity is Severity.WARNING]


def test_zentrale_theman_is_read_as_zentrale_themen_with_a_warning(tmp_path, context) -> None:
    graph, diagnostics = load(tmp_path, context, "Zentrale Theman\n\n  • Vernetzung\n")
    assert texts(graph, KSK.zentralesThema) == ["Vernetzung"]
    assert warnings_at(diagnostics, 15) == [
        "heading 'Zentrale Theman' read as 'Zentrale Themen' (a near miss)"
    ]
    assert not list(graph.objects(LIPPE, KSK.teilnehmendeOrganisation))


def test_a_heading_with_a_remark_is_read_with_a_warning_naming_the_remark(
    tmp_path, context
) -> None:
    body = "Ergebnisse (Stand 2010)\n\nKommunal\n\n  • Fachtag Kinderschutz\n"
    graph, diagnostics = load(tmp_path, context, body)
    assert texts(graph, KSK.massnahme) == ["Fachtag Kinderschutz"]
    assert warnings_at(diagnostics, 15) == [
        "heading 'Ergebnisse (Stand 2010)' read as 'Ergebnisse'; "
        "its remark '(Stand 2010)' is not mapped"
    ]


def test_a_markdown_web_copy_reads_like_the_plain_sheet(tmp_path, context) -> None:
    head = "# " + HEAD.replace("Partnerkommune:", "**Partnerkommune:**")
    body = "## Zentrale Themen\n\n- Vernetzung &amp; Kooperation\n"
    graph, diagnostics = load(tmp_path, context, body, head)
    assert texts(graph, KSK.zentralesThema) == ["Vernetzung & Kooperation"]
    _, plain = load(tmp_path, context, "Zentrale Themen\n\n  • Vernetzung & Kooperation\n")
    not_info = [(d.line, d.message) for d in diagnostics if d.severity is not Severity.INFO]
    assert not_info == [(d.line, d.message) for d in plain if d.severity is not Severity.INFO]


def test_ergebnise_is_read_as_ergebnisse_with_a_warning(tmp_path, context) -> None:
    body = "Ergebnise\n\nKommunal\n\n  • Fachtag Kinderschutz\n"
    graph, diagnostics = load(tmp_path, context, body)
    assert texts(graph, KSK.massnahme) == ["Fachtag Kinderschutz"]
    assert warnings_at(diagnostics, 15) == [
        "heading 'Ergebnise' read as 'Ergebnisse' (a near miss)"
    ]


def test_unknown_heading_under_the_partner_list_makes_no_kommune(tmp_path, context) -> None:
    body = "Ansprechpartner\n\nFrau Beispiel\n\nJugendamt Detmold\n\nZentrale Themen\n\n  • A\n"
    graph, diagnostics = load(tmp_path, context, body)
    kommunen = set(graph.subjects(RDF.type, KSK.Kommune))
    assert kommunen == {LIPPE, ID["kommune/landkreis-friesland"]}
    assert any("'Ansprechpartner'" in m for m in warnings_at(diagnostics, 15))
    assert texts(graph, KSK.zentralesThema) == ["A"]


def test_numbered_items_lose_their_number(tmp_path, context) -> None:
    body = "Zentrale Themen\n\n1. Vernetzung\n2) Fallanalyse\n(3) Elternarbeit\na) Qualität\n"
    graph, _ = load(tmp_path, context, body)
    assert texts(graph, KSK.zentralesThema) == ["Vernetzung", "Fallanalyse", "Elternarbeit"]
    sub = graph.value(ID["thema/kreis-lippe/zentral-3"], KSK.unterpunkt)
    assert str(graph.value(sub, KSK.text)) == "Qualität"


def test_semicolon_separated_participants_are_separate_organisations(tmp_path, context) -> None:
    graph, _ = load(tmp_path, context, "Teilnehmende\n\nJugendamt; Gesundheitsamt; Polizei\n")
    assert texts(graph, KSK.teilnehmendeOrganisation) == ["Gesundheitsamt", "Jugendamt", "Polizei"]


def test_footnote_is_recorded_on_its_item_not_as_a_massnahme(tmp_path, context) -> None:
    body = (
        "Ergebnisse\n\nKommunal\n\n  • Fachtag Kinderschutz (*)\n  • Leitfaden\n\n"
        "(*) gemeinsam mit dem Kreis Herford\n"
    )
    graph, diagnostics = load(tmp_path, context, body)
    assert texts(graph, KSK.massnahme) == ["Fachtag Kinderschutz", "Leitfaden"]
    footnote = graph.value(ID["massnahme/kreis-lippe/1"], KSK.fussnote)
    assert footnote == ID["massnahme/kreis-lippe/1/fussnote/1"]
    assert (footnote, RDF.type, KSK.Fussnote) in graph
    assert graph.value(footnote, KSK.text) == Literal("gemeinsam mit dem Kreis Herford", lang="de")
    fundstelle = graph.value(footnote, PROV.wasDerivedFrom)
    assert graph.value(fundstelle, KSK.zeile) == Literal(22)
    assert not [d for d in diagnostics if d.severity is Severity.WARNING and d.line == 22]


def test_byte_order_mark_is_no_obstacle(tmp_path, context) -> None:
    graph, diagnostics = load(tmp_path, context, "Zentrale Themen\n\n  • A\n", "\ufeff" + HEAD)
    assert texts(graph, KSK.zentralesThema) == ["A"]
    assert [(d.line, d.message) for d in diagnostics if "byte-order" in d.message] == [
        (1, "byte-order mark removed")
    ]


def test_stray_line_before_the_role_line_is_dropped_with_an_info(tmp_path, context) -> None:
    graph, diagnostics = load(tmp_path, context, "", "Kommunenprofil\n" + HEAD)
    assert (LIPPE, RDF.type, KSK.Kommune) in graph
    stray = [d for d in diagnostics if d.line == 1]
    assert [(d.severity, "Kommunenprofil" in d.message) for d in stray] == [(Severity.INFO, True)]


def test_a_file_without_role_line_still_fails_with_its_line(tmp_path, context) -> None:
    with pytest.raises(SourceError) as raised:
        load(tmp_path, context, "", "\nKreis Lippe\nBUNDESLAND: NORDRHEIN-WESTFALEN\n")
    assert raised.value.line == 2 and "neither a profile sheet" in raised.value.message


@pytest.mark.parametrize(
    ("written", "note"),
    [
        ("NRW", "'NRW' read as 'Nordrhein-Westfalen' (abbreviation)"),
        ("DE-NW", "'DE-NW' read as 'Nordrhein-Westfalen' (abbreviation)"),
        ("Nordrhein-Westfahlen", "'Nordrhein-Westfahlen' read as 'Nordrhein-Westfalen' (misspelt)"),
        ("Land Nordrhein-Westfalen", None),
    ],
)
def test_a_bundesland_written_otherwise_is_read_with_a_note(
    tmp_path, context, written: str, note: str | None
) -> None:
    head = HEAD.replace("NORDRHEIN-WESTFALEN", written)
    graph, diagnostics = load(tmp_path, context, "Zentrale Themen\n\n  • Vernetzung\n", head)
    assert graph.value(LIPPE, KSK.bundesland) == ID["bundesland/DE-NW"]
    assert [m for m in warnings_at(diagnostics, 7) if "Bundesland" in m or "read as" in m] == (
        [note] if note else []
    )


def test_an_unknown_bundesland_is_a_warning_and_the_sheet_is_still_mapped(
    tmp_path, context
) -> None:
    head = HEAD.replace("NORDRHEIN-WESTFALEN", "Atlantis")
    graph, diagnostics = load(tmp_path, context, "Zentrale Themen\n\n  • Vernetzung\n", head)
    assert texts(graph, KSK.zentralesThema) == ["Vernetzung"]
    assert any("unknown Bundesland 'Atlantis'" in m for m in warnings_at(diagnostics, 7))


def test_header_fields_may_share_a_line_and_precede_the_name(tmp_path, context) -> None:
    head = (
        "PARTNERKOMMUNE\n\nwww.kreis-lippe.de\n\nKreis Lippe\n\n"
        "BUNDESLAND: NORDRHEIN-WESTFALEN | KINDERSCHUTZCLUSTER 4\n\n\n\n"
        "Partnerkommune:\n\nLandkreis Friesland\n\n"
    )
    graph, diagnostics = load(tmp_path, context, "Zentrale Themen\n\n  • Vernetzung\n", head)
    assert texts(graph, KSK.zentralesThema) == ["Vernetzung"]
    assert graph.value(LIPPE, KSK.bundesland) == ID["bundesland/DE-NW"]
    assert graph.value(LIPPE, KSK.cluster) == ID["cluster/4"]
    assert not [m for m in warnings_at(diagnostics, 7) if "header" in m]
