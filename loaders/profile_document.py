"""The structure read from a profile sheet: plain dataclasses with line numbers, no RDF.

`loaders.profile_parser` builds a `ProfileDocument`; `loaders.profile_mapping` turns it into
triples. Line numbers are 1-based and point into `ProfileDocument.lines`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.diagnostics import Diagnostic
from loaders.footnotes import Footnote

# Section keys: the known headings of a profile sheet.
PARTNER = "partner"
MODELLKOMMUNE = "modellkommune"
ALTERSSTRUKTUR = "altersstruktur"
WERKSTATT = "werkstatt"
ENTWICKLUNGSINTERESSEN = "entwicklungsinteressen"
TEILNEHMENDE = "teilnehmende"
ZENTRALE_THEMEN = "zentrale_themen"
ERGEBNISSE = "ergebnisse"
BESONDERHEITEN = "besonderheiten"
PREAMBLE = "preamble"
#: Text under a heading-like line that is none of ours; kept apart, never mapped.
UNKNOWN = "unknown"

# Ebene and Status of an Ergebnisse group (the local names of ksk:Ebene / ksk:Status members).
KOMMUNAL = "kommunal"
CLUSTERUEBERGREIFEND = "clusteruebergreifend"
UMGESETZT = "umgesetzt"
GEPLANT = "geplant"


@dataclass(frozen=True)
class Field:
    """One value from a header line, e.g. the Bundesland as written."""

    value: str
    line: int


@dataclass
class Item:
    """A bullet (with continuation lines and sub-bullets) or a paragraph.

    ``text`` is the repaired text with continuation lines joined by one space; the verbatim text
    is ``lines[first_line - 1:last_line]`` of the document.
    """

    text: str
    first_line: int
    last_line: int
    bullet: bool
    children: list[Item] = field(default_factory=list)
    #: The footnotes its markers point to (`loaders.footnotes.detach` removes the markers).
    footnotes: list[Footnote] = field(default_factory=list)


@dataclass
class ResultGroup:
    """The Ergebnisse items under one Ebene heading, or under its "In Planung"."""

    ebene: str | None
    status: str
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    """A heading and its body; the preamble collects header lines nobody understood, an
    UNKNOWN section what stands under a heading-like line that is none of ours."""

    key: str
    heading: str
    line: int
    items: list[Item] = field(default_factory=list)
    groups: list[ResultGroup] = field(default_factory=list)

    def has_content(self) -> bool:
        return bool(self.items) or any(group.items for group in self.groups)


@dataclass(frozen=True)
class Dropped:
    """A line the parser read and left out of the graph on purpose, with the reason."""

    line: int
    text: str
    reason: str


@dataclass
class ProfileDocument:
    """Everything a profile sheet states, in document order."""

    path: str
    lines: tuple[str, ...]
    role: Field
    name: Field
    website: Field | None = None
    bundesland: Field | None = None
    cluster: Field | None = None
    modellkommune: Field | None = None
    sections: list[Section] = field(default_factory=list)
    notes: list[Diagnostic] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    def section(self, key: str) -> Section | None:
        """The first section with this key (a repeated heading is merged by the parser)."""
        return next((section for section in self.sections if section.key == key), None)

    def items(self, key: str) -> list[Item]:
        section = self.section(key)
        return section.items if section else []

    @property
    def cluster_number(self) -> int | None:
        return int(self.cluster.value) if self.cluster else None

    @property
    def partners(self) -> list[Field]:
        """Partner names as listed under "Partnerkommunen:", one per line."""
        return [Field(item.text, item.first_line) for item in self.items(PARTNER)]
