"""The outline a curator reads before publishing a sheet: what the parser made of it.

`kskg check FILE…` calls `check_files`: each file is read exactly as `kskg build` reads it
(normalised, furniture dropped, the same parser and the same name resolution), nothing is
published. The outline lists the header fields, the names and what each resolves to in
kommunen.csv, every section with its items and line numbers, the footnotes and the items they
belong to, what was kept apart (text under unknown headings), what was dropped and why, and all
diagnostics of the document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.diagnostics import SourceError
from loaders.footnotes import detach
from loaders.headings import TITLES
from loaders.names import KommunenIndex
from loaders.press_release_parser import is_press_release, parse_press_release
from loaders.profile_document import (
    MODELLKOMMUNE,
    PARTNER,
    PREAMBLE,
    UNKNOWN,
    Field,
    Item,
    ProfileDocument,
    Section,
)
from loaders.profile_parser import is_profile, parse_profile
from loaders.reference_data import read_bundeslaender, read_kommunen
from loaders.text_normalise import read_source

Write = Callable[[str], None]


@dataclass(frozen=True)
class CheckResult:
    """How many files were read and how many could not be (each printed as path:line)."""

    files: int
    failed: int


def load_kommunen(data_dir: Path) -> tuple[KommunenIndex, str]:
    """The Kommunen of ``data_dir/reference`` (the index and the path shown in messages)."""
    reference = data_dir / "reference"
    laender = read_bundeslaender(
        "data/reference/bundeslaender.csv", (reference / "bundeslaender.csv").read_text("utf-8")
    )
    shown = "data/reference/kommunen.csv"
    rows = read_kommunen(
        shown, (reference / "kommunen.csv").read_text("utf-8"), {row.iso for row in laender}
    )
    return KommunenIndex(rows), shown


def check_files(paths: list[Path], kommunen: KommunenIndex, shown: str, out: Write) -> CheckResult:
    """Print the outline of each file; a file that cannot be read prints its error."""
    failed = 0
    for path in paths:
        try:
            _check_file(path, kommunen, shown, out)
        except SourceError as error:
            out(str(error))
            failed += 1
        out("")
    return CheckResult(len(paths), failed)


def _check_file(path: Path, kommunen: KommunenIndex, shown: str, out: Write) -> None:
    display = path.as_posix()
    if not path.is_file():
        raise SourceError(display, 0, "file not found")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(display, data[: error.start].count(b"\n") + 1, "not UTF-8 text") from None
    lines = read_source(display, text).lines
    if is_profile(lines):
        doc = parse_profile(display, text, lambda name: kommunen.resolve(name) is not None)
        _Outline(doc, kommunen, shown, out).write()
    elif is_press_release(lines):
        _press_release(display, text, out)
    else:
        first = next((n for n, line in enumerate(lines, 1) if line.strip()), 1)
        raise SourceError(display, first, "neither a profile sheet nor a press release")


def _press_release(display: str, text: str, out: Write) -> None:
    release = parse_press_release(display, text)
    out(f"{display}: press release")
    out(f"  title {release.title.value!r} (line {release.title.line})")
    for befund in release.befunde:
        out(f"  {befund.line:>4}  Befund: {befund.value}")


class _Outline:
    def __init__(self, doc: ProfileDocument, kommunen: KommunenIndex, shown: str, out: Write):
        self.doc = doc
        self.kommunen = kommunen
        self.shown = shown
        self.out = out

    def write(self) -> None:
        doc = self.doc
        self.out(f"{doc.path}: profile sheet, role {doc.role.value} (line {doc.role.line})")
        self.out(f"  Kommune        {self._name(doc.name)}")
        for label, value in (
            ("website", doc.website),
            ("Bundesland", doc.bundesland),
            ("cluster", doc.cluster),
        ):
            self.out(f"  {label:<14} " + (f"{value.value} (line {value.line})" if value else "-"))
        if doc.modellkommune is not None:
            self.out(f"  Modellkommune  {self._name(doc.modellkommune)}")
        for section in doc.sections:
            if section.key != MODELLKOMMUNE:  # shown with the header above
                self._section(section)
        self._rest()

    def _name(self, name: Field) -> str:
        resolution = self.kommunen.resolve(name.value)
        if resolution is None:
            return f"{name.value} (line {name.line}) -> no row of {self.shown}"
        how = "exact" if resolution.exact else "corrected"
        where = f"{self.shown}:{resolution.row.line}"
        return f"{name.value} (line {name.line}) -> {resolution.canonical} ({how}, {where})"

    def _section(self, section: Section) -> None:
        if section.key == PARTNER:
            self.out(f"  Partnerkommunen (line {section.line})")
            for item in section.items:
                self.out(f"    {self._name(Field(item.text, item.first_line))}")
            return
        self.out(self._title(section))
        for item in section.items:
            self._item(item, "    ")
        for group in section.groups:
            ebene = TITLES.get(group.ebene or "", "Ebene unknown")
            self.out(f"    {ebene} / {group.status} (line {group.line})")
            for item in group.items:
                self._item(item, "      ")

    def _title(self, section: Section) -> str:
        if section.key == UNKNOWN:
            return f"  KEPT APART, not mapped: {section.heading!r} (line {section.line})"
        if section.key == PREAMBLE:
            return "  header lines not understood (not mapped)"
        heading = TITLES.get(section.key, section.key)
        written = (
            "" if section.heading.rstrip(": ") == heading else f", written {section.heading!r}"
        )
        return f"  {heading} (line {section.line}{written})"

    def _item(self, item: Item, indent: str) -> None:
        text, notes = detach(item.text, item.footnotes)
        lines = f"{item.first_line}" + (
            f"-{item.last_line}" if item.last_line != item.first_line else ""
        )
        self.out(f"{indent}{lines:>7}  {text}")
        for note in notes:
            self.out(f"{indent}         footnote (line {note.first_line}): {note.text}")
        for child in item.children:
            self._item(child, indent + "  ")

    def _rest(self) -> None:
        unlinked = [note for note in self.doc.footnotes if not note.linked]
        for note in unlinked:
            self.out(f"  footnote without marker (line {note.first_line}): {note.text}")
        for dropped in self.doc.dropped:
            self.out(f"  dropped line {dropped.line} ({dropped.reason}): {dropped.text!r}")
        for note in sorted(self.doc.notes):
            self.out(f"  {note}")
