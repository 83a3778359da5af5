"""Layout transformations of real profile sheets, as web, PDF and word-processor copies make them,
and corruptions of their structure. Used by test_variants.py and test_variant_properties.py.

A transformation maps the text of a sheet to another text that a careful curator reads as the
same sheet. ``keeps_lines`` says whether every line stays where an editor shows it (then even
the Fundstellen must be the same); the others insert lines (page furniture, stray lines, one
participant per line) and are compared modulo Fundstelle line numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal
from rdflib.namespace import PROV

from kskg.namespaces import GRAPH
from kskg.vocab import KSK
from loaders.headings import lookup_heading
from loaders.sources import load_document

Lines = list[str]

HEADINGS = re.compile(
    r"^(Partnerkommunen?:|Altersstruktur der Einwohner|Qualitätsentwicklungswerkstatt"
    r"|Qualitätsentwicklungs- interesse|Teilnehmende|Zentrale Themen|Ergebnisse|Kommunal"
    r"|In Planung|Clusterübergreifend|Besonderheiten)$"
)
TOP_HEADINGS = re.compile(
    r"^(Altersstruktur der Einwohner|Qualitätsentwicklungswerkstatt"
    r"|Qualitätsentwicklungs- interesse|Teilnehmende|Zentrale Themen|Ergebnisse|Besonderheiten)$"
)
BULLET = re.compile(r"^(?P<indent>  )• (?P<body>.*)$")
SUB_BULLET = re.compile(r"^(?P<indent>    )- (?P<body>.*)$")
SYNONYMS = {
    "Partnerkommunen:": "Partner:",
    "Altersstruktur der Einwohner": "Altersstruktur",
    "Qualitätsentwicklungswerkstatt": "Qualitätsentwicklungswerkstätten",
    "Qualitätsentwicklungs- interesse": "Qualitätsentwicklungsinteressen",
    "Teilnehmende": "Beteiligte",
    "Zentrale Themen": "Themen",
    "Ergebnisse": "Ergebnis",
    "In Planung": "Geplant",
    "Clusterübergreifend": "Cluster-übergreifend",
    "Besonderheiten": "Besonderheit",
}
HYPHENATED = {
    "Qualitätsentwicklungswerkstatt": "Qualitätsentwicklungs-Werkstatt",
    "Qualitätsentwicklungs- interesse": "Qualitäts-Entwicklungs-Interesse",
    "Clusterübergreifend": "Cluster- übergreifend",
    "Besonderheiten": "Besonder- heiten",
}
RUNNING_HEADER = "Aus Fehlern lernen – Qualitätsmanagement im Kinderschutz"
UNKNOWN_HEADINGS = ("Ansprechpartner", "Kontakt", "Sonstiges", "Weitere Informationen", "Fazit")


@dataclass(frozen=True)
class Transformation:
    name: str
    apply: Callable[[Lines], Lines]
    keeps_lines: bool
    #: Encodings (BOM, line ends, NFD) run last, after every line-level change; a layout of
    #: the copy itself (partners on one line) runs first.
    phase: int = 0


def _headings(fn: Callable[[str], str]) -> Callable[[Lines], Lines]:
    return lambda lines: [fn(line) if HEADINGS.match(line) else line for line in lines]


def _bullets(fn: Callable[[int, str, str], str]) -> Callable[[Lines], Lines]:
    """Renumber top-level bullets per run: fn(n, indent, body) -> the new line."""

    def apply(lines: Lines) -> Lines:
        out, n = [], 0
        for line in lines:
            match = BULLET.match(line)
            n = n + 1 if match else (n if SUB_BULLET.match(line) or not line.strip() else 0)
            out.append(fn(n, match["indent"], match["body"]) if match else line)
        return out

    return apply


def _glyph(glyph: str) -> Callable[[Lines], Lines]:
    return _bullets(lambda n, indent, body: f"{indent}{glyph} {body}")


def _roman(n: int) -> str:
    return ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")[n - 1]


def _words(fn: Callable[[str], str]) -> Callable[[Lines], Lines]:
    return lambda lines: [re.sub(r"(?<=\S) (?=\S)", lambda m: fn(m[0]), line) for line in lines]


def _soft_hyphens(lines: Lines) -> Lines:
    return [re.sub(r"\b(\w{5})(\w{5,})", "\\1\u00ad\\2", line) for line in lines]


def _tabs(lines: Lines) -> Lines:
    return [re.sub(r"^ {4}", "\t\t", re.sub(r"^ {2}(?! )", "\t", line)) for line in lines]


def _markdown(lines: Lines) -> Lines:
    """A Markdown export: the role line a title, headings marked by level, strong emphasis."""
    out = [f"# {lines[0]}", *lines[1:]]
    level = {True: "## ", False: "### "}
    return [
        f"{level[bool(TOP_HEADINGS.match(line))]}{line}" if HEADINGS.match(line) else line
        for line in out
    ]


def _html_copy(lines: Lines) -> Lines:
    """A web page copied with its markup: items as <li>, bold headings, escaped characters."""
    out = []
    for line in lines:
        line = line.replace("&", "&amp;").replace('"', "&quot;").replace("–", "&ndash;")
        match = BULLET.match(line)
        if match:
            line = f"{match['indent']}<li>{match['body']}</li>"
        elif HEADINGS.match(line):
            line = f"<p><strong>{line}</strong></p>"
        out.append(line)
    return out


def _setext_underlines(lines: Lines) -> Lines:
    """Markdown headings underlined with = or - (adds a line under each top heading)."""
    out: Lines = []
    for line in lines:
        out.append(line)
        if TOP_HEADINGS.match(line):
            out.append("=" * len(line))
    return out


def _colon(line: str) -> str:
    return line[:-1] if line.endswith(":") else line + ":"


def _form_feeds(lines: Lines) -> Lines:
    return ["\f" + line if TOP_HEADINGS.match(line) else line for line in lines]


def _page_breaks(lines: Lines) -> Lines:
    """A page break with running header and footer before every other top heading."""
    out, page = [], 1
    for line in lines:
        if TOP_HEADINGS.match(line) and page % 2:
            out += [f"- {page} -", "", f"\f{RUNNING_HEADER}", ""]
        page += bool(TOP_HEADINGS.match(line))
        out.append(line)
    return out


def _break_inside_item(lines: Lines) -> Lines:
    """The first long bullet broken across a page: footer, form feed, header, then the rest."""
    for i, line in enumerate(lines):
        match = BULLET.match(line)
        if not match or len(line) < 70:
            continue
        words = match["body"].split(" ")
        cut = next(
            (k for k in range(len(words) // 2, len(words)) if words[k - 1][-1] not in ".!?:;"),
            None,
        )
        if cut is None:
            continue
        head = f"{match['indent']}• {' '.join(words[:cut])}"
        rest = "    " + " ".join(words[cut:])
        return [
            *lines[:i],
            head,
            "",
            "Seite 1 von 2",
            "\f" + RUNNING_HEADER,
            "",
            rest,
            *lines[i + 1 :],
        ]
    return lines


def _stray_lines(lines: Lines) -> Lines:
    return ["Kommunenprofil", "https://www.fruehehilfen.de/profil", "03.05.2011", "", *lines]


def _print_header(lines: Lines) -> Lines:
    return [
        "03.05.11, 14:02 Aus Fehlern lernen – NZFH",
        *lines,
        "",
        "https://www.fruehehilfen.de/kinderschutz/profil.html 1/1",
    ]


def _participants(separator: str) -> Callable[[Lines], Lines]:
    def apply(lines: Lines) -> Lines:
        return [line.replace(" | ", separator) if " | " in line else line for line in lines]

    return apply


def _participants_per_line(lines: Lines) -> Lines:
    out: Lines = []
    for line in lines:
        match = BULLET.match(line)
        if match and " | " in line:
            out += [f"  • {part}" for part in match["body"].split(" | ")]
        else:
            out.append(line)
    return out


def _partners_on_one_line(lines: Lines) -> Lines:
    start = next(
        (i for i, line in enumerate(lines) if re.match(r"^Partnerkommunen?:$", line)), None
    )
    if start is None:
        return lines
    # The list ends at the next heading in whatever form an earlier transformation gave it
    # (a synonym, upper case), so the parser's own table decides what a heading is.
    end = next(i for i in range(start + 1, len(lines)) if is_known_heading(lines[i]))
    names = [line for line in lines[start + 1 : end] if line.strip()]
    return [*lines[:start], f"{lines[start]} {'; '.join(names)}", "", *lines[end:]]


def _partners_enumerated(lines: Lines) -> Lines:
    """The partner list as a sentence would give it: "A, B und C"."""
    joined = _partners_on_one_line(lines)
    for i, line in enumerate(joined):
        head, sep, names = line.partition(": ")
        if sep and re.match(r"^Partnerkommunen?$", head) and "; " in names:
            first, _, last = names.rpartition("; ")
            joined[i] = f"{head}: {first.replace('; ', ', ')} und {last}"
    return joined


def _unindented_wrap(lines: Lines) -> Lines:
    """Long bullets wrapped at a lower-case word, the rest not indented (web copies)."""
    out: Lines = []
    for line in lines:
        match = BULLET.match(line)
        wrap = match and re.search(r"^(.{40,}?\S) ([a-zäöüß]\S*.*)$", match["body"])
        if wrap:
            out += [f"  • {wrap[1]}", wrap[2]]
        else:
            out.append(line)
    return out


def _encode(fn: Callable[[str], str]) -> Callable[[Lines], Lines]:
    return lambda lines: fn("\n".join(lines)).split("\n")


LINE_KEEPING = (
    Transformation("bom", _encode(lambda t: "\ufeff" + t), True, 1),
    Transformation("crlf", _encode(lambda t: t.replace("\n", "\r\n")), True, 2),
    Transformation("cr", _encode(lambda t: t.replace("\n", "\r")), True, 2),
    Transformation("nfd", _encode(lambda t: unicodedata.normalize("NFD", t)), True, 1),
    Transformation("nbsp", _words(lambda s: "\u00a0"), True),
    Transformation("thin-and-zero-width", _words(lambda s: "\u2009\u200b"), True),
    Transformation("soft-hyphens", _soft_hyphens, True),
    Transformation("tabs", _tabs, True),
    Transformation("trailing-spaces", lambda lines: [line + " \t" for line in lines], True),
    Transformation("form-feeds", _form_feeds, True, 1),
    *(Transformation(f"glyph-{g}", _glyph(g), True) for g in "▪–-*◦●➢\uf0b7"),
    Transformation("numbered-dot", _bullets(lambda n, i, b: f"{i}{n}. {b}"), True),
    Transformation("numbered-outline", _bullets(lambda n, i, b: f"{i}1.{n} {b}"), True),
    Transformation("roman", _bullets(lambda n, i, b: f"{i}{_roman(n)}) {b}"), True),
    Transformation("glyph-arrow", _glyph("→"), True),
    Transformation("numbered-paren", _bullets(lambda n, i, b: f"{i}{n}) {b}"), True),
    Transformation("lettered", _bullets(lambda n, i, b: f"{i}{chr(96 + n)}) {b}"), True),
    Transformation("lettered-parens", _bullets(lambda n, i, b: f"{i}({chr(96 + n)}) {b}"), True),
    Transformation("headings-upper", _headings(str.upper), True),
    Transformation("headings-lower", _headings(str.lower), True),
    Transformation("headings-colon", _headings(_colon), True),
    Transformation("headings-synonyms", _headings(lambda h: SYNONYMS.get(h, h)), True),
    Transformation("headings-hyphenated", _headings(lambda h: HYPHENATED.get(h, h)), True),
    Transformation("participants-semicolon", _participants("; "), True),
    Transformation("participants-inline-bullets", _participants(" • "), True),
    Transformation("markdown", _markdown, True),
    Transformation("html-copy", _html_copy, True),
)
LINE_SHIFTING = (
    Transformation("page-breaks", _page_breaks, False),
    Transformation("page-break-inside-item", _break_inside_item, False),
    Transformation("stray-lines", _stray_lines, False),
    Transformation("print-header-footer", _print_header, False),
    Transformation("participants-per-line", _participants_per_line, False),
    # The copy's own layout, before printing adds page furniture between the names.
    Transformation("partners-on-one-line", _partners_on_one_line, False, -1),
    Transformation("partners-enumerated", _partners_enumerated, False, -1),
    Transformation("unindented-wrap", _unindented_wrap, False),
    Transformation("setext-underlines", _setext_underlines, False),
)
TRANSFORMATIONS = {t.name: t for t in (*LINE_KEEPING, *LINE_SHIFTING)}


def transform(text: str, names: list[str]) -> str:
    """Apply the named transformations, line-level ones first, encodings last."""
    chosen = sorted((TRANSFORMATIONS[name] for name in names), key=lambda t: t.phase)
    lines = text.split("\n")
    for transformation in chosen:
        lines = transformation.apply(lines)
    return "\n".join(lines)


def heading_lines(text: str) -> list[int]:
    """0-based indexes of the heading lines of a real sheet."""
    return [i for i, line in enumerate(text.split("\n")) if HEADINGS.match(line)]


def top_sections(lines: Lines) -> tuple[Lines, list[Lines]]:
    """The lines before the first content heading, and each content section with its body."""
    starts = [i for i, line in enumerate(lines) if TOP_HEADINGS.match(line)]
    bounds = [*starts, len(lines)]
    return lines[: starts[0]], [lines[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def is_known_heading(line: str) -> bool:
    return lookup_heading(line) is not None


# -- mapping and comparing ------------------------------------------------------------------


def document_graph(tmp: Path, name: str, text: str, context: tuple) -> tuple[Graph, list]:
    """Map ``text`` as the file ``name`` (same stem, so the same IRIs); graph and diagnostics."""
    _, ctx = context
    path = tmp / name
    path.write_bytes(text.encode("utf-8"))
    dataset = Dataset()  # the document's graph alone: mapping into the big one is slower
    diagnostics, _ = load_document(dataset, path, f"data/sources/{name}", ctx)
    graph = Graph()
    for triple in dataset.graph(GRAPH[f"dokument/{path.stem}"]):
        graph.add(triple)
    return graph, diagnostics


def without_verbatim(graph: Graph) -> Graph:
    """The graph without what must differ in a copy: the quoted lines and the file's hash."""
    result = Graph()
    for s, p, o in graph:
        if p not in (KSK.zitat, KSK.sha256):
            result.add((s, p, o))
    return result


def modulo_fundstellen(graph: Graph) -> Graph:
    """Each node keeps how many Fundstellen it is derived from, not which lines they are; the
    Fundstellen themselves and the file's line count go."""
    fundstellen = set(graph.subjects(RDF.type, KSK.Fundstelle))
    result = Graph()
    for s, p, o in without_verbatim(graph):
        if s in fundstellen or p in (PROV.wasDerivedFrom, KSK.zeilen):
            continue
        result.add((s, p, o))
    for node in set(graph.subjects(PROV.wasDerivedFrom, None)):
        count = len(set(graph.objects(node, PROV.wasDerivedFrom)))
        result.add((node, PROV.wasDerivedFrom, Literal(f"{count} Fundstellen")))
    return result
