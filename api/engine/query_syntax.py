"""Parser errors as sentences a researcher understands, with the place to mark.

pyoxigraph's SyntaxError reads "error at 4:13: expected one of Prefix not found, ['%'], …" —
the grammar's view. `explain()` turns it into what went wrong in the query's terms (an empty
query, an undeclared prefix with the known prefixes it may have meant, a misspelt keyword, an
unclosed string, IRI or bracket, a bad IRI), in English and German, with the line and columns
(1-based, in characters) of the text to mark. The parser's own words are kept in `parser`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kskg.namespaces import PREFIXES

_POSITION = re.compile(r"^error at (\d+):(\d+): ?")
# Strings, IRIs and comments are blanked (same length) before looking for names in the code.
_NOT_CODE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
                       r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")  # fmt: skip
_PREFIXED = re.compile(r"(?<![\w?$.:-])([A-Za-z][\w.-]*)?:(?=[\w%\\-]|\s|$)")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_WORD = re.compile(r"(?<![\w?$:.-])([A-Za-z][A-Za-z_]*)(?![\w:(])")
KEYWORDS = frozenset(
    (
        "SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "WHERE", "FROM", "NAMED", "PREFIX", "BASE",
        "DISTINCT", "REDUCED", "OPTIONAL", "FILTER", "BIND", "VALUES", "GRAPH", "UNION",
        "MINUS", "SERVICE", "SILENT", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET",
        "ASC", "DESC", "AS", "NOT", "IN", "EXISTS", "UNDEF", "true", "false", "a",
    )
)  # fmt: skip
_KEYWORDS_UPPER = {k.upper(): k for k in KEYWORDS if k != "a"}


@dataclass(frozen=True)
class SyntaxProblem:
    """What is wrong with a query text and where: `line`, `column` (1-based, in characters) of
    the problem; `mark` = (first, last + 1) columns on that line of the text to mark."""

    code: str
    message: str
    message_de: str
    line: int
    column: int
    mark: tuple[int, int]
    parser: str

    def details(self) -> dict:
        """The fields an error body carries besides its message."""
        return {
            "line": self.line, "column": self.column, "mark": list(self.mark),
            "problem": self.code, "message_de": self.message_de, "parser": self.parser,
        }  # fmt: skip


def explain(query: str, error: SyntaxError) -> SyntaxProblem:
    """The readable problem for `query`, which pyoxigraph refused with `error`."""
    raw = str(error.msg if error.msg else error)
    position = _POSITION.match(raw)
    line, column = (int(position.group(1)), int(position.group(2))) if position else (1, 1)
    parser = raw[position.end() :] if position else raw
    for rule in (_empty, _unclosed_text, _undeclared_prefix, _misspelt_keyword, _bad_iri):
        found = rule(query, parser, line, column)
        if found is not None:
            code, en, de, (line, column, end) = found
            return SyntaxProblem(code, en, de, line, column, (column, end), parser)
    return _generic(query, parser, line, column)


def _code(query: str) -> str:
    return _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), query)


def _place(query: str, offset: int, length: int) -> tuple[int, int, int]:
    line = query.count("\n", 0, offset) + 1
    column = offset - (query.rfind("\n", 0, offset) + 1) + 1
    return line, column, column + max(length, 1)


def _empty(query: str, parser: str, line: int, column: int):
    if _code(query).strip():
        return None
    return ("empty_query", "The query is empty: write a SELECT, ASK, CONSTRUCT or DESCRIBE query.",
            "Die Abfrage ist leer: Schreiben Sie eine SELECT-, ASK-, CONSTRUCT- oder "
            "DESCRIBE-Abfrage.", (1, 1, 2))  # fmt: skip


def _undeclared_prefix(query: str, parser: str, line: int, column: int):
    if "Prefix not found" not in parser:
        return None
    code = _code(query)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(code)}
    for match in _PREFIXED.finditer(code):
        prefix = match.group(1) or ""
        if prefix not in declared:
            return _prefix_problem(query, prefix, match.start(), declared)
    return None


def _prefix_problem(query: str, prefix: str, offset: int, declared: set[str]):
    known = sorted(declared | set(PREFIXES))
    place = _place(query, offset, len(prefix) + 1)
    if prefix in PREFIXES:
        line = f"PREFIX {prefix}: <{PREFIXES[prefix]}>"
        en = f"The prefix `{prefix}:` is not declared; add `{line}`."
        de = f"Das Präfix `{prefix}:` ist nicht deklariert; ergänzen Sie `{line}`."
        return ("undeclared_prefix", en, de, place)
    close = difflib.get_close_matches(prefix, known, n=3, cutoff=0.5)
    hint_en = f" Did you mean {_listed(close, ' or ')}?" if close else ""
    hint_de = f" Meinten Sie {_listed(close, ' oder ')}?" if close else ""
    return ("unknown_prefix", f"Unknown prefix `{prefix}:`.{hint_en} Declare it with "
            f"`PREFIX {prefix}: <…>` or use a full IRI.", f"Unbekanntes Präfix `{prefix}:`."
            f"{hint_de} Deklarieren Sie es mit `PREFIX {prefix}: <…>` oder schreiben Sie die "
            "volle IRI.", place)  # fmt: skip


def _listed(prefixes: list[str], joiner: str) -> str:
    names = [f"`{p}:`" for p in prefixes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + joiner + names[-1]


def _misspelt_keyword(query: str, parser: str, line: int, column: int):
    for match in _WORD.finditer(_code(query)):
        word = match.group(1)
        if word.upper() in _KEYWORDS_UPPER or not word.isupper() or len(word) < 3:
            continue
        close = difflib.get_close_matches(word, list(_KEYWORDS_UPPER), n=1, cutoff=0.75)
        if close:
            place = _place(query, match.start(), len(word))
            return ("unknown_keyword", f"`{word}` is not a SPARQL keyword. Did you mean "
                    f"`{close[0]}`?", f"`{word}` ist kein SPARQL-Schlüsselwort. Meinten Sie "
                    f"`{close[0]}`?", place)  # fmt: skip
    return None


def _unclosed_text(query: str, parser: str, line: int, column: int):
    code = _code(query)
    for opening, closing, en, de in _PAIRS:
        offset = _unclosed(code if opening in "{(" else query, opening, closing)
        if offset is not None:
            place = _place(query, offset, 1)
            return ("unclosed", f"{en} opened here is never closed.",
                    f"{de} wird hier geöffnet, aber nicht geschlossen.", place)  # fmt: skip
    return None


_PAIRS = (
    ('"', '"', 'A string (")', 'Eine Zeichenkette (")'),
    ("{", "}", "The brace {", "Die geschweifte Klammer {"),
    ("(", ")", "The parenthesis (", "Die runde Klammer ("),
)


def _unclosed(text: str, opening: str, closing: str) -> int | None:
    """Offset of the first opening character left unclosed, or None."""
    if opening == closing:
        blanked = _NOT_CODE.sub(lambda m: " " * len(m.group(0)), text)
        at = blanked.find(opening)
        return at if at >= 0 else None
    stack: list[int] = []
    for offset, char in enumerate(text):
        if char == opening:
            stack.append(offset)
        elif char == closing and stack:
            stack.pop()
    return stack[0] if stack else None


def _bad_iri(query: str, parser: str, line: int, column: int):
    if "IRI parsing failed" not in parser:
        return None
    start = query.splitlines()[line - 1][: column - 1].rfind("<") + 1 if query else 1
    return ("bad_iri", "The IRI ending here is not valid (a space or a character not allowed "
            "in IRIs between < and >).", "Die IRI, die hier endet, ist ungültig (ein "
            "Leerzeichen oder ein in IRIs unerlaubtes Zeichen zwischen < und >).",
            (line, start, max(column, start + 1)))  # fmt: skip


def _generic(query: str, parser: str, line: int, column: int) -> SyntaxProblem:
    expected = _expected(parser)
    lines = query.splitlines() or [""]
    text = lines[min(line, len(lines)) - 1]
    before = re.search(r"\S+\s*$", text[: column - 1])
    start = before.start() + 1 if before else column
    end = before.start() + 1 + len(before.group(0).rstrip()) if before else column + 1
    near = f" after `{before.group(0).strip()}`" if before else ""
    near_de = f" nach `{before.group(0).strip()}`" if before else ""
    wanted = f"; expected here: {expected}" if expected else ""
    wanted_de = f"; erwartet wird hier: {expected}" if expected else ""
    return SyntaxProblem(
        "syntax_error",
        f"The query cannot be read{near} (line {line}, column {column}){wanted}.",
        f"Die Abfrage ist{near_de} nicht lesbar (Zeile {line}, Spalte {column}){wanted_de}.",
        line, column, (start, max(end, start + 1)), parser,
    )  # fmt: skip


def _expected(parser: str) -> str:
    """The grammar's expectations that a person can type: keywords and punctuation."""
    items = re.findall(r'"([^"\\]{1,3})"|\b([A-Z][A-Z_]{1,})\b', parser.split("\n")[0])
    words = [a or b for a, b in items if (a or b) not in ("Prefix",)]
    return ", ".join(f"`{w}`" for w in dict.fromkeys(words)) if words else ""
