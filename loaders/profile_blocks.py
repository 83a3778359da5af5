"""The body of a profile sheet as it is being read: sections, Ergebnisse groups, open items.

`loaders.profile_parser` decides what a line is; this base class keeps the state and puts
items where they stood: into the current section (or Ergebnisse group), never into another.
Items (bullets, numbered or lettered items, paragraphs) continue on their continuation lines;
an item deeper indented than the open one, or lettered under a numbered one, is its sub-item.
Several items on one line (inline bullets, "∧", " | "; in Teilnehmende also ";") are split.
"""

from __future__ import annotations

import re

from loaders.diagnostics import Diagnostic, info, warning
from loaders.footnotes import Footnote
from loaders.items import Marker, split_inline
from loaders.profile_document import (
    ERGEBNISSE,
    MODELLKOMMUNE,
    PREAMBLE,
    TEILNEHMENDE,
    UMGESETZT,
    UNKNOWN,
    Item,
    ResultGroup,
    Section,
)
from loaders.text_normalise import SourceText
from loaders.text_repair import repair

#: Sections whose body lists one entry per line (no paragraph joining).
LINE_SECTIONS = frozenset({TEILNEHMENDE})
_NAME_LIST = re.compile(r"\s*[|;]\s*")
_BAR = re.compile(r"\s+\|\s+")


class Blocks:
    """Sections and the item or footnote being read; one instance per document."""

    def __init__(self, path: str, source: SourceText) -> None:
        self.path = path
        self.source = source
        self.lines = source.lines
        self.notes: list[Diagnostic] = []
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.open: Item | None = None
        self.open_child: Item | None = None
        self.open_indent = 0
        self.open_kind = ""
        self.footnote: Footnote | None = None
        self.footnotes: list[Footnote] = []

    # -- sections ---------------------------------------------------------------------------

    def start_section(self, key: str, heading: str, number: int) -> None:
        existing = next((s for s in self.sections if s.key == key), None)
        if existing is not None and key not in (UNKNOWN, MODELLKOMMUNE):
            self.notes.append(
                warning(
                    self.path,
                    number,
                    f"heading {heading!r} repeats line {existing.line}; its body is added there",
                )
            )
            self.section = existing
            return
        self.section = Section(key, heading, number)
        self.sections.append(self.section)

    def start_unknown(self, number: int, heading: str, message: str) -> None:
        """A section for text under a heading of none of ours; the warning says so."""
        self.close()
        self.notes.append(warning(self.path, number, message))
        self.start_section(UNKNOWN, heading, number)

    def sub_heading(self, number: int, text: str, kind: str, key: str) -> bool:
        """Kommunal/Clusterübergreifend/In Planung: a group inside Ergebnisse, else unknown."""
        if self.section is None or self.section.key != ERGEBNISSE:
            self.start_unknown(
                number,
                text,
                f"{text!r} is a sub-heading of Ergebnisse but stands outside it; "
                "what stands under it is kept apart, not mapped",
            )
            return True
        self.close()
        groups = self.section.groups
        if kind == "ebene":
            groups.append(ResultGroup(key, UMGESETZT, number))
        else:
            groups.append(ResultGroup(groups[-1].ebene if groups else None, key, number))
        return True

    def items_of(self, key: str) -> list[Item]:
        return [item for section in self.sections if section.key == key for item in section.items]

    def check_results(self) -> None:
        for section in self.sections:
            if section.key == ERGEBNISSE and any(
                g.ebene is None and g.items for g in section.groups
            ):
                self.notes.append(
                    warning(
                        self.path,
                        section.line,
                        "Ergebnisse items before 'Kommunal'/'Clusterübergreifend': Ebene unknown",
                    )
                )

    # -- items ------------------------------------------------------------------------------

    def item(self, number: int, marker: Marker) -> None:
        body = self.clean(number, marker.body)
        if self.open is not None and self.open.bullet and self._is_child(marker):
            self.open_child = Item(body, number, number, bullet=True)
            self.open.children.append(self.open_child)
            return
        self.close()
        self.open = Item(body, number, number, bullet=True)
        self.open_indent = marker.indent
        self.open_kind = marker.kind

    def _is_child(self, marker: Marker) -> bool:
        if marker.indent > self.open_indent:
            return True
        return marker.kind == "letter" and self.open_kind == "number"

    def extend(self, number: int, text: str) -> None:
        """A continuation line of the open footnote, sub-item or item."""
        target = self.footnote or self.open_child or self.open
        assert target is not None
        glue = "" if target.last_line in self.source.glued else " "
        target.text = f"{target.text}{glue}{self.clean(number, text)}"
        target.last_line = number

    def paragraph(self, number: int, text: str) -> None:
        if self.section is None:
            self.start_section(PREAMBLE, "", 0)
        assert self.section is not None
        if self.open is not None and not self.open.bullet and self.section.key not in LINE_SECTIONS:
            self.extend(number, text)
            return
        self.close()
        self.open = Item(self.clean(number, text), number, number, bullet=False)

    def clean(self, number: int, text: str) -> str:
        repaired, repairs = repair(re.sub(r"\s+", " ", text))
        self.notes.extend(info(self.path, number, note) for note in repairs)
        return repaired

    def close(self) -> None:
        """End the open item (filing it where it stood) and the open footnote."""
        self.footnote = None
        if self.open is None:
            return
        assert self.section is not None
        target = self.section.items
        if self.section.key == ERGEBNISSE:
            if not self.section.groups:
                self.section.groups.append(ResultGroup(None, UMGESETZT, self.section.line))
            target = self.section.groups[-1].items
        target.extend(self._split(self.open))
        self.open = None
        self.open_child = None

    def _split(self, item: Item) -> list[Item]:
        assert self.section is not None
        parts = split_inline(item.text)
        inline = len(parts) > 1
        # "|" separates list entries wherever it stands; ";" only in lists of names (it also
        # ends clauses in prose).
        separator = _NAME_LIST if self.section.key in LINE_SECTIONS else _BAR
        parts = [p for part in parts for p in separator.split(part) if p.strip()]
        if len(parts) <= 1:
            return [item]
        if inline:
            self.notes.append(
                info(
                    self.path,
                    item.first_line,
                    f"one line holds {len(parts)} items (inline bullets or '∧'); "
                    "read as separate items",
                )
            )
        split = [Item(part, item.first_line, item.last_line, item.bullet) for part in parts]
        split[-1].children = item.children
        return split
