"""Table tests of the profile parser: one small inline text per irregularity."""

from __future__ import annotations

import pytest

from loaders.diagnostics import Severity, SourceError
from loaders.headings import heading_key
from loaders.participants import split_participants
from loaders.population import find_population
from loaders.profile_document import (
    BESONDERHEITEN,
    CLUSTERUEBERGREIFEND,
    ENTWICKLUNGSINTERESSEN,
    GEPLANT,
    KOMMUNAL,
    TEILNEHMENDE,
    UMGESETZT,
    UNKNOWN,
    ZENTRALE_THEMEN,
)
from loaders.profile_parser import parse_profile

HEAD = (
    "PARTNERKOMMUNE\n\nKreis Test\n\nwww.kreis-test.de\n\n"
    "BUNDESLAND: BREMEN\n\nKINDERSCHUTZCLUSTER 2\n\n"
)


def parse(body: str, head: str = HEAD):
    return parse_profile("t.txt", head + body)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BUNDESLAND SCHLESWIG-HOLSTEIN", "SCHLESWIG-HOLSTEIN"),
        ("BUNDESLAND: MECKLENBURG-VORPOMMERN", "MECKLENBURG-VORPOMMERN"),
        ("BUNDESLAND:NORDRHEIN-WESTFALEN", "NORDRHEIN-WESTFALEN"),
        ("Bundesland :  Bremen", "Bremen"),
    ],
)
def test_bundesland_line_with_or_without_colon_and_space(line: str, expected: str) -> None:
    doc = parse("", head=f"MODELLKOMMUNE\nStadt X\n{line}\nKINDERSCHUTZCLUSTER 3")
    assert doc.bundesland is not None and doc.bundesland.value == expected
    assert doc.bundesland.line == 3


@pytest.mark.parametrize(
    ("text", "role", "name", "website"),
    [
        ("PARTNERKOMMUNE\n\nKreis A\n\nwww.a.de", "Partnerkommune", "Kreis A", "www.a.de"),
        ("MODELLKOMMUNE\nStadt B\nBUNDESLAND BREMEN", "Modellkommune", "Stadt B", None),
        ("\n\n  Modellkommune  \nStadt  C\n", "Modellkommune", "Stadt C", None),
    ],
)
def test_role_name_and_website(text: str, role: str, name: str, website: str | None) -> None:
    doc = parse_profile("t.txt", text)
    assert (doc.role.value, doc.name.value) == (role, name)
    assert (doc.website.value if doc.website else None) == website


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty file"),
        ("\n \n", 1, "empty file"),
        ("Kreis A\nBUNDESLAND BREMEN", 1, "expected the role line"),
        ("PARTNERKOMMUNE\n\n", 1, "missing Kommune name"),
        ("PARTNERKOMMUNE\n\nBUNDESLAND: BREMEN", 3, "expected the Kommune name"),
        ("PARTNERKOMMUNE\nKreis A\nKINDERSCHUTZCLUSTER drei", 3, "cluster number"),
        ("PARTNERKOMMUNE\nKreis A\nBUNDESLAND:", 3, "no value"),
    ],
)
def test_unreadable_profiles_raise_source_error_with_line(
    text: str, line: int, fragment: str
) -> None:
    with pytest.raises(SourceError) as raised:
        parse_profile("t.txt", text)
    assert raised.value.line == line and fragment in raised.value.message
    assert str(raised.value).startswith(f"t.txt:{line}: ")


def test_cluster_number_and_modellkommune_line() -> None:
    doc = parse("Modellkommune: Stadt M\n\nPartnerkommunen:\n\nKreis P\n\nKreis Q\n")
    assert doc.cluster_number == 2 and doc.cluster is not None and doc.cluster.line == 9
    assert doc.modellkommune is not None and (doc.modellkommune.value, doc.modellkommune.line) == (
        "Stadt M",
        11,
    )
    assert [(p.value, p.line) for p in doc.partners] == [("Kreis P", 15), ("Kreis Q", 17)]


@pytest.mark.parametrize("heading", ["Partnerkommune:", "Partnerkommunen:", "PARTNERKOMMUNEN"])
def test_partner_heading_singular_or_plural(heading: str) -> None:
    doc = parse(f"{heading}\n\nLandkreis Friesland\n")
    assert [p.value for p in doc.partners] == ["Landkreis Friesland"]


def test_partner_names_on_consecutive_lines_are_separate() -> None:
    doc = parse("Partnerkommunen:\nKreis P\nKreis Q\n")
    assert [p.value for p in doc.partners] == ["Kreis P", "Kreis Q"]


@pytest.mark.parametrize(
    "heading",
    [
        "Qualitätsentwicklungs- interesse",
        "Qualitätsentwicklungsinteresse",
        "QUALITÄTSENTWICKLUNGS-  INTERESSE:",
    ],
)
def test_heading_broken_by_hyphenation(heading: str) -> None:
    doc = parse(f"{heading}\n\n  • Vernetzung\n")
    assert [i.text for i in doc.items(ENTWICKLUNGSINTERESSEN)] == ["Vernetzung"]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Zentrale  Themen:", "zentrale themen"),
        ("Qualitätsentwicklungs- interesse", "qualitätsentwicklungsinteresse"),
    ],
)
def test_heading_key(raw: str, normalised: str) -> None:
    assert heading_key(raw) == normalised


def test_headings_without_content() -> None:
    doc = parse(
        "Altersstruktur der Einwohner\n\nQualitätsentwicklungswerkstatt\n\n"
        "Teilnehmende\n\nZentrale Themen\n"
    )
    keys = [s.key for s in doc.sections]
    assert keys == ["altersstruktur", "werkstatt", "teilnehmende", "zentrale_themen"]
    assert not any(s.has_content() for s in doc.sections)


def test_bullet_with_continuation_lines_joined_by_one_space() -> None:
    doc = parse(
        "Zentrale Themen\n\n  • Erste Zeile.\n    Zweite Zeile.\n    Dritte.\n  • Nächster\n"
    )
    first, second = doc.items(ZENTRALE_THEMEN)
    assert first.text == "Erste Zeile. Zweite Zeile. Dritte."
    assert (first.first_line, first.last_line) == (13, 15)
    assert (second.text, second.first_line) == ("Nächster", 16)


def test_sub_bullets_become_children() -> None:
    doc = parse(
        "Zentrale Themen\n\n  • Fehler auf Ebenen:\n"
        "    - Ebene der Fachkraft\n    - Ebene des Teams\n  • Zweites\n"
    )
    first, second = doc.items(ZENTRALE_THEMEN)
    assert [c.text for c in first.children] == ["Ebene der Fachkraft", "Ebene des Teams"]
    assert (first.first_line, first.last_line) == (13, 13)
    assert [c.first_line for c in first.children] == [14, 15]
    assert second.children == []


def test_participants_line_is_split_at_bars_not_commas() -> None:
    doc = parse("Teilnehmende\n\n  • A, B | C (zeitweise)\n")
    assert [i.text for i in doc.items(TEILNEHMENDE)] == ["A, B", "C (zeitweise)"]
    assert {i.first_line for i in doc.items(TEILNEHMENDE)} == {13}


def test_nested_ergebnisse_sections() -> None:
    body = (
        "Ergebnisse\n\nKommunal\n\n  • k1\n  • k2\n\nIn Planung\n\n  • kp\n\n"
        "Clusterübergreifend\n\nIn Planung\n\n  • cp\n\nBesonderheiten\n\nText.\n"
    )
    section = parse(body).section("ergebnisse")
    assert section is not None
    got = [(g.ebene, g.status, [i.text for i in g.items]) for g in section.groups]
    assert got == [
        (KOMMUNAL, UMGESETZT, ["k1", "k2"]),
        (KOMMUNAL, GEPLANT, ["kp"]),
        (CLUSTERUEBERGREIFEND, UMGESETZT, []),
        (CLUSTERUEBERGREIFEND, GEPLANT, ["cp"]),
    ]


def test_ergebnisse_items_before_an_ebene_are_reported() -> None:
    doc = parse("Ergebnisse\n\n  • ohne Ebene\n")
    section = doc.section("ergebnisse")
    assert section is not None and section.groups[0].ebene is None
    assert any("Ebene unknown" in n.message for n in doc.notes)


def test_items_joined_by_wedge_are_split_on_the_same_line() -> None:
    doc = parse("Ergebnisse\n\nKommunal\n\nIn Planung\n\n  • Erstes∧ Zweites∧ Drittes.\n")
    items = doc.section("ergebnisse").groups[-1].items
    assert [i.text for i in items] == ["Erstes", "Zweites", "Drittes."]
    assert {(i.first_line, i.last_line) for i in items} == {(17, 17)}
    assert any(n.severity is Severity.INFO and "∧" in n.message for n in doc.notes)


@pytest.mark.parametrize(
    ("bullet", "text", "note"),
    [
        (
            "Kooperation GesundheitsamtJugendhilfe",
            "Kooperation Gesundheitsamt-Jugendhilfe",
            "GesundheitsamtJugendhilfe",
        ),
        (
            "Rechtsanwälten,kommunale Träger",
            "Rechtsanwälten, kommunale Träger",
            "Rechtsanwälten,kommunale",
        ),
        ("1,5 Stellen, Baby-FUN", "1,5 Stellen, Baby-FUN", None),
    ],
)
def test_glued_words_are_repaired_in_text_and_reported(
    bullet: str, text: str, note: str | None
) -> None:
    doc = parse(f"Zentrale Themen\n\n  • {bullet}\n")
    assert doc.items(ZENTRALE_THEMEN)[0].text == text
    infos = [n for n in doc.notes if n.severity is Severity.INFO]
    assert [n.line for n in infos] == ([13] if note else [])
    assert all(note in n.message for n in infos)


def test_last_section_without_following_heading() -> None:
    doc = parse("Ergebnisse\n\nKommunal\n\nIn Planung\n\n  • letzter Punkt")
    assert [i.text for i in doc.section("ergebnisse").groups[-1].items] == ["letzter Punkt"]


def test_besonderheiten_paragraphs() -> None:
    doc = parse("Besonderheiten\n\nErster Absatz\nläuft weiter.\n\nZweiter Absatz.")
    items = doc.items(BESONDERHEITEN)
    assert [(i.text, i.first_line, i.last_line) for i in items] == [
        ("Erster Absatz läuft weiter.", 13, 14),
        ("Zweiter Absatz.", 16, 16),
    ]


def test_unknown_heading_keeps_its_body_apart_with_a_warning() -> None:
    doc = parse("Zentrale Themen\n\n  • A\n\nNeue Überschrift\n\n  • B\n")
    assert [i.text for i in doc.items(ZENTRALE_THEMEN)] == ["A"]
    assert [i.text for i in doc.items(UNKNOWN)] == ["B"]
    warned = [n for n in doc.notes if n.severity is Severity.WARNING]
    assert [(n.line, "Neue Überschrift" in n.message) for n in warned] == [(15, True)]


def test_unknown_header_line_goes_into_the_preamble() -> None:
    doc = parse(
        "Zentrale Themen\n", head="PARTNERKOMMUNE\nKreis A\nEinwohner: viele\nBUNDESLAND BREMEN\n"
    )
    assert [i.text for i in doc.items("preamble")] == ["Einwohner: viele"]
    assert doc.bundesland is not None


def test_heading_with_inline_content() -> None:
    doc = parse("Teilnehmende: A | B\n")
    assert [i.text for i in doc.items(TEILNEHMENDE)] == ["A", "B"]


def test_repeated_heading_is_merged_with_a_warning() -> None:
    doc = parse("Zentrale Themen\n  • A\nZentrale Themen\n  • B\n")
    assert [i.text for i in doc.items(ZENTRALE_THEMEN)] == ["A", "B"]
    assert any(n.severity is Severity.WARNING and "repeats" in n.message for n in doc.notes)


def test_missing_header_fields_are_warned() -> None:
    doc = parse_profile("t.txt", "PARTNERKOMMUNE\nKreis A\n")
    messages = [n.message for n in doc.notes]
    assert "no BUNDESLAND line in the header" in messages
    assert "no KINDERSCHUTZCLUSTER line in the header" in messages


def test_crlf_and_trailing_newline() -> None:
    doc = parse_profile("t.txt", "PARTNERKOMMUNE\r\nKreis A\r\nBUNDESLAND BREMEN\r\n")
    assert doc.lines == ("PARTNERKOMMUNE", "Kreis A", "BUNDESLAND BREMEN")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "Diakonisches Werk, Erziehungsberatungsstelle Schwarzenbek",
            [("Diakonisches Werk, Erziehungsberatungsstelle Schwarzenbek", None)],
        ),
        ("Schulen (zeitweise) | Polizei", [("Schulen", "zeitweise"), ("Polizei", None)]),
        (
            "Landesinstitut für Schule (Zentrum für schülerbezogene Beratung)",
            [("Landesinstitut für Schule (Zentrum für schülerbezogene Beratung)", None)],
        ),
        (
            "Senator für Inneres - Rettungsdienst (zeitweise)",
            [("Senator für Inneres - Rettungsdienst", "zeitweise")],
        ),
        ("A |  | B", [("A", None), ("B", None)]),
        ("(zeitweise)", [("(zeitweise)", None)]),
    ],
)
def test_participant_entries(entry: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(p.name, p.anmerkung) for p in split_participants(entry, 7)] == expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        (
            "Der Kreis Lippe hat etwa 353 000 Einwohnerinnen und Einwohner.",
            {"Kreis Lippe"},
            [(353000, True)],
        ),
        (
            "Das Kreisjugendamt ist für etwa 150 000 davon zuständig. "
            "Der Kreis Lippe hat 353.000 Einwohner.",
            {"Kreis Lippe"},
            [(353000, False)],
        ),
        ("Die Stadt Köln zählt rund 1 000 000 Einwohner.", {"Stadt Köln"}, [(1000000, True)]),
        ("Der Kreis Nachbar hat etwa 90 000 Einwohner.", {"Kreis Lippe"}, []),
        ("Das Kreisjugendamt ist für etwa 150 000 davon zuständig.", {"Kreis Lippe"}, []),
    ],
)
def test_population_statements_about_the_kommune_only(
    text: str, names: set[str], expected: list
) -> None:
    assert [(a.anzahl, a.ungefaehr) for a in find_population(text, names)] == expected


def test_item_broken_by_a_page_break_is_joined_but_a_footnote_ends_there() -> None:
    doc = parse(
        "Zentrale Themen\n\n  • Vernetzung der\n\fSeite 2 von 2\n\n    Fachkräfte (*)\n\n"
        "(*) Fußnote am Seitenende\n\fAus Fehlern lernen\n\nBesonderheiten\n\nText.\n"
    )
    (item,) = doc.items(ZENTRALE_THEMEN)
    assert (item.text, item.first_line, item.last_line) == ("Vernetzung der Fachkräfte (*)", 13, 16)
    assert [(f.text, f.first_line, f.last_line) for f in item.footnotes] == [
        ("Fußnote am Seitenende", 18, 18)
    ]
    assert [i.text for i in doc.items(BESONDERHEITEN)] == ["Text."]
    assert [d.line for d in doc.dropped] == [14, 19]
