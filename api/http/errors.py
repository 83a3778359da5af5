"""JSON error bodies for every 4xx/5xx, and the handlers that guarantee no traceback leaks.

Body shape (stable, documented in docs/api.md):
    {"error": "<short code>", "message": "<what is wrong>", "status": <int>, ...details}
"""

from __future__ import annotations

import logging

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.negotiation import NotAcceptable

log = logging.getLogger("kskg.api")


class ApiError(Exception):
    """An error with its HTTP status, a short code and optional structured details."""

    def __init__(self, status: int, error: str, message: str, **details) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.details = details
        self.headers: dict[str, str] = {}


def error_response(
    status: int, error: str, message: str, headers: dict | None = None, **details
) -> Response:
    body = {"error": error, "message": message, "status": status, **details}
    return Response(orjson.dumps(body), status, headers=headers, media_type="application/json")


async def _api_error(_: Request, exc: ApiError) -> Response:
    return error_response(exc.status, exc.error, exc.message, exc.headers, **exc.details)


async def _not_acceptable(_: Request, exc: NotAcceptable) -> Response:
    return error_response(406, "not_acceptable", exc.reason, offered=exc.offered)


async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))


async def _validation_error(_: Request, exc: RequestValidationError) -> Response:
    problems = [
        {"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()
    ]
    return error_response(422, "invalid_parameter", "invalid request parameters", errors=problems)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal server error; see the server log")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(NotAcceptable, _not_acceptable)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
