"""List items as sheets write them: the marker of a line, and lists run together on one line.

Markers: any common bullet glyph (• · ▪ ● ◦ ‣ ⁃ ∙ ■ □ ◆ ► ▸ ➢ ➤ ✓ ✔ and the private-use glyphs
word processors export for Symbol/Wingdings bullets), a dash (- – —), a star, an indented "o",
any other symbol or arrow a font may use (→ ⇒ ☐ ✗: Unicode symbols and mathematical signs),
numbers ("1.", "1)", "(1)", "1.2.", "1.2"), roman numerals ("ii)", "(iv)", "III.") and letters
("a)", "(a)"). The marker never stays in the text. A number followed by a month ("1. Juli 2010 …")
is a date, not a marker.

One line may hold several items: bullet glyphs inside the line (" • ") and "∧" (text extraction
lost the line breaks between bullets) separate them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GLYPHS = "•·▪●◦‣⁃∙■□◆◇►▸▶➢➤✓✔❖\uf0b7\uf0a7\uf076\uf0d8"
DASHES = "-–—"
JOINED_ITEMS = "∧"
ROMAN = r"(?:[ivx]{1,4}|[IVX]{1,4})"
MONTHS = frozenset(
    {"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september"}
    | {"oktober", "november", "dezember"}
)

_MARKER = re.compile(
    r"^(?P<indent>\s*)(?P<marker>"
    rf"[{GLYPHS}*\-–—]"
    r"|\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})+"
    r"|\(?[a-zA-Z]\)"
    rf"|\(?{ROMAN}[.)]"
    r")\s+(?P<body>\S.*)$"
)
_SYMBOL = re.compile(r"^(?P<indent>\s*)(?P<marker>\S)\s+(?P<body>\S.*)$")
#: Unicode categories of a character that, alone before a space, can only be a bullet.
SYMBOL_CATEGORIES = frozenset({"So", "Sm"})
_INDENTED_O = re.compile(r"^(?P<indent>\s+)(?P<marker>o)\s+(?P<body>\S.*)$")
_INLINE = re.compile(rf"\s+[{GLYPHS}]\s+|\s*{JOINED_ITEMS}\s*")


@dataclass(frozen=True)
class Marker:
    """An item line: its indentation (columns), marker kind and text without the marker."""

    indent: int
    kind: str
    marker: str
    body: str


def item_marker(line: str) -> Marker | None:
    """The item a line starts, or None for a plain line."""
    match = _MARKER.match(line) or _INDENTED_O.match(line) or _symbol(line)
    if match is None:
        return None
    marker, body = match["marker"], match["body"].strip()
    kind = _kind(marker)
    if kind == "number" and body.split(" ", 1)[0].lower().rstrip(",") in MONTHS:
        return None
    return Marker(len(match["indent"]), kind, marker, body)


def is_bare_marker(text: str) -> bool:
    """A line that is only a bullet glyph or dash: a list item that lost its text."""
    text = text.strip()
    return len(text) == 1 and (
        text in GLYPHS + DASHES + "*" or unicodedata.category(text) in SYMBOL_CATEGORIES
    )


def _symbol(line: str) -> re.Match | None:
    match = _SYMBOL.match(line)
    if match and unicodedata.category(match["marker"]) in SYMBOL_CATEGORIES:
        return match
    return None


def _kind(marker: str) -> str:
    if any(c.isdigit() for c in marker):
        return "number"
    if marker[-1] == ")" or re.fullmatch(rf"\(?{ROMAN}[.)]", marker):
        return "letter"
    if marker in DASHES:
        return "dash"
    return "glyph"


def split_inline(text: str) -> list[str]:
    """The items of a line that holds several: split at inline bullet glyphs and "∧"."""
    return [part.strip() for part in _INLINE.split(text) if part.strip()]


def has_inline_items(text: str) -> bool:
    return len(split_inline(text)) > 1
