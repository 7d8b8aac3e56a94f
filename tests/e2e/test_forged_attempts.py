"""A forged attempt on a citizen's data is in their log the moment it is refused, each
distinct attempt as its own event, and their open watch hears of it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from eventually import eventually

from luukku.client import PermissionDeniedError
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"


async def test_each_forged_attempt_is_in_the_citizens_log_before_the_forger_is_answered(
    parties, register_org, connect
):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    # A care company's stolen certificate, claiming to act for the citizen.
    forger = await connect(
        register_org("vilppi-oy", OrgKind.PRIVATE), on_behalf_of=CITIZEN, verify=False
    )
    heard: list = []
    watch = asyncio.create_task(_collect(portal.watch_audit_events(), heard))

    with pytest.raises(PermissionDeniedError):
        await forger.get_case(case.id)
    first = [e async for e in portal.list_audit_events() if e.organization_id == "vilppi-oy"]
    with pytest.raises(PermissionDeniedError):
        await forger.grant_consent(
            "vilppi-oy",
            case_id=case.id,
            permissions=["read"],
            purpose="Forged",
            valid_until=datetime.now(UTC) + timedelta(days=1),
        )
    with pytest.raises(PermissionDeniedError):
        await forger.get_case(case.id)  # the same call again: counted, not a new event
    seen = [e async for e in portal.list_audit_events() if e.organization_id == "vilppi-oy"]

    assert [(e.action, e.reason) for e in first] == [
        ("rpc:CaseService/GetCase", "ON_BEHALF_NOT_ALLOWED")
    ]
    assert [e.action for e in reversed(seen)] == [
        "rpc:CaseService/GetCase",
        "rpc:ConsentService/GrantConsent",
    ]
    me = (await portal.who_am_i()).citizen_id
    assert {(e.acting_for_citizen_id, e.subject_citizen_id) for e in seen} == {(me, me)}
    await eventually(
        lambda: (
            {e.action for e in heard if e.organization_id == "vilppi-oy"}
            == {
                "rpc:CaseService/GetCase",
                "rpc:ConsentService/GrantConsent",
            }
        )
    )
    watch.cancel()


async def _collect(watch, into: list) -> None:
    async for event in watch:
        into.append(event)
