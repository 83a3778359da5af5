"""The precomputed curated answers of a served release (kskg/curated_answers.py), opened once
per release folder, and the results made of them.

A stored answer is not parsed as a whole when it is read: `StoredRecords` parses a record
when it is first read (a paged route's first answer reads its total and one page of a
listing of a hundred thousand records), and both kinds are written into a response body as
the stored JSON itself (`as_json`, orjson's `default`), so a whole listing or the network graph
is not parsed and written again. The bytes are those orjson writes for the same records.

A body holding a stored graph is gzip-coded around the graph's stored deflate segment
(`graph_body`): only the few bytes before and after it are compressed on the request, so
the first request for the network graph at a million triples (11 MiB of JSON) does not
spend a hundred milliseconds and more in gzip.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import orjson

from kskg.curated_answers import ROOT, ReleaseAnswers, StoredAnswer
from kskg.release import Release


def release_answers(release: Release, root: str = "/") -> ReleaseAnswers | None:
    """The answers the build stored in `release` (empty for a release built before them);
    None for a server under another page root than the one they were written for."""
    return _opened(release.path) if root == ROOT else None


# A few releases at most are served at once (the current one and `version=V` pins).
@lru_cache(maxsize=16)
def _opened(path: Path) -> ReleaseAnswers:
    return ReleaseAnswers.open(path)


def stored_result(answer: StoredAnswer) -> StoredRecords | StoredGraph:
    """The result a route serves for `answer`: its records, or its graph for shape: graph."""
    if answer.shape == "graph":
        return StoredGraph(answer.body, answer.count, answer.deflated)
    return StoredRecords(answer.body)


class StoredRecords(Sequence[dict]):
    """The records of a stored answer (one JSON record per line), each parsed when first read."""

    def __init__(self, body: bytes) -> None:
        self._lines = body.split(b"\n") if body else []
        self._parsed: list[dict | None] = [None] * len(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._record(i) for i in range(*index.indices(len(self._lines)))]
        return self._record(range(len(self._lines))[index])

    def __iter__(self) -> Iterator[dict]:
        return (self._record(i) for i in range(len(self._lines)))

    def _record(self, i: int) -> dict:
        record = self._parsed[i]
        if record is None:
            record = self._parsed[i] = orjson.loads(self._lines[i])
        return record

    def fragment(self) -> orjson.Fragment:
        """The JSON array of every record: the stored lines as they are."""
        return orjson.Fragment(b"[" + b",".join(self._lines) + b"]")


class StoredGraph(Mapping):
    """The {"nodes", "edges"} graph of a stored answer, parsed when first read; `count` is
    its number of edges."""

    def __init__(self, body: bytes, count: int, deflated: bytes | None = None) -> None:
        self.body, self.count, self.deflated = body, count, deflated
        self._parsed: dict | None = None

    def _graph(self) -> dict:
        if self._parsed is None:
            self._parsed = orjson.loads(self.body)
        return self._parsed

    def __getitem__(self, key: str):
        return self._graph()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(("nodes", "edges"))

    def __len__(self) -> int:
        return 2

    def fragment(self) -> orjson.Fragment:
        return orjson.Fragment(self.body)


def as_json(value):
    """orjson's `default` for a body holding a stored result: its stored JSON."""
    if isinstance(value, StoredRecords | StoredGraph):
        return value.fragment()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


#: RFC 1952 member header: deflate, no flags, no modification time, no extra flags, OS unknown.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
#: Stands where the stored graph goes while the rest of a body is written; no request value
#: reaches a stored graph's body (a bound filter is never answered from a file).
_SLOT = "\x00stored graph\x00"


def graph_body(body: dict, graph: StoredGraph) -> tuple[bytes, bytes | None]:
    """`body` as JSON, its "data" being `graph`: the same bytes `orjson.dumps` writes, put
    together around the stored JSON without searching it; and its gzip coding made around the
    graph's stored deflate segment (None when it has none): only the few bytes before and after
    the graph are compressed here (RFC 1951 §3.2.3: each part ends byte-aligned, only the last
    one is final)."""
    parts = orjson.dumps({**body, "data": _SLOT}).split(orjson.dumps(_SLOT))
    if len(parts) != 2:
        return orjson.dumps(body, default=as_json), None
    before, after = parts
    written = before + graph.body + after
    if graph.deflated is None:
        return written, None
    head = zlib.compressobj(6, zlib.DEFLATED, -15)
    tail = zlib.compressobj(6, zlib.DEFLATED, -15)
    crc = zlib.crc32(after, zlib.crc32(graph.body, zlib.crc32(before)))
    coded = b"".join(
        (
            _GZIP_HEADER,
            head.compress(before) + head.flush(zlib.Z_SYNC_FLUSH),
            graph.deflated,
            tail.compress(after) + tail.flush(zlib.Z_FINISH),
            struct.pack("<II", crc, len(written) & 0xFFFFFFFF),
        )
    )
    return written, coded
