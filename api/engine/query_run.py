"""`run_job`: evaluate a `QueryJob` on a pyoxigraph store and write its whole answer.

This is what a worker process does for each job (api/engine/worker.py), and what `OxigraphStore`
does in-process. The answer is complete before it is returned, so an HTTP response never starts with
a 200 and fails halfway. A `Purpose.ROWS` job (the server's own queries) answers the terms
themselves (`read_answer`) instead of serialised bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from api.engine.query_guard import refusal
from api.engine.query_job import Answer, Boolean, Outcome, Purpose, QueryJob, Rows, Triples
from api.engine.result_writing import write_result
from api.errors import ApiError, read_only


def run_job(store: ox.Store, graphs: Iterable[str], job: QueryJob) -> Outcome | Answer:
    """Evaluate `job` on `store` (whose named graphs are `graphs`) and write the answer
    (an `Answer` for `Purpose.ROWS`). Raises ApiError for a query that is refused,
    malformed or cannot be written."""
    if job.guard and (refused := refusal(job.query, graphs, job.base_iri)) is not None:
        raise refused
    try:
        result = evaluate(store, job)
    except SyntaxError as error:
        raise malformed(job.query, error) from None
    failure: Exception | None = None
    try:
        rows = job.purpose is Purpose.ROWS
        outcome = read_answer(result) if rows else write_result(result, job)
    except ApiError as error:
        failure = error.with_traceback(None)
    except (OSError, ValueError, RuntimeError) as error:
        failure = ApiError(400, "query_failed", f"query evaluation failed: {error}")
    # A pyoxigraph result must be dropped on the thread that made it; raised with the result
    # still in this frame, a traceback would keep it alive until a GC run on any thread.
    del result
    if failure is not None:
        raise failure
    return outcome


def read_answer(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Answer:
    """The whole of `result` as plain, picklable Python values."""
    if isinstance(result, ox.QueryBoolean):
        return Boolean(bool(result))
    if isinstance(result, ox.QueryTriples):
        return Triples(tuple(result))
    names = tuple(v.value for v in result.variables)
    return Rows(names, tuple(tuple(solution) for solution in result))


def evaluate(
    store: ox.Store, job: QueryJob
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """pyoxigraph's (lazy) result of `job`'s query with its bindings, dataset and base IRI;
    no guard, no writing. Raises SyntaxError for a malformed query."""
    return store.query(job.query, base_iri=job.base_iri, **_dataset(job))


def _dataset(job: QueryJob) -> dict:
    kwargs: dict = {}
    if job.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): v for k, v in job.substitutions}
    if job.default_graph is not None:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph]
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return kwargs


_ERROR_POSITION = re.compile(r"^error at (\d+):(\d+): ?")
_UPDATE_START = re.compile(
    r"^\s*(?:(?:BASE\s*<[^>]*>|PREFIX\s*[\w.-]*:\s*<[^>]*>|#[^\n]*)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


def malformed(query: str, error: SyntaxError) -> ApiError:
    """The refusal for a text the engine cannot parse: 403 if it is an update (the endpoint is
    read-only), else 400 with the line and column the parser gives."""
    if _UPDATE_START.match(query):
        return read_only()
    message = str(error.msg if error.msg else error)
    position = _ERROR_POSITION.match(message)
    details = {}
    if position:
        details = {"line": int(position.group(1)), "column": int(position.group(2))}
        message = message[position.end() :]
    return ApiError(400, "malformed_query", f"malformed query: {message}", **details)
