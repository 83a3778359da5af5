"""The 503 answers of the worker pool (api/engine/pool.py): a query that could not be answered
now, each with Retry-After and a code saying why (docs/limits.md)."""

from __future__ import annotations

import math

from api.errors import ApiError


def unavailable(code: str, message: str, retry_after: int, **details) -> ApiError:
    """A 503 with Retry-After (seconds) for a query that could not be answered now."""
    return ApiError(503, code, message, retry_after=retry_after, **details)


def timed_out(seconds: float) -> ApiError:
    """The query ran past its deadline and was stopped."""
    return unavailable(
        "query_timeout",
        f"the query did not finish within {seconds:g} s and was stopped; narrow it "
        "down (LIMIT, more specific patterns) or download the data from /dumps/",
        math.ceil(seconds),
        timeout_s=seconds,
    )


def aborted() -> ApiError:
    """The worker running the query died by itself."""
    return unavailable(
        "query_aborted",
        "the query was stopped: it needed more memory than a query may use, or its worker failed",
        5,
    )


def interrupted() -> ApiError:
    """The query was stopped with a neighbour that ran past its deadline, and waited in vain
    to be run again."""
    return unavailable(
        "query_interrupted",
        "the query was stopped with another one that ran past its deadline on the same query "
        "worker, and no worker was free again in time to run it anew; try again",
        5,
    )
