"""Representation rights through RepresentationService, end to end over mutual TLS.

A mother gives her daughter a mandate in the portal, the daughter accepts it,
both see it, and either ends it; clerks of public bodies register rights,
record and lift orders; a case's owner judges a minor's capacity. Every
refusal is checked for its status and reason, the audit event of every call
for its subject, and retries for idempotency.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import pytest

from luukku.client import (
    Client,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    Practitioner,
)
from luukku.domain.organizations import OrgKind
from luukku.service.representation.register_import import import_extract
from luukku.store.uow import Store
from luukku.v1 import representation_pb2 as pb
from luukku.verify.identity_code import make_identity_code

MOTHER = "131052-308T"
DAUGHTER = make_identity_code(date(1985, 5, 5), 123)
STRANGER = make_identity_code(date(1979, 8, 17), 456)
PARENT = make_identity_code(date(1988, 3, 3), 234)
TODAY = datetime.now(UTC).date()
CHILD_9 = make_identity_code(TODAY.replace(year=TODAY.year - 9, day=1), 345)
CHILD_15 = make_identity_code(TODAY.replace(year=TODAY.year - 15, day=1), 346)
MINOR_17 = make_identity_code(TODAY.replace(year=TODAY.year - 17, day=1), 347)
SOCIAL_CARE = ["sote-social-care"]


def _in_days(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


class World(NamedTuple):
    """A public social service, a private company, and the portal acting for each person."""

    social: Client
    company: Client
    portal_tls: Any
    connect: Any

    async def portal(self, identity_code: str) -> Client:
        return await self.connect(self.portal_tls, on_behalf_of=identity_code)


@pytest.fixture
async def world(register_org, connect) -> World:
    social = await connect(
        register_org("helsinki-social", OrgKind.PUBLIC),
        practitioner=Practitioner("sw-1", "Sanna", "social worker"),
    )
    company = await connect(register_org("hoiva-oy", OrgKind.PRIVATE))
    return World(social, company, register_org("omaportaali", OrgKind.PORTAL), connect)


def _internal(store: Store, identity_code: str) -> str:
    with store.read() as tx:
        found = tx.citizens.find(identity_code)
    assert found is not None
    return found


def _events(store: Store, action: str) -> list[Any]:
    with store.read() as tx:
        return [s.event for s in tx.audit.scan() if s.event.action == action]


async def test_a_mandate_is_given_accepted_seen_by_both_and_ended_by_the_giver(
    world: World, store: Store
):
    mother, daughter = await world.portal(MOTHER), await world.portal(DAUGHTER)
    with store.transaction() as tx:
        for code, name in ((MOTHER, "Aino Meikäläinen"), (DAUGHTER, "Maija Meikäläinen")):
            tx.citizens.keep_display_name(
                tx.citizens.get_or_create(code, _in_days(0)), name, _in_days(0)
            )

    given = await mother.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(365))

    assert given.state == "awaiting_acceptance"
    assert (given.kind, given.source) == ("adult_mandate", "portal_mandate")
    assert given.codes == {"sote-social-care"}
    assert given.represented_citizen_id == (await mother.who_am_i()).citizen_id
    assert given.represented_name == "Aino Meikäläinen"
    # Named only once she accepts: else the name would tell whether she ever signed in.
    assert given.representative_name == ""
    assert given.represented_birth_date == date(1952, 10, 13)
    accepted = await daughter.accept_mandate(given.id)
    assert accepted.state == "active"
    assert accepted.representative_name == "Maija Meikäläinen"
    assert accepted.accept_time is not None
    assert (await daughter.accept_mandate(given.id)).accept_time == accepted.accept_time

    daughters = await daughter.list_representation_rights()
    mothers = await mother.list_representation_rights()
    assert [r.id for r in daughters.held] == [given.id]
    assert daughters.over_me == ()
    assert [r.id for r in mothers.over_me] == [given.id]
    assert mothers.held == ()
    assert daughters.held[0].representative_citizen_id == (await daughter.who_am_i()).citizen_id
    assert daughters.held[0].represented_name == "Aino Meikäläinen"

    ended = await mother.end_representation_right(given.id)
    assert ended.state == "ended"
    assert ended.end_time is not None
    again = await mother.end_representation_right(given.id)
    assert again.end_time == ended.end_time
    assert [r.state for r in (await daughter.list_representation_rights()).held] == ["ended"]
    with pytest.raises(FailedPreconditionError) as refused:
        await daughter.accept_mandate(given.id)
    assert refused.value.reason == "RIGHT_ENDED"
    # Each call one event, about the mother whose mandate it is.
    mother_id = _internal(store, MOTHER)
    for action in ("representation.mandate.give", "representation.mandate.accept"):
        assert [e.subject_citizen_id for e in _events(store, action)][:1] == [mother_id]
    assert {e.subject_citizen_id for e in _events(store, "representation.end")} == {mother_id}


async def test_the_representative_may_end_a_mandate_too(world: World):
    mother, daughter = await world.portal(MOTHER), await world.portal(DAUGHTER)
    given = await mother.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30))
    await daughter.accept_mandate(given.id)

    ended = await daughter.end_representation_right(given.id)

    assert ended.state == "ended"
    assert [r.state for r in (await mother.list_representation_rights()).over_me] == ["ended"]


async def test_a_retried_mandate_is_the_first_and_a_reused_request_id_is_refused(world: World):
    mother = await world.portal(MOTHER)

    first = await mother.give_mandate(
        DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30), request_id="give-1"
    )
    retried = await mother.give_mandate(
        DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30), request_id="give-1"
    )
    with pytest.raises(InvalidArgumentError) as refused:
        await mother.give_mandate(
            STRANGER, codes=SOCIAL_CARE, valid_until=_in_days(30), request_id="give-1"
        )

    assert retried.id == first.id
    assert refused.value.reason == "REQUEST_ID_REUSED"
    assert len((await mother.list_representation_rights()).over_me) == 1


async def test_only_a_portal_acting_for_a_citizen_lists_gives_or_accepts(world: World):
    mother = await world.portal(MOTHER)
    given = await mother.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30))
    portal_alone = mother.acting_as(on_behalf_of=None)

    for caller in (world.social, world.company, portal_alone):
        for call in (
            caller.list_representation_rights(),
            caller.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30)),
            caller.accept_mandate(given.id),
        ):
            with pytest.raises(PermissionDeniedError) as refused:
                await call
            assert refused.value.reason == "CITIZEN_ONLY"


async def test_a_mandate_is_accepted_only_by_its_representative_and_others_learn_nothing(
    world: World,
):
    mother, stranger = await world.portal(MOTHER), await world.portal(STRANGER)
    given = await mother.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30))

    answers = []
    for caller, right_id in ((mother, given.id), (stranger, given.id), (stranger, "a" * 32)):
        with pytest.raises(NotFoundError) as refused:
            await caller.accept_mandate(right_id)
        answers.append((refused.value.reason, refused.value.message))
    with pytest.raises(NotFoundError):
        await stranger.end_representation_right(given.id)

    assert len(set(answers)) == 1
    assert answers[0][0] == "RIGHT_NOT_FOUND"
    assert (await mother.list_representation_rights()).over_me[0].state == "awaiting_acceptance"


@pytest.mark.parametrize(
    ("representative", "until", "codes", "field_reason"),
    [
        (MINOR_17, 30, SOCIAL_CARE, "NOT_AN_ADULT"),
        (DAUGHTER, 5 * 366 + 2, SOCIAL_CARE, "INVALID_VALIDITY"),
        (DAUGHTER, -1, SOCIAL_CARE, "INVALID_VALIDITY"),
        (DAUGHTER, 30, [], "EMPTY_SCOPE"),
        (MOTHER, 30, SOCIAL_CARE, "SELF_REPRESENTATION"),
        ("131052-308X", 30, SOCIAL_CARE, "INVALID_IDENTITY_CODE"),
    ],
)
async def test_a_mandate_outside_the_rules_is_refused_and_makes_nothing(
    world: World, store: Store, representative: str, until: int, codes: list[str], field_reason
):
    mother = await world.portal(MOTHER)

    with pytest.raises(InvalidArgumentError) as refused:
        await mother.give_mandate(representative, codes=codes, valid_until=_in_days(until))

    assert refused.value.reason == field_reason
    assert (await mother.list_representation_rights()).over_me == ()
    if representative != MOTHER:
        with store.read() as tx:
            assert tx.citizens.find(representative) is None


async def test_a_minor_cannot_give_a_mandate(world: World):
    minor = await world.portal(MINOR_17)

    with pytest.raises(PermissionDeniedError) as refused:
        await minor.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30))

    assert refused.value.reason == "GIVER_NOT_ADULT"


async def test_a_guardianship_from_the_register_is_not_ended_through_the_api(
    world: World, store: Store
):
    born = date.fromisoformat(f"20{CHILD_9[4:6]}-{CHILD_9[2:4]}-{CHILD_9[0:2]}")
    import_extract(
        store,
        ["guardian_identity_code,child_identity_code,start_date", f"{PARENT},{CHILD_9},{born}"],
        _in_days(0),
    )
    parent = await world.portal(PARENT)
    (right,) = (await parent.list_representation_rights()).held
    assert (right.kind, right.source, right.state) == (
        "guardian_of_minor",
        "population_register",
        "active",
    )
    assert right.valid_until is None
    assert right.represented_birth_date == born

    for caller, reason in ((parent, ""), (world.social, "Custody decision seen")):
        with pytest.raises(FailedPreconditionError) as refused:
            await caller.end_representation_right(right.id, reason=reason)
        assert refused.value.reason == "RIGHT_FROM_REGISTER"


async def test_the_rights_are_listed_newest_first_a_page_at_a_time(world: World, store: Store):
    # A guardian of twelve children: more than a page (a public guardian's wards are more).
    first_born = TODAY.replace(year=TODAY.year - 9, month=1, day=1)
    born = [first_born + timedelta(days=n) for n in range(12)]
    children = [make_identity_code(day, 400 + n) for n, day in enumerate(born)]
    header = "guardian_identity_code,child_identity_code,start_date"
    rows = [f"{PARENT},{child},{day}" for child, day in zip(children, born, strict=True)]
    import_extract(store, [header, *rows], _in_days(0))
    parent = await world.portal(PARENT)

    whole = (await parent.list_representation_rights()).held  # the SDK follows every page
    assert [r.represented_birth_date for r in whole] == sorted(born, reverse=True)

    pages, token = [], ""
    while True:
        request = pb.ListRepresentationRightsRequest(page_size=5, page_token=token)
        page = await parent._call(parent._representation.ListRepresentationRights, request)
        pages.append([r.id for r in page.held])
        if not (token := page.next_page_token):
            break
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [i for p in pages for i in p] == [r.id for r in whole]

    # A page token names whose rights it continues: another person's is refused.
    first = await parent._call(
        parent._representation.ListRepresentationRights,
        pb.ListRepresentationRightsRequest(page_size=5),
    )
    stranger = await world.portal(STRANGER)
    with pytest.raises(InvalidArgumentError) as refused:
        await stranger._call(
            stranger._representation.ListRepresentationRights,
            pb.ListRepresentationRightsRequest(page_token=first.next_page_token),
        )
    assert refused.value.reason == "INVALID_PAGE_TOKEN"


async def test_a_public_clerk_registers_a_right_with_its_reason_and_ends_it(
    world: World, store: Store
):
    daughter = await world.portal(DAUGHTER)
    registered = await world.social.register_representation_right(
        "legal_guardian",
        representative_identity_code=DAUGHTER,
        represented_identity_code=MOTHER,
        codes=["sote-social-care", "sote-health-care", "sote-consents"],
        reason="District court order 2026/123 seen at the service point",
        request_id="reg-1",
    )
    retried = await world.social.register_representation_right(
        "legal_guardian",
        representative_identity_code=DAUGHTER,
        represented_identity_code=MOTHER,
        codes=["sote-social-care"],
        reason="The same order",
        request_id="reg-1",
    )

    assert retried.id == registered.id
    with store.read() as tx:
        kept = tx.representation.get(registered.id)
    assert kept is not None
    assert kept.reason.startswith("District court order 2026/123")
    assert (registered.source, registered.state) == ("clerk_registration", "active")
    assert (await daughter.list_representation_rights()).held[0].id == registered.id
    with pytest.raises(PermissionDeniedError) as refused:
        await daughter.end_representation_right(registered.id)
    assert refused.value.reason == "RIGHT_FROM_CLERK"
    with pytest.raises(InvalidArgumentError) as no_reason:
        await world.social.end_representation_right(registered.id)
    assert no_reason.value.reason == "INVALID_REASON"

    ended = await world.social.end_representation_right(
        registered.id, reason="The court lifted the guardianship"
    )

    assert ended.state == "ended"
    registrations = _events(store, "representation.register")
    assert {(e.outcome.value, e.org_id, e.subject_citizen_id) for e in registrations} == {
        ("allowed", "helsinki-social", _internal(store, MOTHER))
    }
    assert len(registrations) == 2  # the call and its retry


async def test_only_a_public_clerk_registers_and_a_clerk_does_not_end_a_portal_mandate(
    world: World, store: Store
):
    mother = await world.portal(MOTHER)
    registration = {
        "representative_identity_code": DAUGHTER,
        "represented_identity_code": STRANGER,
        "codes": SOCIAL_CARE,
        "reason": "Custody decision seen",
    }
    for caller in (world.company, mother):
        with pytest.raises(PermissionDeniedError) as refused:
            await caller.register_representation_right("legal_guardian", **registration)
        assert refused.value.reason == "ORG_KIND_NOT_ALLOWED"
        with pytest.raises(PermissionDeniedError) as refused:
            await caller.record_representation_blocker(
                "non_disclosure", STRANGER, reason="Order seen"
            )
        assert refused.value.reason == "ORG_KIND_NOT_ALLOWED"
    with store.read() as tx:
        assert tx.citizens.find(STRANGER) is None  # a refusal registers no one
    given = await mother.give_mandate(DAUGHTER, codes=SOCIAL_CARE, valid_until=_in_days(30))
    with pytest.raises(PermissionDeniedError) as refused:
        await world.social.end_representation_right(given.id, reason="Asked by phone")
    assert refused.value.reason == "RIGHT_FROM_PORTAL"
    with pytest.raises(PermissionDeniedError) as refused:
        await world.company.end_representation_right(given.id, reason="Asked by phone")
    assert refused.value.reason == "ORG_KIND_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("kind", "represented", "reason"),
    [
        ("guardian_of_minor", MOTHER, "NOT_A_MINOR"),
        ("legal_guardian", CHILD_9, "NOT_AN_ADULT"),
        ("adult_mandate", MOTHER, "INVALID_VALIDITY"),  # a mandate needs its last day
    ],
)
async def test_a_registration_must_fit_its_kind(world: World, kind, represented, reason):
    with pytest.raises(InvalidArgumentError) as refused:
        await world.social.register_representation_right(
            kind,
            representative_identity_code=PARENT,
            represented_identity_code=represented,
            codes=SOCIAL_CARE,
            reason="Papers seen",
        )
    assert refused.value.reason == reason


async def test_a_care_order_blocks_a_guardian_and_a_non_disclosure_order_does_not_show(
    world: World,
):
    parent = await world.portal(PARENT)
    right = await world.social.register_representation_right(
        "guardian_of_minor",
        representative_identity_code=PARENT,
        represented_identity_code=CHILD_9,
        codes=["sote-view"],
        reason="Custody decision seen",
    )
    hidden = await world.social.record_representation_blocker(
        "non_disclosure", CHILD_9, reason="Order of the register office"
    )
    assert (await parent.list_representation_rights()).held[0].state == "active"

    care = await world.social.record_representation_blocker(
        "care_order", CHILD_9, reason="Decision 2026/77", request_id="care-1"
    )
    retried = await world.social.record_representation_blocker(
        "care_order", CHILD_9, reason="Decision 2026/77", request_id="care-1"
    )
    assert retried.id == care.id
    assert care.lift_time is None
    assert (await parent.list_representation_rights()).held[0].state == "blocked"
    with pytest.raises(InvalidArgumentError) as adult:
        await world.social.record_representation_blocker("care_order", MOTHER, reason="No")
    assert adult.value.reason == "NOT_A_MINOR"

    lifted = await world.social.lift_representation_blocker(care.id, reason="Care ended")
    again = await world.social.lift_representation_blocker(care.id, reason="Care ended")
    assert lifted.lift_time is not None
    assert again.lift_time == lifted.lift_time
    assert [r.id for r in (await parent.list_representation_rights()).held] == [right.id]
    assert (await parent.list_representation_rights()).held[0].state == "active"
    with pytest.raises(PermissionDeniedError) as refused:
        await world.company.lift_representation_blocker(hidden.id, reason="Not ours")
    assert refused.value.reason == "ORG_KIND_NOT_ALLOWED"
    with pytest.raises(NotFoundError):
        await world.social.lift_representation_blocker("b" * 32, reason="No such order")


async def test_the_owner_judges_a_minors_capacity_from_twelve_on(world: World, store: Store):
    teen_case = await world.social.create_case(CHILD_15, title="School", category="social_work")
    child_case = await world.social.create_case(CHILD_9, title="Clinic", category="health")
    adult_case = await world.social.create_case(MOTHER, title="Home care", category="home_care")

    judged = await world.social.judge_minor_capacity(teen_case.id, "capable_forbids")
    shared = await world.social.judge_minor_capacity(child_case.id, "not_capable_shared")

    assert (judged.case_id, judged.capacity) == (teen_case.id, "capable_forbids")
    assert shared.capacity == "not_capable_shared"
    with store.read() as tx:
        assert tx.representation.capacity(teen_case.id) == "capable_forbids"
    with pytest.raises(InvalidArgumentError) as too_young:
        await world.social.judge_minor_capacity(child_case.id, "capable_allows")
    assert too_young.value.reason == "TOO_YOUNG"
    with pytest.raises(FailedPreconditionError) as adult:
        await world.social.judge_minor_capacity(adult_case.id, "capable_allows")
    assert adult.value.reason == "NOT_A_MINOR"
    for caller, case_id in ((world.company, teen_case.id), (world.company, "c" * 32)):
        with pytest.raises(PermissionDeniedError) as refused:
            await caller.judge_minor_capacity(case_id, "capable_allows")
        assert refused.value.reason == "OWNER_ONLY"
    parent = await world.portal(PARENT)
    with pytest.raises(PermissionDeniedError) as refused:
        await parent.judge_minor_capacity(teen_case.id, "capable_allows")
    assert refused.value.reason == "OWNER_ONLY"
