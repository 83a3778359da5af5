"""Profile sheet text -> `ProfileDocument` (no RDF here).

A profile sheet is a role line, the Kommune's name, header fields (website, BUNDESLAND,
KINDERSCHUTZCLUSTER) and then a sequence of known headings, each with a body of paragraphs or
bullets. The parser knows the headings, not the five files: headings are recognised after
normalising case, whitespace, a trailing colon and hyphenation breaks ("Qualitätsentwicklungs-
interesse"); a line that looks like a heading but is not known goes into the current section's
body. docs/loaders.md lists every irregularity handled.
"""

from __future__ import annotations

import re

from loaders.diagnostics import SourceError, info, warning
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
    PREAMBLE,
    TEILNEHMENDE,
    UMGESETZT,
    WERKSTATT,
    ZENTRALE_THEMEN,
    Field,
    Item,
    ProfileDocument,
    ResultGroup,
    Section,
)
from loaders.text_repair import repair

ROLES = {"partnerkommune": "Partnerkommune", "modellkommune": "Modellkommune"}

HEADINGS = {
    "partnerkommunen": PARTNER,
    "partnerkommune": PARTNER,
    "modellkommune": MODELLKOMMUNE,
    "altersstruktur der einwohner": ALTERSSTRUKTUR,
    "qualitätsentwicklungswerkstatt": WERKSTATT,
    "qualitätsentwicklungswerkstätten": WERKSTATT,
    "qualitätsentwicklungsinteresse": ENTWICKLUNGSINTERESSEN,
    "qualitätsentwicklungsinteressen": ENTWICKLUNGSINTERESSEN,
    "teilnehmende": TEILNEHMENDE,
    "zentrale themen": ZENTRALE_THEMEN,
    "ergebnisse": ERGEBNISSE,
    "besonderheiten": BESONDERHEITEN,
}

#: Sub-headings of Ergebnisse: an Ebene (status reset to umgesetzt) or "In Planung" (None).
RESULT_HEADINGS = {"kommunal": KOMMUNAL, "clusterübergreifend": CLUSTERUEBERGREIFEND}
PLANNED_HEADING = "in planung"

#: Sections whose body lists one name per line (no paragraph joining).
LINE_ITEM_SECTIONS = frozenset({PARTNER, MODELLKOMMUNE})
HEADER_SECTIONS = frozenset({PREAMBLE, PARTNER, MODELLKOMMUNE})

JOINED_ITEMS = "∧"

_BULLET = re.compile(r"^(?P<indent>\s*)(?P<marker>[•·▪●◦‣*\-–])\s+(?P<body>\S.*)$")
_BUNDESLAND = re.compile(r"^bundesland\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_CLUSTER = re.compile(r"^kinderschutz-?\s*cluster\b\s*:?\s*(?P<value>.*)$", re.IGNORECASE)
_WEBSITE = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?$", re.I)
_HYPHEN_BREAK = re.compile(r"(?<=\w)[-‐]\s+(?=\w)")


def normalise_heading(text: str) -> str:
    """Lower case, one space between words, no trailing colon, hyphenation breaks joined."""
    joined = _HYPHEN_BREAK.sub("", text.strip())
    return re.sub(r"\s+", " ", joined).strip().rstrip(":").strip().lower()


def read_lines(text: str) -> tuple[str, ...]:
    """The lines of a file as an editor numbers them (a final newline adds no line)."""
    text = text.replace("\r\n", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return tuple(text.split("\n"))


def is_profile(lines: tuple[str, ...]) -> bool:
    """A profile sheet starts with its role line (PARTNERKOMMUNE / MODELLKOMMUNE)."""
    first = next((line for line in lines if line.strip()), "")
    return normalise_heading(first) in ROLES


def parse_profile(path: str, text: str) -> ProfileDocument:
    """Parse a profile sheet; raises `SourceError` (path:line) when it cannot be one."""
    lines = read_lines(text)
    if not any(line.strip() for line in lines):
        raise SourceError(path, 1, "empty file: expected a profile sheet")
    return _Parser(path, lines).run()


class _Parser:
    """Line-by-line state machine; one instance parses one document."""

    def __init__(self, path: str, lines: tuple[str, ...]) -> None:
        self.path = path
        self.lines = lines
        self.fields: dict[str, Field] = {}
        self.notes: list = []
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.open: Item | None = None
        self.open_child: Item | None = None
        self.open_indent = 0

    def run(self) -> ProfileDocument:
        role = self._role()
        name = self._name(role.line)
        for number in range(name.line + 1, len(self.lines) + 1):
            self._feed(number, self.lines[number - 1])
        self._close()
        self._check_header(role)
        return ProfileDocument(
            path=self.path,
            lines=self.lines,
            role=role,
            name=name,
            website=self.fields.get("website"),
            bundesland=self.fields.get("bundesland"),
            cluster=self.fields.get("cluster"),
            modellkommune=self._modellkommune(),
            sections=self.sections,
            notes=self.notes,
        )

    def _non_blank_after(self, line: int) -> int | None:
        return next(
            (n for n in range(line + 1, len(self.lines) + 1) if self.lines[n - 1].strip()), None
        )

    def _role(self) -> Field:
        number = self._non_blank_after(0)
        assert number is not None  # parse_profile rejected empty files
        text = self.lines[number - 1].strip()
        if normalise_heading(text) not in ROLES:
            raise SourceError(
                self.path,
                number,
                f"expected the role line PARTNERKOMMUNE or MODELLKOMMUNE, found {text!r}",
            )
        return Field(ROLES[normalise_heading(text)], number)

    def _name(self, role_line: int) -> Field:
        number = self._non_blank_after(role_line)
        if number is None:
            raise SourceError(self.path, role_line, "missing Kommune name after the role line")
        text = self.lines[number - 1].strip()
        if self._is_structure(text) or _BULLET.match(self.lines[number - 1]):
            raise SourceError(
                self.path, number, f"expected the Kommune name after the role line, found {text!r}"
            )
        return Field(re.sub(r"\s+", " ", text), number)

    def _is_structure(self, text: str) -> bool:
        heading = normalise_heading(text.split(":", 1)[0])
        return heading in HEADINGS or any(
            rx.match(text) for rx in (_BUNDESLAND, _CLUSTER, _WEBSITE)
        )

    def _feed(self, number: int, raw: str) -> None:
        stripped = raw.strip()
        if not stripped:
            self._close()
        elif self._structure_line(number, raw, stripped):
            return
        elif bullet := _BULLET.match(raw):
            self._bullet(number, bullet)
        elif raw[0].isspace() and self.open is not None and self.open.bullet:
            self._continue(number, stripped)
        else:
            self._paragraph(number, stripped)

    def _structure_line(self, number: int, raw: str, stripped: str) -> bool:
        """A heading (never indented) or, in the header, a BUNDESLAND/cluster/website line."""
        if not raw[0].isspace() and self._heading(number, stripped):
            return True
        return self._in_header() and self._field(number, stripped)

    def _in_header(self) -> bool:
        return self.section is None or self.section.key in HEADER_SECTIONS

    def _heading(self, number: int, text: str) -> bool:
        key = normalise_heading(text)
        if (
            self.section is not None
            and self.section.key == ERGEBNISSE
            and self._result_heading(number, key)
        ):
            return True
        head, _, rest = text.partition(":")
        if key not in HEADINGS and not (rest.strip() and normalise_heading(head) in HEADINGS):
            return False
        self._close()
        self._start_section(HEADINGS.get(key) or HEADINGS[normalise_heading(head)], text, number)
        if key not in HEADINGS:
            self.open = Item(self._clean(number, rest.strip()), number, number, bullet=False)
            self._close()
        return True

    def _result_heading(self, number: int, key: str) -> bool:
        assert self.section is not None
        groups = self.section.groups
        if key in RESULT_HEADINGS:
            self._close()
            groups.append(ResultGroup(RESULT_HEADINGS[key], UMGESETZT, number))
            return True
        if key == PLANNED_HEADING:
            self._close()
            groups.append(ResultGroup(groups[-1].ebene if groups else None, GEPLANT, number))
            return True
        return False

    def _start_section(self, key: str, heading: str, number: int) -> None:
        existing = next((s for s in self.sections if s.key == key), None)
        if existing is not None and key != MODELLKOMMUNE:
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

    def _field(self, number: int, text: str) -> bool:
        for name, pattern in (("bundesland", _BUNDESLAND), ("cluster", _CLUSTER)):
            if match := pattern.match(text):
                self._set_field(name, match["value"].strip(), number)
                return True
        if _WEBSITE.match(text) and "website" not in self.fields:
            self._set_field("website", text, number)
            return True
        return False

    def _set_field(self, name: str, value: str, number: int) -> None:
        self._close()
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

    def _bullet(self, number: int, match: re.Match[str]) -> None:
        indent = len(match["indent"].expandtabs(4))
        body = self._clean(number, match["body"].strip())
        if (
            match["marker"] in "-–"
            and self.open is not None
            and self.open.bullet
            and indent > self.open_indent
        ):
            self.open_child = Item(body, number, number, bullet=True)
            self.open.children.append(self.open_child)
            return
        self._close()
        self.open = Item(body, number, number, bullet=True)
        self.open_indent = indent

    def _continue(self, number: int, text: str) -> None:
        assert self.open is not None
        target = self.open_child or self.open
        target.text = f"{target.text} {self._clean(number, text)}"
        target.last_line = number

    def _paragraph(self, number: int, text: str) -> None:
        if self.section is None:
            self._start_section(PREAMBLE, "", 0)
        assert self.section is not None
        if (
            self.open is not None
            and not self.open.bullet
            and self.section.key not in LINE_ITEM_SECTIONS
        ):
            self.open.text = f"{self.open.text} {self._clean(number, text)}"
            self.open.last_line = number
            return
        self._close()
        self.open = Item(self._clean(number, text), number, number, bullet=False)

    def _clean(self, number: int, text: str) -> str:
        repaired, repairs = repair(re.sub(r"\s+", " ", text))
        self.notes.extend(info(self.path, number, note) for note in repairs)
        return repaired

    def _close(self) -> None:
        if self.open is None:
            return
        assert self.section is not None
        target = self.section.items
        if self.section.key == ERGEBNISSE:
            if not self.section.groups:
                self.section.groups.append(ResultGroup(None, UMGESETZT, self.section.line))
            target = self.section.groups[-1].items
        target.extend(self._split_joined(self.open))
        self.open = None
        self.open_child = None

    def _split_joined(self, item: Item) -> list[Item]:
        if not item.bullet or JOINED_ITEMS not in item.text:
            return [item]
        parts = [part.strip() for part in item.text.split(JOINED_ITEMS) if part.strip()]
        self.notes.append(
            info(
                self.path,
                item.first_line,
                f"'{JOINED_ITEMS}' joins {len(parts)} items in one bullet; read as separate items",
            )
        )
        split = [Item(part, item.first_line, item.last_line, bullet=True) for part in parts]
        split[-1].children = item.children
        return split

    def _modellkommune(self) -> Field | None:
        names = self.items_of(MODELLKOMMUNE)
        return Field(names[0].text, names[0].first_line) if names else None

    def items_of(self, key: str) -> list[Item]:
        return [item for section in self.sections if section.key == key for item in section.items]

    def _check_header(self, role: Field) -> None:
        for name, label in (("bundesland", "BUNDESLAND"), ("cluster", "KINDERSCHUTZCLUSTER")):
            if name not in self.fields:
                self.notes.append(warning(self.path, role.line, f"no {label} line in the header"))
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
