"""Writing a query result within the result limits, and saying so in the body when it was cut.

A SELECT result is read up to `limits.rows + 1` solutions, a CONSTRUCT/DESCRIBE result up to
`limits.triples + 1` triples; one more than the limit means the result is cut. A written answer
larger than `limits.bytes` is cut further, at a whole solution or triple. A cut answer carries a
note in its body (formats that cannot carry one are not offered for it) and the main process
adds headers (api/routes/sparql.py):

| format | the note |
|---|---|
| SPARQL JSON | a `"truncated"` member before `"results"`, the dumps URL in `head.link` |
| SPARQL XML | an XML comment after the declaration, the dumps URL as `<link>` in `<head>` |
| Turtle, N-Triples, TriG, N-Quads | `#` comment lines at the top |
| RDF/XML | an XML comment after the declaration |
| CSV, TSV, JSON-LD | none possible: a cut result is not offered in them (406 names the others) |

Solutions are written by pyoxigraph: the kept solutions go out as SPARQL TSV (terms in
N-Triples syntax), are read back as a result set and written in the negotiated format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice

import orjson
import pyoxigraph as ox

from api.engine.query_job import Cut, Outcome, Purpose, QueryJob
from api.engine.sparql_results import (
    ResultFormat,
    choose,
    formats_for,
    serialize,
    serialize_triples,
)
from api.errors import NotAcceptable

NOTE_CAPABLE = frozenset(
    {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/turtle",
        "application/n-triples",
        "application/trig",
        "application/n-quads",
        "application/rdf+xml",
    }
)
RECORDS_TYPE = "application/sparql-results+json"
# Room left under the byte limit for the note itself.
_NOTE_ROOM = 2048


def write_result(result, job: QueryJob) -> Outcome:
    """The whole answer to `job` for `result`, cut to the job's limits."""
    if job.purpose is Purpose.RECORDS:
        return Outcome(result.serialize(format=ox.QueryResultsFormat.JSON), RECORDS_TYPE)
    offered, names = formats_for(result)
    media_type = choose(job.accept, offered, names, job.formats)
    if isinstance(result, ox.QueryBoolean):
        body = serialize(result, media_type, offered)
        return Outcome(body, offered[media_type].content_type)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        items, limit = result, ("rows", job.limits.rows)

        def write(kept: Sequence, media: str) -> bytes:
            return _write_solutions(variables, kept, offered[media])
    else:
        items, limit = result, ("triples", job.limits.triples)

        def write(kept: Sequence, media: str) -> bytes:
            return serialize_triples(list(kept), media, offered)

    return _within_limits(items, limit, write, (media_type, offered, names), job)


def _within_limits(
    items, limit: tuple[str, int | None], write: Callable, negotiated: tuple, job: QueryJob
) -> Outcome:
    """Read `items` up to the limit, write them with `write(kept, media_type)`, cut further
    to the byte limit, add the note. `negotiated` = (media type, offered formats, names)."""
    kind, maximum = limit
    media_type, offered, names = negotiated
    kept = list(items) if maximum is None else list(islice(items, maximum + 1))
    cut = None
    if maximum is not None and len(kept) > maximum:
        kept = kept[:maximum]
        cut = Cut(kind, maximum, maximum, kind, job.dumps_url)
        media_type = _note_format(job, offered, names, media_type, cut)
    body = write(kept, media_type)
    max_bytes = job.limits.bytes
    if max_bytes is not None and len(body) > max_bytes - _NOTE_ROOM:
        probe = Cut("bytes", max_bytes, 0, kind, job.dumps_url)
        media_type = _note_format(job, offered, names, media_type, probe)
        kept, body = _shrink(kept, body, lambda k: write(k, media_type), max_bytes - _NOTE_ROOM)
        cut = Cut("bytes", max_bytes, len(kept), kind, job.dumps_url)
    if cut is not None:
        body = with_note(body, media_type, cut)
    return Outcome(body, offered[media_type].content_type, cut)


def _shrink(kept: list, body: bytes, write: Callable, room: int) -> tuple[list, bytes]:
    """The longest prefix of `kept` (found by proportional steps) whose answer fits `room`."""
    while len(body) > room and kept:
        keep = min(len(kept) - 1, int(len(kept) * room / len(body) * 0.9))
        kept = kept[: max(keep, 0)]
        body = write(kept)
    return kept, body


def _note_format(job: QueryJob, offered: dict, names: dict, media_type: str, cut: Cut) -> str:
    """The negotiated format if it can carry the note, else the client's best acceptable one
    that can; 406 if none can."""
    if offered[media_type].media_type in NOTE_CAPABLE:
        return media_type
    capable = {k: f for k, f in offered.items() if f.media_type in NOTE_CAPABLE}
    try:
        return choose(job.accept, capable, names, job.formats)
    except NotAcceptable:
        raise NotAcceptable(
            sorted({f.media_type for f in capable.values()}),
            f"the result is larger than the {cut.limit} limit ({cut.maximum}) and must be cut, but "
            f"{offered[media_type].media_type} cannot say that it was cut; ask for one of the "
            f"formats listed in 'offered', add LIMIT, or download the data from {job.dumps_url}",
        ) from None


def _write_solutions(variables: list[str], rows: Sequence, fmt: ResultFormat) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    solutions = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=fmt.writer)


def with_note(body: bytes, media_type: str, cut: Cut) -> bytes:
    """`body` with the note about `cut` in the place its format allows (table above)."""
    note = cut.note()
    if media_type == "application/sparql-results+json":
        link = orjson.dumps(note["dumps"])
        head_end = b'],"link":[' + link + b']},"truncated":' + orjson.dumps(note) + b',"results":'
        return body.replace(b']},"results":', head_end, 1)
    comment = _xml_comment(note["message"])
    if media_type == "application/sparql-results+xml":
        link = f'<link href="{_xml_attr(note["dumps"])}"/></head>'.encode()
        return _after_declaration(body.replace(b"</head>", link, 1), comment)
    if media_type == "application/rdf+xml":
        return _after_declaration(body, comment)
    return b"# " + note["message"].encode("utf-8") + b"\n" + body


def _after_declaration(body: bytes, comment: bytes) -> bytes:
    if body.startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + b"\n" + comment + b"\n" + body[end:].lstrip(b"\n")
    return comment + b"\n" + body


def _xml_comment(text: str) -> bytes:
    return ("<!-- " + text.replace("--", "- -") + " -->").encode("utf-8")


def _xml_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
