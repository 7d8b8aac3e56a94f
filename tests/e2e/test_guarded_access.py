"""What the audited access guard promises a user: who is told what, and who sees which attempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from luukku.client import FailedPreconditionError, PermissionDeniedError
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"


async def _parties(register_org, connect):
    social = await connect(register_org("helsinki-social", OrgKind.PUBLIC))
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    owner = await connect(portal_tls, on_behalf_of=CITIZEN)
    other = await connect(portal_tls, on_behalf_of=OTHER_CITIZEN)
    return social, owner, other


async def test_an_attempt_to_grant_on_another_citizens_case_is_in_both_citizens_logs(
    register_org, connect
):
    social, owner, other = await _parties(register_org, connect)
    case = await social.create_case(CITIZEN, title="Housing", category="housing")

    with pytest.raises(PermissionDeniedError) as refused:
        await other.grant_consent(
            "helsinki-social",
            case_id=case.id,
            permissions=["read"],
            purpose="Probing",
            valid_until=datetime.now(UTC) + timedelta(days=1),
        )
    assert refused.value.reason == "NOT_CASE_CITIZEN"

    owners = [e async for e in owner.list_audit_events() if e.action == "consent.grant"]
    others = [e async for e in other.list_audit_events() if e.action == "consent.grant"]
    assert [(e.reason, e.acting_for_citizen_id) for e in owners] == [
        ("NOT_CASE_CITIZEN", "redacted")
    ]
    # The one refused learns nothing of whose case it was: as for a case that is not there.
    assert [(e.reason, e.subject_citizen_id) for e in others] == [("NOT_CASE_CITIZEN", "")]
    assert owners[0].id == others[0].id


async def test_a_citizen_is_told_that_citizens_do_not_write_records_or_close_cases(
    register_org, connect
):
    social, owner, _ = await _parties(register_org, connect)
    case = await social.create_case(CITIZEN, title="Housing", category="housing")

    with pytest.raises(PermissionDeniedError) as writing:
        await owner.create_record(case.id, kind="note", text="My own note.")
    with pytest.raises(PermissionDeniedError) as closing:
        await owner.close_case(case.id)

    for refused in (writing.value, closing.value):
        assert refused.reason == "CITIZEN_CANNOT_WRITE"
        assert "consent" not in refused.message


async def test_the_posters_own_message_is_never_unread_for_them(register_org, connect):
    social, owner, _ = await _parties(register_org, connect)
    case = await social.create_case(CITIZEN, title="Housing", category="housing")
    thread = await social.create_thread(case.id, subject="Keys")

    await social.post_message(thread.id, "The keys are at the office.")
    await owner.post_message(thread.id, "Thank you, I will fetch them.")

    assert (await social.get_thread(thread.id)).unread_count == 1
    assert (await owner.get_thread(thread.id)).unread_count == 0


async def test_writing_to_a_closed_case_is_refused_and_recorded_as_such(register_org, connect):
    social, owner, _ = await _parties(register_org, connect)
    case = await social.create_case(CITIZEN, title="Housing", category="housing")
    await social.close_case(case.id)

    with pytest.raises(FailedPreconditionError) as refused:
        await social.create_record(case.id, kind="note", text="Too late.")

    assert refused.value.reason == "CASE_CLOSED"
    created = [e async for e in owner.list_audit_events() if e.action == "record.create"]
    assert [e.reason for e in created] == ["CASE_CLOSED"]


async def test_a_company_impersonating_a_citizen_is_refused_and_the_citizen_sees_the_attempt(
    register_org, connect
):
    social, owner, _ = await _parties(register_org, connect)
    await social.create_case(CITIZEN, title="Housing", category="housing")
    company_tls = register_org("hoiva-oy", OrgKind.PRIVATE)

    with pytest.raises(PermissionDeniedError) as refused:
        await connect(company_tls, on_behalf_of=CITIZEN)

    assert refused.value.reason == "ON_BEHALF_NOT_ALLOWED"
    attempts = [e async for e in owner.list_audit_events() if e.organization_id == "hoiva-oy"]
    assert [(e.action, e.reason) for e in attempts] == [
        ("rpc:DirectoryService/WhoAmI", "ON_BEHALF_NOT_ALLOWED")
    ]
