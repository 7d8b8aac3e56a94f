"""The citizen's consents, end to end through the SDK over mutual TLS."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from luukku.client import InvalidArgumentError, PermissionDeniedError
from luukku.domain.organizations import OrgKind
from luukku.v1 import consents_pb2

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
ACTIVE = "active"
REVOKED = "revoked"
EXPIRED = "expired"
PENDING = "pending"


def _in_days(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


async def _grant(portal, org_id: str = "hoiva-oy", **scope_and_more):
    values = {
        "permissions": ["read"],
        "purpose": "Arranging home care visits",
        "valid_until": _in_days(90),
        **scope_and_more,
    }
    return await portal.grant_consent(org_id, **values)


async def test_only_the_citizen_through_the_portal_may_grant_a_consent(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    portal_without_citizen = portal.acting_as(on_behalf_of=None)

    for granter in (social, company, portal_without_citizen):
        with pytest.raises(PermissionDeniedError) as refused:
            await _grant(granter, case_id=case.id)
        assert refused.value.reason == "CITIZEN_ONLY"

    with pytest.raises(PermissionDeniedError):
        await company.get_case(case.id)
    assert [c async for c in portal.list_consents()] == []


async def test_a_citizen_cannot_consent_to_access_to_another_citizens_case(
    parties, register_org, connect
):
    social, company, _ = parties
    other_portal = await connect(
        register_org("toinenportaali", OrgKind.PORTAL), on_behalf_of=OTHER_CITIZEN
    )
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    with pytest.raises(PermissionDeniedError) as refused:
        await _grant(other_portal, case_id=case.id)
    assert refused.value.reason == "NOT_CASE_CITIZEN"

    with pytest.raises(PermissionDeniedError) as still_refused:
        await company.get_case(case.id)
    assert still_refused.value.reason == "CONSENT_REQUIRED"


async def test_revoking_a_consent_makes_revision_two_and_revoking_it_again_changes_nothing(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    granted = await _grant(portal, case_id=case.id)
    assert (granted.revision, granted.state) == (1, ACTIVE)
    assert granted.revoke_time is None

    revoked = await portal.revoke_consent(granted.id)
    assert (revoked.id, revoked.revision, revoked.state) == (granted.id, 2, REVOKED)
    assert revoked.revoke_time is not None

    again = await portal.revoke_consent(granted.id)
    assert (again.revision, again.state, again.revoke_time) == (2, REVOKED, revoked.revoke_time)

    # The grantee sees the same consent history, and the access is gone.
    seen = await company.get_consent(granted.id)
    assert (seen.revision, seen.state) == (2, REVOKED)
    with pytest.raises(PermissionDeniedError) as refused:
        await company.get_case(case.id)
    assert refused.value.reason == "CONSENT_REVOKED"


async def test_revoking_a_consent_twice_at_once_is_harmless(parties):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    granted = await _grant(portal, case_id=case.id)

    results = await asyncio.gather(*(portal.revoke_consent(granted.id) for _ in range(3)))

    assert {(c.revision, c.state) for c in results} == {(2, REVOKED)}
    assert len({c.revoke_time for c in results}) == 1


async def test_the_citizen_lists_their_consents_and_each_grantee_only_those_given_to_it(
    parties, register_org, connect
):
    social, company, portal = parties
    other_company = await connect(register_org("kuntoutus-oy", OrgKind.PRIVATE))
    other_portal = await connect(
        register_org("toinenportaali", OrgKind.PORTAL), on_behalf_of=OTHER_CITIZEN
    )
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    to_company = await _grant(portal, case_id=case.id)
    to_other_company = await _grant(portal, "kuntoutus-oy", category="rehabilitation")
    from_other_citizen = await _grant(other_portal, category="home_care")

    # Newest first.
    assert [c.id async for c in portal.list_consents()] == [to_other_company.id, to_company.id]
    assert [c.id async for c in portal.list_consents(organization_id="hoiva-oy")] == [to_company.id]
    assert [c.id async for c in company.list_consents()] == [from_other_citizen.id, to_company.id]
    assert [c.id async for c in company.list_consents(identity_code=CITIZEN)] == [to_company.id]
    assert [c.id async for c in other_company.list_consents()] == [to_other_company.id]
    assert [c.id async for c in social.list_consents()] == []
    # The citizen is known to the grantee by its own pseudonym only, as on the case it reads.
    (listed,) = [c async for c in company.list_consents(identity_code=CITIZEN)]
    assert listed.citizen_id == (await company.get_case(case.id)).citizen_id
    assert listed.citizen_id != case.citizen_id  # the owner's pseudonym for them
    assert listed.case_id == case.id


async def test_the_active_filter_leaves_out_revoked_and_not_yet_valid_consents(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    active = await _grant(portal, case_id=case.id)
    revoked = await _grant(portal, category="health")
    await portal.revoke_consent(revoked.id)
    pending = await _grant(portal, category="housing", valid_from=_in_days(7))
    assert pending.state == PENDING

    for lister in (portal, company):
        assert [c.id async for c in lister.list_consents(state="active")] == [active.id]
        assert [c.id async for c in lister.list_consents(state="revoked")] == [revoked.id]
        assert [c.id async for c in lister.list_consents(state="pending")] == [pending.id]
        assert len([c async for c in lister.list_consents()]) == 3


async def test_a_consent_stops_allowing_reads_as_soon_as_its_validity_ends(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="note", text="Two visits a day.")
    until = datetime.now(UTC) + timedelta(seconds=2)
    consent = await _grant(portal, case_id=case.id, valid_until=until)

    assert (await company.get_record(case.id, entry.record_id)).text == "Two visits a day."

    await asyncio.sleep((until - datetime.now(UTC)).total_seconds() + 0.2)

    with pytest.raises(PermissionDeniedError) as refused:
        await company.get_record(case.id, entry.record_id)
    assert refused.value.reason == "CONSENT_EXPIRED"
    assert (await portal.get_consent(consent.id)).state == EXPIRED
    assert [c.id async for c in portal.list_consents(state="expired")] == [consent.id]
    assert [c.id async for c in portal.list_consents(state="active")] == []


async def test_a_validity_that_ends_before_it_begins_is_refused(parties):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    backwards = {"valid_from": _in_days(10), "valid_until": _in_days(5)}
    already_over = {"valid_until": _in_days(-1)}
    for validity in (backwards, already_over):
        with pytest.raises(InvalidArgumentError) as refused:
            await _grant(portal, case_id=case.id, **validity)
        assert refused.value.reason == "INVALID_VALIDITY"
        assert [v.field for v in refused.value.field_violations] == ["valid_until"]
    assert [c async for c in portal.list_consents()] == []


async def test_a_retried_grant_returns_the_first_consent_and_grants_no_second(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    first = await _grant(portal, case_id=case.id, request_id="grant-1")
    retried = await _grant(portal, case_id=case.id, request_id="grant-1")
    concurrent = await asyncio.gather(
        *(_grant(portal, case_id=case.id, request_id="grant-2") for _ in range(5))
    )

    assert retried.id == first.id
    assert retried.create_time == first.create_time
    assert len({c.id for c in concurrent}) == 1
    assert sorted([c.id async for c in portal.list_consents()]) == sorted(
        [first.id, concurrent[0].id]
    )
    assert len([c async for c in company.list_consents()]) == 2


async def test_a_state_filtered_page_is_full_rather_than_short(parties):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    active = await _grant(portal, case_id=case.id)
    for category in ("health", "housing", "rehabilitation"):
        await portal.revoke_consent((await _grant(portal, category=category)).id)

    # One raw page, as a client without the SDK's paging sees it: the newest
    # three consents are revoked, yet the first page holds the active one.
    first = await portal._call(
        portal._consents.ListConsents,
        consents_pb2.ListConsentsRequest(state=consents_pb2.CONSENT_STATE_ACTIVE, page_size=1),
    )
    assert [c.id for c in first.consents] == [active.id]
    assert first.next_page_token == ""


async def test_a_case_says_what_its_caller_may_do_with_it_and_which_consents_let_it(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    by_case = await _grant(portal, case_id=case.id, permissions=["read", "discuss"])
    by_category = await _grant(portal, category="home_care", permissions=["read", "write"])
    await _grant(portal, category="health", permissions=["write"])  # covers another category

    owned = await social.get_case_access(case.id)
    assert (owned.owner, owned.permissions, owned.consent_ids) == (
        True,
        frozenset({"read", "write", "discuss"}),
        (),
    )
    assert owned.case == await social.get_case(case.id)
    shared = await company.get_case_access(case.id)
    assert not shared.owner
    assert shared.permissions == {"read", "write", "discuss"}
    assert shared.consent_ids == (by_case.id, by_category.id)
    mine = await portal.get_case_access(case.id)
    assert (mine.owner, mine.permissions, mine.consent_ids) == (False, {"read", "discuss"}, ())

    await portal.revoke_consent(by_category.id)
    narrowed = await company.get_case_access(case.id)
    assert (narrowed.permissions, narrowed.consent_ids) == ({"read", "discuss"}, (by_case.id,))
    await portal.revoke_consent(by_case.id)
    with pytest.raises(PermissionDeniedError) as refused:
        await company.get_case_access(case.id)
    assert refused.value.reason == "CONSENT_REVOKED"
