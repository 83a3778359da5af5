"""api/sparql/client_limits.py: `ClientLimiter` over a ledger shared with forked processes (429
for concurrency and budget counted across them), its own ledger by default, 503 busy when the
ledger is full."""

from __future__ import annotations

import asyncio
import time

import pytest

from api.errors import ApiError
from api.sparql.client_ledger import ClientLedger
from api.sparql.client_limits import ClientLimiter
from kskg.settings import Settings
from tests.support.forked import Child, children, wait_for_go

SETTINGS = Settings(client_concurrency=1, client_query_budget_s=1.0, client_budget_window_s=600)


def admit_and_hold(pipe, limiter: ClientLimiter, slot: int, client: str) -> None:
    async def hold() -> None:
        async with limiter.admit(client) as charge:
            pipe.send("admitted")
            wait_for_go(pipe)
            charge(0.25)

    limiter.ledger.attach(slot)
    asyncio.run(hold())


def admit_and_charge(pipe, limiter: ClientLimiter, slot: int, client: str, s: float) -> None:
    async def run() -> None:
        async with limiter.admit(client) as charge:
            charge(s)

    limiter.ledger.attach(slot)
    asyncio.run(run())
    pipe.send("charged")


async def admitted(limiter: ClientLimiter, client: str, seconds: float = 0.0) -> None:
    async with limiter.admit(client) as charge:
        charge(seconds)


def refusal(limiter: ClientLimiter, client: str) -> ApiError:
    with pytest.raises(ApiError) as refused:
        asyncio.run(admitted(limiter, client))
    return refused.value


def test_concurrency_counts_the_queries_of_every_process():
    limiter = ClientLimiter.from_settings(SETTINGS, ledger=ClientLedger.from_settings(SETTINGS))
    with children(Child(admit_and_hold, limiter, 1, "192.0.2.1")) as (holder,):
        holder.expect("admitted")
        error = refusal(limiter, "192.0.2.1")
        assert (error.status, error.code) == (429, "too_many_queries")
        assert error.headers["Retry-After"] == "1"
        asyncio.run(admitted(limiter, "192.0.2.2"))
        holder.finish()
    asyncio.run(admitted(limiter, "192.0.2.1"))
    assert limiter.used("192.0.2.1", time.monotonic()) == pytest.approx(0.25)


def test_the_budget_counts_the_seconds_of_every_process():
    limiter = ClientLimiter.from_settings(SETTINGS, ledger=ClientLedger.from_settings(SETTINGS))
    with children(
        Child(admit_and_charge, limiter, 1, "192.0.2.1", 0.5),
        Child(admit_and_charge, limiter, 2, "192.0.2.1", 0.5),
    ) as spenders:
        for child in spenders:
            child.expect("charged")
    error = refusal(limiter, "192.0.2.1")
    assert (error.status, error.code) == (429, "too_many_queries")
    assert "used 1.0 s of query time in the last 600 s (budget 1 s)" in error.message
    assert 570 < int(error.headers["Retry-After"]) <= 600


def test_a_limiter_has_a_ledger_of_its_own_by_default():
    first, second = ClientLimiter.from_settings(SETTINGS), ClientLimiter.from_settings(SETTINGS)
    assert first.ledger is not second.ledger
    asyncio.run(admitted(first, "192.0.2.1", 1.0))
    assert refusal(first, "192.0.2.1").status == 429
    asyncio.run(admitted(second, "192.0.2.1"))


def test_a_full_ledger_answers_503_busy():
    limiter = ClientLimiter.from_settings(
        SETTINGS, ledger=ClientLedger.from_settings(SETTINGS, entries=1)
    )
    asyncio.run(admitted(limiter, "192.0.2.1", 0.5))
    error = refusal(limiter, "192.0.2.2")
    assert (error.status, error.code) == (503, "busy")
    assert "client ledger" in error.message and error.headers["Retry-After"] == "1"


def test_a_ledger_of_another_window_is_refused():
    with pytest.raises(ValueError, match="60 s window, not 600 s"):
        ClientLimiter.from_settings(SETTINGS, ledger=ClientLedger(window_s=60))
