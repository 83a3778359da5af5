"""The one error type of the service: `ApiError`, a request that is not answered.

Pure Python, no web framework, picklable: the engine raises it in a worker process, it crosses
the pipe (api/engine/messages.py), and the HTTP layer (api/http/errors.py) turns it into the
JSON error body every 4xx/5xx has (documented in docs/api.md):

    {"error": "<short code>", "message": "<what is wrong>", "status": <int>, ...details}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class ApiError(Exception):
    """An HTTP status, a short stable `code`, a `message` for people, `details` for the body
    and response `headers`.

    `retry_after` (seconds) marks a refusal worth retrying (429, 503): it becomes both the
    `Retry-After` header and the body's `retry_after_s`, here and nowhere else."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        retry_after: int | None = None,
        headers: Mapping[str, str] | None = None,
        **details,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})
        if retry_after is not None:
            self.details["retry_after_s"] = retry_after
            self.headers["Retry-After"] = str(retry_after)

    def body(self) -> dict:
        """The JSON error body."""
        return {"error": self.code, "message": self.message, "status": self.status, **self.details}

    def __reduce__(self):
        # Crosses the worker pipe pickled; Exception's default recipe would call the class
        # with the message alone.
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(cls: type[ApiError], args: tuple, state: dict) -> ApiError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class NotAcceptable(ApiError):
    """406: no offered media type is acceptable; the body lists `offered`."""

    def __init__(self, offered: Sequence[str], reason: str) -> None:
        super().__init__(406, "not_acceptable", reason, offered=list(offered))

    @property
    def offered(self) -> list[str]:
        return self.details["offered"]


def read_only() -> ApiError:
    """The 403 for an update operation (the endpoint is read-only)."""
    return ApiError(
        403, "read_only", "this SPARQL endpoint is read-only; update operations are not accepted"
    )
