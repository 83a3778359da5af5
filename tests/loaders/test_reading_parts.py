"""Table tests of the reading parts: page furniture, item markers, headings, footnotes and
Kommune names (loaders/page_furniture.py, items.py, headings.py, footnotes.py,
kommune_names.py)."""

from __future__ import annotations

import pytest

from loaders.footnotes import Footnote, definition, detach, marker_key, references
from loaders.headings import heading_shaped, lookup_heading, role_of, typo_distance
from loaders.items import item_marker, split_inline
from loaders.kommune_names import is_kommune_name, split_names
from loaders.page_furniture import find_furniture, furniture_kind
from loaders.text_normalise import read_source


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Seite 2 von 3", "page number"),
        ("Seite 2", "page number"),
        ("- 2 -", "page number"),
        ("2/3", "page number"),
        ("7", "page number"),
        ("Gedruckt am 03.05.2011", "print date"),
        ("Stand: 2011-05-03", "print date"),
        ("03.05.11, 14:02 Aus Fehlern lernen – NZFH", "print date"),
        ("https://www.fruehehilfen.de/profil.html 1/3", "print URL"),
        ("Aus Fehlern lernen – Qualitätsmanagement im Kinderschutz", "running header"),
        ('Projekt "Aus Fehlern lernen"', None),
        ("Kreis Lippe", None),
        ("5. Bremer Kinderschutzkonferenz", None),
        ("www.kreis-lippe.de", None),
    ],
)
def test_furniture_kind(line: str, kind: str | None) -> None:
    found = furniture_kind(line)
    assert (found or "").startswith(kind or "") and bool(found) == bool(kind)


def test_running_line_repeated_on_page_edges_is_furniture_but_a_heading_is_not() -> None:
    text = "NZFH Profil\nIn Planung\nA\f\nNZFH Profil\nIn Planung\nB"
    furniture = find_furniture("t.txt", read_source("t.txt", text))
    assert furniture.lines == {1, 4}
    assert [n.line for n in furniture.notes] == [1, 4]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  • Text", (2, "glyph", "Text")),
        ("▪ Text", (0, "glyph", "Text")),
        ("\uf0b7 Text", (0, "glyph", "Text")),
        ("  – Text", (2, "dash", "Text")),
        ("* Text", (0, "glyph", "Text")),
        ("1. Text", (0, "number", "Text")),
        ("12) Text", (0, "number", "Text")),
        ("(3) Text", (0, "number", "Text")),
        ("1.2. Text", (0, "number", "Text")),
        ("a) Text", (0, "letter", "Text")),
        ("(b) Text", (0, "letter", "Text")),
        ("    o Text", (4, "glyph", "Text")),
        ("1.1 Text", (0, "number", "Text")),
        ("  ii) Text", (2, "letter", "Text")),
        ("(iv) Text", (0, "letter", "Text")),
        ("III. Text", (0, "letter", "Text")),
        ("→ Text", (0, "glyph", "Text")),
        ("⇒ Text", (0, "glyph", "Text")),
        ("☐ Text", (0, "glyph", "Text")),
        ("§ 8a SGB VIII", None),
        ("2,5 Stellen", None),
        ("1.7.2010 Fachtag", None),
        ("1. Juli 2010 begann", None),
        ("5.000 Euro", None),
        ("Text", None),
        ("-Text", None),
    ],
)
def test_item_marker(line: str, expected: tuple | None) -> None:
    marker = item_marker(line)
    assert (None if marker is None else (marker.indent, marker.kind, marker.body)) == expected


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("A • B ▪ C", ["A", "B", "C"]),
        ("A∧ B∧C", ["A", "B", "C"]),
        ("Eltern-Kind-Zentrum - Planung", ["Eltern-Kind-Zentrum - Planung"]),
    ],
)
def test_split_inline(text: str, parts: list[str]) -> None:
    assert split_inline(text) == parts


@pytest.mark.parametrize(
    ("line", "key", "exact"),
    [
        ("ZENTRALE THEMEN:", "zentrale_themen", True),
        ("Zentrale Theman", "zentrale_themen", False),
        ("zentrale theman", "zentrale_themen", False),
        ("Ergebnise", "ergebnisse", False),
        ("Ergebnsise", "ergebnisse", False),
        ("Ergebnis", "ergebnisse", True),
        ("Teilnehmer", "teilnehmende", True),
        ("Beteiligte Institutionen:", "teilnehmende", True),
        ("Qualitäts-Entwicklungs-Interesse", "entwicklungsinteressen", True),
        ("Qualitätsentwicklungs- interesse", "entwicklungsinteressen", True),
        ("Cluster-übergreifend", "clusteruebergreifend", True),
        ("Geplant", "geplant", True),
        ("Kommune", None, None),
        ("Kreis Segeberg", None, None),
        ("Ansprechpartner", None, None),
        ("Die Ergebnisse sind gut.", None, None),
        ("Ergebnisse (Stand 2010)", "ergebnisse", True),
        ("Kreis Segeberg (Stand 2010)", None, None),
    ],
)
def test_lookup_heading(line: str, key: str | None, exact: bool | None) -> None:
    match = lookup_heading(line)
    assert (match.key if match else None, match.exact if match else None) == (key, exact)


def test_a_remark_after_a_heading_is_kept_for_the_report() -> None:
    match = lookup_heading("Zentrale Themen (Auswahl):")
    assert (match.assumed, match.remark) == ("Zentrale Themen", "(Auswahl)")
    assert lookup_heading("Zentrale Themen").remark == ""


@pytest.mark.parametrize(
    ("line", "shaped"),
    [("Ansprechpartner", True), ("Weitere Informationen:", True), ("fazit", False)]
    + [("Der Kreis hat viel erreicht.", False), ("www.kreis.de", False), ("A | B", False)],
)
def test_heading_shaped(line: str, shaped: bool) -> None:
    assert heading_shaped(line) is shaped


def test_roles_and_typo_distance() -> None:
    assert role_of("Partner-Kommune") == "Partnerkommune"
    assert role_of("MODELLKOMMUNE") == "Modellkommune"
    assert role_of("Kommune") is None
    assert (typo_distance("ergebnsise", "ergebnisse"), typo_distance("abc", "abc")) == (1, 0)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Familienrat (*) und mehr", ["*"]),
        ("Familienrat* und mehr", ["*"]),
        ("Mitarbeiter*innen", []),
        ("Fachtag¹, Leitfaden²", ["1", "2"]),
        ("Fachtag [1]", ["1"]),
        ("(*) am Anfang", ["*"]),
        ("5 * 3", []),
    ],
)
def test_footnote_references(text: str, keys: list[str]) -> None:
    assert references(text) == keys


@pytest.mark.parametrize(
    ("line", "used", "expected"),
    [
        ("(*) Text", set(), ("(*)", "Text")),
        ("*) Text", set(), ("*)", "Text")),
        ("¹ Text", set(), ("¹", "Text")),
        ("[1] Text", set(), ("[1]", "Text")),
        ("* Text", set(), None),
        ("* Text", {"*"}, ("*", "Text")),
        ("Text", {"*"}, None),
    ],
)
def test_footnote_definition(line: str, used: set[str], expected: tuple | None) -> None:
    assert definition(line, used) == expected
    if expected:
        assert marker_key(expected[0]) in {"*", "1"}


def test_detach_removes_only_linked_markers() -> None:
    note = Footnote("*", "(*)", "Fußnote", 9, 9)
    assert detach("Fachtag (*), Leitfaden¹", [note]) == ("Fachtag, Leitfaden¹", [note])
    assert detach("Mitarbeiter*innen", [note]) == ("Mitarbeiter*innen", [])


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("Kreis Segeberg", None, True),
        ("Landeshauptstadt Schwerin", None, True),
        ("Stadtgemeinde Bremen", None, True),
        ("Lünen", None, False),
        ("Lünen", lambda name: name == "Lünen", True),
        ("Ansprechpartner", None, False),
        ("Der Kreis hat 300 000 Einwohner.", None, False),
        ("Stärkere Vernetzung zwischen Gesundheitswesen und Jugendamt", None, False),
        ("Mülheim a.d. Ruhr, Stadt", None, True),
    ],
)
def test_is_kommune_name(text: str, known, expected: bool) -> None:
    assert is_kommune_name(text, known) is expected


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Kreis A; Kreis B", ["Kreis A", "Kreis B"]),
        ("Kreis A | Stadt B", ["Kreis A", "Stadt B"]),
        ("Kreis A • Stadt B", ["Kreis A", "Stadt B"]),
        ("Kreis A, Stadt B", ["Kreis A", "Stadt B"]),
        ("Mülheim an der Ruhr, Stadt", ["Mülheim an der Ruhr, Stadt"]),
        ("Kreis A, Kreis B und Stadt C", ["Kreis A", "Kreis B", "Stadt C"]),
        ("Kreis A sowie Stadt B", ["Kreis A", "Stadt B"]),
        ("Stadt A & Kreis B", ["Stadt A", "Kreis B"]),
        ("Kreis Rhein und Ruhr", ["Kreis Rhein und Ruhr"]),
    ],
)
def test_split_names(line: str, names: list[str]) -> None:
    assert split_names(line) == names
