"""Page furniture of printed or exported sheets: recognised, dropped and reported.

A PDF or browser print of a profile sheet carries lines that belong to the page, not to the
sheet: page numbers ("Seite 2 von 3", "- 2 -", "2/3", a bare "2"), print dates and times
("Gedruckt am 03.05.2011", "03.05.11, 14:02 …"), the project's title repeated as a running
header, and any short line that repeats at the top or bottom of several pages. Each is dropped
with an ``info`` naming its line.

A page break (a form feed, or a run of furniture) together with the blank lines around it is a
*gap*: the parser reads across it, so an item broken by a page break is joined again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from loaders.diagnostics import Diagnostic, info
from loaders.headings import lookup_heading
from loaders.text_normalise import SourceText

#: Running headers repeat the project's title (PROJECT_TITLE is matched in lower case).
PROJECT_TITLE = "aus fehlern lernen"
MAX_FURNITURE_WORDS = 12

_DATE = r"(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("page number", re.compile(r"^(?:seite|page|s\.)\s*\d+(?:\s*(?:von|aus|of|/)\s*\d+)?$", re.I)),
    ("page number", re.compile(r"^[-–—]\s*\d+\s*[-–—]$")),
    ("page number", re.compile(r"^\d{1,3}(?:\s*/\s*\d{1,3})?$")),
    (
        "print date",
        re.compile(
            r"^(?:gedruckt|druckdatum|ausgedruckt|abgerufen|abruf|stand|erstellt)"
            rf"(?:\s+am)?\s*:?\s*{_DATE}.*$",
            re.I,
        ),
    ),
    ("print date", re.compile(rf"^{_DATE}(?:,?\s+\d{{1,2}}:\d{{2}}.*)?$")),
    # A browser's print footer; a web address alone is left to the parser (it may be the website).
    ("print URL", re.compile(r"^(?:https?://|file:/)\S+\s+\d+\s*/\s*\d+$", re.I)),
)


@dataclass(frozen=True)
class Furniture:
    """Furniture lines and the gaps (furniture, page breaks and blank lines around them)."""

    lines: frozenset[int]
    gaps: frozenset[int]
    notes: tuple[Diagnostic, ...]


def furniture_kind(text: str) -> str | None:
    """What kind of furniture a stripped line is by its own text, or None."""
    for kind, pattern in _PATTERNS:
        if pattern.match(text):
            return kind
    lowered = text.lower()
    quoted = re.search(r"[\"„“”»«]", text)
    if PROJECT_TITLE in lowered and len(text.split()) <= MAX_FURNITURE_WORDS and not quoted:
        return "running header with the project title"
    return None


def find_furniture(path: str, source: SourceText) -> Furniture:
    """The furniture of a document; ``path`` is for the notes only."""
    found: dict[int, str] = {}
    for number, line in enumerate(source.lines, 1):
        kind = furniture_kind(line.strip()) if line.strip() else None
        if kind is not None:
            found[number] = kind
    for number in _repeated_at_page_edges(source, found):
        found.setdefault(number, "running header or footer repeated on several pages")
    notes = tuple(
        info(path, number, f"page furniture dropped ({kind}): {source.lines[number - 1].strip()!r}")
        for number, kind in sorted(found.items())
    )
    return Furniture(frozenset(found), _gaps(source, frozenset(found)), notes)


def _repeated_at_page_edges(source: SourceText, found: dict[int, str]) -> list[int]:
    """Lines whose text stands first or last on at least two pages (needs form feeds)."""
    if not source.page_starts:
        return []
    lines = source.lines
    edges = []
    for start in sorted(source.page_starts | {1}):
        after = _next_content(lines, start, found, step=1)
        before = _next_content(lines, start - 1, found, step=-1)
        edges.extend(n for n in (after, before) if n is not None)
    texts = Counter(lines[n - 1].strip() for n in set(edges))
    return [
        n
        for n in sorted(set(edges))
        if texts[lines[n - 1].strip()] >= 2 and _may_be_furniture(lines[n - 1].strip())
    ]


def _next_content(
    lines: tuple[str, ...], start: int, found: dict[int, str], step: int
) -> int | None:
    number = start
    while 1 <= number <= len(lines):
        if lines[number - 1].strip() and number not in found:
            return number
        number += step
    return None


def _may_be_furniture(text: str) -> bool:
    # A heading may stand at the top of two pages ("In Planung" twice); that is no furniture.
    return len(text.split()) <= MAX_FURNITURE_WORDS and lookup_heading(text) is None


def _gaps(source: SourceText, furniture: frozenset[int]) -> frozenset[int]:
    """Runs of blank or furniture lines that contain furniture or end at a page start."""
    gaps: set[int] = set()
    run: list[int] = []
    for number in range(1, len(source.lines) + 2):
        blank = number > len(source.lines) or not source.lines[number - 1].strip()
        if number <= len(source.lines) and (blank or number in furniture):
            run.append(number)
            if number in source.page_starts and blank:
                run.append(-number)  # a page starting on a blank line marks the run
            continue
        if any(n in furniture or n < 0 for n in run) or number in source.page_starts:
            gaps.update(n for n in run if n > 0)
        run = []
    return frozenset(gaps)
