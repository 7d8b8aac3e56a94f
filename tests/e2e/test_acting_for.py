"""Acting for another person at the gRPC level: a portal's citizen acting under a right.

The rights, orders and capacity judgements are written through the store
(their RPCs are another part's); the calls are the portal's, through the SDK
with ``acting_as(..., acting_for=right_id)``, on a real broker.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from desk_world import open_desk

from luukku.audit.filters import AuditFilter
from luukku.client import Case, Client, PermissionDeniedError, RPCError
from luukku.domain.access import Actor
from luukku.domain.organizations import OrgKind
from luukku.domain.representation.blockers import (
    Blocker,
    BlockerKind,
    Capacity,
    CapacityDecision,
)
from luukku.domain.representation.rights import FULL_SCOPE, Kind, MandateCode, Right, Source
from luukku.server.app import Broker
from luukku.store.uow import Store
from luukku.verify.identity_code import IdentityCode, make_identity_code


def _years_ago(years: int) -> date:
    """A birth date ``years`` and a month before today."""
    today = date.today()
    return date(today.year - years, today.month, 1) - timedelta(days=30)


PARENT = make_identity_code(date(1985, 3, 14), 211)
CHILD_9 = make_identity_code(_years_ago(9), 212)
CHILD_15 = make_identity_code(_years_ago(15), 213)
MOTHER = make_identity_code(date(1941, 5, 2), 214)
DAUGHTER = make_identity_code(date(1968, 9, 9), 215)

NOW = datetime.now(UTC)


def _citizen(store: Store, code: str) -> str:
    with store.transaction() as tx:
        return tx.citizens.get_or_create(code, datetime.now(UTC))


def _born(code: str) -> date:
    return IdentityCode.parse(code).birth_date


def _guardianship(store: Store, guardian: str, child: str) -> str:
    """A guardian-of-minor right from the population register; returns its id."""
    right = Right(
        id=uuid.uuid4().hex,
        kind=Kind.GUARDIAN_OF_MINOR,
        representative_id=_citizen(store, guardian),
        represented_id=_citizen(store, child),
        codes=FULL_SCOPE,
        valid_from=NOW - timedelta(days=365),
        valid_until=None,
        source=Source.POPULATION_REGISTER,
        represented_birth_date=_born(child),
    )
    with store.transaction() as tx:
        tx.representation.add(right, NOW)
    return right.id


def _mandate(
    store: Store,
    giver: str,
    holder: str,
    codes: frozenset[MandateCode],
    *,
    valid_from: datetime,
    valid_until: datetime,
) -> str:
    """An accepted portal mandate from ``giver`` to ``holder``; returns its id."""
    right = Right(
        id=uuid.uuid4().hex,
        kind=Kind.ADULT_MANDATE,
        representative_id=_citizen(store, holder),
        represented_id=_citizen(store, giver),
        codes=codes,
        valid_from=valid_from,
        valid_until=valid_until,
        source=Source.PORTAL_MANDATE,
        accepted_at=valid_from,
    )
    with store.transaction() as tx:
        tx.representation.add(right, NOW)
    return right.id


@pytest.fixture
def acting(register_org, connect, citizen_issuer) -> Callable[..., object]:
    """The portal acting for the signed-in citizen ``code`` under the right ``right_id``."""
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    portals: dict[str, Client] = {}

    async def _acting(code: str, right_id: str | None = None) -> Client:
        if code not in portals:
            portals[code] = await connect(portal_tls, on_behalf_of=code)
        return portals[code].acting_as(
            on_behalf_of=code,
            citizen_token=citizen_issuer.token_source(code),
            acting_for=right_id,
        )

    return _acting


@pytest.fixture
async def clinic(register_org, connect) -> Client:
    """The municipal family services, owner of the children's and the mother's cases."""
    return await connect(register_org("helsinki-social", OrgKind.PUBLIC))


def _audited(store: Store, citizen_code: str, action: str) -> list[tuple[str, str, str | None]]:
    """(reason, outcome, acting_for) of the citizen's events of ``action``, newest first."""
    citizen = _citizen(store, citizen_code)
    with store.read() as tx:
        events = tx.audit.newest_first(Actor("omaportaali", citizen), AuditFilter(), None, 200)
    return [
        (e.event.reason, e.event.outcome.value, e.event.acting_for_citizen_id)
        for e in events
        if e.event.action == action and e.event.subject_citizen_id == citizen
    ]


async def _refusal(call) -> RPCError:
    with pytest.raises(RPCError) as refused:
        await call
    return refused.value


async def test_a_parent_grants_a_consent_for_a_nine_year_old_and_reads_the_case(
    store, clinic, acting, register_org, connect
):
    right = _guardianship(store, PARENT, CHILD_9)
    case = await clinic.create_case(CHILD_9, title="Kasvatusneuvola", category="social_work")
    company = await connect(register_org("perheneuvola-oy", OrgKind.PRIVATE))
    parent = await acting(PARENT, right)

    consent = await parent.grant_consent(
        "perheneuvola-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Child guidance",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    assert consent.state == "active"
    read = await parent.get_case(case.id)
    assert read.id == case.id
    assert (await company.get_case(case.id)).id == case.id
    assert [c.id async for c in parent.list_cases()] == [case.id]

    parent_id = _citizen(store, PARENT)
    reads = _audited(store, CHILD_9, "case.read")
    assert ("AS_GUARDIAN", "allowed", parent_id) in reads
    assert ("AS_GUARDIAN", "allowed", parent_id) in _audited(store, CHILD_9, "consent.grant")


async def test_a_care_order_refuses_the_parent_and_the_refusal_names_it(store, clinic, acting):
    right = _guardianship(store, PARENT, CHILD_9)
    case = await clinic.create_case(CHILD_9, title="Lastensuojelu", category="social_work")
    parent = await acting(PARENT, right)
    await parent.get_case(case.id)

    order = Blocker(uuid.uuid4().hex, BlockerKind.CARE_ORDER, _citizen(store, CHILD_9), NOW)
    with store.transaction() as tx:
        tx.representation.add_blocker(order, "helsinki-social", "care order 2026/7", NOW)

    refused = await _refusal(parent.get_case(case.id))
    assert isinstance(refused, PermissionDeniedError)
    assert refused.reason == "REPRESENTATION_CARE_ORDER"
    listed = await _refusal(parent.list_cases().__anext__())
    assert listed.reason == "REPRESENTATION_CARE_ORDER"
    assert _audited(store, CHILD_9, "case.read")[0][:2] == ("REPRESENTATION_CARE_ORDER", "denied")


async def _a_minor_forbids_one_case(store: Store, clinic: Client) -> tuple[str, Case, Case]:
    """A 15-year-old with two cases, judged capable and forbidding their guardians the
    first: the parent's guardianship, the hidden case and the shown one."""
    right = _guardianship(store, PARENT, CHILD_15)
    hidden = await clinic.create_case(CHILD_15, title="Ehkäisyneuvonta", category="health")
    shown = await clinic.create_case(CHILD_15, title="Koulukuraattori", category="social_work")
    child = _citizen(store, CHILD_15)
    with store.transaction() as tx:
        tx.representation.judge_capacity(
            CapacityDecision(hidden.id, child, Capacity.CAPABLE_FORBIDS, NOW, "helsinki-social")
        )
    return right, hidden, shown


async def test_a_capable_minors_refusal_looks_like_a_case_that_does_not_exist(
    store, clinic, acting
):
    right, hidden, shown = await _a_minor_forbids_one_case(store, clinic)
    parent = await acting(PARENT, right)

    forbidden = await _refusal(parent.get_case(hidden.id))
    nowhere = await _refusal(parent.get_case(uuid.uuid4().hex))
    assert (forbidden.code, forbidden.reason, forbidden.message) == (
        nowhere.code,
        nowhere.reason,
        nowhere.message,
    )
    assert (await parent.get_case(shown.id)).id == shown.id
    assert [c.id async for c in parent.list_cases()] == [shown.id]
    assert ("REPRESENTATION_MINOR_FORBIDS", "denied", _citizen(store, PARENT)) in _audited(
        store, CHILD_15, "case.read"
    )


@pytest.mark.parametrize("heartbeat_seconds", [3600])
async def test_a_daughter_follows_her_mothers_home_care_until_the_mandate_ends(
    store, clinic, acting, broker: Broker
):
    right = _mandate(
        store,
        MOTHER,
        DAUGHTER,
        frozenset({MandateCode.SOCIAL_CARE}),
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=90),
    )
    case = await clinic.create_case(MOTHER, title="Kotihoito", category="home_care")
    thread = await clinic.create_thread(case.id, subject="Hoitosuunnitelma")
    await clinic.post_message(thread.id, "Käynnit alkavat maanantaina.")
    daughter = await acting(DAUGHTER, right)

    received: list[str] = []

    async def follow() -> None:
        async for message in daughter.watch_thread(thread.id):
            received.append(message.body)

    watching = asyncio.create_task(follow())
    posted = await daughter.post_message(thread.id, "Äiti toivoo aamukäyntejä.")
    assert posted.thread_id == thread.id
    for _ in range(50):
        if len(received) == 2:
            break
        await asyncio.sleep(0.05)
    assert received == ["Käynnit alkavat maanantaina.", "Äiti toivoo aamukäyntejä."]
    assert ("AS_MANDATARY", "allowed", _citizen(store, DAUGHTER)) in _audited(
        store, MOTHER, "message.post"
    )

    await (await acting(MOTHER)).end_representation_right(right)  # the mother ends it
    started = asyncio.get_running_loop().time()
    with pytest.raises(PermissionDeniedError) as ended:
        await asyncio.wait_for(watching, timeout=3.0)
    assert asyncio.get_running_loop().time() - started < 1.0
    assert ended.value.reason == "REPRESENTATION_ENDED"
    refused = await _refusal(daughter.get_case(case.id))
    assert refused.reason == "REPRESENTATION_ENDED"


async def test_a_mandate_past_its_end_opens_nothing(store, clinic, acting):
    right = _mandate(
        store,
        MOTHER,
        DAUGHTER,
        frozenset({MandateCode.SOCIAL_CARE, MandateCode.VIEW}),
        valid_from=NOW - timedelta(days=60),
        valid_until=NOW - timedelta(days=1),
    )
    case = await clinic.create_case(MOTHER, title="Kotihoito", category="home_care")
    daughter = await acting(DAUGHTER, right)
    for call in (daughter.get_case(case.id), daughter.list_cases().__anext__()):
        refused = await _refusal(call)
        assert refused.reason == "REPRESENTATION_EXPIRED"


async def test_a_right_not_held_by_the_signed_in_citizen_is_missing_whether_or_not_it_exists(
    store, clinic, acting
):
    right = _guardianship(store, PARENT, CHILD_9)
    case = await clinic.create_case(CHILD_9, title="Kasvatusneuvola", category="social_work")
    stranger = await acting(DAUGHTER, right)
    nobody = await acting(DAUGHTER, uuid.uuid4().hex)
    held_by_another = await _refusal(stranger.get_case(case.id))
    not_there = await _refusal(nobody.get_case(case.id))
    assert held_by_another.reason == not_there.reason == "REPRESENTATION_MISSING"
    assert held_by_another.message == not_there.message


async def test_acting_for_someone_needs_a_signed_in_citizen_and_a_well_formed_right(
    store, clinic, acting, connect, register_org
):
    parent = await acting(PARENT, "not-a-right")
    malformed = await _refusal(parent.list_cases().__anext__())
    assert (malformed.code.name, malformed.reason) == ("INVALID_ARGUMENT", "INVALID_METADATA")

    org_tls = register_org("pelkka-portaali", OrgKind.PORTAL)
    bare = (await connect(org_tls)).acting_as(acting_for=uuid.uuid4().hex)
    refused = await _refusal(bare.list_cases().__anext__())
    assert refused.reason == "ACTING_FOR_NEEDS_CITIZEN"


def _named(store: Store, code: str, name: str) -> None:
    citizen = _citizen(store, code)
    with store.transaction() as tx:
        tx.citizens.keep_display_name(citizen, name, datetime.now(UTC))


async def test_the_mothers_access_log_names_the_daughter_who_acted_for_her(store, clinic, acting):
    right = _mandate(
        store,
        MOTHER,
        DAUGHTER,
        frozenset({MandateCode.SOCIAL_CARE}),
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=90),
    )
    _named(store, DAUGHTER, "Maija Meikäläinen")
    case = await clinic.create_case(MOTHER, title="Kotihoito", category="home_care")
    daughter = await acting(DAUGHTER, right)
    await daughter.get_case(case.id)

    mother = await acting(MOTHER)
    events = [e async for e in mother.list_audit_events() if e.action == "case.read"]
    assert [(e.reason, e.representative_name) for e in events] == [
        ("AS_MANDATARY", "Maija Meikäläinen")
    ]
    assert events[0].acting_for_citizen_id == "redacted"
    own = [e async for e in mother.list_audit_events() if e.action == "audit.list"]
    assert own
    assert all(e.representative_name == "" for e in own)


async def test_a_guardian_reading_the_childs_log_learns_nothing_the_minor_keeps_from_them(
    store, clinic, acting
):
    right, hidden, shown = await _a_minor_forbids_one_case(store, clinic)
    parent = await acting(PARENT, right)
    await _refusal(parent.get_case(hidden.id))
    await parent.get_case(shown.id)
    teen = await acting(CHILD_15)
    await teen.get_case(hidden.id)

    seen_for_the_child = [e async for e in parent.list_audit_events()]
    assert seen_for_the_child
    assert all(hidden.id not in e.resource for e in seen_for_the_child)
    assert all(e.reason != "REPRESENTATION_MINOR_FORBIDS" for e in seen_for_the_child)
    assert any(shown.id in e.resource for e in seen_for_the_child)

    parents_own = await acting(PARENT)
    refused = [
        e
        async for e in parents_own.list_audit_events()
        if e.action == "case.read" and e.outcome == "denied"
    ]
    assert [e.reason for e in refused] == ["NOT_CASE_CITIZEN"]
    assert refused[0].leaf_bytes == b""
    # The child's own log holds the truth.
    truth = [e async for e in teen.list_audit_events() if e.outcome == "denied"]
    assert [e.reason for e in truth] == ["REPRESENTATION_MINOR_FORBIDS"]
    # Nor can the guardian have it proved, which would show its leaf.
    for event in (
        truth[0],
        *[e async for e in teen.list_audit_events() if hidden.id in e.resource],
    ):
        not_theirs = await _refusal(parent.get_inclusion_proof(event.sequence))
        assert not_theirs.reason == "NOT_OWN_EVENT"


async def test_a_clerk_sees_an_inquiry_asked_by_a_daughter_for_her_mother(
    store, acting, register_org, connect
):

    right = _mandate(
        store,
        MOTHER,
        DAUGHTER,
        frozenset({MandateCode.SOCIAL_CARE}),
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=90),
    )
    clerk = await connect(register_org("kuopio-neuvonta", OrgKind.PUBLIC))
    open_desk(store, "savo-desk", ["kuopio-neuvonta"])
    daughter = await acting(DAUGHTER, right)
    asked = await daughter.create_inquiry(
        "savo-desk",
        topic="farm-subsidies",
        subject="Äidin tuki",
        body="Mihin äiti voi hakea tukea?",
        citizen_name="Maija Meikäläinen",
    )
    await clerk.claim_inquiry(asked.id)
    asker = await clerk.get_inquiry_asker(asked.id)
    assert (asker.representative_name, asker.representation_kind) == (
        "Maija Meikäläinen",
        "adult_mandate",
    )
    assert asker.display_name == ""  # the mother's own name, not her daughter's
    mine = [i.id async for i in daughter.list_inquiries()]
    assert mine == [asked.id]


async def test_who_am_i_under_a_right_names_the_represented_person(store, acting):
    right = _guardianship(store, PARENT, CHILD_9)
    as_parent = await (await acting(PARENT)).who_am_i()
    as_child = await (await acting(CHILD_9)).who_am_i()
    for_the_child = await (await acting(PARENT, right)).who_am_i()
    assert for_the_child.citizen_id == as_child.citizen_id != as_parent.citizen_id
    refused = await _refusal((await acting(DAUGHTER, right)).who_am_i())
    assert refused.reason == "REPRESENTATION_MISSING"


def _streams(client: Client, inquiry_id: str) -> dict[str, object]:
    return {
        "inquiry": client.watch_inquiry(inquiry_id),
        "audit": client.watch_audit_events(),
    }


@pytest.mark.parametrize("heartbeat_seconds", [3600])
@pytest.mark.parametrize("stream", ["inquiry", "audit"])
async def test_the_daughters_inquiry_and_log_streams_end_when_the_mandate_ends(
    store, acting, register_org, broker: Broker, stream: str
):
    right = _mandate(
        store,
        MOTHER,
        DAUGHTER,
        frozenset({MandateCode.SOCIAL_CARE}),
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=90),
    )
    register_org("kuopio-neuvonta", OrgKind.PUBLIC)
    open_desk(store, "savo-desk", ["kuopio-neuvonta"])
    daughter = await acting(DAUGHTER, right)
    asked = await daughter.create_inquiry(
        "savo-desk", topic="farm-subsidies", subject="Äidin tuki", body="Mihin hakea?"
    )
    watch = _streams(daughter, asked.id)[stream]
    first = asyncio.Event()

    async def follow() -> None:
        async for _ in watch:  # type: ignore[attr-defined]
            first.set()

    following = asyncio.create_task(follow())
    await asyncio.wait_for(first.wait(), timeout=5.0)

    await (await acting(MOTHER)).end_representation_right(right)  # the mother ends it
    started = asyncio.get_running_loop().time()
    with pytest.raises(PermissionDeniedError) as ended:
        await asyncio.wait_for(following, timeout=3.0)
    assert asyncio.get_running_loop().time() - started < 1.0
    assert ended.value.reason == "REPRESENTATION_ENDED"


@pytest.mark.parametrize("heartbeat_seconds", [3600])
async def test_a_watch_under_a_mandate_ends_when_the_mandate_runs_out(store, clinic, acting):
    right = _mandate(
        store,
        MOTHER,
        DAUGHTER,
        frozenset({MandateCode.SOCIAL_CARE}),
        valid_from=NOW - timedelta(days=1),
        valid_until=datetime.now(UTC) + timedelta(seconds=2),
    )
    case = await clinic.create_case(MOTHER, title="Kotihoito", category="home_care")
    thread = await clinic.create_thread(case.id, subject="Hoitosuunnitelma")
    daughter = await acting(DAUGHTER, right)

    async def follow() -> None:
        async for _ in daughter.watch_thread(thread.id):
            pass

    with pytest.raises(PermissionDeniedError) as ended:
        await asyncio.wait_for(follow(), timeout=5.0)
    assert ended.value.reason == "REPRESENTATION_EXPIRED"
