"""No call is answered before an fsync that began after its commit (SQLite group commit).

The broker runs use cases on its event loop and awaits durability off it
(``InlineRunner``). These tests hold the fsync of a real SQLite WAL at a gate,
or make it fail, and watch what the waiting calls do.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from luukku.domain.events import CallersChanged
from luukku.server.blocking import InlineRunner, ThreadRunner
from luukku.service.access import outbox
from luukku.store.errors import DurabilityLost
from luukku.store.opening import open_store
from luukku.store.sql.durability import GroupSync
from luukku.store.sql.tables import organizations
from luukku.store.uow import Store


class GatedFsync:
    """Stands in for ``os.fsync`` of the WAL: counts calls, waits at a gate, may fail."""

    def __init__(self, real: object) -> None:
        self.real = real
        self.started = threading.Event()
        self.gate = threading.Event()
        self.calls = 0
        self.fail = False

    def __call__(self) -> None:
        self.calls += 1
        self.started.set()
        assert self.gate.wait(10), "the test never opened the gate"
        if self.fail:
            raise OSError(5, "Input/output error")
        self.real()  # type: ignore[operator]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(f"sqlite:///{tmp_path / 'luukku.db'}")
    yield s
    s.dispose()


@pytest.fixture
def fsync(store: Store, monkeypatch: pytest.MonkeyPatch) -> GatedFsync:
    sync = store.sync
    assert isinstance(sync, GroupSync)
    gated = GatedFsync(sync._fsync)
    monkeypatch.setattr(sync, "_fsync", gated)
    return gated


def add_org(store: Store, org_id: str) -> str:
    with store.transaction() as tx:
        tx.connection.execute(
            insert(organizations).values(
                id=org_id,
                name=org_id,
                business_id="0201256-6",
                kind="public",
                status="active",
                created_at=datetime.now(UTC),
            )
        )
    return org_id


def count_orgs(store: Store) -> int:
    with store.read() as tx:
        return int(tx.connection.execute(select(func.count()).select_from(organizations)).one()[0])


async def test_a_call_waits_for_the_fsync_and_concurrent_calls_share_one(
    store: Store, fsync: GatedFsync
):
    assert store.sync is not None
    runner = InlineRunner(store, store.sync)
    try:
        first = asyncio.create_task(runner.run(add_org, store, "org-1"))
        await asyncio.to_thread(fsync.started.wait, 10)
        # Committed and visible, but the fsync has not finished: no answer yet.
        others = [asyncio.create_task(runner.run(add_org, store, f"org-{n}")) for n in (2, 3, 4)]
        await asyncio.sleep(0.05)
        assert count_orgs(store) == 4
        assert not first.done()
        assert not any(t.done() for t in others)

        fsync.gate.set()
        assert await first == "org-1"
        assert [await t for t in others] == ["org-2", "org-3", "org-4"]
        # The three that committed during the first fsync shared the second.
        assert fsync.calls == 2
    finally:
        fsync.gate.set()
        runner.shutdown()


async def test_after_a_failed_fsync_no_write_is_acknowledged_even_when_fsync_works_again(
    store: Store, fsync: GatedFsync
):
    assert store.sync is not None
    heard: list[DurabilityLost] = []
    runner = InlineRunner(store, store.sync, heard.append)
    try:
        fsync.fail = True
        fsync.gate.set()
        with pytest.raises(DurabilityLost, match="Input/output error"):
            await runner.run(add_org, store, "org-1")
        assert len(heard) == 1

        fsync.fail = False
        with pytest.raises(DurabilityLost):
            await runner.run(add_org, store, "org-2")
        # A blocking commit elsewhere in the process is refused as well.
        with pytest.raises(DurabilityLost):
            await asyncio.to_thread(add_org, store, "org-3")
        assert fsync.calls == 1
    finally:
        runner.shutdown()


async def test_a_denial_raised_after_its_commit_also_waits_for_the_fsync(
    store: Store, fsync: GatedFsync
):
    assert store.sync is not None
    runner = InlineRunner(store, store.sync)

    def audited_refusal() -> None:
        add_org(store, "org-audit")  # stands in for the committed audit event
        raise PermissionError("refused after the commit")

    try:
        refused = asyncio.create_task(runner.run(audited_refusal))
        await asyncio.to_thread(fsync.started.wait, 10)
        await asyncio.sleep(0.05)
        assert not refused.done()
        fsync.gate.set()
        with pytest.raises(PermissionError):
            await refused
    finally:
        fsync.gate.set()
        runner.shutdown()


async def test_reads_nested_on_the_event_loop_thread_each_get_a_snapshot(store: Store):
    assert store.sync is not None
    runner = InlineRunner(store, store.sync)

    def nested() -> tuple[int, int, int]:
        add_org(store, "org-1")
        with store.read() as outer:
            before = int(
                outer.connection.execute(select(func.count()).select_from(organizations)).one()[0]
            )
            with store.lookup() as inner:
                inside = int(
                    inner.connection.execute(select(func.count()).select_from(organizations)).one()[
                        0
                    ]
                )
            after = int(
                outer.connection.execute(select(func.count()).select_from(organizations)).one()[0]
            )
        return before, inside, after

    try:
        assert await runner.run(nested) == (1, 1, 1)
        assert await runner.run(count_orgs, store) == 1
    finally:
        runner.shutdown()


def _committed_then_refused(store: Store) -> None:
    """A refusal whose audit event has committed, announced through the outbox."""
    add_org(store, "org-audit")
    outbox.committed([CallersChanged()])
    raise PermissionError("refused after the commit")


async def test_a_refusals_committed_news_is_delivered_once_durable_and_not_before(
    store: Store, fsync: GatedFsync
):
    assert store.sync is not None
    delivered: list[object] = []
    runner = InlineRunner(store, store.sync, deliver=delivered.extend)
    try:
        refused = asyncio.create_task(runner.run(_committed_then_refused, store))
        await asyncio.to_thread(fsync.started.wait, 10)
        await asyncio.sleep(0.05)
        assert delivered == []  # committed, not yet durable: nobody may hear of it
        fsync.gate.set()
        with pytest.raises(PermissionError):
            await refused
        assert delivered == [CallersChanged()]
    finally:
        fsync.gate.set()
        runner.shutdown()


async def test_no_news_is_delivered_from_a_commit_whose_fsync_failed(
    store: Store, fsync: GatedFsync
):
    assert store.sync is not None
    delivered: list[object] = []
    runner = InlineRunner(store, store.sync, lambda lost: None, delivered.extend)
    try:
        fsync.fail = True
        fsync.gate.set()
        with pytest.raises(DurabilityLost):
            await runner.run(_committed_then_refused, store)
        assert delivered == []
    finally:
        runner.shutdown()


async def test_the_thread_pool_runner_delivers_a_refusals_committed_news_too(store: Store):
    delivered: list[object] = []
    runner = ThreadRunner(2, delivered.extend)
    try:
        with pytest.raises(PermissionError):
            await runner.run(_committed_then_refused, store)
        assert delivered == [CallersChanged()]
    finally:
        runner.shutdown()


def count_orgs_to_pass_on(store: Store) -> int:
    """As a watch stream reads its backlog: rows that go at once to someone else."""
    with store.read_to_pass_on() as tx:
        return int(tx.connection.execute(select(func.count()).select_from(organizations)).one()[0])


async def test_a_read_passed_on_to_a_watcher_waits_for_the_fsync_of_what_it_saw(
    store: Store, fsync: GatedFsync
):
    assert store.sync is not None
    runner = InlineRunner(store, store.sync)
    try:
        writer = asyncio.create_task(runner.run(add_org, store, "org-1"))
        await asyncio.to_thread(fsync.started.wait, 10)
        # Committed, visible to a plain read, not durable: a watcher must not have it yet.
        assert count_orgs(store) == 1
        watcher = asyncio.create_task(runner.run(count_orgs_to_pass_on, store))
        await asyncio.sleep(0.05)
        assert not watcher.done()

        fsync.gate.set()
        assert await writer == "org-1"
        assert await watcher == 1
    finally:
        fsync.gate.set()
        runner.shutdown()
