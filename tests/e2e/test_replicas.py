"""Two brokers on one PostgreSQL: live news crosses replicas through LISTEN/NOTIFY.

Both brokers run in this test's event loop, each with its own store (its own
connection pool) on one database schema, as two processes would. Their
directory polls and heartbeats are an hour apart, so what wakes or ends a stream
here is a notification.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from eventually import WITHIN_S, eventually
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from luukku.cli import main as cli
from luukku.client import (
    Client,
    Message,
    PermissionDeniedError,
    Practitioner,
    QueueEntryKind,
    ReadMark,
    TLSConfig,
    UnauthenticatedError,
)
from luukku.domain.organizations import OrgKind
from luukku.server.app import Broker, ServerTLS
from luukku.server.live.pg_fanout import PgFanOut
from luukku.service.desks import admin as desks
from luukku.store.opening import open_store
from luukku.store.sql.engine import normalise_url

CITIZEN = "131052-308T"

# Only PostgreSQL has replicas (the fixture skips, saying why, without one).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgresql"], indirect=True),
]


@contextlib.asynccontextmanager
async def _replica(database_url: str, pki, citizen_tokens=None) -> AsyncIterator[Broker]:
    """A broker on its own store and port; no directory poll, no heartbeat: only NOTIFY
    reaches its streams."""
    store = open_store(database_url)
    broker = Broker(
        store,
        db_workers=4,
        heartbeat_seconds=3600,
        directory_poll_seconds=3600,
        citizen_tokens=citizen_tokens,
    )
    await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    assert isinstance(broker.fanout, PgFanOut)
    await asyncio.wait_for(broker.fanout.listening.wait(), 5)
    try:
        yield broker
    finally:
        await broker.stop(grace=0.5)
        store.dispose()


class _Parties:
    """Each party's clients on both brokers, a case, a consent and a thread."""

    def __init__(self) -> None:
        self.on: dict[str, dict[str, Client]] = {"a": {}, "b": {}}

    async def connect(self, ports: dict[str, int], name: str, tls: TLSConfig, **kw) -> None:
        for replica, port in ports.items():
            self.on[replica][name] = await Client.connect(f"127.0.0.1:{port}", tls=tls, **kw)

    async def close(self) -> None:
        for clients in self.on.values():
            for client in clients.values():
                await client.close()


@pytest.fixture
async def replicas(
    database_url, pki, register_org, citizen_issuer
) -> AsyncIterator[tuple[_Parties, str, str]]:
    """Brokers A and B, the three parties on both, and a thread with the company's consent."""
    tls = {
        "social": register_org("helsinki-social", OrgKind.PUBLIC),
        "company": register_org("hoiva-oy", OrgKind.PRIVATE),
        "portal": register_org("omaportaali", OrgKind.PORTAL),
    }
    parties = _Parties()
    trust = citizen_issuer.verifier()
    async with _replica(database_url, pki, trust) as a, _replica(database_url, pki, trust) as b:
        ports = {"a": a.port, "b": b.port}
        await parties.connect(
            ports, "social", tls["social"], practitioner=Practitioner("sw-1", "Sanna", "social")
        )
        await parties.connect(
            ports, "company", tls["company"], practitioner=Practitioner("n-7", "Niko", "nurse")
        )
        await parties.connect(
            ports,
            "portal",
            tls["portal"],
            on_behalf_of=CITIZEN,
            citizen_token=citizen_issuer.token_source(CITIZEN),
        )
        social, portal = parties.on["a"]["social"], parties.on["b"]["portal"]
        case = await social.create_case(CITIZEN, title="Home care", category="home_care")
        consent = await portal.grant_consent(
            "hoiva-oy",
            case_id=case.id,
            permissions=["read", "discuss"],
            purpose="Planning home care together",
            valid_until=datetime.now(UTC) + timedelta(days=30),
        )
        thread = await social.create_thread(case.id, subject="Care plan")
        try:
            yield parties, thread.id, consent.id
        finally:
            await parties.close()


async def _collect(watch, into: list, count: int = 10**9) -> None:
    async for message in watch:
        into.append(message)
        if len(into) == count:
            return


async def test_a_watcher_on_one_broker_gets_concurrent_posts_through_both_once_and_in_order(
    replicas,
):
    parties, thread_id, _ = replicas
    # Each party watches on one broker; the social worker on both.
    watchers = {
        ("a", "social"): [],
        ("b", "social"): [],
        ("a", "company"): [],
        ("b", "portal"): [],
    }
    tasks = [
        asyncio.create_task(_collect(parties.on[replica][name].watch_thread(thread_id), seen))
        for (replica, name), seen in watchers.items()
    ]
    await asyncio.sleep(0.3)

    async def post_ten(name: str) -> list:
        posted = []
        for i in range(10):
            replica = "ab"[i % 2] if name != "company" else "ba"[i % 2]
            posted.append(await parties.on[replica][name].post_message(thread_id, f"{name} {i}"))
        return posted

    posted = [m for batch in await asyncio.gather(*map(post_ten, parties.on["a"])) for m in batch]
    await eventually(lambda: all(len(seen) >= 30 for seen in watchers.values()))
    await asyncio.sleep(0.3)  # anything sent twice would have arrived by now
    for task in tasks:
        task.cancel()

    expected = sorted((m.sequence, m.author_organization_id, m.body) for m in posted)
    assert [seq for seq, _, _ in expected] == list(range(1, 31))  # gapless across brokers
    for key, seen in watchers.items():
        assert [(m.sequence, m.author_organization_id, m.body) for m in seen] == expected, key


async def test_a_consent_revoked_through_b_ends_the_company_stream_on_a(replicas):
    parties, thread_id, consent_id = replicas
    seen: list = []
    watch = asyncio.create_task(_collect(parties.on["a"]["company"].watch_thread(thread_id), seen))
    await parties.on["b"]["social"].post_message(thread_id, "hello")
    await eventually(lambda: len(seen) == 1)

    await parties.on["b"]["portal"].revoke_consent(consent_id)
    with pytest.raises(PermissionDeniedError) as ended:
        await asyncio.wait_for(watch, timeout=WITHIN_S)
    assert ended.value.reason == "CONSENT_REVOKED"


async def test_a_suspension_made_with_the_cli_ends_the_streams_on_both_brokers(
    replicas, database_url
):
    parties, thread_id, _ = replicas
    seen: dict[str, list] = {"a": [], "b": []}
    watches = {
        replica: asyncio.create_task(
            _collect(parties.on[replica]["company"].watch_thread(thread_id), seen[replica])
        )
        for replica in seen
    }
    await parties.on["a"]["social"].post_message(thread_id, "hello")
    await eventually(lambda: all(len(s) == 1 for s in seen.values()))

    code = await asyncio.to_thread(cli, ["org", "suspend", "hoiva-oy", "--database", database_url])
    assert code == 0
    for replica, watch in watches.items():
        with pytest.raises(UnauthenticatedError) as ended:
            await asyncio.wait_for(watch, timeout=WITHIN_S)
        assert ended.value.reason == "ORG_SUSPENDED", replica


async def test_a_message_announced_while_a_listener_reconnects_still_arrives(
    database_url, pki, register_org
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    name = f"luukku-a-{uuid.uuid4().hex[:8]}"
    url_a = make_url(database_url).update_query_dict({"application_name": name})
    async with (
        _replica(url_a.render_as_string(hide_password=False), pki) as a,
        _replica(database_url, pki) as b,
    ):
        on_a = await Client.connect(f"127.0.0.1:{a.port}", tls=tls)
        on_b = await Client.connect(f"127.0.0.1:{b.port}", tls=tls)
        case = await on_a.create_case(CITIZEN, title="Housing", category="housing")
        thread = await on_a.create_thread(case.id, subject="Keys")
        seen: list = []
        watch = asyncio.create_task(_collect(on_a.watch_thread(thread.id), seen))
        await on_b.post_message(thread.id, "before")
        await eventually(lambda: len(seen) == 1)

        assert isinstance(a.fanout, PgFanOut)
        assert await asyncio.to_thread(_kill_listener, name) == 1
        await on_b.post_message(thread.id, "while A's listener is away")

        await eventually(lambda: len(seen) == 2)  # no heartbeat: the NOTIFY came through
        assert [m.body for m in seen] == ["before", "while A's listener is away"]
        assert a.fanout.listening.is_set()
        watch.cancel()
        await on_a.close()
        await on_b.close()


def _kill_listener(application_name: str) -> int:
    engine = sa_create_engine(normalise_url(os.environ["LUUKKU_TEST_POSTGRES_URL"]))
    try:
        with engine.begin() as conn:
            killed = conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name AND query LIKE 'LISTEN %'"
                ),
                {"name": application_name},
            ).all()
    finally:
        engine.dispose()
    return len(killed)


async def test_one_request_id_posted_through_both_brokers_at_once_makes_one_message(replicas):
    parties, thread_id, _ = replicas
    for round_ in range(5):
        request_id = f"post-{round_}"
        first, second = await asyncio.gather(
            parties.on["a"]["social"].post_message(thread_id, "once", request_id=request_id),
            parties.on["b"]["social"].post_message(thread_id, "once", request_id=request_id),
        )
        assert first.sequence == second.sequence == round_ + 1
    stored = [m async for m in parties.on["a"]["social"].list_messages(thread_id)]
    assert [m.sequence for m in stored] == [1, 2, 3, 4, 5]


async def test_a_consent_revoked_through_both_brokers_at_once_is_revoked_once(replicas):
    parties, _, consent_id = replicas
    first, second = await asyncio.gather(
        parties.on["a"]["portal"].revoke_consent(consent_id),
        parties.on["b"]["portal"].revoke_consent(consent_id),
    )
    # One revision, whichever came first; the other finds it revoked already.
    assert first.state == second.state == "revoked"
    assert first.revision == second.revision == 2


async def test_read_marks_made_through_one_broker_reach_watchers_on_the_other(replicas):
    parties, thread_id, _ = replicas
    await parties.on["a"]["social"].post_message(thread_id, "first")
    await parties.on["a"]["social"].post_message(thread_id, "second")
    seen: dict[str, list] = {"a": [], "b": []}
    watches = [
        asyncio.create_task(
            _collect(parties.on[replica]["social"].watch_thread(thread_id, read_marks=True), into)
        )
        for replica, into in seen.items()
    ]
    # Caught up: both messages, then the poster's own receipt as it stands.
    await eventually(lambda: all(len(s) == 3 for s in seen.values()))

    await parties.on["b"]["company"].mark_read(thread_id, 2)
    await parties.on["a"]["portal"].mark_read(thread_id, 1)
    await eventually(lambda: all(len(s) == 5 for s in seen.values()))
    await asyncio.sleep(0.3)  # anything sent twice would have arrived by now
    for task in watches:
        task.cancel()

    for replica, items in seen.items():
        marks = [i for i in items[3:] if isinstance(i, ReadMark)]
        assert [type(i) for i in items[:3]] == [Message, Message, ReadMark], replica
        assert sorted((m.organization_id, m.sequence, bool(m.citizen_id)) for m in marks) == [
            ("hoiva-oy", 2, False),
            ("omaportaali", 1, True),
        ], replica
        assert len(items) == 5, replica


def _advice_desk(store, *members: str) -> None:
    """A desk "advice" of ``members``, nobody on duty (each inquiry offered to all)."""
    desks.create_desk(
        store,
        "advice",
        name="Advice",
        topics=["general"],
        overflow=timedelta(minutes=5),
        reopen_within=timedelta(days=1),
    )
    for member in members:
        desks.add_member(store, "advice", member)


async def test_a_desk_queue_and_an_inquiry_are_live_across_replicas(replicas, store):
    """Queue and inquiry watches are woken by NOTIFY (no heartbeat reads for them here)."""
    parties, _, _ = replicas
    _advice_desk(store, "helsinki-social")
    queue: list = []
    watching = asyncio.create_task(_collect(parties.on["a"]["social"].watch_queue("advice"), queue))
    await asyncio.sleep(0.5)

    asked = await parties.on["b"]["portal"].create_inquiry(
        "advice", topic="general", subject="Which office?", body="Who handles this?"
    )
    await eventually(lambda: [e.inquiry.id for e in queue] == [asked.id])
    followed: list = []
    following = asyncio.create_task(
        _collect(parties.on["a"]["portal"].watch_inquiry(asked.id), followed)
    )
    await eventually(lambda: len(followed) == 2)  # the inquiry and its question
    await parties.on["b"]["social"].claim_inquiry(asked.id)
    await parties.on["b"]["social"].post_inquiry_message(asked.id, "We do.")
    await eventually(lambda: len(followed) == 4)
    assert followed[2].claimed_by_organization_id == "helsinki-social"
    assert followed[3].body == "We do."
    await eventually(lambda: len(queue) == 2)
    assert queue[-1].kind is QueueEntryKind.CLAIMED
    for task in (watching, following):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_a_member_removed_with_the_cli_loses_its_queue_watch_on_another_broker(
    replicas, store, database_url
):
    """No directory poll, no heartbeat here: only the CLI's NOTIFY can end the stream."""
    parties, _, _ = replicas
    _advice_desk(store, "helsinki-social", "hoiva-oy")
    ended: list = []

    async def watch() -> None:
        try:
            async for _ in parties.on["a"]["company"].watch_queue("advice"):
                pass
        except PermissionDeniedError as exc:
            ended.append(exc.reason)

    watching = asyncio.create_task(watch())
    await asyncio.sleep(0.5)
    code = await asyncio.to_thread(
        cli, ["desk", "member", "remove", "advice", "hoiva-oy", "--database", database_url]
    )
    assert code == 0
    await eventually(lambda: ended == ["NOT_DESK_MEMBER"])
    await watching


async def test_each_organisation_sees_one_pseudonym_for_the_citizen_on_either_broker(replicas):
    parties, thread_id, _ = replicas
    seen: dict[str, set[str]] = {"social": set(), "company": set(), "portal": set()}
    for replica in ("a", "b"):
        for name in seen:
            thread = await parties.on[replica][name].get_thread(thread_id)
            case = await parties.on[replica][name].get_case(thread.case_id)
            seen[name].add(case.citizen_id)
        seen["portal"].add((await parties.on[replica]["portal"].who_am_i()).citizen_id)

    # One id per organisation, whichever replica answered; none shared between two.
    assert all(len(ids) == 1 for ids in seen.values()), seen
    assert len(set.union(*seen.values())) == 3, seen
