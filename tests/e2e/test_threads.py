"""Three-way discussion threads, live over server streaming, on a real broker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from eventually import WITHIN_S, eventually, reconnected

from luukku.client import (
    Client,
    Consent,
    InvalidArgumentError,
    Message,
    PermissionDeniedError,
    ReadMark,
    Thread,
)
from luukku.domain.events import ConsentRevoked
from luukku.domain.organizations import OrgKind
from luukku.server.app import Broker, ServerTLS
from luukku.server.live import thread as watch_thread
from luukku.service import watching
from luukku.service.access import outbox
from luukku.store.uow import Store

CITIZEN = "131052-308T"


async def _collect(watch, into: list, count: int) -> None:
    async for message in watch:
        into.append(message)
        if len(into) == count:
            return


@pytest.fixture
async def discussion(parties):
    """The three parties and a thread on the social services' case, with the citizen's
    consent letting the company read and discuss it."""
    social, company, portal = parties
    thread, consent = await _thread_shared_with_the_company(social, portal)
    return social, company, portal, thread, consent


async def _thread_shared_with_the_company(social: Client, portal: Client) -> tuple[Thread, Consent]:
    """A case of the social services, the citizen's consent letting the company read and
    discuss it, and a thread on it."""
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    consent = await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read", "discuss"],
        purpose="Planning home care together",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    return await social.create_thread(case.id, subject="Care plan"), consent


# No heartbeat re-checks a quiet stream during the test: only the revocation's news can end it.
@pytest.mark.parametrize("heartbeat_seconds", [3600])
async def test_three_watchers_each_receive_every_message_once_and_in_order_until_revoked(
    discussion,
):
    social, company, portal, thread, consent = discussion
    received: dict[str, list] = {"social": [], "company": [], "citizen": []}
    watchers = {
        name: asyncio.create_task(_collect(client.watch_thread(thread.id), received[name], 99))
        for name, client in (("social", social), ("company", company), ("citizen", portal))
    }
    await asyncio.sleep(0.3)

    posted = []
    for round_ in range(3):
        for author in (social, company, portal):
            posted.append(await author.post_message(thread.id, f"message {round_}"))
    await eventually(lambda: all(len(r) == 9 for r in received.values()))

    expected = [(m.sequence, m.author_organization_id, m.body) for m in posted]
    assert [m.sequence for m in posted] == list(range(1, 10))
    for name, messages in received.items():
        assert [(m.sequence, m.author_organization_id, m.body) for m in messages] == expected, name
    assert received["citizen"][2].author_citizen_id != ""

    # The citizen revokes the company's consent: the news ends its stream, no heartbeat.
    await portal.revoke_consent(consent.id)
    with pytest.raises(PermissionDeniedError) as ended:
        await asyncio.wait_for(watchers["company"], timeout=WITHIN_S)
    assert ended.value.reason == "CONSENT_REVOKED"
    with pytest.raises(PermissionDeniedError):
        await company.post_message(thread.id, "still here?")

    # The other two keep receiving.
    await social.post_message(thread.id, "after the revocation")
    await eventually(lambda: len(received["social"]) == 10 and len(received["citizen"]) == 10)
    assert received["citizen"][-1].body == "after the revocation"
    for name in ("social", "citizen"):
        watchers[name].cancel()


async def test_a_consent_revoked_while_the_watch_decides_its_access_ends_the_watch(
    register_org, store, pki, monkeypatch, citizen_issuer
):
    """The revocation commits after the watch's access was decided but before the watch
    subscribed, so its news reached no subscription of this watch: it decides again."""
    social_tls = register_org("helsinki-social", OrgKind.PUBLIC)
    company_tls = register_org("hoiva-oy", OrgKind.PRIVATE)
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    # Neither a heartbeat nor the directory poll re-checks the stream in time.
    options = {"heartbeat_seconds": 3600, "directory_poll_seconds": 3600}
    verifier = citizen_issuer.verifier()
    async with _own_broker(store, pki, social_tls, verifier, **options) as (broker, social):
        address = f"127.0.0.1:{broker.port}"
        company = await Client.connect(address, tls=company_tls)
        portal = await Client.connect(
            address,
            tls=portal_tls,
            on_behalf_of=CITIZEN,
            citizen_token=citizen_issuer.token_source(CITIZEN),
        )
        thread, consent = await _thread_shared_with_the_company(social, portal)

        def start_then_revoked(store: Store, caller, thread_id: str, after_seq: int):
            grant = watching.start_watch(store, caller, thread_id, after_seq)
            with store.transaction() as tx:
                current = tx.consents.get(consent.id)
                assert current is not None
                tx.consents.revoke(current, datetime.now(UTC), "revoked-in-the-gap")
            # Delivered by the runner as this call's news, before the watch subscribes.
            outbox.committed([ConsentRevoked(CITIZEN, consent.id)])
            return grant

        monkeypatch.setattr(watch_thread, "start_watch", start_then_revoked)
        try:
            watch = _collect(company.watch_thread(thread.id), [], 99)
            with pytest.raises(PermissionDeniedError) as ended:
                await asyncio.wait_for(watch, timeout=3.0)
            assert ended.value.reason == "CONSENT_REVOKED"
        finally:
            await company.close()
            await portal.close()


async def test_a_resumed_watch_receives_exactly_the_messages_it_missed(discussion):
    social, company, portal, thread, _ = discussion
    for i in range(3):
        await social.post_message(thread.id, f"early {i}")
    seen: list = []
    await asyncio.wait_for(_collect(company.watch_thread(thread.id), seen, 2), timeout=5)
    for i in range(2):
        await portal.post_message(thread.id, f"late {i}")

    resumed: list = []
    await asyncio.wait_for(
        _collect(company.watch_thread(thread.id, after_sequence=seen[-1].sequence), resumed, 3),
        timeout=5,
    )
    assert [m.sequence for m in seen] == [1, 2]
    assert [(m.sequence, m.body) for m in resumed] == [(3, "early 2"), (4, "late 0"), (5, "late 1")]


async def test_a_retried_post_with_the_same_request_id_yields_one_message(discussion):
    social, _, _, thread, _ = discussion
    first, again = await asyncio.gather(
        social.post_message(thread.id, "once", request_id="post-1"),
        social.post_message(thread.id, "once", request_id="post-1"),
    )
    assert first.sequence == again.sequence == 1
    assert [m.body async for m in social.list_messages(thread.id)] == ["once"]


async def test_read_receipts_count_unread_messages_per_participant(discussion):
    social, company, portal, thread, _ = discussion
    for i in range(4):
        await social.post_message(thread.id, f"m{i}")
    await company.mark_read(thread.id, 3)
    assert (await company.get_thread(thread.id)).unread_count == 1
    assert (await portal.get_thread(thread.id)).unread_count == 4
    await company.mark_read(thread.id, 1)  # receipts never move backwards
    assert (await company.get_thread(thread.id)).unread_count == 1


@contextlib.asynccontextmanager
async def _own_broker(
    store, pki, tls, citizen_tokens=None, **options
) -> AsyncIterator[tuple[Broker, Client]]:
    """A broker started with ``options`` (heartbeat, directory poll, fan-out), and a client."""
    broker = Broker(store, db_workers=4, citizen_tokens=citizen_tokens, **options)
    port = await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    client = await Client.connect(f"127.0.0.1:{port}", tls=tls)
    try:
        yield broker, client
    finally:
        await client.close()
        await broker.stop(grace=0.1)


async def _watch_one_message(client: Client) -> tuple[asyncio.Task, str]:
    """Open a thread, watch it and see one message arrive; the watch task and thread id."""
    case = await client.create_case(CITIZEN, title="Housing", category="housing")
    thread = await client.create_thread(case.id, subject="Keys")
    received: list = []
    watch = asyncio.create_task(_collect(client.watch_thread(thread.id), received, 99))
    await client.post_message(thread.id, "before")
    await eventually(lambda: len(received) == 1)
    return watch, thread.id


async def test_bad_input_gets_the_right_status_and_the_broker_keeps_serving(discussion):
    from luukku.client import InvalidArgumentError, RPCError

    social, company, _, thread, _ = discussion
    with pytest.raises(InvalidArgumentError) as empty:
        await social.post_message(thread.id, "   ")
    assert empty.value.reason == "EMPTY_MESSAGE"
    with pytest.raises(InvalidArgumentError) as big:
        await social.post_message(thread.id, "x" * 8193)
    assert big.value.reason == "MESSAGE_TOO_LARGE"
    with pytest.raises(PermissionDeniedError):
        await social.post_message("0" * 32, "to nowhere")
    with pytest.raises(RPCError) as beyond:
        async for _ in social.watch_thread(thread.id, after_sequence=5):
            pass
    assert beyond.value.reason == "CURSOR_BEYOND_END"
    assert (await company.post_message(thread.id, "still serving")).sequence == 1


async def test_a_watcher_resumes_across_a_broker_restart_without_loss_or_repeats(
    register_org, store, pki
):

    broker = Broker(store, db_workers=4)
    port = await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    social = await Client.connect(
        f"127.0.0.1:{port}", tls=register_org("helsinki-social", OrgKind.PUBLIC)
    )
    case = await social.create_case(CITIZEN, title="Housing", category="housing")
    thread = await social.create_thread(case.id, subject="Keys")
    received: list = []
    task = asyncio.create_task(_collect(social.watch_thread(thread.id), received, 4))
    await social.post_message(thread.id, "one")
    await social.post_message(thread.id, "two")
    await eventually(lambda: len(received) == 2)

    await broker.stop(grace=0.1)  # the connection drops mid-conversation
    broker = Broker(store, db_workers=4)
    await broker.start(f"127.0.0.1:{port}", ServerTLS.from_pki(pki.root))
    await reconnected(lambda: social.get_case(case.id))
    await social.post_message(thread.id, "three")
    await social.post_message(thread.id, "four")

    await asyncio.wait_for(task, timeout=10)
    assert [(m.sequence, m.body) for m in received] == [
        (1, "one"),
        (2, "two"),
        (3, "three"),
        (4, "four"),
    ]
    await social.close()
    await broker.stop(grace=0.1)


async def test_suspending_an_organisation_ends_its_open_watch_by_the_next_heartbeat(
    register_org, store, pki
):
    from luukku.client import UnauthenticatedError
    from luukku.domain.organizations import OrgStatus
    from luukku.service.directory import set_organization_status

    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    # Heartbeats only: the directory poll is out of the way.
    options = {"heartbeat_seconds": 0.2, "directory_poll_seconds": 3600}
    async with _own_broker(store, pki, tls, **options) as (_, social):
        watch, _ = await _watch_one_message(social)

        set_organization_status(store, "helsinki-social", OrgStatus.SUSPENDED)

        with pytest.raises(UnauthenticatedError) as ended:
            await asyncio.wait_for(watch, timeout=2.0)
        assert ended.value.reason == "ORG_SUSPENDED"


async def test_a_request_id_reused_for_a_thread_on_another_case_is_refused(discussion):
    social, _, _, thread, _ = discussion
    other_case = await social.create_case(CITIZEN, title="Meals", category="home_care")
    await social.create_thread(thread.case_id, subject="Visits", request_id="thread-1")

    with pytest.raises(InvalidArgumentError) as err:
        await social.create_thread(other_case.id, subject="Meals", request_id="thread-1")

    assert err.value.reason == "REQUEST_ID_REUSED"
    assert [t async for t in social.list_threads(other_case.id)] == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("suspend the organisation", "ORG_SUSPENDED"),
        ("revoke the certificate", "CERTIFICATE_REVOKED"),
    ],
)
async def test_a_suspension_or_revocation_made_elsewhere_ends_open_watches_at_the_directory_poll(
    register_org, store, pki, change, reason
):
    from luukku.client import UnauthenticatedError
    from luukku.domain.organizations import OrgStatus
    from luukku.pki.certs import fingerprint
    from luukku.service.directory import revoke_certificate, set_organization_status

    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    # Heartbeats far apart: only the directory poll can end the stream.
    options = {"heartbeat_seconds": 3600, "directory_poll_seconds": 0.2}
    async with _own_broker(store, pki, tls, **options) as (_, social):
        watch, _ = await _watch_one_message(social)

        # As the admin CLI does it: a write to the directory, no event to the broker.
        if change == "suspend the organisation":
            await asyncio.to_thread(
                set_organization_status, store, "helsinki-social", OrgStatus.SUSPENDED
            )
        else:
            await asyncio.to_thread(revoke_certificate, store, fingerprint(tls.client_cert))

        with pytest.raises(UnauthenticatedError) as ended:
            await asyncio.wait_for(watch, timeout=WITHIN_S)
        assert ended.value.reason == reason


async def test_a_watcher_that_stops_reading_is_cut_off_and_can_resume_where_it_was(
    register_org, store, pki
):
    from luukku.client._errors import from_rpc_error
    from luukku.server.live.fanout import LocalFanOut
    from luukku.v1 import threads_pb2, threads_pb2_grpc

    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    creds = grpc.ssl_channel_credentials(tls.ca_cert, tls.client_key, tls.client_cert)
    # Small HTTP/2 windows, so that unread messages soon back up into the broker.
    options = [("grpc.http2.bdp_probe", 0), ("grpc.http2.lookahead_bytes", 16 * 1024)]
    fanout = LocalFanOut(backlog_limit=5)
    async with (
        _own_broker(store, pki, tls, fanout=fanout) as (broker, social),
        grpc.aio.secure_channel(f"127.0.0.1:{broker.port}", creds, options=options) as channel,
    ):
        case = await social.create_case(CITIZEN, title="Housing", category="housing")
        thread = await social.create_thread(case.id, subject="Keys")
        stub = threads_pb2_grpc.ThreadServiceStub(channel)
        watch = stub.WatchThread(threads_pb2.WatchThreadRequest(thread_id=thread.id))
        await social.post_message(thread.id, "read")
        first = await watch.read()
        assert first.message.sequence == 1

        # The watcher reads no more while 200 messages of 8 KB are posted.
        body = "x" * 8000
        for n in range(200):
            await social.post_message(thread.id, f"{n:03d}{body}")

        delivered = [first.message.sequence]
        with pytest.raises(grpc.aio.AioRpcError) as cut:
            await _read_until_the_end(watch, delivered)
        assert cut.value.code() is grpc.StatusCode.RESOURCE_EXHAUSTED
        error = from_rpc_error(cut.value)
        assert error.reason == "WATCHER_TOO_SLOW"
        assert delivered == list(range(1, len(delivered) + 1))
        assert len(delivered) < 201  # cut off before it had everything

        # Resumed from what it had, the watcher misses nothing and repeats nothing.
        rest: list = []
        await asyncio.wait_for(
            _collect(
                social.watch_thread(thread.id, after_sequence=delivered[-1]),
                rest,
                201 - len(delivered),
            ),
            timeout=10,
        )
        assert [m.sequence for m in rest] == list(range(len(delivered) + 1, 202))


async def _read_until_the_end(watch, into: list) -> None:
    while True:
        response = await asyncio.wait_for(watch.read(), timeout=10)
        if response.HasField("message"):
            into.append(response.message.sequence)


async def test_what_a_watch_delivers_is_audited_while_it_runs_and_when_it_ends(
    register_org, store, pki
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    async with _own_broker(store, pki, tls, heartbeat_seconds=0.2) as (_, social):

        async def watch_records() -> list[tuple[str, str]]:
            return [
                (e.action, e.resource.rsplit("/", 1)[1])
                async for e in social.list_audit_events()
                if e.action.startswith("thread.watch")
            ]

        case = await social.create_case(CITIZEN, title="Housing", category="housing")
        thread = await social.create_thread(case.id, subject="Keys")
        received: list = []
        watch = asyncio.create_task(_collect(social.watch_thread(thread.id), received, 4))
        for text in ("one", "two", "three"):
            await social.post_message(thread.id, text)
        await eventually(lambda: len(received) == 3)

        # While the stream is still open, a heartbeat later: messages 1-3 are on record
        # (in one record, or in several a heartbeat apart when the posts were slow).
        async def delivered_one_to_three() -> bool:
            records = await watch_records()
            assert _delivered(records) == [1, 2, 3], records
            return True

        await eventually(delivered_one_to_three)

        await social.post_message(thread.id, "four")
        await asyncio.wait_for(watch, timeout=5)  # the stream ends after the fourth

        async def ended_after_four() -> bool:
            records = await watch_records()
            assert ("thread.watch.end", "4-4") in records, records
            return True

        await eventually(ended_after_four)
        # Newest first: the end, the deliveries while it ran (each message once), the start.
        records = await watch_records()
        assert records[0] == ("thread.watch.end", "4-4")
        assert records[-1] == ("thread.watch", thread.id)
        assert {action for action, _ in records[1:-1]} == {"thread.watch.delivered"}
        assert _delivered(records) == [1, 2, 3]


def _delivered(records: list[tuple[str, str]]) -> list[int]:
    """The messages the delivery records name, oldest record first (a repeat shows twice)."""
    numbers: list[int] = []
    for action, span in reversed(records):
        if action == "thread.watch.delivered":
            first, last = (int(n) for n in span.split("-"))
            numbers.extend(range(first, last + 1))
    return numbers


async def _collect_until(watch, into: list, done) -> None:
    async for item in watch:
        into.append(item)
        if done(item):
            return


def _seen(items: list) -> list[tuple]:
    """Messages and read marks as (kind, sequence, who)."""
    return [
        ("mark", i.sequence, i.organization_id, bool(i.citizen_id))
        if isinstance(i, ReadMark)
        else ("message", i.sequence, i.body)
        for i in items
    ]


async def test_a_watcher_hears_each_read_mark_that_moves_after_the_message_it_reaches(discussion):
    social, company, portal, thread, _ = discussion
    await social.post_message(thread.id, "first")
    received: list = []
    watch = asyncio.create_task(
        _collect_until(
            social.watch_thread(thread.id, read_marks=True),
            received,
            lambda item: isinstance(item, Message) and item.body == "the end",
        )
    )
    # Caught up: the message, then each receipt as it stands (the poster's own).
    await eventually(lambda: len(received) == 2)

    await social.post_message(thread.id, "second")
    before = datetime.now(UTC)
    await company.mark_read(thread.id, 2)
    await portal.mark_read(thread.id, 1)
    await company.mark_read(thread.id, 1)  # receipts never move back: no news
    await company.mark_read(thread.id, 2)  # nor when they stay
    await social.post_message(thread.id, "the end")
    await asyncio.wait_for(watch, timeout=5)

    assert _seen(received) == [
        ("message", 1, "first"),
        ("mark", 1, "helsinki-social", False),
        ("message", 2, "second"),
        ("mark", 2, "hoiva-oy", False),
        ("mark", 1, "omaportaali", True),
        ("message", 3, "the end"),
    ]
    company_mark, citizen_mark = received[3], received[4]
    assert company_mark.thread_id == thread.id
    assert company_mark.citizen_id == ""
    assert before - timedelta(seconds=1) <= company_mark.mark_time <= datetime.now(UTC)
    assert citizen_mark.citizen_id != ""  # the citizen's opaque id, never the identity code
    assert CITIZEN not in citizen_mark.citizen_id

    # The same receipts as they stand, from GetThread (asked by the watcher's organisation,
    # which sees the citizen under its own pseudonym): the citizen's, then each organisation's.
    standing = (await social.get_thread(thread.id)).read_marks
    assert [(m.organization_id, m.citizen_id, m.sequence) for m in standing] == [
        ("omaportaali", citizen_mark.citizen_id, 1),
        ("helsinki-social", "", 3),
        ("hoiva-oy", "", 2),
    ]
    assert standing[0] == citizen_mark
    assert standing[2] == company_mark


async def test_a_resumed_watcher_hears_the_read_marks_made_while_it_was_away(discussion):
    social, company, portal, thread, _ = discussion
    for body in ("one", "two", "three"):
        await social.post_message(thread.id, body)
    await company.mark_read(thread.id, 2)
    await portal.mark_read(thread.id, 3)

    received: list = []
    # Resumed after message 1: messages 2 and 3, then the receipts, each after its message.
    watch = asyncio.create_task(
        _collect(social.watch_thread(thread.id, after_sequence=1, read_marks=True), received, 5)
    )
    await asyncio.wait_for(watch, timeout=5)

    assert _seen(received) == [
        ("message", 2, "two"),
        ("message", 3, "three"),
        ("mark", 3, "omaportaali", True),
        ("mark", 3, "helsinki-social", False),
        ("mark", 2, "hoiva-oy", False),
    ]


async def test_an_sdk_watcher_that_did_not_ask_for_read_marks_gets_messages_only(discussion):
    social, company, _, thread, _ = discussion
    received: list = []
    watch = asyncio.create_task(_collect(company.watch_thread(thread.id), received, 2))
    await social.post_message(thread.id, "one")
    await eventually(lambda: len(received) == 1)
    await company.mark_read(thread.id, 1)
    await social.mark_read(thread.id, 1)
    await social.post_message(thread.id, "two")
    await asyncio.wait_for(watch, timeout=5)
    assert [(type(m), m.sequence) for m in received] == [(Message, 1), (Message, 2)]


async def test_read_marks_reach_only_watchers_who_may_see_their_thread(
    discussion, register_org, connect
):
    social, company, _, thread, _ = discussion
    # A second case of the citizen, which the company has no consent for.
    other_case = await social.create_case(CITIZEN, title="Housing", category="housing")
    private = await social.create_thread(other_case.id, subject="Rent")
    await social.post_message(private.id, "about the rent")
    stranger = await connect(register_org("muu-hoiva-oy", OrgKind.PRIVATE))

    received: list = []
    watch = asyncio.create_task(
        _collect_until(
            company.watch_thread(thread.id, read_marks=True),
            received,
            lambda item: isinstance(item, Message),
        )
    )
    await asyncio.sleep(0.3)
    await social.mark_read(private.id, 1)
    await social.post_message(thread.id, "on the consented thread")
    await asyncio.wait_for(watch, timeout=5)
    assert _seen(received) == [("message", 1, "on the consented thread")]

    for outsider, hidden in ((company, private.id), (stranger, thread.id)):
        with pytest.raises(PermissionDeniedError):
            await anext(outsider.watch_thread(hidden, read_marks=True))


async def test_the_unread_summary_counts_every_thread_of_the_citizen_in_one_audited_call(
    discussion,
):
    social, _, portal, thread, _ = discussion
    other_case = await social.create_case(CITIZEN, title="Housing", category="housing")
    other = await social.create_thread(other_case.id, subject="Keys")
    quiet = await social.create_thread(other_case.id, subject="Nothing yet")
    for body in ("m1", "m2", "m3"):
        await social.post_message(thread.id, body)
    await social.post_message(other.id, "Keys on Monday.")

    summary = await portal.summarize_unread()

    # The newest message first; a thread with nothing unread is not listed.
    assert [(t.id, t.unread_count, t.last_sequence) for t in summary.threads] == [
        (other.id, 1, 1),
        (thread.id, 3, 3),
    ]
    assert (summary.unread_thread_count, summary.total_unread_count) == (2, 4)
    assert quiet.id not in {t.id for t in summary.threads}
    events = [e async for e in portal.list_audit_events() if e.action == "thread.unread"]
    assert [(e.outcome, e.reason) for e in events] == [("allowed", "SELF")]

    await portal.mark_read(thread.id, 3)
    after_reading = await portal.summarize_unread()
    assert [t.id for t in after_reading.threads] == [other.id]
    assert (after_reading.unread_thread_count, after_reading.total_unread_count) == (1, 1)


async def test_a_revoked_consent_drops_its_threads_from_the_organisations_unread_summary(
    discussion,
):
    social, company, portal, thread, consent = discussion
    own_case = await company.create_case(CITIZEN, title="Meals", category="home_care")
    own = await company.create_thread(own_case.id, subject="Menu")
    await portal.post_message(own.id, "No fish, please.")
    await portal.post_message(thread.id, "Hello all.")

    shared = await company.summarize_unread()
    assert {(t.id, t.unread_count) for t in shared.threads} == {(thread.id, 1), (own.id, 1)}
    assert (await social.summarize_unread()).total_unread_count == 1

    await portal.revoke_consent(consent.id)

    after = await company.summarize_unread()
    assert [t.id for t in after.threads] == [own.id]
    assert (after.unread_thread_count, after.total_unread_count) == (1, 1)
