"""A clerk holding an inquiry asks its citizen for a consent; the citizen answers.

On a real broker with real certificates: the clerk of the member that claimed
the inquiry asks to read one of the citizen's cases, the portal acting for the
citizen lists and approves the request, and the clerk then reads the case's
records; a declined request leaves the case closed to the clerk. Nobody else
may ask, and a case of another citizen cannot be asked for. The inquiry's
watch carries the request and its answer, live, to the two parties only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from desk_watching import Heard
from desk_world import open_desk

from luukku.client import (
    Client,
    ConsentRequest,
    FailedPreconditionError,
    Inquiry,
    InvalidArgumentError,
    Message,
    PermissionDeniedError,
    Practitioner,
)
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
KAISA = Practitioner("kuopio-7", "Kaisa Neuvoja", "rural advisor")
PURPOSE = "To see the barn's earlier subsidy decision."


@pytest.fixture
async def people(register_org, connect, store) -> dict[str, Client]:
    clients: dict[str, Client] = {
        "kaisa": await connect(register_org("kuopio", OrgKind.PUBLIC), practitioner=KAISA),
        "iiris": await connect(register_org("iisalmi", OrgKind.PUBLIC)),
        "owner": await connect(register_org("maaseutu", OrgKind.PUBLIC)),
    }
    portal = register_org("omaportaali", OrgKind.PORTAL)
    clients["citizen"] = await connect(portal, on_behalf_of=CITIZEN)
    clients["other"] = await connect(portal, on_behalf_of=OTHER_CITIZEN)
    open_desk(store, "rural-advice", ("kuopio", "iisalmi"), name="Rural advice")
    return clients


async def _claimed(people: dict[str, Client]) -> Inquiry:
    asked = await people["citizen"].create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="A barn", body="Support for a barn?"
    )
    return await people["kaisa"].claim_inquiry(asked.id)


async def _ask(people: dict[str, Client], case_id: str, **more) -> ConsentRequest:
    inquiry = await _claimed(people)
    return await people["kaisa"].create_consent_request(
        inquiry.id,
        case_id=case_id,
        permissions=["read"],
        purpose=PURPOSE,
        valid_until=datetime.now(UTC) + timedelta(days=90),
        **more,
    )


async def _subsidy_case(people: dict[str, Client], citizen: str = CITIZEN) -> str:
    owner = people["owner"]
    case = await owner.create_case(citizen, title="Barn subsidy", category="social_work")
    await owner.create_record(case.id, kind="decision", text="Granted 2024.")
    return case.id


async def test_the_citizen_approves_and_the_clerk_reads_the_case(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    case_id = await _subsidy_case(people)
    asked = await _ask(people, case_id)

    listed = [r async for r in citizen.list_consent_requests()]
    assert [(r.id, r.state, r.purpose, r.practitioner) for r in listed] == [
        (asked.id, "pending", PURPOSE, KAISA)
    ]
    answered = await citizen.answer_consent_request(asked.id, approve=True)

    assert answered.state == "approved"
    assert answered.consent_id is not None
    consent = await citizen.get_consent(answered.consent_id)
    assert (consent.organization_id, consent.case_id, consent.permissions, consent.purpose) == (
        "kuopio",
        case_id,
        frozenset({"read"}),
        PURPOSE,
    )
    assert (consent.valid_from, consent.valid_until) == (asked.valid_from, asked.valid_until)
    assert [r.text async for r in kaisa.list_records(case_id)] == ["Granted 2024."]
    assert (await kaisa.get_consent_request(asked.id)).state == "approved"


async def test_the_request_and_its_answer_reach_the_clerk_and_the_citizen_live(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    case_id = await _subsidy_case(people)
    inquiry = await _claimed(people)
    heard = {
        who: Heard(people[who].watch_inquiry(inquiry.id, with_consent_requests=True))
        for who in ("kaisa", "iiris", "citizen")
    }
    for watch in heard.values():
        await watch.until(lambda seen: any(isinstance(e, Inquiry) for e in seen))

    asked = await kaisa.create_consent_request(
        inquiry.id,
        case_id=case_id,
        permissions=["read"],
        purpose=PURPOSE,
        valid_until=datetime.now(UTC) + timedelta(days=90),
    )
    for who in ("kaisa", "citizen"):
        await heard[who].until(lambda seen: _requests(seen) == [(asked.id, "pending")])
    await citizen.answer_consent_request(asked.id, approve=True)
    await kaisa.post_inquiry_message(inquiry.id, "Thank you, I can see the decision now.")

    for who in ("kaisa", "citizen"):
        await heard[who].until(
            lambda seen: _requests(seen) == [(asked.id, "pending"), (asked.id, "approved")]
        )
    # The other member's clerk hears the conversation, never the request (not its party).
    colleague = await heard["iiris"].until(
        lambda seen: any(isinstance(e, Message) and e.body.startswith("Thank") for e in seen)
    )
    for watch in heard.values():
        await watch.stop()
    assert _requests(colleague) == []


def _requests(seen: list[object]) -> list[tuple[str, str]]:
    return [(e.id, e.state) for e in seen if isinstance(e, ConsentRequest)]


async def test_a_declined_request_leaves_the_case_closed_to_the_clerk(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    case_id = await _subsidy_case(people)
    asked = await _ask(people, case_id)

    answered = await citizen.answer_consent_request(asked.id, approve=False)

    assert (answered.state, answered.consent_id) == ("declined", None)
    with pytest.raises(PermissionDeniedError) as reading:
        [r async for r in kaisa.list_records(case_id)]
    assert reading.value.reason == "CONSENT_REQUIRED"
    with pytest.raises(FailedPreconditionError) as changing:
        await citizen.answer_consent_request(asked.id, approve=True)
    assert changing.value.reason == "CONSENT_REQUEST_ANSWERED"


async def test_an_answer_given_twice_grants_one_consent(people):
    citizen = people["citizen"]
    asked = await _ask(people, await _subsidy_case(people))

    first = await citizen.answer_consent_request(asked.id, approve=True)
    again = await citizen.answer_consent_request(asked.id, approve=True)

    assert again == first
    assert [c.id async for c in citizen.list_consents()] == [first.consent_id]


async def test_a_retried_request_is_made_once(people):
    kaisa = people["kaisa"]
    case_id = await _subsidy_case(people)
    inquiry = await _claimed(people)
    until = datetime.now(UTC) + timedelta(days=30)

    made = [
        await kaisa.create_consent_request(
            inquiry.id,
            case_id=case_id,
            permissions=["read"],
            purpose=PURPOSE,
            valid_until=until,
            request_id="ask-1",
        )
        for _ in range(2)
    ]

    assert made[0] == made[1]
    assert [r.id async for r in kaisa.list_consent_requests(inquiry_id=inquiry.id)] == [made[0].id]


async def test_a_case_of_another_citizen_cannot_be_asked_for(people):
    case_id = await _subsidy_case(people, OTHER_CITIZEN)

    with pytest.raises(FailedPreconditionError) as refused:
        await _ask(people, case_id)

    assert refused.value.reason == "CASE_NOT_INQUIRY_CITIZENS"
    assert [r async for r in people["other"].list_consent_requests()] == []


async def test_only_the_organisation_holding_the_inquiry_may_ask(people):
    case_id = await _subsidy_case(people)
    inquiry = await _claimed(people)

    for asker in ("iiris", "citizen"):
        with pytest.raises(PermissionDeniedError) as refused:
            await people[asker].create_consent_request(
                inquiry.id,
                case_id=case_id,
                permissions=["read"],
                purpose=PURPOSE,
                valid_until=datetime.now(UTC) + timedelta(days=30),
            )
        assert refused.value.reason == "NOT_INQUIRY_HOLDER"


async def test_only_the_citizen_asked_answers_and_sees_the_request(people):
    asked = await _ask(people, await _subsidy_case(people))

    with pytest.raises(PermissionDeniedError) as by_the_clerk:
        await people["kaisa"].answer_consent_request(asked.id, approve=True)
    with pytest.raises(PermissionDeniedError) as by_another:
        await people["other"].get_consent_request(asked.id)
    with pytest.raises(PermissionDeniedError) as by_a_colleague:
        await people["iiris"].get_consent_request(asked.id)

    assert by_the_clerk.value.reason == "CITIZEN_ONLY"
    assert by_another.value.reason == by_a_colleague.value.reason == "NOT_CONSENT_REQUEST_PARTY"


async def test_a_period_longer_than_a_year_is_refused(people):
    case_id = await _subsidy_case(people)

    with pytest.raises(InvalidArgumentError) as refused:
        await people["kaisa"].create_consent_request(
            "0" * 32,
            case_id=case_id,
            permissions=["read"],
            purpose=PURPOSE,
            valid_until=datetime.now(UTC) + timedelta(days=400),
        )

    assert refused.value.reason == "INVALID_VALIDITY"
