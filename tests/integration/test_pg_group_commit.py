"""No call is answered before a WAL flush that began after its commit (PostgreSQL group commit).

The store's connections commit without waiting for their WAL flush; the broker's
thread-pool runner awaits a flush shared by every call that committed before it
began (``store.sql.pg_flush``). These tests hold the flush at a gate, or cut its
connection on the server, and watch what the waiting calls do.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import psycopg
import pytest
from eventually import eventually
from test_group_commit import add_org, count_orgs, count_orgs_to_pass_on

from luukku.server.blocking import runner_for
from luukku.store.errors import StorageUnavailable
from luukku.store.sql import pg_flush
from luukku.store.uow import Store

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


class GatedFlush:
    """Stands in for the flush round trip: counts rounds, waits at a gate, then flushes."""

    def __init__(self, real: Callable[[psycopg.Connection[object]], bool]) -> None:
        self.real = real
        self.started = threading.Event()
        self.gate = threading.Event()
        self.rounds = 0

    def __call__(self, conn: psycopg.Connection[object]) -> bool:
        self.rounds += 1
        self.started.set()
        assert self.gate.wait(10), "the test never opened the gate"
        return self.real(conn)


def end_flush_session(store: Store) -> None:
    """What a server restart does to the flush connection: its session is ended."""
    assert store.flush is not None
    assert store.flush._conn is not None
    pid = store.flush._conn.info.backend_pid
    with store.read() as tx:
        tx.connection.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")


async def test_a_call_waits_for_a_flush_and_concurrent_calls_share_one(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    gated = GatedFlush(pg_flush._flushed)
    monkeypatch.setattr(pg_flush, "_flushed", gated)
    runner = runner_for(store, 4)
    try:
        first = asyncio.create_task(runner.run(add_org, store, "org-1"))
        await asyncio.to_thread(gated.started.wait, 10)
        # Committed and visible, but not yet flushed: no answer yet.
        others = [asyncio.create_task(runner.run(add_org, store, f"org-{n}")) for n in (2, 3, 4)]
        await eventually(lambda: count_orgs(store) == 4)
        assert not first.done()
        assert not any(t.done() for t in others)

        gated.gate.set()
        assert await first == "org-1"
        assert [await t for t in others] == ["org-2", "org-3", "org-4"]
        # The three that committed during the first flush shared the second.
        assert gated.rounds == 2
    finally:
        gated.gate.set()
        runner.shutdown()


def test_a_lost_flush_refuses_the_commits_it_was_to_vouch_for_and_the_next_goes_through(
    store: Store,
):
    end_flush_session(store)
    # Committed, but the flush that was to make it durable could not be had: not acknowledged.
    with pytest.raises(StorageUnavailable):
        add_org(store, "org-1")
    # The flush connection is replaced at once: the next write is acknowledged.
    assert add_org(store, "org-2") == "org-2"
    assert count_orgs(store) == 2


def test_a_transaction_begun_before_the_flush_connection_was_replaced_is_refused(
    store: Store,
):
    inside = threading.Event()
    go_on = threading.Event()
    outcome: list[BaseException | str] = []

    def slow_write() -> None:
        try:
            with store.transaction() as tx:
                tx.connection.exec_driver_sql("SELECT 1")
                inside.set()
                assert go_on.wait(10)
            outcome.append("acknowledged")
        except BaseException as exc:
            outcome.append(exc)

    writer = threading.Thread(target=slow_write)
    writer.start()
    assert inside.wait(10)
    # Meanwhile the server ends the flush session, and another write finds out.
    end_flush_session(store)
    with pytest.raises(StorageUnavailable):
        add_org(store, "org-1")
    go_on.set()
    writer.join(10)
    # A crash in between could have lost its commit: no flush on the new session vouches.
    assert len(outcome) == 1
    assert isinstance(outcome[0], StorageUnavailable)
    assert add_org(store, "org-2") == "org-2"


def test_without_a_flush_connection_a_commit_is_refused_and_the_next_one_connects_again(
    store: Store,
):
    # As after a flush whose reconnection failed too (the server still down).
    assert store.flush is not None
    assert store.flush._conn is not None
    store.flush._conn.close()
    store.flush._conn = None
    with pytest.raises(StorageUnavailable):
        add_org(store, "org-1")
    assert add_org(store, "org-2") == "org-2"


async def test_a_read_passed_on_to_a_watcher_waits_for_a_flush_of_what_it_saw(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    gated = GatedFlush(pg_flush._flushed)
    monkeypatch.setattr(pg_flush, "_flushed", gated)
    runner = runner_for(store, 4)
    try:
        writer = asyncio.create_task(runner.run(add_org, store, "org-1"))
        await asyncio.to_thread(gated.started.wait, 10)
        # Committed, visible to a plain read, not flushed: a watcher must not have it yet.
        await eventually(lambda: count_orgs(store) == 1)
        watcher = asyncio.create_task(runner.run(count_orgs_to_pass_on, store))
        await asyncio.sleep(0.1)
        assert not watcher.done()

        gated.gate.set()
        assert await writer == "org-1"
        assert await watcher == 1
        assert gated.rounds == 2  # the watcher's read waited for a flush begun after it
    finally:
        gated.gate.set()
        runner.shutdown()
