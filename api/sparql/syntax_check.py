"""The verdict of `POST /sparql/check` (api/engine/query_check.py) as a JSON-ready dict."""

from __future__ import annotations

from collections.abc import Iterable

from api.engine.query_check import Unchecked, check
from api.engine.query_syntax import SyntaxProblem
from api.errors import ApiError
from kskg.settings import Settings


def checked(query: str, graphs: Iterable[str], settings: Settings) -> dict:
    """`{"ok": true}`, `{"ok": false, "error", "message", …place}` or `{"ok": null, …}`."""
    try:
        problem = check(query, graphs, settings.max_query_chars, settings.max_query_depth)
    except Unchecked as unchecked:
        return {"ok": None, "message": f"not checked while typing: {unchecked}"}
    except ApiError as refused:
        problem = refused
    if problem is None:
        return {"ok": True}
    if isinstance(problem, SyntaxProblem):
        return {"ok": False, "error": "malformed_query", "message": problem.message,
                **problem.details()}  # fmt: skip
    return {"ok": False, "error": problem.code, "message": problem.message, **problem.details}
