"""Footnotes: a marker in an item and the footnote text it points to.

Markers in an item's text: "(*)", "[*]", "[1]" (also after a space) and "*", "**", "¹²³"
attached to the end of a word ("Familienrat*"; "Mitarbeiter*innen" is no marker). A footnote
is a line starting with a marker ("(*) …", "*) …", "* …", "¹ …", "[1] …"), continued by the
lines directly below it. Markers are compared by their key: "(*)", "*)", "[*]" and "*" are the
same footnote, "¹" and "[1]" too.

A bare "*" at the start of a line is also a common bullet, so it opens a footnote only when the
document uses that star as a marker in some item. The parser links each marker to the nearest
footnote with its key below the item (else above it); the mapping removes the linked markers
from ``ksk:text`` and records each footnote on the item (``ksk:fussnote``), never as an item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")

_DEFINITION = re.compile(
    r"^\s*(?P<marker>\(\*{1,3}\)|\*{1,3}\)?|\[\*{1,3}\]|\[\d{1,2}\]"
    rf"|[{SUPERSCRIPTS}]+\)?)\s*(?P<text>[^\s*].*)$"
)
_BRACKETED = r"\(\*{1,3}\)|\[\*{1,3}\]|\[\d{1,2}\]"
_ATTACHED = rf"(?<=[\w)\"“”»])(?:\*{{1,3}}|[{SUPERSCRIPTS}]+)(?![\w*])"
_REFERENCE = re.compile(rf"(?P<space>\s?)(?P<marker>{_BRACKETED})(?!\w)|(?P<attached>{_ATTACHED})")


@dataclass
class Footnote:
    """A footnote text with its lines; ``key`` identifies its marker ("*", "1")."""

    key: str
    marker: str
    text: str
    first_line: int
    last_line: int
    linked: bool = False


def marker_key(marker: str) -> str:
    """ "(*)", "*)", "[*]", "*" -> "*"; "[1]", "¹" -> "1"."""
    return marker.strip("()[] ").translate(_DIGITS)


def references(text: str) -> list[str]:
    """The keys of the markers in an item's text, in text order."""
    return [marker_key(m["marker"] or m["attached"]) for m in _REFERENCE.finditer(text)]


def definition(line: str, used: set[str]) -> tuple[str, str] | None:
    """(marker, text) when the line opens a footnote; a bare star only when ``used`` has it."""
    match = _DEFINITION.match(line)
    if match is None:
        return None
    marker = match["marker"]
    bare_star = marker.strip("*") == "" and not marker.startswith("(")
    if bare_star and marker_key(marker) not in used:
        return None
    return marker, match["text"].strip()


def detach(text: str, footnotes: list[Footnote]) -> tuple[str, list[Footnote]]:
    """The text without the markers of these footnotes, and the footnotes whose marker it had."""
    keys = {note.key for note in footnotes}
    found: list[str] = []

    def drop(match: re.Match[str]) -> str:
        key = marker_key(match["marker"] or match["attached"])
        if key not in keys:
            return match[0]
        found.append(key)
        return ""

    cleaned = _REFERENCE.sub(drop, text)
    if not found:
        return text, []
    cleaned = cleaned.strip()
    by_key = {note.key: note for note in footnotes}
    return cleaned, [by_key[key] for key in dict.fromkeys(found)]


def used_keys(lines: tuple[str, ...]) -> set[str]:
    """The keys of all markers that stand inside text (not opening a line)."""
    keys: set[str] = set()
    for line in lines:
        match = _DEFINITION.match(line)
        keys.update(references(match["text"] if match else line))
    return keys


def link(items: list, footnotes: list[Footnote]) -> list[tuple[int, str]]:
    """Attach to each item (``.text``, ``.first_line``, ``.footnotes``) the footnotes its
    markers point to; returns (line, problem) for markers and footnotes left unlinked."""
    problems: list[tuple[int, str]] = []
    for item in items:
        for key in dict.fromkeys(references(item.text)):
            candidates = [note for note in footnotes if note.key == key]
            if not candidates:
                if key != "*":
                    problems.append((item.first_line, f"footnote marker {key!r} has no footnote"))
                continue
            below = [note for note in candidates if note.first_line > item.first_line]
            note = below[0] if below else candidates[-1]
            note.linked = True
            item.footnotes.append(note)
    for note in footnotes:
        if not note.linked:
            problems.append(
                (note.first_line, f"footnote {note.marker!r} has no marker in any item; not mapped")
            )
    return problems
