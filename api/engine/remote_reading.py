"""Reading a remote engine's answer: line by line while it streams in, stopping once a limit is
passed, and strictly parsed, so a cut or corrupted body is never taken for a shorter answer.

SELECT answers are asked for as SPARQL TSV and CONSTRUCT/DESCRIBE answers as N-Triples: one
solution or triple per line, so they can be counted as they arrive (max + 1 lines are enough to
know the limit was passed). ASK answers are SPARQL JSON. Oxigraph's server, when its own timeout
strikes mid-answer, ends a 200 body with the line "The SPARQL operation has been cancelled";
pyoxigraph's parsers refuse such a line, and a body whose transfer breaks off raises in httpx.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from api import media
from api.engine.query_job import Triples
from api.errors import ApiError

TSV = media.TSV.media_type
NTRIPLES = media.NTRIPLES.media_type
JSON = media.SPARQL_JSON.media_type
ACCEPT_ANY = f"{TSV}, {JSON};q=0.9, {NTRIPLES};q=0.8"
ACCEPT = {"SELECT": TSV, "ASK": JSON, "CONSTRUCT": NTRIPLES, "DESCRIBE": NTRIPLES}
#: Virtuoso 7.2's TSV is not SPARQL TSV (quoted column names, IRIs as quoted strings, no
#: datatypes): SELECT answers come as SPARQL JSON, counted when written, not while streaming.
ACCEPT_BY_KIND = {"virtuoso": ACCEPT | {"SELECT": JSON}}

_FORM = re.compile(
    r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)
#: A written answer is never 4 times larger than the TSV or N-Triples it came from is small:
#: having read this many times the byte limit, the byte cut is certain (result_writing.py).
RAW_BYTES_FACTOR = 4


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read after the prologue; None if not recognised."""
    match = _FORM.match(query)
    return match.group(1).upper() if match else None


class LineReader:
    """Collects a streamed body and counts its answer lines; `full` once `max_items` + 1
    solutions or triples (or `max_bytes`) were read, so the rest need not be."""

    def __init__(self, media_type: str, max_items: int | None, max_bytes: int | None) -> None:
        self.media_type = media_type
        self.max_items = max_items if media_type in (TSV, NTRIPLES) else None
        self.max_bytes = max_bytes
        self.lines: list[bytes] = []
        self._partial = b""
        self._size = 0
        self.full = False

    def feed(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self.max_items is None and self.media_type not in (TSV, NTRIPLES):
            self.lines.append(chunk)
        else:
            self._split(chunk)
        if self.max_bytes is not None and self._size > self.max_bytes:
            self.full = True

    def _split(self, chunk: bytes) -> None:
        pieces = (self._partial + chunk).split(b"\n")
        self._partial = pieces.pop()
        self.lines.extend(piece + b"\n" for piece in pieces)
        if self.max_items is not None and self._items() > self.max_items:
            self.full = True

    def _items(self) -> int:
        header = 1 if self.media_type == TSV else 0
        return len(self.lines) - header

    def body(self) -> bytes:
        """What was read: whole lines only once the reader is full (the cut line is dropped)."""
        if self.full and self.media_type in (TSV, NTRIPLES):
            return b"".join(self.lines)
        return b"".join(self.lines) + self._partial


def parse_answer(media_type: str, body: bytes):
    """The result of an engine's answer body (pyoxigraph QuerySolutions or QueryBoolean, or
    `Triples`); ApiError(503) if the body is not a well-formed answer."""
    try:
        if media_type == NTRIPLES:
            return _triples(body)
        if media_type in (TSV, JSON):
            return _solutions(body, RESULT_FORMATS[media_type])
    except (SyntaxError, ValueError) as error:
        raise broken_answer(f"it is not well-formed ({error})") from None
    raise broken_answer(f"it came as {media_type!r}, which was not asked for")


RESULT_FORMATS = {TSV: media.TSV.writer, JSON: media.SPARQL_JSON.writer}


def _solutions(body: bytes, result_format: ox.QueryResultsFormat):
    # pyoxigraph parses solutions lazily, so a bad line would only raise while the answer is
    # written: the whole body is parsed once here first.
    parsed = ox.parse_query_results(body, format=result_format)
    if isinstance(parsed, ox.QuerySolutions):
        for _ in parsed:
            pass
        parsed = ox.parse_query_results(body, format=result_format)
    return parsed


def _triples(body: bytes) -> Triples:
    # Kept as a list, duplicates included, so the count matches the lines that were counted.
    quads = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    return Triples(tuple(ox.Triple(q.subject, q.predicate, q.object) for q in quads))


def broken_answer(why: str) -> ApiError:
    return ApiError(
        503,
        "engine_answer_broken",
        f"the SPARQL engine's answer cannot be used: {why}; nothing of it is passed on",
    )
