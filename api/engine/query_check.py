"""A syntax check of a query text without evaluating it on the data (the editor's check while
typing).

pyoxigraph has no parse-only call, so the text is given to an empty in-memory store: parsing
happens there, and with no data the only solutions come from VALUES blocks. Most results are
lazy, but ORDER BY, GROUP BY and ASK evaluate at once, so a text whose VALUES blocks multiply
to more than `MAX_VALUES_ROWS` solutions is not given to the store (it is reported as not
checked, and runs normally). SERVICE, updates and FROM graphs outside the dataset get the
guard's own refusal, so the empty store never sees a SERVICE clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from math import prod

import pyoxigraph as ox

from api.engine.query_guard import NOT_CODE, check_shape, refusal
from api.engine.query_syntax import SyntaxProblem, explain
from api.errors import ApiError

MAX_VALUES_ROWS = 10_000
_VALUES = re.compile(r"(?<![?$:\w])VALUES(?![:\w-])", re.IGNORECASE)


def check(
    query: str, graphs: Iterable[str], max_chars: int, max_depth: int
) -> SyntaxProblem | ApiError | None:
    """None if `query` parses and would not be refused; else the problem or the refusal.
    Raises `Unchecked` if the text cannot be checked without evaluating it."""
    check_shape(query, max_chars, max_depth)
    code = NOT_CODE.sub(lambda m: " " * len(m.group(0)), query)
    if values_rows(code) > MAX_VALUES_ROWS:
        raise Unchecked(f"VALUES blocks of more than {MAX_VALUES_ROWS} rows together")
    try:
        ox.Store().query(query)
    except SyntaxError as error:
        return explain(query, error)
    return refusal(query, graphs, None)


class Unchecked(Exception):
    """The text was not checked (why in the message); running it decides."""


def values_rows(code: str) -> int:
    """The product of the row counts of the VALUES blocks in `code` (strings, IRIs and
    comments blanked): an upper bound on the solutions an empty store can produce."""
    counts = []
    for match in _VALUES.finditer(code):
        start = code.find("{", match.end())
        end = code.find("}", start) if start >= 0 else -1
        if end < 0:
            continue
        block = code[start + 1 : end]
        counts.append(block.count("(") or len(block.split()))
    return prod(counts) if counts else 0
