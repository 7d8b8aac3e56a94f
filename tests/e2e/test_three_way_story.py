"""The three-way story end to end: a case, a refused company, consent, revocation, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from luukku.client import PermissionDeniedError, Practitioner
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"


async def test_consent_opens_and_revocation_closes_a_companys_access_and_the_citizen_sees_it_all(
    register_org, connect
):
    social = await connect(
        register_org("helsinki-social", OrgKind.PUBLIC),
        practitioner=Practitioner("sw-1", "Sanna Sosiaalityöntekijä", "social worker"),
    )
    company = await connect(
        register_org("hoiva-oy", OrgKind.PRIVATE),
        practitioner=Practitioner("n-7", "Niko Nurse", "nurse"),
    )
    portal = await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN)

    # The municipal social service opens a case and writes a record.
    case = await social.create_case(CITIZEN, title="Home care assessment", category="home_care")
    record = await social.create_record(
        case.id, kind="assessment", text="Needs help twice a day.", data={"visits_per_day": 2}
    )

    # The private care company is refused.
    with pytest.raises(PermissionDeniedError) as refused:
        await company.get_record(case.id, record.record_id)
    assert refused.value.reason == "CONSENT_REQUIRED"

    # The citizen, through the portal, grants it read consent for that case.
    consent = await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Arranging home care visits",
        valid_until=datetime.now(UTC) + timedelta(days=90),
    )

    # The company now reads the record.
    seen = await company.get_record(case.id, record.record_id)
    assert seen.text == "Needs help twice a day."
    assert dict(seen.data) == {"visits_per_day": 2}

    # The citizen revokes; the company's very next read is refused.
    await portal.revoke_consent(consent.id)
    with pytest.raises(PermissionDeniedError) as revoked:
        await company.get_record(case.id, record.record_id)
    assert revoked.value.reason == "CONSENT_REVOKED"

    # The citizen lists the audit log and sees every one of those accesses.
    events = [e async for e in portal.list_audit_events()]
    story = [
        (e.organization_id, e.action, e.outcome, e.reason, e.consent_id)
        for e in reversed(events)
        if e.action != "audit.list"
    ]
    allowed, denied = "allowed", "denied"
    assert story == [
        ("helsinki-social", "case.create", allowed, "OWNER", ""),
        ("helsinki-social", "record.create", allowed, "OWNER", ""),
        ("hoiva-oy", "record.read", denied, "CONSENT_REQUIRED", ""),
        ("omaportaali", "consent.grant", allowed, "SELF", ""),
        ("hoiva-oy", "record.read", allowed, "CONSENT", consent.id),
        ("omaportaali", "consent.revoke", allowed, "SELF", ""),
        ("hoiva-oy", "record.read", denied, "CONSENT_REVOKED", ""),
    ]
    company_reads = [e for e in events if e.organization_id == "hoiva-oy"]
    assert {e.practitioner.display_name for e in company_reads} == {"Niko Nurse"}
    # The citizen knows themselves by the portal's pseudonym for them, everywhere.
    me = (await portal.who_am_i()).citizen_id
    assert all(e.subject_citizen_id == me for e in events)
    assert all(len(e.leaf_hash) == 64 for e in events)
    # Reading the audit log is itself audited, and shows up in the citizen's view.
    assert events[0].action == "audit.list"
    assert events[0].acting_for_citizen_id == me
