"""The headings of a profile sheet, as curators write them.

A heading is recognised after normalising letter case, spaces, a trailing colon and hyphens
("Qualitätsentwicklungs- interesse", "Cluster-übergreifend"); singular, plural and common
synonyms are listed below. A *near miss* (a typo within a small edit distance, "Zentrale
Theman", "Ergebnise") is accepted too, but the caller must warn: the match says it was not exact.

`heading_shaped` says whether a line could be a heading at all (short, no sentence end); the
parser treats a heading-shaped line that matches nothing here as an unknown heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.profile_document import (
    ALTERSSTRUKTUR,
    BESONDERHEITEN,
    CLUSTERUEBERGREIFEND,
    ENTWICKLUNGSINTERESSEN,
    ERGEBNISSE,
    GEPLANT,
    KOMMUNAL,
    MODELLKOMMUNE,
    PARTNER,
    TEILNEHMENDE,
    UMGESETZT,
    WERKSTATT,
    ZENTRALE_THEMEN,
)

#: Section headings: key -> the written forms (normalised by `heading_key`).
SECTIONS: dict[str, tuple[str, ...]] = {
    PARTNER: ("partnerkommunen", "partnerkommune", "partner", "partnerkommunen im cluster"),
    MODELLKOMMUNE: ("modellkommune",),
    ALTERSSTRUKTUR: (
        "altersstruktur",
        "altersstruktur der einwohner",
        "altersstruktur der einwohnerinnen und einwohner",
        "altersstruktur der bevölkerung",
    ),
    WERKSTATT: (
        "qualitätsentwicklungswerkstatt",
        "qualitätsentwicklungswerkstätten",
        "qualitätswerkstatt",
        "qualitätswerkstätten",
        "werkstatt",
        "werkstätten",
    ),
    ENTWICKLUNGSINTERESSEN: (
        "qualitätsentwicklungsinteresse",
        "qualitätsentwicklungsinteressen",
        "entwicklungsinteresse",
        "entwicklungsinteressen",
    ),
    TEILNEHMENDE: (
        "teilnehmende",
        "teilnehmer",
        "teilnehmerinnen und teilnehmer",
        "teilnehmende organisationen",
        "teilnehmende einrichtungen",
        "teilnehmende institutionen",
        "beteiligte",
        "beteiligte organisationen",
        "beteiligte einrichtungen",
        "beteiligte institutionen",
        "mitwirkende",
    ),
    ZENTRALE_THEMEN: (
        "zentrale themen",
        "zentrales thema",
        "themen",
        "schwerpunktthemen",
        "themenschwerpunkte",
    ),
    ERGEBNISSE: ("ergebnisse", "ergebnis", "resultate"),
    BESONDERHEITEN: ("besonderheiten", "besonderheit"),
}

#: Sub-headings inside Ergebnisse: an Ebene (status umgesetzt) or a status for the Ebene above.
EBENEN: dict[str, tuple[str, ...]] = {
    KOMMUNAL: ("kommunal", "kommunale ebene", "auf kommunaler ebene"),
    CLUSTERUEBERGREIFEND: ("clusterübergreifend", "clusterübergreifende ebene"),
}
STATUS: dict[str, tuple[str, ...]] = {
    GEPLANT: ("in planung", "geplant", "planung"),
    UMGESETZT: ("umgesetzt", "bereits umgesetzt"),
}

#: How a heading is named in messages ("read as 'Zentrale Themen'").
TITLES = {
    PARTNER: "Partnerkommunen",
    MODELLKOMMUNE: "Modellkommune",
    ALTERSSTRUKTUR: "Altersstruktur der Einwohner",
    WERKSTATT: "Qualitätsentwicklungswerkstatt",
    ENTWICKLUNGSINTERESSEN: "Qualitätsentwicklungsinteresse",
    TEILNEHMENDE: "Teilnehmende",
    ZENTRALE_THEMEN: "Zentrale Themen",
    ERGEBNISSE: "Ergebnisse",
    BESONDERHEITEN: "Besonderheiten",
    KOMMUNAL: "Kommunal",
    CLUSTERUEBERGREIFEND: "Clusterübergreifend",
    GEPLANT: "In Planung",
    UMGESETZT: "Umgesetzt",
}

ROLES = {"partnerkommune": "Partnerkommune", "modellkommune": "Modellkommune"}

MAX_HEADING_WORDS = 6
MAX_HEADING_CHARS = 60

_HYPHEN = re.compile(r"(?<=\w)\s*[-‐‑–]\s*(?=\w)")
_SENTENCE_END = re.compile(r"[.,;!?|]$")
_REMARK = re.compile(r"^(?P<heading>[^()]+?)\s*(?P<remark>\([^()]+\))\s*:?$")


@dataclass(frozen=True)
class HeadingMatch:
    """A recognised heading: its kind (section, ebene, status), key, how it was written and
    the heading assumed."""

    kind: str
    key: str
    written: str
    assumed: str
    exact: bool
    #: A qualifier written after the heading in parentheses ("Ergebnisse (Stand 2010)").
    remark: str = ""


def heading_key(text: str) -> str:
    """Lower case, one space between words, no trailing colon, hyphens (and breaks) joined."""
    text = re.sub(r"\s+", " ", text.strip()).rstrip(":").strip().lower()
    return _HYPHEN.sub("", text)


def _table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for kind, forms in (("section", SECTIONS), ("ebene", EBENEN), ("status", STATUS)):
        for key, written in forms.items():
            table.update({heading_key(form): (kind, key) for form in written})
    return table


_TABLE = _table()


def lookup_heading(text: str) -> HeadingMatch | None:
    """The heading a line is, exactly or as a near miss, or None. A heading followed by a
    remark in parentheses is that heading, with the remark kept for the caller to report."""
    key = heading_key(text)
    if key in _TABLE:
        kind, section = _TABLE[key]
        return HeadingMatch(kind, section, text.strip(), TITLES[section], exact=True)
    remarked = _REMARK.match(text.strip())
    if remarked and heading_key(remarked["heading"]) in _TABLE:
        kind, section = _TABLE[heading_key(remarked["heading"])]
        return HeadingMatch(kind, section, text.strip(), TITLES[section], True, remarked["remark"])
    if not _short(text):
        return None
    close = {form for form in _TABLE if typo_distance(key, form) <= _limit(form)}
    targets = {_TABLE[form] for form in close}
    if len(targets) != 1:
        return None
    kind, section = targets.pop()
    return HeadingMatch(kind, section, text.strip(), TITLES[section], exact=False)


def typo_distance(a: str, b: str) -> int:
    """Edits from a to b: insert, delete, replace, or swap two neighbours (optimal string
    alignment), so "Ergebnsise" is one typo away from "Ergebnisse", not two."""
    if abs(len(a) - len(b)) > 2:
        return 3
    rows = [list(range(len(b) + 1))]
    for i, char_a in enumerate(a, 1):
        row = [i]
        for j, char_b in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def _limit(form: str) -> int:
    # One typo in a short heading, two in a long one: "Kommune" must not become "Kommunal".
    return 1 if len(form) <= 10 else 2


def _short(text: str) -> bool:
    """Short, no sentence end, no list separator, no address (any letter case)."""
    text = text.strip()
    if not text or len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if _SENTENCE_END.search(text.rstrip(":")):
        return False
    return not any(mark in text for mark in ("www.", "://", "@", ". ", "; ", " | "))


def heading_shaped(text: str) -> bool:
    """Could be a heading of none of ours: short, no sentence end, and starting with a
    capital (a lower-case short line is more likely a wrapped line than a heading)."""
    return _short(text) and text.strip()[0].isupper()


def role_of(text: str) -> str | None:
    """The role a role line states (PARTNERKOMMUNE, Modell-Kommune, …), or None."""
    return ROLES.get(heading_key(text))
