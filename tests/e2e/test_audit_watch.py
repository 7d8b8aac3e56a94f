"""The audit log as the portal's "who has looked at my data" page uses it: filters, pages
bound to them, the per-organisation summary and the live watch, on a real broker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import grpc
import pytest
from eventually import eventually, reconnected

from luukku.client import (
    AccessCount,
    AuditEvent,
    Client,
    InvalidArgumentError,
    PermissionDeniedError,
    TLSConfig,
)
from luukku.domain.organizations import OrgKind, OrgStatus
from luukku.pki import read_cert_info
from luukku.server.app import Broker, ServerTLS
from luukku.service.audit.reading import REDACTED
from luukku.service.directory import revoke_certificate, set_organization_status
from luukku.store.uow import Store
from luukku.v1 import audit_pb2, audit_pb2_grpc

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"


@dataclass
class Scene:
    """A citizen's two cases (the first with a thread, shared with the company), the parties."""

    social: Client
    company: Client
    portal: Client
    other_portal: Client
    company_tls: TLSConfig
    case_id: str
    other_case_id: str
    thread_id: str
    their_case_id: str
    citizen_id: str
    other_citizen_id: str


@pytest.fixture
async def scene(register_org, connect) -> Scene:
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    company_tls = register_org("hoiva-oy", OrgKind.PRIVATE)
    company = await connect(company_tls)
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    portal = await connect(portal_tls, on_behalf_of=CITIZEN)
    other_portal = await connect(portal_tls, on_behalf_of=OTHER_CITIZEN)
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    other_case = await social.create_case(CITIZEN, title="Housing", category="housing")
    thread = await social.create_thread(case.id, subject="Plan")
    await social.post_message(thread.id, "Visits start Monday.")
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read", "discuss"],
        purpose="Care",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    their_case = await social.create_case(OTHER_CITIZEN, title="Meals", category="home_care")
    return Scene(
        social,
        company,
        portal,
        other_portal,
        company_tls,
        case.id,
        other_case.id,
        thread.id,
        their_case.id,
        # Each citizen as the portal shows them: the portal's pseudonyms.
        (await portal.who_am_i()).citizen_id,
        (await other_portal.who_am_i()).citizen_id,
    )


async def _company_reads(scene: Scene) -> None:
    """The company reads the shared case and its thread (allowed) and the other case (denied)."""
    await scene.company.get_case(scene.case_id)
    [m async for m in scene.company.list_messages(scene.thread_id)]
    with pytest.raises(PermissionDeniedError):
        await scene.company.get_case(scene.other_case_id)


async def _all(events: AsyncIterator[AuditEvent]) -> list[AuditEvent]:
    return [e async for e in events]


async def _collect(events: AsyncIterator[AuditEvent], into: list[AuditEvent]) -> None:
    async for event in events:
        into.append(event)


async def _read_to_the_end(watch) -> None:
    while True:
        await watch.read()


# Filters -------------------------------------------------------------------------------


async def test_the_organisation_filter_shows_only_that_organisations_calls(scene: Scene):
    await _company_reads(scene)

    company = await _all(scene.portal.list_audit_events(organization_id="hoiva-oy"))

    assert {e.organization_id for e in company} == {"hoiva-oy"}
    assert [e.action for e in reversed(company)] == ["case.read", "message.list", "case.read"]
    everything = await _all(scene.portal.list_audit_events())
    assert [e for e in everything if e.organization_id == "hoiva-oy"] == company


async def test_the_case_filter_shows_the_case_and_its_threads_and_nothing_else(scene: Scene):
    await _company_reads(scene)

    about_case = await _all(scene.portal.list_audit_events(case_id=scene.case_id))

    resources = {e.resource for e in about_case}
    thread = f"threads/{scene.thread_id}"
    assert f"cases/{scene.case_id}" in resources  # the case itself
    assert f"cases/{scene.case_id}/threads" not in resources  # narrowed to the thread made
    assert thread in resources  # the thread's creation, its message, the company's listing
    assert ("hoiva-oy", "message.list", thread) in {
        (e.organization_id, e.action, e.resource) for e in about_case
    }
    assert all(
        r in (f"cases/{scene.case_id}", thread) or r.startswith((f"cases/{scene.case_id}/", thread))
        for r in resources
    )
    other = await _all(scene.portal.list_audit_events(case_id=scene.other_case_id))
    assert {e.resource for e in other} == {f"cases/{scene.other_case_id}"}
    assert [(e.action, e.outcome) for e in other] == [
        ("case.read", "denied"),
        ("case.create", "allowed"),
    ]


async def test_the_outcome_filter_shows_only_allowed_or_only_denied_events(scene: Scene):
    await _company_reads(scene)

    denied = await _all(scene.portal.list_audit_events(outcome="denied"))
    allowed = await _all(scene.portal.list_audit_events(outcome="allowed"))

    assert [(e.organization_id, e.reason) for e in denied] == [("hoiva-oy", "CONSENT_REQUIRED")]
    assert allowed
    assert {e.outcome for e in allowed} == {"allowed"}
    everything = await _all(scene.portal.list_audit_events())
    assert len(everything) == len(allowed) + len(denied) + 1  # and the listing just made


async def test_exclude_own_hides_the_citizens_own_portal_use_and_nothing_else(scene: Scene):
    await _company_reads(scene)
    await scene.portal.get_case(scene.case_id)

    everything = await _all(scene.portal.list_audit_events())
    others = await _all(scene.portal.list_audit_events(exclude_own=True))

    own = [e for e in everything if e.acting_for_citizen_id == scene.citizen_id]
    assert {e.action for e in own} >= {"consent.grant", "case.read", "audit.list"}
    assert all(e.acting_for_citizen_id != scene.citizen_id for e in others)
    assert {e.id for e in others} == {e.id for e in everything} - {e.id for e in own}
    # Ignored for an organisation: its own calls are all it sees anyway.
    company = await _all(scene.company.list_audit_events(exclude_own=True))
    assert {e.organization_id for e in company} == {"hoiva-oy"}
    assert "case.read" in {e.action for e in company}


async def test_a_page_token_only_serves_the_filters_it_was_issued_for(scene: Scene):
    await _company_reads(scene)
    first, token = await scene.portal.audit_events_page(organization_id="hoiva-oy", page_size=2)
    assert len(first) == 2
    assert token

    with pytest.raises(InvalidArgumentError) as refused:
        await scene.portal.audit_events_page(
            organization_id="hoiva-oy", outcome="denied", page_size=2, page_token=token
        )
    assert refused.value.reason == "INVALID_PAGE_TOKEN"

    rest, last_token = await scene.portal.audit_events_page(
        organization_id="hoiva-oy", page_size=2, page_token=token
    )
    assert last_token == ""
    assert [e.sequence for e in first + rest] == sorted(
        (e.sequence for e in first + rest), reverse=True
    )
    assert [e.action for e in first + rest] == ["case.read", "message.list", "case.read"]


@pytest.mark.parametrize(
    ("field", "request_fields", "reason"),
    [
        ("outcome", {"outcome": 7}, "INVALID_OUTCOME"),
        ("organization_id", {"organization_id": "Hoiva Oy"}, "INVALID_ORG_ID"),
        ("case_id", {"case_id": "case-1"}, "INVALID_ID"),
    ],
)
async def test_a_malformed_filter_is_an_invalid_argument_naming_the_field(
    scene: Scene, raw_channel, field, request_fields, reason
):
    from luukku.client._errors import from_rpc_error

    stub = audit_pb2_grpc.AuditServiceStub(raw_channel(scene.company_tls))
    listing = stub.ListAuditEvents(audit_pb2.ListAuditEventsRequest(**request_fields))
    watch = stub.WatchAuditEvents(audit_pb2.WatchAuditEventsRequest(**request_fields))
    for call in (listing, watch.read()):
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call
        error = from_rpc_error(refused.value)
        assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, reason)
        assert [v.field for v in error.field_violations] == [field]


# Summary -------------------------------------------------------------------------------


async def test_the_summary_counts_what_the_citizen_may_list_per_organisation_most_first(
    scene: Scene, store: Store
):
    for _ in range(2):
        await _company_reads(scene)
    since = datetime.now(UTC) - timedelta(hours=1)

    counts = await scene.portal.summarize_audit_events(since=since, exclude_own=True)

    listed = await _all(scene.portal.list_audit_events(exclude_own=True))
    expected: dict[str, list[int]] = {}
    for e in listed:
        expected.setdefault(e.organization_id, [0, 0])[e.outcome == "denied"] += 1
    assert {c.organization_id: [c.allowed, c.denied] for c in counts} == expected
    assert counts[0] == AccessCount("hoiva-oy", 4, 2)
    totals = [c.allowed + c.denied for c in counts]
    assert totals == sorted(totals, reverse=True)

    with_own = await scene.portal.summarize_audit_events(since=since)
    portal_count = next(c for c in with_own if c.organization_id == "omaportaali")
    assert portal_count.allowed >= 3  # the grant, the listings, this summary itself
    assert (
        await scene.portal.summarize_audit_events(since=datetime.now(UTC) + timedelta(days=1)) == []
    )
    with store.read() as tx:
        summaries = [s.event for s in tx.audit.scan() if s.event.action == "audit.summarize"]
        citizen = tx.citizens.find(CITIZEN)  # the hub's own id, as the log stores it
    assert len(summaries) == 3
    assert {(e.subject_citizen_id, e.reason) for e in summaries} == {(citizen, "SELF")}


async def test_an_organisations_summary_counts_its_own_calls_only(scene: Scene):
    await _company_reads(scene)

    counts = await scene.company.summarize_audit_events(
        since=datetime.now(UTC) - timedelta(hours=1)
    )

    assert counts == [AccessCount("hoiva-oy", 3, 1)]  # and the summary's own event


# Watching ------------------------------------------------------------------------------


# No heartbeat reads the log during the test: what the watch hears, it hears live.
@pytest.mark.parametrize("heartbeat_seconds", [3600])
async def test_a_citizen_watching_sees_a_companys_read_of_their_case_as_it_happens(
    scene: Scene,
):
    seen: list[AuditEvent] = []
    watch = asyncio.create_task(_collect(scene.portal.watch_audit_events(exclude_own=True), seen))
    await eventually(lambda: bool(seen))
    await asyncio.sleep(0.2)  # caught up: what comes now comes live

    await scene.company.get_case(scene.case_id)
    await eventually(lambda: any(e.organization_id == "hoiva-oy" for e in seen))
    with pytest.raises(PermissionDeniedError):
        await scene.company.get_case(scene.other_case_id)
    await eventually(lambda: any(e.outcome == "denied" for e in seen))
    watch.cancel()

    company = [(e.action, e.resource, e.outcome) for e in seen if e.organization_id == "hoiva-oy"]
    assert company == [
        ("case.read", f"cases/{scene.case_id}", "allowed"),
        ("case.read", f"cases/{scene.other_case_id}", "denied"),
    ]
    assert all(e.acting_for_citizen_id != scene.citizen_id for e in seen)  # exclude_own
    assert [e.sequence for e in seen] == sorted({e.sequence for e in seen})  # in order, once
    # The backlog and the live events together are exactly what the list shows.
    listed = await _all(scene.portal.list_audit_events(exclude_own=True))
    assert [e.id for e in seen] == [e.id for e in reversed(listed)]


async def test_a_watch_applies_the_same_filters_as_the_list(scene: Scene):
    seen: list[AuditEvent] = []
    watch = asyncio.create_task(
        _collect(
            scene.portal.watch_audit_events(
                organization_id="hoiva-oy", case_id=scene.case_id, outcome="allowed"
            ),
            seen,
        )
    )
    await _company_reads(scene)
    await scene.social.get_case(scene.case_id)
    await eventually(lambda: len(seen) == 2)
    await asyncio.sleep(0.3)
    watch.cancel()

    assert [(e.action, e.resource) for e in seen] == [
        ("case.read", f"cases/{scene.case_id}"),
        ("message.list", f"threads/{scene.thread_id}"),
    ]


async def test_a_resumed_watch_receives_exactly_the_events_after_its_cursor(scene: Scene):
    first: list[AuditEvent] = []
    watch = asyncio.create_task(
        _collect(scene.portal.watch_audit_events(organization_id="hoiva-oy"), first)
    )
    await scene.company.get_case(scene.case_id)
    await eventually(lambda: len(first) == 1)
    watch.cancel()

    await _company_reads(scene)
    rest: list[AuditEvent] = []
    resumed = asyncio.create_task(
        _collect(
            scene.portal.watch_audit_events(
                organization_id="hoiva-oy", after_sequence=first[-1].sequence
            ),
            rest,
        )
    )
    await eventually(lambda: len(rest) == 3)
    await asyncio.sleep(0.3)
    resumed.cancel()

    listed = await _all(scene.portal.list_audit_events(organization_id="hoiva-oy"))
    assert [e.id for e in first + rest] == [e.id for e in reversed(listed)]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("suspend the organisation", "ORG_SUSPENDED"),
        ("revoke the certificate", "CERTIFICATE_REVOKED"),
    ],
)
async def test_a_watch_ends_once_its_certificate_is_revoked_or_organisation_suspended(
    scene: Scene, raw_channel, store: Store, change: str, reason: str
):
    stub = audit_pb2_grpc.AuditServiceStub(raw_channel(scene.company_tls))
    watch = stub.WatchAuditEvents(
        audit_pb2.WatchAuditEventsRequest(), metadata=(("x-request-id", "ending-watch"),)
    )
    await watch.read()

    if change == "suspend the organisation":
        set_organization_status(store, "hoiva-oy", OrgStatus.SUSPENDED)
    else:
        revoke_certificate(store, read_cert_info(scene.company_tls.client_cert).fingerprint)

    with pytest.raises(grpc.aio.AioRpcError) as ended:
        await asyncio.wait_for(_read_to_the_end(watch), 3)
    assert ended.value.code() is grpc.StatusCode.UNAUTHENTICATED

    def records() -> list[tuple[str, str, str]]:
        with store.read() as tx:
            return [
                (s.event.action, s.event.outcome.value, s.event.reason)
                for s in tx.audit.scan()
                if s.event.request_id == "ending-watch"
            ]

    await eventually(lambda: len(records()) == 2)
    await asyncio.sleep(0.2)
    assert records() == [
        ("audit.watch", "allowed", "OWN_ACCESSES"),
        ("audit.watch.end", "denied", reason),
    ]


async def test_citizens_never_see_each_others_events(scene: Scene):
    theirs: list[AuditEvent] = []
    mine: list[AuditEvent] = []
    watches = [
        asyncio.create_task(_collect(scene.other_portal.watch_audit_events(), theirs)),
        asyncio.create_task(_collect(scene.portal.watch_audit_events(), mine)),
    ]
    await _company_reads(scene)
    await scene.other_portal.get_case(scene.their_case_id)
    with pytest.raises(PermissionDeniedError):  # the other citizen tries the first one's case
        await scene.other_portal.get_case(scene.case_id)
    await eventually(lambda: any(e.outcome == "denied" for e in theirs))
    await eventually(
        lambda: any(
            e.subject_citizen_id == scene.citizen_id and e.acting_for_citizen_id == REDACTED
            for e in mine
        )
    )
    await asyncio.sleep(0.3)
    for watch in watches:
        watch.cancel()

    me, them = scene.citizen_id, scene.other_citizen_id
    mine += await _all(scene.portal.list_audit_events())
    theirs += await _all(scene.other_portal.list_audit_events())
    for viewer, other, events in ((me, them, mine), (them, me, theirs)):
        for e in events:
            assert other not in (e.subject_citizen_id, e.acting_for_citizen_id), e
            assert viewer in (e.subject_citizen_id, e.acting_for_citizen_id), e
    # Each saw the cross-citizen attempt, without learning who the other is.
    attempt = [e for e in theirs if e.outcome == "denied"]
    # The one refused is not even told that the case was someone's (no oracle).
    assert [(e.acting_for_citizen_id, e.subject_citizen_id) for e in attempt][:1] == [(them, "")]
    assert not any(e.resource == f"cases/{scene.their_case_id}" for e in mine)
    assert not any(e.resource.startswith(f"threads/{scene.thread_id}") for e in theirs)


@contextlib.asynccontextmanager
async def _quick_broker(store: Store, pki, tls: TLSConfig) -> AsyncIterator[Client]:
    """A broker with heartbeats five times a second, and a client of it."""
    broker = Broker(store, db_workers=4, heartbeat_seconds=0.2)
    port = await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    client = await Client.connect(f"127.0.0.1:{port}", tls=tls)
    try:
        yield client
    finally:
        await client.close()
        await broker.stop(grace=0.1)


async def test_a_watch_is_audited_at_its_start_and_end_only_and_never_feeds_on_itself(
    register_org, store: Store, pki
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    async with _quick_broker(store, pki, tls) as social:
        await social.create_case(CITIZEN, title="Home care", category="home_care")
        first: list[AuditEvent] = []
        second: list[AuditEvent] = []
        watches = [
            asyncio.create_task(_collect(social.watch_audit_events(), first)),
            asyncio.create_task(_collect(social.watch_audit_events(), second)),
        ]
        await eventually(lambda: len(first) >= 2 and len(second) >= 2)
        # Many heartbeats: two watches of the same organisation, each able to
        # see the other's records, stay quiet.
        await asyncio.sleep(1.5)
        first_count, second_count = len(first), len(second)
        await asyncio.sleep(0.5)
        assert (len(first), len(second)) == (first_count, second_count)
        assert {e.action for e in first + second} <= {"case.create", "audit.watch"}
        for watch in watches:
            watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*watches)

    with store.read() as tx:
        records = [s.event for s in tx.audit.scan() if s.event.action.startswith("audit.watch")]
    assert sorted(e.action for e in records) == ["audit.watch"] * 2 + ["audit.watch.end"] * 2
    ends = [e for e in records if e.action == "audit.watch.end"]
    assert {e.resource.split("/")[0] for e in ends} == {"audit-events"}
    assert all(e.outcome.value == "allowed" for e in records)


async def _cases(client: Client) -> list[object]:
    return [case async for case in client.list_cases()]


async def test_a_watch_resumes_after_its_cursor_across_a_broker_restart(
    register_org, store: Store, pki
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    broker = Broker(store, db_workers=4)
    port = await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
    social = await Client.connect(f"127.0.0.1:{port}", tls=tls)
    seen: list[AuditEvent] = []
    watch = asyncio.create_task(
        _collect(social.watch_audit_events(case_id="0" * 32, outcome="denied"), seen)
    )
    try:
        nowhere = "0" * 32
        with pytest.raises(PermissionDeniedError):
            await social.get_case(nowhere)
        await eventually(lambda: len(seen) == 1)
        await broker.stop(grace=0.1)  # the connection drops under the watch
        broker = Broker(store, db_workers=4)
        await broker.start(f"127.0.0.1:{port}", ServerTLS.from_pki(pki.root))
        await reconnected(lambda: _cases(social))  # allowed: not what the watch is after
        for _ in range(2):
            with pytest.raises(PermissionDeniedError):
                await social.get_case(nowhere)
        await eventually(lambda: len(seen) == 3)
        await asyncio.sleep(0.3)
    finally:
        watch.cancel()
        await social.close()
        await broker.stop(grace=0.1)

    assert [(e.action, e.outcome, e.resource) for e in seen] == [
        ("case.read", "denied", f"cases/{'0' * 32}")
    ] * 3
    assert [e.sequence for e in seen] == sorted({e.sequence for e in seen})


async def test_an_event_written_by_another_process_reaches_the_watch_within_a_heartbeat(
    register_org, store: Store, pki
):
    from luukku.service.audit.refused_calls import RefusalAudit, RefusedCall

    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    async with _quick_broker(store, pki, tls) as social:
        seen: list[AuditEvent] = []
        watch = asyncio.create_task(_collect(social.watch_audit_events(outcome="denied"), seen))
        await asyncio.sleep(0.3)
        # Written as the admin CLI would: past this broker's fan-out.
        RefusalAudit(store).record(
            RefusedCall("e" * 64, "helsinki-social", "rpc:CaseService/GetCase", "X", "cli-1")
        )
        await eventually(lambda: len(seen) == 1)
        watch.cancel()

    assert [(e.request_id, e.reason) for e in seen] == [("cli-1", "X")]
