"""Cases and their append-only records, end to end through the SDK over mutual TLS."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from luukku.client import (
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    TLSConfig,
)
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
DENIED = "denied"


def _in_90_days() -> datetime:
    return datetime.now(UTC) + timedelta(days=90)


# Writing and reading records --------------------------------------------------------------


async def test_a_revised_record_reads_as_its_correction_and_the_original_stays_readable(parties):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care assessment", category="home_care")

    first = await social.create_record(
        case.id, kind="assessment", text="Needs help once a day.", data={"visits_per_day": 1}
    )
    assert (first.case_id, first.revision, first.kind) == (case.id, 1, "assessment")
    assert first.author_organization_id == "helsinki-social"
    assert first.author.display_name == "Sanna Sosiaalityöntekijä"

    second = await social.revise_record(
        case.id, first.record_id, text="Needs help twice a day.", data={"visits_per_day": 2}
    )
    assert (second.record_id, second.revision, second.kind) == (first.record_id, 2, "assessment")

    latest = await social.get_record(case.id, first.record_id)
    assert (latest.revision, latest.text) == (2, "Needs help twice a day.")
    assert dict(latest.data) == {"visits_per_day": 2}

    original = await social.get_record(case.id, first.record_id, revision=1)
    assert (original.revision, original.text) == (1, "Needs help once a day.")
    assert dict(original.data) == {"visits_per_day": 1}

    with pytest.raises(NotFoundError) as missing:
        await social.get_record(case.id, first.record_id, revision=3)
    assert missing.value.reason == "RECORD_NOT_FOUND"


async def test_records_list_as_latest_revisions_in_creation_order_one_page_at_a_time(parties):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    written = [
        await social.create_record(case.id, kind="note", text=f"entry {i}") for i in range(5)
    ]
    await social.revise_record(case.id, written[1].record_id, text="entry 1, corrected")

    listed = [r async for r in social.list_records(case.id, page_size=2)]

    assert [r.record_id for r in listed] == [r.record_id for r in written]
    assert [(r.text, r.revision) for r in listed] == [
        ("entry 0", 1),
        ("entry 1, corrected", 2),
        ("entry 2", 1),
        ("entry 3", 1),
        ("entry 4", 1),
    ]
    # Five records two at a time: the SDK fetched three pages, each an audited read.
    events = [e async for e in social.list_audit_events()]
    assert [e.action for e in events].count("record.list") == 3


async def test_a_records_revisions_list_newest_first_a_page_per_call_each_call_audited_once(
    parties,
):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    first = await social.create_record(case.id, kind="care-plan", text="Visits: 1 a day.")
    for n in range(2, 6):
        await social.revise_record(case.id, first.record_id, text=f"Visits: {n} a day.")

    history = [r async for r in portal.list_record_revisions(case.id, first.record_id, page_size=2)]

    assert [(r.revision, r.text) for r in history] == [
        (n, f"Visits: {n} a day.") for n in range(5, 0, -1)
    ]
    assert {r.record_id for r in history} == {first.record_id}
    # Five revisions two at a time: three calls, each one audited read about the citizen.
    seen = [e async for e in portal.list_audit_events() if e.action == "record.revisions"]
    assert len(seen) == 3
    assert all(e.outcome == "allowed" and e.reason == "SELF" for e in seen)


async def test_a_records_revisions_are_refused_without_consent_and_unknown_records_not_found(
    parties,
):
    social, company, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    record = await social.create_record(case.id, kind="note", text="Needs help.")

    with pytest.raises(PermissionDeniedError) as refused:
        await anext(aiter(company.list_record_revisions(case.id, record.record_id)))
    assert refused.value.reason == "CONSENT_REQUIRED"
    # Permission before existence: the same refusal for a record that does not exist.
    with pytest.raises(PermissionDeniedError) as refused_unknown:
        await anext(aiter(company.list_record_revisions(case.id, uuid.uuid4().hex)))
    assert refused_unknown.value.reason == "CONSENT_REQUIRED"
    with pytest.raises(NotFoundError) as missing:
        await anext(aiter(social.list_record_revisions(case.id, uuid.uuid4().hex)))
    assert missing.value.reason == "RECORD_NOT_FOUND"
    with pytest.raises(InvalidArgumentError) as malformed:
        await anext(aiter(social.list_record_revisions(case.id, "not-an-id")))
    assert malformed.value.reason == "INVALID_ID"
    with pytest.raises(InvalidArgumentError) as negative:
        await anext(aiter(social.list_record_revisions(case.id, record.record_id, page_size=-1)))
    assert negative.value.reason == "INVALID_PAGE_SIZE"


async def test_a_closed_case_refuses_new_records_but_stays_readable(parties):
    social, _, portal = parties
    case = await social.create_case(CITIZEN, title="Housing support", category="housing")
    entry = await social.create_record(case.id, kind="decision", text="Support granted.")

    closed = await social.close_case(case.id)
    assert closed.status == "closed"
    assert closed.close_time is not None

    with pytest.raises(FailedPreconditionError) as refused:
        await social.create_record(case.id, kind="note", text="One more thing.")
    assert refused.value.reason == "CASE_CLOSED"
    with pytest.raises(FailedPreconditionError) as refused_revision:
        await social.revise_record(case.id, entry.record_id, text="Support denied.")
    assert refused_revision.value.reason == "CASE_CLOSED"

    assert (await social.get_case(case.id)).status == "closed"
    assert (await social.get_record(case.id, entry.record_id)).text == "Support granted."
    assert [r.text async for r in social.list_records(case.id)] == ["Support granted."]
    # The citizen still sees the closed case too.
    assert (await portal.get_case(case.id)).status == "closed"


async def test_only_the_owner_may_close_a_case_even_against_a_write_consent(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read", "write"],
        purpose="Home care visits",
        valid_until=_in_90_days(),
    )

    with pytest.raises(PermissionDeniedError) as refused:
        await company.close_case(case.id)
    assert refused.value.reason == "OWNER_ONLY"
    assert (await social.get_case(case.id)).status == "open"
    # The refusal is what the audit log says happened, too.
    (attempt,) = [e async for e in company.list_audit_events() if e.action == "case.close"]
    assert (attempt.outcome, attempt.reason) == (DENIED, "OWNER_ONLY")

    # The citizen cannot close it either.
    with pytest.raises(PermissionDeniedError):
        await portal.close_case(case.id)
    assert (await social.get_case(case.id)).status == "open"


# Consents and records --------------------------------------------------------------------


async def test_a_write_consent_lets_another_organisation_append_and_revise_records(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read", "write"],
        purpose="Home care visits",
        valid_until=_in_90_days(),
    )

    visit = await company.create_record(case.id, kind="visit", text="Visited at 9:00.")
    assert visit.author_organization_id == "hoiva-oy"
    assert visit.author.display_name == "Niko Nurse"
    fixed = await company.revise_record(case.id, visit.record_id, text="Visited at 9:30.")
    assert fixed.revision == 2

    # The owner sees the company's entry in its case.
    seen = [(r.author_organization_id, r.text) async for r in social.list_records(case.id)]
    assert seen == [("hoiva-oy", "Visited at 9:30.")]


async def test_a_read_only_consent_does_not_let_its_holder_write(parties):
    social, company, portal = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="care-plan", text="Two visits a day.")
    await portal.grant_consent(
        "hoiva-oy",
        case_id=case.id,
        permissions=["read"],
        purpose="Home care visits",
        valid_until=_in_90_days(),
    )

    assert (await company.get_record(case.id, entry.record_id)).text == "Two visits a day."
    with pytest.raises(PermissionDeniedError) as refused:
        await company.create_record(case.id, kind="visit", text="Visited.")
    assert refused.value.reason == "PERMISSION_NOT_GRANTED"
    with pytest.raises(PermissionDeniedError) as refused_revision:
        await company.revise_record(case.id, entry.record_id, text="One visit a day.")
    assert refused_revision.value.reason == "PERMISSION_NOT_GRANTED"
    assert [r.text async for r in social.list_records(case.id)] == ["Two visits a day."]


async def test_a_home_care_consent_covers_the_citizens_home_care_cases_even_later_ones_only(
    parties,
):
    social, company, portal = parties
    home_care = await social.create_case(CITIZEN, title="Home care", category="home_care")
    health = await social.create_case(CITIZEN, title="Diabetes", category="health")
    someone_elses = await social.create_case(OTHER_CITIZEN, title="Home care", category="home_care")
    await portal.grant_consent(
        "hoiva-oy",
        category="home_care",
        permissions=["read"],
        purpose="All my home care",
        valid_until=_in_90_days(),
    )
    later = await social.create_case(CITIZEN, title="Home care, new period", category="home_care")

    assert (await company.get_case(home_care.id)).id == home_care.id
    assert (await company.get_case(later.id)).id == later.id
    for refused_case in (health, someone_elses):
        with pytest.raises(PermissionDeniedError) as refused:
            await company.get_case(refused_case.id)
        assert refused.value.reason == "CONSENT_REQUIRED"

    visible = {c.id async for c in company.list_cases()}
    assert visible == {home_care.id, later.id}


# Bad input ---------------------------------------------------------------------------------


async def test_a_record_with_neither_text_nor_data_is_refused_as_empty(parties):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    with pytest.raises(InvalidArgumentError) as refused:
        await social.create_record(case.id, kind="note", text="")
    assert refused.value.reason == "EMPTY_RECORD"
    assert [v.field for v in refused.value.field_violations] == ["text"]
    assert [r async for r in social.list_records(case.id)] == []


async def test_a_record_text_over_64_kib_is_refused_as_too_large(parties):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    with pytest.raises(InvalidArgumentError) as refused:
        await social.create_record(case.id, kind="note", text="x" * (64 * 1024 + 1))
    assert refused.value.reason == "RECORD_TOO_LARGE"
    assert [v.field for v in refused.value.field_violations] == ["text"]
    # Exactly 64 KiB is within the limit.
    fits = await social.create_record(case.id, kind="note", text="x" * (64 * 1024))
    assert len(fits.text) == 64 * 1024


async def test_a_malformed_case_id_is_refused_as_invalid(parties):
    social, _, _ = parties
    calls = [
        social.get_case("../cases"),
        social.create_record("not-an-id", kind="note", text="Hello."),
        social.get_record("ABCDEF", uuid.uuid4().hex),
    ]
    for call in calls:
        with pytest.raises(InvalidArgumentError) as refused:
            await call
        assert refused.value.reason == "INVALID_ID"
        assert [v.field for v in refused.value.field_violations] == ["case_id"]


async def test_an_invalid_identity_code_is_refused_without_being_repeated_back(parties):
    social, _, _ = parties
    wrong_check_character = "131052-308U"

    with pytest.raises(InvalidArgumentError) as refused:
        await social.create_case(wrong_check_character, title="Home care", category="home_care")

    assert refused.value.reason == "INVALID_IDENTITY_CODE"
    assert [v.field for v in refused.value.field_violations] == ["identity_code"]
    shown = [str(refused.value), refused.value.message]
    shown += [v.description for v in refused.value.field_violations]
    assert not any("131052" in text for text in shown)


async def test_a_portal_may_not_open_a_case(parties, connect, pki, store):
    _, _, portal = parties
    portal_itself = await connect(TLSConfig.from_pki_dir(pki.root, "omaportaali"))
    stranger = "010190-900P"  # never seen by the broker before

    for client in (portal, portal_itself):
        with pytest.raises(PermissionDeniedError) as refused:
            await client.create_case(stranger, title="My own case", category="home_care")
        assert refused.value.reason == "ORG_KIND_NOT_ALLOWED"
    # A refused create registers nobody as a side effect.
    with store.transaction() as tx:
        assert tx.citizens.find(stranger) is None
    assert [c async for c in portal.list_cases()] == []


# Permission before existence ---------------------------------------------------------------


async def test_an_outsider_is_refused_alike_whether_or_not_the_case_exists(parties):
    social, company, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    entry = await social.create_record(case.id, kind="note", text="Private.")
    missing_case = uuid.uuid4().hex

    def calls(case_id: str, record_id: str):
        return {
            "get_case": lambda: company.get_case(case_id),
            "get_record": lambda: company.get_record(case_id, record_id),
            "list_records": lambda: anext(aiter(company.list_records(case_id))),
            "create_record": lambda: company.create_record(case_id, kind="note", text="Hi."),
            "close_case": lambda: company.close_case(case_id),
        }

    existing_calls = calls(case.id, entry.record_id)
    missing_calls = calls(missing_case, uuid.uuid4().hex)
    for name in existing_calls:
        with pytest.raises(PermissionDeniedError) as on_existing:
            await existing_calls[name]()
        with pytest.raises(PermissionDeniedError) as on_missing:
            await missing_calls[name]()
        assert on_existing.value.reason == on_missing.value.reason == "CONSENT_REQUIRED", name
        assert on_existing.value.message == on_missing.value.message, name


async def test_a_citizen_is_refused_alike_for_a_missing_case_and_another_citizens_case(
    parties, register_org, connect
):
    social, _, _ = parties
    other_portal = await connect(
        register_org("toinenportaali", OrgKind.PORTAL), on_behalf_of=OTHER_CITIZEN
    )
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    with pytest.raises(PermissionDeniedError) as on_existing:
        await other_portal.get_case(case.id)
    with pytest.raises(PermissionDeniedError) as on_missing:
        await other_portal.get_case(uuid.uuid4().hex)
    assert on_existing.value.reason == on_missing.value.reason == "NOT_CASE_CITIZEN"
    assert on_existing.value.message == on_missing.value.message


# Idempotent creates ------------------------------------------------------------------------


async def test_a_retried_create_case_returns_the_first_case_and_opens_no_second(parties):
    social, _, _ = parties

    first = await social.create_case(
        CITIZEN, title="Home care", category="home_care", request_id="case-req-1"
    )
    retried = await social.create_case(
        CITIZEN, title="Home care", category="home_care", request_id="case-req-1"
    )

    assert retried.id == first.id
    assert retried.create_time == first.create_time
    assert [c.id async for c in social.list_cases(identity_code=CITIZEN)] == [first.id]


async def test_a_retried_create_record_returns_the_first_record_and_writes_no_second(parties):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    first = await social.create_record(case.id, kind="note", text="Hello.", request_id="rec-1")
    retried = await social.create_record(case.id, kind="note", text="Hello.", request_id="rec-1")

    assert (retried.record_id, retried.revision) == (first.record_id, 1)
    assert [r.record_id async for r in social.list_records(case.id)] == [first.record_id]


async def test_concurrent_retries_of_one_create_record_write_exactly_one_record(parties):
    social, _, _ = parties
    case = await social.create_case(CITIZEN, title="Home care", category="home_care")

    results = await asyncio.gather(
        *(
            social.create_record(case.id, kind="note", text="Once.", request_id="same-request")
            for _ in range(5)
        )
    )

    assert len({r.record_id for r in results}) == 1
    assert [r.record_id async for r in social.list_records(case.id)] == [results[0].record_id]


async def test_concurrent_retries_of_one_create_case_open_exactly_one_case(parties):
    social, _, _ = parties

    results = await asyncio.gather(
        *(
            social.create_case(
                CITIZEN, title="Home care", category="home_care", request_id="same-case"
            )
            for _ in range(5)
        )
    )

    assert len({c.id for c in results}) == 1
    assert [c.id async for c in social.list_cases()] == [results[0].id]


async def test_a_request_id_reused_on_another_case_is_refused_and_returns_nothing_of_the_first(
    parties,
):
    social, _, _ = parties
    first_case = await social.create_case(CITIZEN, title="Home care", category="home_care")
    other_case = await social.create_case(CITIZEN, title="Meals", category="home_care")
    await social.create_record(first_case.id, kind="note", text="First case.", request_id="r-1")

    with pytest.raises(InvalidArgumentError) as err:
        await social.create_record(other_case.id, kind="note", text="Other.", request_id="r-1")

    assert err.value.reason == "REQUEST_ID_REUSED"
    assert [v.field for v in err.value.field_violations] == ["request_id"]
    assert "First case." not in str(err.value)
    assert [r async for r in social.list_records(other_case.id)] == []
