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

Solutions are read and written by pyoxigraph: its TSV writer reads them up to the limit, as
one line each, and the kept lines are written in the negotiated format
(api/engine/solutions_tsv.py); no solution becomes a Python object.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice

import orjson
import pyoxigraph as ox

from api.engine.query_job import Cut, Outcome, Purpose, QueryJob
from api.engine.solutions_tsv import read_solutions
from api.engine.sparql_results import offer_for, serialize, serialize_triples
from api.errors import NotAcceptable
from api.media import (
    NQUADS,
    NTRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TRIG,
    TURTLE,
    Offer,
    Representation,
    negotiate,
)

NOTE_CAPABLE = frozenset({SPARQL_JSON, SPARQL_XML, TURTLE, NTRIPLES, TRIG, NQUADS, RDF_XML})
# Room left under the byte limit for the note itself.
_NOTE_ROOM = 2048


def write_result(result, job: QueryJob) -> Outcome:
    """The whole answer to `job` for `result`, cut to the job's limits."""
    if job.purpose is Purpose.RECORDS:
        return Outcome(result.serialize(format=SPARQL_JSON.writer), SPARQL_JSON.media_type)
    offer = offer_for(result)
    rep = negotiate(job.accept, offer, job.formats)
    if isinstance(result, ox.QueryBoolean):
        return Outcome(serialize(result, rep), rep.content_type)
    if isinstance(result, ox.QuerySolutions):
        limit = ("rows", job.limits.rows)
        solutions = read_solutions(result, _beyond(job.limits.rows))
        kept: list = solutions.rows

        def write(kept: Sequence, chosen: Representation) -> bytes:
            return solutions.write(kept, chosen.writer)
    else:
        limit = ("triples", job.limits.triples)
        most = _beyond(job.limits.triples)
        kept = list(result) if most is None else list(islice(result, most))

        def write(kept: Sequence, chosen: Representation) -> bytes:
            return serialize_triples(list(kept), chosen)

    return _within_limits(kept, limit, write, (rep, offer), job)


def _beyond(maximum: int | None) -> int | None:
    """How many items to read to know whether there are more than `maximum`."""
    return None if maximum is None else maximum + 1


def _within_limits(
    kept: list, limit: tuple[str, int | None], write: Callable, negotiated: tuple, job: QueryJob
) -> Outcome:
    """Write `kept` (the items read, one more than the limit if there are more) with
    `write(kept, representation)`, cut to the limit and further to the byte limit, add the
    note. `negotiated` = (representation, offer)."""
    kind, maximum = limit
    rep, offer = negotiated
    cut = None
    if maximum is not None and len(kept) > maximum:
        kept = kept[:maximum]
        cut = Cut(kind, maximum, maximum, kind, job.dumps_url)
        rep = _note_format(job, offer, rep, cut)
    body = write(kept, rep)
    max_bytes = job.limits.bytes
    if max_bytes is not None and len(body) > max_bytes - _NOTE_ROOM:
        probe = Cut("bytes", max_bytes, 0, kind, job.dumps_url)
        rep = _note_format(job, offer, rep, probe)
        kept, body = _shrink(kept, body, lambda k: write(k, rep), max_bytes - _NOTE_ROOM)
        cut = Cut("bytes", max_bytes, len(kept), kind, job.dumps_url)
    if cut is not None:
        body = with_note(body, rep, cut)
    return Outcome(body, rep.content_type, cut)


def _shrink(kept: list, body: bytes, write: Callable, room: int) -> tuple[list, bytes]:
    """The longest prefix of `kept` (found by proportional steps) whose answer fits `room`."""
    while len(body) > room and kept:
        keep = min(len(kept) - 1, int(len(kept) * room / len(body) * 0.9))
        kept = kept[: max(keep, 0)]
        body = write(kept)
    return kept, body


def _note_format(job: QueryJob, offer: Offer, rep: Representation, cut: Cut) -> Representation:
    """The negotiated format if it can carry the note, else the client's best acceptable one
    that can; 406 if none can."""
    if rep in NOTE_CAPABLE:
        return rep
    capable = offer.only(NOTE_CAPABLE)
    try:
        return negotiate(job.accept, capable, job.formats)
    except NotAcceptable:
        raise NotAcceptable(
            sorted({r.media_type for r in capable}),
            f"the result is larger than the {cut.limit} limit ({cut.maximum}) and must be cut, but "
            f"{rep.media_type} cannot say that it was cut; ask for one of the "
            f"formats listed in 'offered', add LIMIT, or download the data from {job.dumps_url}",
        ) from None


def with_note(body: bytes, rep: Representation, cut: Cut) -> bytes:
    """`body` with the note about `cut` in the place its format allows (table above)."""
    note = cut.note()
    if rep is SPARQL_JSON:
        link = orjson.dumps(note["dumps"])
        head_end = b'],"link":[' + link + b']},"truncated":' + orjson.dumps(note) + b',"results":'
        return body.replace(b']},"results":', head_end, 1)
    comment = _xml_comment(note["message"])
    if rep is SPARQL_XML:
        link = f'<link href="{_xml_attr(note["dumps"])}"/></head>'.encode()
        return _after_declaration(body.replace(b"</head>", link, 1), comment)
    if rep is RDF_XML:
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
