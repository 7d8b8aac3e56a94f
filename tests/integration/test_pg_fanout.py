"""The LISTEN/NOTIFY fan-out on the real PostgreSQL: replicas of a schema hear each other only."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
from audit_months import nurse_read
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from luukku.audit.events import AuditEvent
from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.domain.events import AuditRecorded, CallersChanged, ConsentRevoked, ReadMarked
from luukku.server.live.pg_fanout import PgFanOut
from luukku.store import notices
from luukku.store.audit.partitions import Month
from luukku.store.opening import open_store
from luukku.store.sql.engine import normalise_url
from luukku.store.uow import Store

POSTGRES_ENV = "LUUKKU_TEST_POSTGRES_URL"
pytestmark = pytest.mark.postgres


def _schema_store(name: str) -> Iterator[Store]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL fan-out tests skipped")
    admin = sa_create_engine(normalise_url(base))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    url = make_url(normalise_url(base)).update_query_dict({"options": f"-csearch_path={name}"})
    store = open_store(url.render_as_string(hide_password=False))
    try:
        yield store
    finally:
        store.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def long_named() -> Iterator[Store]:
    """A schema whose name is too long to be a channel name with the prefix."""
    yield from _schema_store(f"t_{uuid.uuid4().hex}_{'x' * 26}")


@pytest.fixture
def other() -> Iterator[Store]:
    yield from _schema_store(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
async def replicas(long_named: Store, other: Store) -> AsyncIterator[list[PgFanOut]]:
    """Two replicas of the long-named schema and one of another schema."""
    fanouts = [PgFanOut(long_named), PgFanOut(long_named), PgFanOut(other)]
    for fanout in fanouts:
        await fanout.start()
        assert fanout.listening.is_set()
    yield fanouts
    for fanout in fanouts:
        await fanout.close()


async def _rechecked(subscription, within: float) -> bool:
    try:
        await asyncio.wait_for(subscription.recheck_wanted.wait(), within)
    except TimeoutError:
        return False
    return True


async def test_a_revocation_on_one_replica_reaches_the_other_of_its_schema_only(replicas):
    a, b, elsewhere = replicas
    on_b = b.subscribe("thread-1", "citizen-1")
    unrelated = b.subscribe("thread-2", "citizen-2")
    other_schema = elsewhere.subscribe("thread-1", "citizen-1")

    a.deliver([ConsentRevoked(citizen_id="citizen-1", consent_id="consent-1")])

    assert await _rechecked(on_b, 5.0)
    assert not await _rechecked(unrelated, 0.3)
    assert not await _rechecked(other_schema, 0.3)


async def test_the_admin_cli_announcement_reaches_every_replica(replicas, long_named):
    a, b, _ = replicas
    watches = [a.subscribe("thread-1", "citizen-1"), b.subscribe("thread-2", "citizen-2")]

    await asyncio.to_thread(notices.announce, long_named, [CallersChanged()], "cli")

    for watch in watches:
        assert await _rechecked(watch, 5.0)


async def test_a_read_mark_on_one_replica_reaches_the_watchers_of_its_thread_on_the_other(
    replicas,
):
    a, b, elsewhere = replicas
    on_b = b.subscribe("thread-1", "citizen-1")
    unrelated = b.subscribe("thread-2", "citizen-1")
    other_schema = elsewhere.subscribe("thread-1", "citizen-1")
    mark = ReadMarked("thread-1", "omaportaali", "citizen-1", 3, datetime.now(UTC))

    a.deliver([mark])

    assert await on_b.wait(5.0) == [mark]
    assert await unrelated.wait(0.3) == []
    assert await other_schema.wait(0.3) == []


def _append(store: Store, event: AuditEvent) -> None:
    with store.transaction() as tx:
        tx.audit.append(event)


async def test_an_audit_event_from_any_process_wakes_the_audit_watches_it_concerns_on_each_replica(
    replicas, long_named
):
    a, b, elsewhere = replicas
    citizen = "c" * 32
    for replica in replicas:
        await asyncio.wait_for(replica.following_audit.wait(), 5.0)
    by_org = b.subscribe_audit(Actor("hoiva-oy"), AuditFilter())
    by_citizen = a.subscribe_audit(Actor("omaportaali", citizen), AuditFilter())
    unrelated = b.subscribe_audit(Actor("kaupunki"), AuditFilter())
    other_schema = elsewhere.subscribe_audit(Actor("hoiva-oy"), AuditFilter())

    # At once, as the watches open (before any round of the replicas saw them), and by
    # none of the replicas (as by another broker of the schema): announced by no one.
    today = datetime.now(UTC)
    await asyncio.to_thread(_append, long_named, nurse_read(Month.of(today), today.day, citizen))

    news = AuditRecorded("hoiva-oy", citizen, None)  # the nurse of hoiva-oy read about them
    assert await by_org.wait(5.0) == [news]
    assert await by_citizen.wait(5.0) == [news]
    assert await unrelated.wait(0.5) == []
    assert await other_schema.wait(0.5) == []
