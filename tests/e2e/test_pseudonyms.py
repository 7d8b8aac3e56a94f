"""Pairwise citizen pseudonyms: each organisation sees its own, stable one, never the hub's id.

Two organisations that read the same citizen see different ids for them (they
cannot join their data on it); one organisation sees the same id on every call
and after a restart of the broker; the citizen, through the portal, sees the
one the portal sees, the same in WhoAmI, in their cases and in their audit log;
and no audit leaf a caller is shown holds a citizen id in clear.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from luukku.client import Client
from luukku.domain.organizations import OrgKind
from luukku.server.app import Broker, ServerTLS
from luukku.store.opening import open_store
from luukku.store.uow import Store

CITIZEN = "131052-308T"
PSEUDONYM = re.compile(r"[0-9a-f]{32}\Z")


def _internal_id(store: Store) -> str:
    with store.read() as tx:
        found = tx.citizens.find(CITIZEN)
    assert found is not None
    return found


async def test_two_organisations_reading_one_citizen_see_different_pseudonyms(
    parties, store: Store
):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Planning home care together",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )

    by_social = (await social.get_case(case.id)).citizen_id
    by_company = (await company.get_case(case.id)).citizen_id
    by_portal = (await portal.get_case(case.id)).citizen_id

    assert PSEUDONYM.match(by_social)
    assert PSEUDONYM.match(by_company)
    assert len({by_social, by_company, by_portal}) == 3
    assert _internal_id(store) not in {by_social, by_company, by_portal}
    # The citizen knows themselves by the one id the portal sees, wherever it shows.
    assert (await portal.who_am_i()).citizen_id == by_portal
    consents = [c async for c in portal.list_consents()]
    assert {c.citizen_id for c in consents} == {by_portal}


async def test_each_organisation_finds_its_own_pseudonym_in_its_audit_events(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Planning home care together",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    by_company = (await company.get_case(case.id)).citizen_id
    by_social = (await social.get_case(case.id)).citizen_id

    # (Reading the log is about no one: those events name no citizen.)
    company_saw = {e.subject_citizen_id async for e in company.list_audit_events()} - {""}
    social_saw = {e.subject_citizen_id async for e in social.list_audit_events()} - {""}
    portal_saw = {e.subject_citizen_id async for e in portal.list_audit_events()}

    assert company_saw == {by_company}
    assert by_social in social_saw
    assert by_company not in social_saw
    assert portal_saw == {(await portal.who_am_i()).citizen_id}


async def test_no_leaf_a_caller_is_shown_names_a_citizen_in_clear(parties, store: Store):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    await social.get_case(case.id)
    internal = _internal_id(store).encode()

    shown = [e async for e in social.list_audit_events()]
    shown += [e async for e in portal.list_audit_events()]

    assert shown
    assert all(e.leaf_bytes for e in shown)
    for event in shown:
        assert internal not in event.leaf_bytes
        leaf = json.loads(event.leaf_bytes)
        assert leaf["v"] == 2
        assert not {"subject_citizen_id", "acting_for_citizen_id"} & set(leaf)
    # A proof carries the same leaf: what an organisation may publish links nobody.
    mine = next(e for e in shown if e.organization_id == "helsinki-social" and e.subject_citizen_id)
    proof = await social.get_inclusion_proof(mine.sequence, tree_size=mine.sequence)
    assert proof.leaf_bytes == mine.leaf_bytes


async def test_one_organisation_sees_the_same_pseudonym_over_time_and_after_a_restart(
    database_url, pki, register_org, store: Store
):
    tls = register_org("helsinki-social", OrgKind.PUBLIC)
    seen = []
    for _ in range(2):
        restarted = open_store(database_url)
        broker = Broker(restarted, db_workers=2)
        await broker.start("127.0.0.1:0", ServerTLS.from_pki(pki.root))
        try:
            async with await Client.connect(f"127.0.0.1:{broker.port}", tls=tls) as social:
                case = await social.create_case(CITIZEN, title="Home care", category="home_care")
                seen.append(case.citizen_id)
                seen.append((await social.get_case(case.id)).citizen_id)
        finally:
            await broker.stop(grace=0.5)
            restarted.dispose()

    assert len(set(seen)) == 1
    assert PSEUDONYM.match(seen[0])
