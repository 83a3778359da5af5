"""The head of a profile sheet: the role line (after stray lines), and the header fields.

A profile sheet starts with its role line, PARTNERKOMMUNE or MODELLKOMMUNE (any case, also
"Partner-Kommune"). Copies from web pages and PDFs often put a few lines before it (the page
title, "Kommunenprofil", a print date, a breadcrumb): up to MAX_STRAY_LINES non-blank lines
before the role line are stray lines, dropped with an info each. A file with no role line among
its first lines is no profile sheet.

Header fields: ``BUNDESLAND[:] X``, ``KINDERSCHUTZCLUSTER[:] n`` (also "Kinderschutz-Cluster",
"Cluster", "Cluster Nr."), and the website (a line that is only a web address). Several fields
may share a line ("BUNDESLAND: X | KINDERSCHUTZCLUSTER 3", separated by "|", "•", "–", ";" or a
run of spaces), and the website or a field may stand before the Kommune name.
"""

from __future__ import annotations

import re

from loaders.diagnostics import Diagnostic, SourceError, warning
from loaders.headings import role_of
from loaders.profile_document import Field

MAX_STRAY_LINES = 6

BUNDESLAND = re.compile(r"^bundesland\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
CLUSTER = re.compile(
    r"^(?:kinderschutz[-\s]?)?cluster\b(?:\s*nr\.?)?\s*:?\s*(?P<value>.*)$", re.IGNORECASE
)
_FIELD_SEPARATOR = re.compile(r"\s+[|•·–]\s+|\s*;\s*|\s{3,}")
WEBSITE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)


def find_role(lines: tuple[str, ...], skip: frozenset[int] = frozenset()) -> int | None:
    """The line number of the role line, or None; lines in ``skip`` (furniture) are ignored."""
    seen = 0
    for number, line in enumerate(lines, 1):
        if number in skip or not line.strip():
            continue
        if role_of(line) is not None:
            return number
        seen += 1
        if seen > MAX_STRAY_LINES:
            return None
    return None


def header_field(text: str) -> tuple[str, str] | None:
    """("bundesland" | "cluster", value as written) for a header field line, else None."""
    for name, pattern in (("bundesland", BUNDESLAND), ("cluster", CLUSTER)):
        if match := pattern.match(text):
            return name, match["value"].strip()
    return None


def is_web_address(text: str) -> bool:
    return bool(WEBSITE.match(text.strip()))


class HeaderFields:
    """The header fields of one sheet as read so far; a second line of a field is a warning."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fields: dict[str, Field] = {}
        self.notes: list[Diagnostic] = []

    def read(self, number: int, text: str) -> bool:
        """Take a BUNDESLAND or cluster line, or the first web address, or a line holding
        several of them ("BUNDESLAND: X | KINDERSCHUTZCLUSTER 3"); False for other lines."""
        pieces = _FIELD_SEPARATOR.split(text)
        if len(pieces) > 1 and all(header_field(p) or is_web_address(p) for p in pieces):
            return all([self._read_one(number, piece) for piece in pieces])
        return self._read_one(number, text)

    def _read_one(self, number: int, text: str) -> bool:
        field = header_field(text)
        if field is not None:
            self._set(field[0], field[1], number)
            return True
        if is_web_address(text) and "website" not in self.fields:
            self._set("website", text, number)
            return True
        return False

    def _set(self, name: str, value: str, number: int) -> None:
        if not value:
            raise SourceError(self.path, number, f"the {name.upper()} line has no value")
        if name == "cluster" and not value.isdigit():
            raise SourceError(
                self.path,
                number,
                f"expected a cluster number after KINDERSCHUTZCLUSTER, found {value!r}",
            )
        if name in self.fields:
            first = self.fields[name].line
            self.notes.append(
                warning(self.path, number, f"second {name} line; line {first} is kept")
            )
            return
        self.fields[name] = Field(value, number)

    def check_complete(self, role_line: int) -> None:
        for name, label in (("bundesland", "BUNDESLAND"), ("cluster", "KINDERSCHUTZCLUSTER")):
            if name not in self.fields:
                self.notes.append(warning(self.path, role_line, f"no {label} line in the header"))
