"""A SELECT result read as SPARQL TSV lines by pyoxigraph's own writer, up to a row limit, and
those lines written in any results format.

api/engine/result_writing.py must know how many solutions a result has before it writes one,
and cut it to the row and byte limits at a whole solution; pyoxigraph writes only whole results.
Reading the solutions into Python (a `QuerySolution` and a Python term per binding) and writing
them back took a worker 20–28 ms for a 5,000-row answer (1.2 MB of JSON), 15 ms this way
(docs/sparql.md); pyoxigraph's TSV writer does the reading in native code instead. One
solution is one line of TSV (a tab, newline or carriage return inside a term is escaped), so the
lines count the solutions, and the writer is stopped once the limit is passed. The kept lines
are either the answer itself (TSV asked for) or parsed back by pyoxigraph and written in the
format asked for: the same bytes its writer gives for the result directly
(tests/api/engine/test_solutions_tsv.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass

import pyoxigraph as ox

TSV = ox.QueryResultsFormat.TSV


@dataclass(frozen=True)
class TsvSolutions:
    """The header line and solution lines of a result (without their newlines)."""

    header: bytes
    rows: list[bytes]

    def write(self, rows: Sequence[bytes], writer: ox.QueryResultsFormat) -> bytes:
        """The results with the solutions `rows` (some of `self.rows`) in format `writer`."""
        tsv = b"\n".join([self.header, *rows]) + b"\n"
        if writer == TSV:
            return tsv
        return ox.parse_query_results(tsv, format=TSV).serialize(format=writer)


def read_solutions(result: ox.QuerySolutions, most: int | None) -> TsvSolutions:
    """The first `most` solutions of `result` (all if None). Errors of the evaluation (OSError,
    ValueError, RuntimeError) come through as they do when the result is iterated."""
    lines = _Lines(most)
    with suppress(_Enough):
        result.serialize(lines, TSV)
    header, *rows = b"".join(lines.chunks).split(b"\n")
    # The part after the last newline is empty, or a line the stopped writer had not ended.
    rows.pop()
    return TsvSolutions(header, rows if most is None else rows[:most])


class _Enough(Exception):
    """The writer has written the lines wanted."""


class _Lines:
    """The binary output pyoxigraph writes to: keeps what it writes, stops it (by raising
    `_Enough` from `write`) once more than `most` lines (the header and `most` solutions) have
    ended."""

    def __init__(self, most: int | None) -> None:
        self.chunks: list[bytes] = []
        self.most = most
        self.ended = 0

    def write(self, chunk: bytes) -> int:
        self.chunks.append(chunk)
        if self.most is not None:
            self.ended += chunk.count(b"\n")
            if self.ended > self.most:
                raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass
