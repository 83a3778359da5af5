"""Text normalisation keeps editor line numbers (loaders/text_normalise.py)."""

from __future__ import annotations

import pytest

from loaders.text_normalise import editor_lines, read_source


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb\n", ("a", "b")),
        ("a\r\nb\r\n", ("a", "b")),
        ("a\rb\r", ("a", "b")),
        ("a\r\n\r\nb", ("a", "", "b")),
        ("\ufeffa\nb", ("a", "b")),
        ("a\n\n", ("a", "")),
        ("", ("",)),
    ],
)
def test_editor_lines(text: str, lines: tuple[str, ...]) -> None:
    assert editor_lines(text) == lines


@pytest.mark.parametrize(
    ("raw", "normalised", "note"),
    [
        ("Kreis\u00a0Lippe", "Kreis Lippe", "no-break"),
        ("Kreis\u2009Lippe", "Kreis Lippe", "no-break"),
        ("Kreis\u200b Lippe", "Kreis Lippe", "zero-width"),
        ("Qualitäts\u00adentwicklung", "Qualitätsentwicklung", "soft hyphen"),
        ("\t• A", "    • A", None),
        ("Qualita\u0308t", "Qualität", "NFC"),
        ("\fZentrale Themen", "Zentrale Themen", "page break"),
        ("## Zentrale Themen", "Zentrale Themen", "Markdown"),
        ("**Zentrale Themen**", "Zentrale Themen", "Markdown"),
        ("=====", "", "Markdown"),
        ("Kliniken &amp; Schulen", "Kliniken & Schulen", "character references"),
        ("Kreis&nbsp;Lippe", "Kreis Lippe", "character references"),
        ("  <li>Fallarbeit</li>", "  • Fallarbeit", "HTML tags"),
        ("<p><b>Ergebnisse</b><br/></p>", "Ergebnisse", "HTML tags"),
        ("&unknown; bleibt", "&unknown; bleibt", None),
        ("* Fußnote", "* Fußnote", None),
        ("#Hashtag", "#Hashtag", None),
    ],
)
def test_line_normalisation(raw: str, normalised: str, note: str | None) -> None:
    source = read_source("t.txt", f"x\n{raw}\ny")
    assert source.lines == ("x", normalised, "y")
    assert source.verbatim == ("x", raw, "y")
    assert {n.line for n in source.notes} == ({2} if note else set())
    assert any(note in n.message for n in source.notes) or not note


def test_page_starts_and_glued_lines() -> None:
    source = read_source("t.txt", "a\nb\f\n\fc\nQualitäts\u00ad\nentwicklung")
    assert source.page_starts == {3}
    assert source.glued == {4}


def test_each_kind_of_change_is_one_note_with_its_first_line() -> None:
    source = read_source("t.txt", "a\u00a0b\nc\nd\u00a0e\u00a0f")
    assert [(n.line, n.message) for n in source.notes] == [
        (1, "no-break or other Unicode space read as a space (on 2 lines, the first here)")
    ]
