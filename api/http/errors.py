"""The JSON error response of every 4xx/5xx, and the handlers that guarantee no traceback leaks.

Every refusal is an `api.errors.ApiError` (body shape there, documented in docs/api.md);
FastAPI's own errors (404, 405, 422) are answered in the same shape.
"""

from __future__ import annotations

import logging

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ApiError

log = logging.getLogger("kskg.api")


def error_response(error: ApiError) -> Response:
    """The JSON response for `error`, with its headers."""
    return Response(
        orjson.dumps(error.body()),
        error.status,
        headers=error.headers,
        media_type="application/json",
    )


async def _api_error(_: Request, error: ApiError) -> Response:
    return error_response(error)


async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    headers = dict(exc.headers or {})
    return error_response(ApiError(exc.status_code, code, str(exc.detail), headers=headers))


async def _validation_error(_: Request, exc: RequestValidationError) -> Response:
    problems = [
        {"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]} for e in exc.errors()
    ]
    message = "invalid request parameters"
    return error_response(ApiError(422, "invalid_parameter", message, errors=problems))


async def _unexpected(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server log, never to the client.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    message = "internal server error; see the server log"
    return error_response(ApiError(500, "internal_error", message))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
