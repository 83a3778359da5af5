"""api/sparql/client_ledger.py with real forked processes sharing one ledger: counts across
processes, a child killed with SIGKILL (holding counts, or inside the lock), a full table,
entries reused once their client is gone, and the rolling window's buckets."""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.sparql.client_ledger import AtConcurrency, BudgetSpent, ClientLedger, LedgerFull
from tests.support.forked import Child, children, wait_for_go

#: A moment well past the first window of any clock (bucket numbers far from 0).
T0 = 100_000.25


def hold_query(pipe, ledger: ClientLedger, slot: int, key: str, seconds: float) -> None:
    ledger.attach(slot)
    ticket = ledger.start_query(key, 2, 100.0)
    pipe.send("started")
    wait_for_go(pipe)
    ledger.end_query(ticket, seconds)


def spend(pipe, ledger: ClientLedger, slot: int, key: str, seconds: float) -> None:
    ledger.attach(slot)
    ledger.end_query(ledger.start_query(key, 2, 100.0), seconds)
    pipe.send("spent")


def hold_connections(pipe, ledger: ClientLedger, slot: int, key: str, count: int) -> None:
    ledger.attach(slot)
    tickets = [ledger.open_connection(key, 3) for _ in range(count)]
    pipe.send(tickets)
    wait_for_go(pipe)
    for ticket in tickets:
        ledger.close_connection(ticket)


def test_running_queries_are_counted_across_processes():
    ledger = ClientLedger()
    with children(
        Child(hold_query, ledger, 1, "c", 0.5), Child(hold_query, ledger, 2, "c", 0.25)
    ) as held:
        for child in held:
            child.expect("started")
        assert ledger.counts("c").running == 2
        with pytest.raises(AtConcurrency):
            ledger.start_query("c", 2, 100.0)
        ledger.end_query(ledger.start_query("other", 2, 100.0), 0)
        for child in held:
            child.finish()
    assert ledger.counts("c").running == 0
    assert ledger.used("c") == pytest.approx(0.75)
    ledger.end_query(ledger.start_query("c", 2, 100.0), 0)


def test_spending_is_counted_across_processes():
    ledger = ClientLedger(window_s=600)
    with children(Child(spend, ledger, 1, "c", 0.6), Child(spend, ledger, 2, "c", 0.6)) as spenders:
        for child in spenders:
            child.expect("spent")
    with pytest.raises(BudgetSpent) as spent:
        ledger.start_query("c", 2, 1.0)
    assert spent.value.used_s == pytest.approx(1.2)
    assert 1 <= spent.value.retry_after_s <= 600
    assert ledger.counts("c").running == 0


def test_connections_are_capped_across_processes():
    ledger = ClientLedger()
    with children(
        Child(hold_connections, ledger, 1, "c", 2), Child(hold_connections, ledger, 2, "c", 1)
    ) as holders:
        first, second = (child.receive() for child in holders)
        assert None not in first + second
        assert ledger.counts("c").connections == 3
        assert ledger.open_connection("c", 3) is None
        assert ledger.open_connection("other", 3) is not None
        holders[1].finish()
        ticket = ledger.open_connection("c", 3)
        assert ticket is not None
        assert ledger.close_connection(ticket) == 2
        holders[0].finish()
    assert ledger.counts("c").connections == 0


def test_a_killed_process_holds_its_counts_until_its_slot_is_released():
    ledger = ClientLedger(window_s=600)
    parents = ledger.open_connection("c", 10)
    with children(Child(hold_connections, ledger, 3, "c", 2)) as (connections,):
        connections.receive()
        with children(Child(hold_query, ledger, 4, "c", 0)) as (query,):
            query.expect("started")
            ledger.end_query(ledger.start_query("c", 3, 100.0), 0.5)
            connections.kill()
            query.kill()
    # The dead hold their counts: a third query would be over the concurrency of 2.
    assert ledger.counts("c").connections == 3 and ledger.counts("c").running == 1
    ledger.release_slot(3)
    ledger.release_slot(4)
    counts = ledger.counts("c")
    assert (counts.connections, counts.running) == (1, 0)  # the parent's own connection
    assert counts.spent_s == pytest.approx(0.5)  # history stays
    assert ledger.close_connection(parents) == 0


def hold_the_lock(pipe, ledger: ClientLedger) -> None:
    ledger.attach(5)
    with ledger.locked():
        pipe.send("locked")
        time.sleep(120)


def test_a_process_killed_inside_the_lock_blocks_nobody():
    ledger = ClientLedger()
    with children(Child(hold_the_lock, ledger)) as (holder,):
        holder.expect("locked")
        # The child holds the record lock: this process cannot take it now.
        with pytest.raises(OSError):
            fcntl.lockf(ledger.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder.kill()
    with ThreadPoolExecutor(1) as pool:
        ticket = pool.submit(ledger.open_connection, "c", 1).result(timeout=10)
    assert ticket is not None and ledger.counts("c").connections == 1


def test_a_full_table_is_reported_and_its_entries_are_free_again_once_closed():
    ledger = ClientLedger(entries=4)
    tickets = [ledger.open_connection(f"c{i}", 1) for i in range(4)]
    with pytest.raises(LedgerFull, match="4 entries"):
        ledger.open_connection("c4", 1)
    with pytest.raises(LedgerFull):
        ledger.start_query("c4", 1, 1.0)
    with children(Child(open_one, ledger, "c5")) as (child,):
        assert child.receive() == "full"
    ledger.close_connection(tickets[0])
    assert ledger.open_connection("c4", 1) is not None


def open_one(pipe, ledger: ClientLedger, key: str) -> None:
    try:
        ledger.open_connection(key, 1)
    except LedgerFull:
        pipe.send("full")
    else:
        pipe.send("opened")


def test_an_entry_is_reused_once_its_spending_left_the_window():
    ledger = ClientLedger(entries=2, window_s=10)
    for key in ("a", "b"):
        ledger.end_query(ledger.start_query(key, 1, 5.0, now=T0), 1.0, now=T0)
    with pytest.raises(LedgerFull):
        ledger.start_query("c", 1, 5.0, now=T0 + 5)
    ticket = ledger.start_query("c", 1, 5.0, now=T0 + 10)
    ledger.end_query(ticket, 2.0, now=T0 + 10)
    assert ledger.used("c", T0 + 10) == 2.0
    assert ledger.used("a", T0 + 10) + ledger.used("b", T0 + 10) == 0.0


def test_the_table_full_is_logged_once(caplog):
    ledger = ClientLedger(entries=1)
    ledger.open_connection("a", 1)
    with caplog.at_level(logging.WARNING, logger="kskg.api"):
        for key in ("b", "c", "d"):
            with pytest.raises(LedgerFull):
                ledger.open_connection(key, 1)
    assert [r.message.count("entries are taken") for r in caplog.records] == [1]


def test_spending_leaves_the_window_within_one_bucket():
    ledger = ClientLedger(window_s=32, buckets=32)  # buckets of 1 s
    ledger.end_query(ledger.start_query("c", 1, 5.0, now=T0), 1.5, now=T0)
    ledger.end_query(ledger.start_query("c", 1, 5.0, now=T0 + 3), 1.0, now=T0 + 3)
    assert ledger.used("c", T0 + 3) == 2.5
    # T0's bucket began at T0 - 0.25 and leaves 32 s after that.
    assert ledger.used("c", T0 + 31.7) == 2.5
    assert ledger.used("c", T0 + 31.8) == 1.0
    assert ledger.used("c", T0 + 34.8) == 0.0


def test_retry_after_counts_to_the_bucket_that_frees_the_budget():
    ledger = ClientLedger(window_s=32, buckets=32)
    for second in range(4):
        now = T0 + second
        ledger.end_query(ledger.start_query("c", 1, 10.0, now=now), 1.0, now=now)
    with pytest.raises(BudgetSpent) as spent:
        ledger.start_query("c", 1, 2.5, now=T0 + 4)
    # 4 s used, budget 2.5: under it once two buckets left, the second at T0 + 32.75.
    assert spent.value.used_s == 4.0
    assert spent.value.retry_after_s == 29  # ceil(T0 + 32.75 - (T0 + 4))
    assert ledger.retry_after("c", 2.5, now=T0 + 4) == 29
    assert ledger.retry_after("unknown", 2.5) == 1


def test_threads_and_processes_counting_at_once_lose_no_update():
    ledger = ClientLedger()

    def churn(rounds: int) -> None:
        for _ in range(rounds):
            ledger.close_connection(ledger.open_connection("c", 1000))
            ledger.end_query(ledger.start_query("c", 1000, 1e9), 0.001)

    with children(*(Child(churn_in_child, ledger, slot) for slot in (1, 2))) as churners:
        threads = [threading.Thread(target=churn, args=(2000,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for child in churners:
            child.expect("done", timeout=60)
    counts = ledger.counts("c")
    assert (counts.connections, counts.running) == (0, 0)
    assert counts.spent_s == pytest.approx(0.001 * 2000 * 6)


def churn_in_child(pipe, ledger: ClientLedger, slot: int) -> None:
    ledger.attach(slot)
    for _ in range(2000):
        ledger.close_connection(ledger.open_connection("c", 1000))
        ledger.end_query(ledger.start_query("c", 1000, 1e9), 0.001)
    pipe.send("done")


def test_slots_outside_the_ledger_are_refused():
    ledger = ClientLedger(slots=4)
    with pytest.raises(ValueError, match="slot 4"):
        ledger.attach(4)
    with pytest.raises(ValueError):
        ledger.release_slot(-1)
