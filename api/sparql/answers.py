"""A `/sparql` query from its parsed request to the response that carries its answer.

SPARQL 1.1 Protocol §2.1.5 (responses): the answer is complete before the response starts, and
a cut answer says so in its headers (`cut_headers`). `answer_response` is also what the answer
replay (api/http/answer_replay.py) sends, so a replayed answer has the route's headers.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from api.engine.query_guard import check_shape
from api.engine.query_job import Outcome, QueryJob, ResultLimits
from api.engine.store import QueryStore
from api.sparql.execution import execute
from api.sparql.protocol import QueryRequest
from kskg.settings import Settings

#: Every /sparql response varies by Accept (results, description and editor alike).
VARY = {"Vary": "Accept"}


def answer_response(outcome: Outcome) -> Response:
    """The response carrying a query's answer."""
    headers = dict(VARY)
    if outcome.cut is not None:
        headers.update(cut_headers(outcome))
    return Response(outcome.body, headers=headers, media_type=outcome.content_type)


def cut_headers(outcome: Outcome) -> dict[str, str]:
    """Headers of a cut answer: which limit cut it and where the complete data is."""
    cut = outcome.cut
    return {
        "X-Result-Truncated": "true",
        "X-Result-Limit": f"{cut.limit}={cut.maximum}; returned={cut.returned} {cut.unit}",
        "Link": f'<{cut.dumps_url}>; rel="alternate"; title="complete data (dumps)"',
    }


async def run_query(
    request: Request,
    settings: Settings,
    store: QueryStore,
    parsed: QueryRequest,
    endpoint: str,
    dumps_url: str,
) -> Outcome:
    """Check the query's shape, then run it in a worker within the client's limits."""
    query = parsed.query or ""
    check_shape(query, settings.max_query_chars, settings.max_query_depth)
    job = QueryJob(
        query=query,
        default_graph=parsed.default_graphs,
        named_graphs=parsed.named_graphs,
        base_iri=endpoint,
        accept=request.headers.get("accept"),
        formats=parsed.formats,
        limits=ResultLimits(
            rows=settings.max_result_rows,
            triples=settings.max_result_triples,
            bytes=settings.max_result_bytes,
        ),
        dumps_url=dumps_url,
    )
    return await execute(request, store, job)
