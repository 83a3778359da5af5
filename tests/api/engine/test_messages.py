"""The typed messages between the server and its workers (api/engine/messages.py) survive the
frames they travel in (api/engine/frames.py) unchanged."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from api.engine.frames import HEADER, pack, unpack
from api.engine.messages import (
    Done,
    Drop,
    Load,
    Loaded,
    LoadFailure,
    NQuads,
    Refused,
    ReleaseDump,
    Run,
)
from api.engine.query_job import Cut, Outcome, Purpose, QueryJob, ResultLimits, Rows
from api.errors import ApiError

JOB = QueryJob(
    "SELECT ?s WHERE { ?s ?p ?o }",
    substitutions=(("s", ox.NamedNode("urn:x:s")),),
    named_graphs=("urn:x:g",),
    accept="text/csv",
    limits=ResultLimits(rows=10),
    purpose=Purpose.RECORDS,
)


def framed(message):
    frame = pack(message)
    assert HEADER.unpack_from(frame)[0] == len(frame) - HEADER.size
    return unpack(frame[HEADER.size :])


@pytest.mark.parametrize(
    "message",
    [
        Load("v1", ReleaseDump("/data/releases/v1/dataset.nq")),
        Load("v2", NQuads(b"<urn:s> <urn:p> <urn:o> .\n")),
        Drop("v1"),
        Run("v1", JOB),
        Loaded("v1", True),
        LoadFailure("OSError: no such file"),
        Done(Outcome(b"s\r\nurn:x:s\r\n", "text/csv", Cut("rows", 1, 1, "rows", "/dumps/"))),
        Done(Rows(("s",), ((ox.NamedNode("urn:x:s"),), (None,)))),
    ],
    ids=lambda message: type(message).__name__,
)
def test_a_message_arrives_equal(message):
    assert framed(message) == message


def test_the_purpose_arrives_as_the_same_member():
    assert framed(Run("v", JOB)).job.purpose is Purpose.RECORDS


def test_a_refusal_arrives_with_its_status_details_and_headers():
    refusal = ApiError(503, "query_timeout", "too slow", retry_after=2, timeout_s=2.0)
    arrived = framed(Refused(refusal)).refusal
    assert (arrived.status, arrived.code, arrived.message) == (503, "query_timeout", "too slow")
    assert arrived.details == {"timeout_s": 2.0, "retry_after_s": 2}
    assert arrived.headers == {"Retry-After": "2"}


def test_messages_are_immutable():
    with pytest.raises(AttributeError):
        Drop("v").key = "w"
