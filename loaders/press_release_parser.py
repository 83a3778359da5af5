"""Press release text -> `PressRelease` (no RDF here).

A press release about the project is recognised by its content: it names the project
``Projekt "Aus Fehlern lernen …"`` in quotes and does not start with a profile's role line.
Each fact is read by one pattern and keeps its line; a fact the text does not state stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.diagnostics import SourceError
from loaders.profile_document import Field
from loaders.text_normalise import editor_lines as read_lines

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
APPROXIMATIONS = ("fast", "rund", "etwa", "knapp", "ca.", "circa", "ungefähr")

_TITLE = re.compile(r'Projekt\s+["„](?P<value>Aus Fehlern lernen[^"“]*)["“]')
_KOMMUNEN = re.compile(r"\b(?P<value>\d+)\s+Kommunen\b")
_DATE = re.compile(
    r"\bam\s+(?P<day>\d{1,2})\.\s*(?P<month>" + "|".join(MONTHS) + r")(?:\s+(?P<year>\d{4}))?"
)
_LOCATION = re.compile(r"\bin\s+(?P<value>[A-ZÄÖÜ][\wäöüß-]+)\s+vorgestellt")
_FOERDERER = re.compile(r"\bvom\s+(?P<value>[^\"„]+?)\s+geförderten\b")
_AUFTRAGGEBER = re.compile(r'["“]\s+des\s+(?P<value>[^"(]+?)\s*\((?P<abbr>[A-ZÄÖÜ]{2,})\)')
_DURCHFUEHRUNG = re.compile(
    r"\bvon\s+der\s+(?P<a>.+?)\s+in\s+Kooperation\s+mit\s+dem\s+(?P<b>.+?)\s+durchgeführt"
)
_FACHKRAEFTE = re.compile(
    r"(?:(?P<approx>"
    + "|".join(re.escape(a) for a in APPROXIMATIONS)
    + r")\s+)?(?P<value>\d+)\s+Fachkräfte",
    re.IGNORECASE,
)
_QUOTE = re.compile(
    r"(?P<amt>[A-ZÄÖÜ]\w*(?:minister|kanzler)\w*)\s+(?P<name>[A-ZÄÖÜ][\w-]+\s+[A-ZÄÖÜ][\w-]+)"
    r"[^\"„:]*:\s*[\"„](?P<text>[^\"“]+)[\"“]"
)
_GIPFEL = re.compile(r"\bauf\s+dem\s+(?P<value>Kinderschutzgipfel\s+\d{4})")
_FINDINGS_INTRO = re.compile(r"^\s*Zentrale Ergebnisse sind:\s*$", re.IGNORECASE)
_FINDING = re.compile(r"^\s*[-–•]\s+(?P<value>\S.*)$")


@dataclass(frozen=True)
class Quote:
    amt: str
    name: str
    text: str
    line: int


@dataclass
class PressRelease:
    """The facts of a press release, each with the line it was read from."""

    path: str
    lines: tuple[str, ...]
    title: Field
    kommunen: Field | None = None
    day: tuple[int, int, int | None, int] | None = None  # day, month, year (if stated), line
    location: Field | None = None
    foerderer: Field | None = None
    auftraggeber: tuple[Field, str] | None = None  # name as written, abbreviation
    durchfuehrung: list[Field] = field(default_factory=list)
    fachkraefte: tuple[Field, str | None] | None = None  # number, "Fast 600 Fachkräfte" if approx.
    quote: Quote | None = None
    gipfel: Field | None = None
    befunde: list[Field] = field(default_factory=list)


def is_press_release(lines: tuple[str, ...]) -> bool:
    return any(_TITLE.search(line) for line in lines)


def parse_press_release(path: str, text: str) -> PressRelease:
    """Read the facts; raises `SourceError` when the project title is missing."""
    lines = read_lines(text)
    title = _first(lines, _TITLE)
    if title is None:
        raise SourceError(
            path, 1, 'not a press release about the project (no Projekt "Aus Fehlern lernen …")'
        )
    release = PressRelease(path, lines, title)
    release.kommunen = _first(lines, _KOMMUNEN)
    release.location = _first(lines, _LOCATION)
    release.foerderer = _first(lines, _FOERDERER)
    release.gipfel = _first(lines, _GIPFEL)
    release.day = _date(lines)
    release.auftraggeber = _auftraggeber(lines)
    release.durchfuehrung = _durchfuehrung(lines)
    release.fachkraefte = _fachkraefte(lines)
    release.quote = _quote(lines)
    release.befunde = _befunde(lines)
    return release


def _search(lines: tuple[str, ...], pattern: re.Pattern[str]) -> tuple[re.Match[str], int] | None:
    for number, line in enumerate(lines, 1):
        if match := pattern.search(line):
            return match, number
    return None


def _first(lines: tuple[str, ...], pattern: re.Pattern[str]) -> Field | None:
    found = _search(lines, pattern)
    return Field(found[0]["value"].strip(), found[1]) if found else None


def _date(lines: tuple[str, ...]) -> tuple[int, int, int | None, int] | None:
    found = _search(lines, _DATE)
    if not found:
        return None
    match, line = found
    year = int(match["year"]) if match["year"] else None
    return int(match["day"]), MONTHS.index(match["month"]) + 1, year, line


def _auftraggeber(lines: tuple[str, ...]) -> tuple[Field, str] | None:
    found = _search(lines, _AUFTRAGGEBER)
    return (Field(found[0]["value"].strip(), found[1]), found[0]["abbr"]) if found else None


def _durchfuehrung(lines: tuple[str, ...]) -> list[Field]:
    found = _search(lines, _DURCHFUEHRUNG)
    return [Field(found[0][g].strip(), found[1]) for g in ("a", "b")] if found else []


def _fachkraefte(lines: tuple[str, ...]) -> tuple[Field, str | None] | None:
    found = _search(lines, _FACHKRAEFTE)
    if not found:
        return None
    match, line = found
    return Field(match["value"], line), match.group(0) if match["approx"] else None


def _quote(lines: tuple[str, ...]) -> Quote | None:
    found = _search(lines, _QUOTE)
    if not found:
        return None
    match, line = found
    return Quote(match["amt"], match["name"], match["text"].strip(), line)


def _befunde(lines: tuple[str, ...]) -> list[Field]:
    """The "- " bullets right after the line "Zentrale Ergebnisse sind:"."""
    intro = next((n for n, line in enumerate(lines, 1) if _FINDINGS_INTRO.match(line)), None)
    result: list[Field] = []
    for number in range(intro + 1, len(lines) + 1) if intro else ():
        match = _FINDING.match(lines[number - 1])
        if match is None:
            break
        result.append(Field(match["value"].strip(), number))
    return result
