"""Profile sheet text -> `ProfileDocument` (no RDF here).

A profile sheet is a role line, the Kommune's name, header fields (website, BUNDESLAND,
KINDERSCHUTZCLUSTER), the Modellkommune and partner list, and then headings, each with a body of
items or paragraphs. The text is normalised first (`loaders.text_normalise`) and page furniture
dropped (`loaders.page_furniture`); headings, item markers, Kommune names and footnotes are each
recognised by their own module. The rule for reading: tolerant where the structure is clear
(each variation is an ``info`` or a warning naming the line), loud where it is not — a
heading-like line that is none of ours starts an UNKNOWN section whose content is kept apart,
never added to the section before. docs/loaders.md lists every variation handled.
"""

from __future__ import annotations

from loaders.diagnostics import SourceError, info, warning
from loaders.footnotes import Footnote, definition, link, marker_key, used_keys
from loaders.headings import HeadingMatch, heading_shaped, lookup_heading, role_of
from loaders.items import is_bare_marker, item_marker
from loaders.kommune_names import KnownKommune, is_kommune_name, split_names
from loaders.page_furniture import Furniture, find_furniture, furniture_kind
from loaders.profile_blocks import Blocks
from loaders.profile_document import (
    MODELLKOMMUNE,
    PARTNER,
    PREAMBLE,
    TEILNEHMENDE,
    UNKNOWN,
    Dropped,
    Field,
    Item,
    ProfileDocument,
)
from loaders.profile_header import HeaderFields, find_role, header_field, is_web_address
from loaders.text_normalise import SourceText, editor_lines, read_source

#: Sections whose body names Kommunen, one or more per line.
NAME_SECTIONS = frozenset({PARTNER, MODELLKOMMUNE})
HEADER_SECTIONS = frozenset({PREAMBLE, PARTNER, MODELLKOMMUNE})
SENTENCE_END = ".!?:;…"

read_lines = editor_lines


def is_profile(lines: tuple[str, ...]) -> bool:
    """A profile sheet has its role line first, after at most a few stray or furniture lines."""
    furniture = frozenset(
        n for n, line in enumerate(lines, 1) if line.strip() and furniture_kind(line.strip())
    )
    return find_role(lines, furniture) is not None


def parse_profile(path: str, text: str, known: KnownKommune | None = None) -> ProfileDocument:
    """Parse a profile sheet; raises `SourceError` (path:line) when it cannot be one.

    ``known`` tells whether a name is a Kommune of the reference data; without it only names
    with a kind word ("Kreis", "Stadt", …) count as Kommunen in the partner list.
    """
    source = read_source(path, text)
    if not any(line.strip() for line in source.lines):
        raise SourceError(path, 1, "empty file: expected a profile sheet")
    return _Parser(path, source, find_furniture(path, source), known).run()


class _Parser(Blocks):
    """Line-by-line state machine; one instance parses one document."""

    def __init__(
        self, path: str, source: SourceText, furniture: Furniture, known: KnownKommune | None
    ) -> None:
        super().__init__(path, source)
        self.furniture = furniture
        self.known = known
        self.header = HeaderFields(path)
        self.notes.extend([*source.notes, *furniture.notes])
        self.dropped = [
            Dropped(n, self.lines[n - 1].strip(), "page furniture") for n in sorted(furniture.lines)
        ]
        self.used = used_keys(self.lines)
        self.gap = False

    def run(self) -> ProfileDocument:
        role = self._role()
        name = self._name(role.line)
        for number in range(name.line + 1, len(self.lines) + 1):
            self._feed(number, self.lines[number - 1])
        self.close()
        self._link_footnotes()
        self._check_header(role)
        return ProfileDocument(
            path=self.path,
            lines=self.source.verbatim,
            role=role,
            name=name,
            website=self.header.fields.get("website"),
            bundesland=self.header.fields.get("bundesland"),
            cluster=self.header.fields.get("cluster"),
            modellkommune=self._modellkommune(),
            sections=self.sections,
            notes=self.notes + self.header.notes,
            footnotes=self.footnotes,
            dropped=sorted(self.dropped, key=lambda d: d.line),
        )

    def _content_after(self, line: int) -> int | None:
        return next(
            (
                n
                for n in range(line + 1, len(self.lines) + 1)
                if self.lines[n - 1].strip() and n not in self.furniture.lines
            ),
            None,
        )

    def _role(self) -> Field:
        number = find_role(self.lines, self.furniture.lines)
        if number is None:
            first = self._content_after(0) or 1
            text = self.lines[first - 1].strip()
            raise SourceError(
                self.path,
                first,
                f"expected the role line PARTNERKOMMUNE or MODELLKOMMUNE, found {text!r}",
            )
        for n in range(1, number):
            if self.lines[n - 1].strip() and n not in self.furniture.lines:
                self._drop(n, "stray line before the role line")
        return Field(role_of(self.lines[number - 1]) or "", number)

    def _drop(self, number: int, reason: str) -> None:
        text = self.lines[number - 1].strip()
        self.dropped.append(Dropped(number, text, reason))
        self.notes.append(info(self.path, number, f"{reason} dropped: {text!r}"))

    def _name(self, role_line: int) -> Field:
        """The Kommune name: the first line after the role line that is no header field
        (a website or BUNDESLAND line may come first; those are read here)."""
        number = self._content_after(role_line)
        last = role_line
        while number is not None and self.header.read(number, self.lines[number - 1].strip()):
            last, number = number, self._content_after(number)
        if number is None and last != role_line:
            text = self.lines[last - 1].strip()
            raise SourceError(
                self.path, last, f"expected the Kommune name after the role line, found {text!r}"
            )
        if number is None:
            raise SourceError(self.path, role_line, "missing Kommune name after the role line")
        text = self.lines[number - 1].strip()
        if self._is_structure(text) or item_marker(self.lines[number - 1]):
            raise SourceError(
                self.path, number, f"expected the Kommune name after the role line, found {text!r}"
            )
        return Field(" ".join(text.split()), number)

    @staticmethod
    def _is_structure(text: str) -> bool:
        match = lookup_heading(text.split(":", 1)[0])
        return (match is not None and match.exact) or header_field(text) or is_web_address(text)

    # -- one line ---------------------------------------------------------------------------

    def _feed(self, number: int, raw: str) -> None:
        stripped = raw.strip()
        if number in self.furniture.lines:
            return
        if number in self.furniture.gaps:
            if self.open is None:
                self.close()  # a footnote ends at the page break
            else:
                self.gap = True
            return
        if not stripped:
            self.close()
            return
        if self.gap:
            self.gap = False
            if self._joins_across_break(raw, stripped):
                self.extend(number, stripped)
                return
            self.close()
        self._content(number, raw, stripped)

    def _content(self, number: int, raw: str, stripped: str) -> None:
        if is_bare_marker(stripped):
            self.close()
            self._drop(number, "list marker without text")
            return
        if note := definition(stripped, self.used):
            self._footnote(number, *note)
            return
        marker = item_marker(raw)
        if self.footnote is not None and marker is None and lookup_heading(stripped) is None:
            self.extend(number, stripped)
            return
        if marker is None and self._structure(number, raw, stripped):
            return
        if self.section is not None and self.section.key in NAME_SECTIONS:
            self._names(number, marker.body if marker else stripped)
        elif marker is not None:
            self.item(number, marker)
        elif self._continues(raw, stripped):
            self.extend(number, stripped)
        else:
            self.paragraph(number, stripped)

    def _continues(self, raw: str, stripped: str) -> bool:
        """An indented line under a bullet, or a wrapped line starting in lower case."""
        if self.open is None:
            return False
        if self.open.last_line in self.source.glued:
            return True
        return self.open.bullet and (raw[0].isspace() or stripped[0].islower())

    def _joins_across_break(self, raw: str, stripped: str) -> bool:
        """After a page break: the item goes on unless it ended or a new one starts."""
        if self.open is None or item_marker(raw) or lookup_heading(stripped):
            return False
        ended = (self.open_child or self.open).text.rstrip().endswith(tuple(SENTENCE_END))
        return stripped[0].islower() or not ended

    def _structure(self, number: int, raw: str, stripped: str) -> bool:
        """A heading, a header field or web address, or a heading-like line of none of ours."""
        if raw[0].isspace() and self.open is not None:
            return False
        if self._known_heading(number, stripped):
            return True
        if self._in_header() and self.header.read(number, stripped):
            self.close()
            return True
        if is_web_address(stripped):
            self.close()
            self._drop(number, "web address outside the header")
            return True
        if self.section is not None and self.section.key in (*NAME_SECTIONS, UNKNOWN):
            return False  # names are read by _names; under an unknown heading all is kept apart
        return self._unknown_heading(number, stripped)

    def _in_header(self) -> bool:
        return self.section is None or self.section.key in HEADER_SECTIONS

    # -- headings ---------------------------------------------------------------------------

    def _note_inexact(self, number: int, match: HeadingMatch) -> None:
        if not match.exact:
            found = f"heading {match.written!r} read as {match.assumed!r} (a near miss)"
        elif match.remark:
            found = (
                f"heading {match.written!r} read as {match.assumed!r}; "
                f"its remark {match.remark!r} is not mapped"
            )
        else:
            return
        self.notes.append(warning(self.path, number, found))

    def _known_heading(self, number: int, text: str) -> bool:
        match, rest = lookup_heading(text), ""
        if match is None:
            head, colon, rest = text.partition(":")
            match = lookup_heading(head) if colon and rest.strip() else None
            if match is None or match.kind != "section":
                return False
        self._note_inexact(number, match)
        if match.kind != "section":
            return self.sub_heading(number, text, match.kind, match.key)
        self.close()
        self.start_section(match.key, text, number)
        if rest.strip():
            self._inline_content(number, rest.strip())
        return True

    def _inline_content(self, number: int, text: str) -> None:
        assert self.section is not None
        if self.section.key in NAME_SECTIONS:
            self._names(number, text)
            return
        self.open = Item(self.clean(number, text), number, number, bullet=False)
        self.close()

    def _unknown_heading(self, number: int, text: str) -> bool:
        if not heading_shaped(text):
            return False
        following = self._content_after(number)
        next_raw = self.lines[following - 1] if following else ""
        next_is_item = bool(item_marker(next_raw))
        if self.section is not None and self.section.key == TEILNEHMENDE:
            # Organisations are short lines too: only a colon or a body that is not one marks a
            # heading here.
            if not (text.endswith(":") or next_is_item or not heading_shaped(next_raw)):
                return False
        elif not (text.endswith(":") or next_is_item or following != number + 1):
            return False
        self.start_unknown(
            number,
            text,
            f"{text!r} looks like a heading but is none of ours; "
            "what stands under it is kept apart, not mapped",
        )
        return True

    # -- header -----------------------------------------------------------------------------

    def _names(self, number: int, text: str) -> None:
        """Kommune names under Partnerkommunen/Modellkommune; anything else is kept apart."""
        assert self.section is not None
        self.close()
        names = split_names(text, self.known)
        if all(is_kommune_name(name, self.known) for name in names):
            for name in names:
                self.section.items.append(Item(" ".join(name.split()), number, number, False))
            return
        heading = self.section.heading.rstrip(": ") or self.section.key
        self.start_unknown(
            number,
            text,
            f"{text!r} under {heading!r} is no Kommune name (no word such as Kreis or Stadt, no "
            "row of kommunen.csv); it and what stands under it are kept apart, not mapped",
        )
        if not heading_shaped(text):
            self.paragraph(number, text)

    def _modellkommune(self) -> Field | None:
        names = self.items_of(MODELLKOMMUNE)
        for extra in names[1:]:
            self.notes.append(
                warning(
                    self.path,
                    extra.first_line,
                    f"{extra.text!r}: a second name under Modellkommune; not recorded",
                )
            )
        return Field(names[0].text, names[0].first_line) if names else None

    def _check_header(self, role: Field) -> None:
        self.header.check_complete(role.line)
        self.check_results()

    # -- footnotes --------------------------------------------------------------------------

    def _footnote(self, number: int, marker: str, text: str) -> None:
        self.close()
        text = self.clean(number, text)
        self.footnote = Footnote(marker_key(marker), marker, text, number, number)
        self.footnotes.append(self.footnote)

    def _link_footnotes(self) -> None:
        items = [
            item
            for section in self.sections
            for block in (section.items, *(group.items for group in section.groups))
            for top in block
            for item in (top, *top.children)
        ]
        items.sort(key=lambda item: item.first_line)
        for line, problem in link(items, self.footnotes):
            self.notes.append(warning(self.path, line, problem))
