"""Text as received -> lines the parsers can read, numbered as an editor shows the file.

Copies of web pages, PDF and word-processor exports differ from a plain text file in invisible
ways. Every one is normalised here, before any parser sees the text, and the line count never
changes, so every message still points at the line an editor shows:

* a UTF-8 byte-order mark is dropped;
* CRLF, CR and LF all end a line (a final line end adds no line);
* a form feed (page break) is dropped and its line remembered as the start of a new page;
* no-break, thin and other Unicode spaces, line/paragraph separators and vertical tabs are
  spaces; zero-width spaces and joiners are removed;
* a soft hyphen is removed; at the end of a line it marks a word broken across lines, which
  the parser joins without a space;
* tabs are expanded (4 columns) so indentation still tells sub-items apart;
* the text is Unicode NFC (a decomposed "a" + combining diaeresis is "ä");
* markup of web copies (HTML tags and character references, Markdown headings, emphasis and
  rules) is removed (`loaders.web_markup`).

The verbatim lines (without BOM and line ends) are kept for ``ksk:zitat``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from loaders.diagnostics import Diagnostic, info
from loaders.web_markup import HTML_CLEANERS, MARKDOWN_CLEANERS

BOM = "\ufeff"
FORM_FEED = "\f"
SOFT_HYPHEN = "\u00ad"
TAB_WIDTH = 4

_LINE_END = re.compile(r"\r\n|\r|\n")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
#: Unicode spaces other than " " and tab (Zs), line/paragraph separators, NEL, vertical tab.
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028\u2029\u0085\v]")


@dataclass(frozen=True)
class SourceText:
    """A document's lines: ``lines`` normalised for parsing, ``verbatim`` as written.

    Both have one entry per editor line; ``page_starts`` are the (1-based) lines that begin a
    new page, ``glued`` the lines whose last word continues on the next line (soft hyphen).
    """

    verbatim: tuple[str, ...]
    lines: tuple[str, ...]
    page_starts: frozenset[int]
    glued: frozenset[int]
    notes: tuple[Diagnostic, ...]

    @property
    def text(self) -> str:
        """The normalised lines joined by LF (line numbers unchanged)."""
        return "\n".join(self.lines)


def editor_lines(text: str) -> tuple[str, ...]:
    """The lines of a text as an editor numbers them (a final line end adds no line)."""
    text = text.removeprefix(BOM)
    parts = _LINE_END.split(text)
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return tuple(parts)


def read_source(path: str, text: str) -> SourceText:
    """Normalise ``text`` line by line; each kind of change found is one info with its line."""
    verbatim = editor_lines(text)
    counter = _Counter(path)
    if text.startswith(BOM):
        counter.saw("byte-order mark removed", 1)
    lines, page_starts, glued = [], set(), set()
    for number, raw in enumerate(verbatim, 1):
        line = raw
        if FORM_FEED in line:
            before = line.split(FORM_FEED, 1)[0]
            page_starts.add(number if not before.strip() else number + 1)
            line = line.replace(FORM_FEED, "")
            counter.saw("page break (form feed)", number)
        line = _web_markup(line, number, counter, HTML_CLEANERS)
        line = _spaces(line, number, counter)
        line = _web_markup(line, number, counter, MARKDOWN_CLEANERS)
        if line.rstrip().endswith(SOFT_HYPHEN):
            glued.add(number)
        if SOFT_HYPHEN in line:
            line = line.replace(SOFT_HYPHEN, "")
            counter.saw("soft hyphen removed", number)
        lines.append(_nfc(line.expandtabs(TAB_WIDTH), number, counter))
    return SourceText(
        verbatim=verbatim,
        lines=tuple(lines),
        page_starts=frozenset(page_starts),
        glued=frozenset(glued),
        notes=counter.notes(),
    )


def _web_markup(line: str, number: int, counter: _Counter, cleaners: tuple) -> str:
    for kind, clean in cleaners:
        cleaned = clean(line)
        if cleaned != line:
            line = cleaned
            counter.saw(kind, number)
    return line


def _spaces(line: str, number: int, counter: _Counter) -> str:
    if _ZERO_WIDTH.search(line):
        line = _ZERO_WIDTH.sub("", line)
        counter.saw("zero-width character removed", number)
    if _ODD_SPACE.search(line):
        line = _ODD_SPACE.sub(" ", line)
        counter.saw("no-break or other Unicode space read as a space", number)
    return line


def _nfc(line: str, number: int, counter: _Counter) -> str:
    composed = unicodedata.normalize("NFC", line)
    if composed != line:
        counter.saw("decomposed characters composed (Unicode NFC)", number)
    return composed


class _Counter:
    """Counts each kind of change and remembers the first line it occurs on."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.first: dict[str, int] = {}
        self.count: dict[str, int] = {}

    def saw(self, kind: str, line: int) -> None:
        self.first.setdefault(kind, line)
        self.count[kind] = self.count.get(kind, 0) + 1

    def notes(self) -> tuple[Diagnostic, ...]:
        return tuple(
            info(self.path, line, f"{kind}" + self._times(kind))
            for kind, line in sorted(self.first.items(), key=lambda item: item[1])
        )

    def _times(self, kind: str) -> str:
        n = self.count[kind]
        return f" (on {n} lines, the first here)" if n > 1 else ""
