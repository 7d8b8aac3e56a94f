"""The North Savo story on a real broker through the SDK: one counter for a whole region.

Three municipalities run a rural-services advice desk with a rota; a citizen
asks through the portal without naming a region; the member on duty sees it
first in its watched queue, then, once nobody has claimed it within the
overflow time, all three; two clerks race to claim and exactly one wins; the
winner answers and hands it over with a note; the next clerk reads the whole
history and answers; the citizen follows one conversation live, with both
answers and who gave them; the audit log holds every access. And: an inquiry
opens no case, a consent does.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import prometheus_client
import pytest
from desk_watching import Heard
from eventually import WITHIN_S, eventually

from luukku.client import (
    Client,
    FailedPreconditionError,
    Inquiry,
    InquiryStatus,
    InquiryStepKind,
    Message,
    PermissionDeniedError,
    Practitioner,
    QueueEntryKind,
)
from luukku.domain.organizations import OrgKind
from luukku.server import desk_metrics
from luukku.service.desks import admin as desks

CITIZEN = "131052-308T"
MEMBERS = ("kuopio", "iisalmi", "suonenjoki")
OVERFLOW = timedelta(seconds=2)


@pytest.fixture
async def region(register_org, connect, store) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for org in MEMBERS:
        tls = register_org(org, OrgKind.PUBLIC)
        clerk = Practitioner(f"{org}-1", f"Clerk of {org.title()}", "rural advisor")
        clients[org] = await connect(tls, practitioner=clerk)
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    clients["citizen"] = await connect(portal_tls, on_behalf_of=CITIZEN)
    desks.create_desk(
        store,
        "rural-advice",
        name="Rural services advice, North Savo",
        topics=["farm-subsidies", "forestry"],
        overflow=OVERFLOW,
        reopen_within=timedelta(days=14),
    )
    for org in MEMBERS:
        desks.add_member(store, "rural-advice", org)
    week = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    desks.set_rota(store, "rural-advice", "".join(f"{d} 00:00-24:00 suonenjoki\n" for d in week))
    return clients


async def _queue(client: Client) -> list[str]:
    return [i.id async for i in client.list_inquiries(status=InquiryStatus.QUEUED)]


async def test_the_north_savo_story(region: dict[str, Client]):
    citizen = region["citizen"]
    desk = await citizen.get_desk("rural-advice")
    assert desk.on_duty_organization_id == "suonenjoki"
    # Each member's clerks keep the desk's queue open (their "engine room").
    queues = {org: Heard(region[org].watch_queue("rural-advice")) for org in MEMBERS}
    await asyncio.sleep(0.3)

    asked = await citizen.create_inquiry(
        "rural-advice",
        topic="farm-subsidies",
        subject="Support for a new barn",
        body="Can I get support for building a barn for my cows?",
    )
    followed = Heard(citizen.watch_inquiry(asked.id))
    assert asked.municipality == ""
    heard = await queues["suonenjoki"].until(lambda e: len(e) == 1)
    assert [(e.kind, e.inquiry.id) for e in heard] == [(QueueEntryKind.ASKED, asked.id)]
    assert queues["kuopio"].items == []
    assert queues["iisalmi"].items == []
    assert await _queue(region["suonenjoki"]) == [asked.id]
    assert await _queue(region["kuopio"]) == []
    assert await _queue(region["iisalmi"]) == []

    for org in ("kuopio", "iisalmi"):
        heard = await queues[org].until(lambda e: len(e) == 1, within=OVERFLOW.seconds + 3)
        assert [(e.kind, e.inquiry.id) for e in heard] == [(QueueEntryKind.OVERFLOWED, asked.id)]
    for org in MEMBERS:
        assert await _queue(region[org]) == [asked.id]

    results = await asyncio.gather(
        region["kuopio"].claim_inquiry(asked.id),
        region["iisalmi"].claim_inquiry(asked.id),
        return_exceptions=True,
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, FailedPreconditionError)]
    assert len(winners) == 1
    assert [e.reason for e in losers] == ["ALREADY_CLAIMED"]
    first = winners[0].claimed_by_organization_id
    second = "iisalmi" if first == "kuopio" else "kuopio"

    await region[first].post_inquiry_message(asked.id, "Yes: the farm investment support.")
    await region[first].hand_over_inquiry(
        asked.id, to_organization_id=second, note="The farm is in their municipality."
    )
    assert await _queue(region[second]) == [asked.id]
    await region[second].claim_inquiry(asked.id)
    history = (await region[second].get_inquiry(asked.id)).history
    read = [m.body async for m in region[second].list_inquiry_messages(asked.id)]
    assert read == [
        "Can I get support for building a barn for my cows?",
        "Yes: the farm investment support.",
    ]
    await region[second].post_inquiry_message(asked.id, "Apply by 15 May; I will help.")

    # The citizen followed it live: one conversation, both answers, who gave them. The
    # inquiry goes out again after each round of steps, read as it stands then: a round
    # may take several steps at once, and its message may go out before the inquiry does.
    def answered_by_second(events: list[object]) -> bool:
        inquiries = [x for x in events if isinstance(x, Inquiry)]
        messages = [x for x in events if isinstance(x, Message)]
        return len(messages) == 3 and inquiries[-1].claimed_by_organization_id == second

    live = await followed.until(answered_by_second)
    assert [m.body for m in live if isinstance(m, Message)][1:] == [
        "Yes: the farm investment support.",
        "Apply by 15 May; I will help.",
    ]
    inquiries = [x for x in live if isinstance(x, Inquiry)]
    assert inquiries[0].claimed_by_organization_id is None
    claims = [s.organization_id for s in inquiries[-1].history if s.kind is InquiryStepKind.CLAIMED]
    assert claims == [first, second]
    await followed.stop()
    for queue in queues.values():
        await queue.stop()

    mine = await citizen.get_inquiry(asked.id)
    conversation = [
        (m.author_organization_id, m.author.display_name, m.body)
        async for m in citizen.list_inquiry_messages(asked.id)
    ]
    assert conversation == [
        ("omaportaali", "", "Can I get support for building a barn for my cows?"),
        (first, f"Clerk of {first.title()}", "Yes: the farm investment support."),
        (second, f"Clerk of {second.title()}", "Apply by 15 May; I will help."),
    ]
    assert [(s.kind, s.organization_id) for s in mine.history] == [
        (InquiryStepKind.ASKED, "omaportaali"),
        (InquiryStepKind.CLAIMED, first),
        (InquiryStepKind.HANDED_OVER, first),
        (InquiryStepKind.CLAIMED, second),
    ]
    # The hand-over's note was for the next clerk: the citizen is told only of the hand-over.
    assert [s.note for s in history] == ["", "", "The farm is in their municipality.", ""]
    assert [s.note for s in mine.history] == ["", "", "", ""]
    assert [replace(s, note="") for s in history] == list(mine.history)
    assert mine.history[3].practitioner.display_name == f"Clerk of {second.title()}"

    logged = [e async for e in citizen.list_audit_events()]
    about = [e for e in logged if e.resource in ("inquiries", f"inquiries/{asked.id}")]
    assert {e.organization_id for e in about} == {"omaportaali", *MEMBERS}
    assert {e.action for e in about} >= {
        "inquiry.create",
        "inquiry.list",
        "inquiry.claim",
        "inquiry.hand_over",
        "inquiry.read",
        "inquiry_message.post",
        "inquiry_message.list",
        "inquiry.watch",
    }
    assert [e.outcome for e in about if e.action == "inquiry.claim"].count("denied") == 1

    metrics = prometheus_client.generate_latest().decode()
    waited = f'luukku_desk_claim_wait_seconds_count{{desk="rural-advice",member="{first}"}}'
    assert waited in metrics
    assert 'luukku_desk_handovers_total{desk="rural-advice"}' in metrics
    answered = f'luukku_desk_answer_wait_seconds_count{{desk="rural-advice",member="{first}"}}'
    assert answered in metrics
    # The queue lengths are read from the database every few seconds.
    await eventually(
        lambda: (
            prometheus_client.REGISTRY.get_sample_value(
                "luukku_desk_queue_length", {"desk": "rural-advice"}
            )
            == 0.0
        ),
        within=desk_metrics.QUEUE_SECONDS + WITHIN_S,
        what="no queue length of the desk",
    )


async def test_an_inquiry_opens_no_case_until_the_citizen_grants_a_consent(
    region: dict[str, Client], register_org, connect
):
    owner = await connect(register_org("vantaa-social", OrgKind.PUBLIC))
    case = await owner.create_case(CITIZEN, title="Farm relief service", category="social_work")
    await owner.create_record(case.id, kind="note", text="Relief worker twice a month.")
    citizen, clerk = region["citizen"], region["suonenjoki"]
    asked = await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="Relief", body="Who pays my relief?"
    )
    await clerk.claim_inquiry(asked.id)

    with pytest.raises(PermissionDeniedError) as refused:
        [r async for r in clerk.list_records(case.id)]
    assert refused.value.reason == "CONSENT_REQUIRED"
    with pytest.raises(PermissionDeniedError) as refused:
        await clerk.link_inquiry_case(asked.id, case.id)
    assert refused.value.reason == "CONSENT_REQUIRED"

    await citizen.grant_consent(
        "suonenjoki",
        case_id=case.id,
        permissions=["read"],
        purpose=f"Inquiry: {asked.subject}",
        valid_until=datetime.now(UTC) + timedelta(days=30),
    )
    assert [r.text async for r in clerk.list_records(case.id)] == ["Relief worker twice a month."]
    assert (await clerk.link_inquiry_case(asked.id, case.id)).case_id == case.id


async def test_an_anonymous_phone_inquiry_carries_no_identity(region: dict[str, Client]):
    clerk = region["kuopio"]
    noted = await clerk.create_inquiry(
        "rural-advice",
        topic="forestry",
        channel="phone",
        municipality="Kuopio",
        subject="A caller asked about thinning",
        body="Which permits are needed to thin a private forest?",
    )
    await asyncio.sleep(OVERFLOW.total_seconds() + 0.2)
    await clerk.claim_inquiry(noted.id)
    await clerk.post_inquiry_message(noted.id, "A forest use declaration; told by phone.")
    closed = await clerk.close_inquiry(noted.id, outcome="Answered by phone.")

    assert closed.citizen_id is None
    assert closed.status is InquiryStatus.CLOSED
    with pytest.raises(PermissionDeniedError):
        await region["citizen"].get_inquiry(noted.id)
    assert [i.id async for i in region["citizen"].list_inquiries()] == []
