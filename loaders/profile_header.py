"""The head of a profile sheet: the role line (after stray lines), and the header fields.

A profile sheet starts with its role line, PARTNERKOMMUNE or MODELLKOMMUNE (any case, also
"Partner-Kommune"). Copies from web pages and PDFs often put a few lines before it (the page
title, "Kommunenprofil", a print date, a breadcrumb): up to MAX_STRAY_LINES non-blank lines
before the role line are stray lines, dropped with an info each. A file with no role line among
its first lines is no profile sheet.

Header fields: ``BUNDESLAND[:] X``, ``KINDERSCHUTZCLUSTER[:] n`` (also "Kinderschutz-Cluster",
"Cluster", "Cluster Nr."), and the website (a line that is only a web address).
"""

from __future__ import annotations

import re

from loaders.headings import role_of

MAX_STRAY_LINES = 6

BUNDESLAND = re.compile(r"^bundesland\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
CLUSTER = re.compile(
    r"^(?:kinderschutz[-\s]?)?cluster\b(?:\s*nr\.?)?\s*:?\s*(?P<value>.*)$", re.IGNORECASE
)
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
