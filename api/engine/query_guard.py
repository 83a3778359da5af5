"""What a SPARQL query may ask for before anything evaluates it.

Two stages, both in front of the engine:

- `check_shape` (main process, linear time, no parser): the length of the text and how deeply
  `(`, `{` and `[` nest outside strings, IRIs and comments. A parser recursing once per level
  (rdflib's and Oxigraph's both do) never sees a query nested deeper than the limit.
- `refusal` (worker process, under the query deadline): SERVICE, LOAD and every update form, and
  FROM / FROM NAMED naming a graph the release does not have, are refused by inspecting the
  query as rdflib's SPARQL parser reads it, so that spelling tricks (`\\u0053ERVICE`, comments,
  case) cannot hide them. The parser costs milliseconds, so it only runs when a cheap prefilter
  finds one of the keywords in the text; the prefilter over-approximates, the decision is the
  parser's.

SPARQL 1.1 Query §19.2: `\\uXXXX` and `\\UXXXXXXXX` escapes are replaced before the query is
parsed, everywhere in the text; both stages look at the text with the escapes replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from api.errors import ApiError, read_only

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# Strings, IRIs and comments, whose brackets do not nest, and the brackets themselves.
_TOKEN = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
    r"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*|[({\[]|[)}\]]",
    re.DOTALL,
)
_OPENING = frozenset("({[")

_KEYWORDS = "SERVICE|LOAD|FROM|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH"


def decode_escapes(text: str) -> str:
    """`text` with SPARQL codepoint escapes replaced (§19.2); invalid code points stay as
    written (the parser then rejects them)."""
    if "\\u" not in text and "\\U" not in text:
        return text
    return _ESCAPE.sub(_codepoint, text)


def _codepoint(match: re.Match) -> str:
    value = int(match.group(1) or match.group(2), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return match.group(0)
    return chr(value)


def nesting_depth(text: str) -> int:
    """Deepest nesting of `(`, `{` and `[` outside strings, IRIs and comments."""
    depth = deepest = 0
    for token in _TOKEN.finditer(text):
        char = token.group(0)
        if len(char) != 1:
            continue
        if char in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


def check_shape(query: str, max_chars: int, max_depth: int) -> None:
    """Refuse (400) a query nested deeper than `max_depth` or longer than `max_chars`
    characters, before any parser sees it (both checks take linear time)."""
    decoded = decode_escapes(query)
    # Brackets cannot nest deeper than there are opening ones: counting them (in C) spares
    # the tokenizing loop for almost every query.
    opening = decoded.count("(") + decoded.count("{") + decoded.count("[")
    depth = nesting_depth(decoded) if opening > max_depth else opening
    if depth > max_depth:
        raise ApiError(
            400,
            "query_too_deep",
            f"brackets in the query nest {depth} levels deep; at most {max_depth} are accepted",
            limit=max_depth,
        )
    if len(query) > max_chars:
        raise ApiError(
            400,
            "query_too_long",
            f"the query has {len(query)} characters; at most {max_chars} are accepted",
            limit=max_chars,
        )


def refusal(query: str, graphs: Iterable[str], base_iri: str | None) -> ApiError | None:
    """Why `query` must not run (SERVICE, LOAD, an update, a FROM graph not in `graphs`), or
    None. A query rdflib cannot read is left to the engine, whose parser then rejects it,
    unless its text has one of the keywords outside strings, IRIs and comments: then it is
    refused, since its meaning could not be checked."""
    decoded = decode_escapes(query)
    # Keywords in comments, strings and IRIs (a comment "… with …") need no parse: rdflib's
    # parser costs 20-40 ms, ten times the query's own evaluation.
    if not _KEYWORD.search(NOT_CODE.sub(" ", decoded)):
        return None
    from api.engine import query_reading

    try:
        reading = query_reading.read(query, base_iri)
    except query_reading.Unreadable as unreadable:
        return _unchecked(decoded, str(unreadable))
    if reading.is_update:
        return read_only()
    if reading.uses_service:
        return ApiError(
            400,
            "unsupported_feature",
            "SERVICE (federated query) is not offered: this server never fetches from the web",
        )
    known = set(graphs)
    foreign = [iri for iri in reading.dataset_iris if iri not in known]
    if foreign:
        return ApiError(
            400,
            "unknown_graph",
            f"FROM / FROM NAMED may only name graphs of this dataset; not known: {foreign}; "
            "nothing is fetched from the web (the graphs are listed by GET /sparql)",
            graphs=foreign,
        )
    return None


#: Strings, IRIs and comments: a keyword inside them is not one.
NOT_CODE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*",
    re.DOTALL,
)


# A keyword as a keyword: not part of a variable (?from), a prefixed name (ex:from) or a word.
_KEYWORD = re.compile(rf"(?<![?$:\w])(?:{_KEYWORDS})(?![:\w-])", re.IGNORECASE)


def _unchecked(decoded: str, problem: str) -> ApiError | None:
    """The verdict on a query rdflib cannot read: refused if a keyword occurs as code."""
    match = _KEYWORD.search(NOT_CODE.sub(" ", decoded))
    if match is None:
        return None
    return ApiError(
        400,
        "unsupported_feature",
        f"the query uses {match.group(0).upper()}, but could not be checked ({problem}); "
        "SERVICE, LOAD, updates and FROM with graphs outside this dataset are not offered",
    )
