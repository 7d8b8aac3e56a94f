"""Who is asking: the citizen's name and other open inquiries, for the organisation
handling the inquiry only, each read in the citizen's access log; and whether the citizen
wrote since a clerk last answered, in the desk's queue and live.

On a real broker with real certificates.
"""

from __future__ import annotations

import logging

import pytest
from desk_watching import Heard
from desk_world import open_desk

from luukku.client import (
    Client,
    FailedPreconditionError,
    Inquiry,
    InvalidArgumentError,
    PermissionDeniedError,
    Practitioner,
    QueueEntry,
    QueueEntryKind,
)
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
NAME = "Maija Meikäläinen"
KAISA = Practitioner("kuopio-7", "Kaisa Neuvoja", "rural advisor")
IIRIS = Practitioner("iisalmi-1", "Iiris Iisalmelainen", "rural advisor")


@pytest.fixture
async def people(register_org, connect, store) -> dict[str, Client]:
    clients: dict[str, Client] = {
        "kaisa": await connect(register_org("kuopio", OrgKind.PUBLIC), practitioner=KAISA),
        "iiris": await connect(register_org("iisalmi", OrgKind.PUBLIC), practitioner=IIRIS),
        "citizen": await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN),
    }
    open_desk(store, "rural-advice", ("kuopio", "iisalmi"))
    open_desk(store, "forestry", ("kuopio",))
    return clients


async def _ask(citizen: Client, subject: str, *, desk: str = "rural-advice", name: str = NAME):
    return await citizen.create_inquiry(
        desk, topic="farm-subsidies", subject=subject, body=f"{subject}?", citizen_name=name
    )


async def test_the_holder_reads_the_name_and_the_other_open_inquiries(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    forest = await _ask(citizen, "Thinning the forest", desk="forestry")
    closed = await _ask(citizen, "Old question")
    for inquiry in (barn, forest, closed):
        await kaisa.claim_inquiry(inquiry.id)
    await kaisa.close_inquiry(closed.id, outcome="Answered by phone")

    asker = await kaisa.get_inquiry_asker(barn.id)

    # The citizen as this organisation sees them: its own pseudonym, not the portal's.
    seen_by_kaisa = (await kaisa.get_inquiry(barn.id)).citizen_id
    assert (asker.inquiry_id, asker.citizen_id, asker.display_name) == (
        barn.id,
        seen_by_kaisa,
        NAME,
    )
    assert seen_by_kaisa != barn.citizen_id
    assert [i.id for i in asker.other_open_inquiries] == [forest.id]


async def test_every_read_of_the_name_is_in_the_citizens_access_log(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    await kaisa.claim_inquiry(barn.id)

    await kaisa.get_inquiry_asker(barn.id)

    reads = [e async for e in citizen.list_audit_events() if e.action == "inquiry.asker.read"]
    assert [(e.organization_id, e.practitioner, e.outcome.value) for e in reads] == [
        ("kuopio", KAISA, "allowed")
    ]


async def test_a_member_not_handling_the_inquiry_is_refused_until_it_holds_a_case(people):
    kaisa, iiris, citizen = people["kaisa"], people["iiris"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    await kaisa.claim_inquiry(barn.id)

    with pytest.raises(PermissionDeniedError) as refused:
        await iiris.get_inquiry_asker(barn.id)
    assert refused.value.reason == "NOT_INQUIRY_HOLDER"

    await iiris.create_case(CITIZEN, title="Farm support", category="social_work")
    assert (await iiris.get_inquiry_asker(barn.id)).display_name == NAME


async def test_the_citizen_and_other_desks_are_refused_and_an_anonymous_inquiry_has_no_asker(
    people, register_org, connect
):
    kaisa, citizen = people["kaisa"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    await kaisa.claim_inquiry(barn.id)
    outsider = await connect(register_org("savonlinna", OrgKind.PUBLIC))
    anonymous = await kaisa.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="By phone", body="Who asks?"
    )

    for caller in (citizen, outsider):
        with pytest.raises(PermissionDeniedError) as refused:
            await caller.get_inquiry_asker(barn.id)
        assert refused.value.reason == "NOT_DESK_MEMBER"
    with pytest.raises(FailedPreconditionError) as failed:
        await kaisa.get_inquiry_asker(anonymous.id)
    assert failed.value.reason == "INQUIRY_ANONYMOUS"


async def test_the_newest_name_is_kept_and_only_a_citizen_has_one(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    await _ask(citizen, "A barn", name="Maija Virtanen")
    barn = await _ask(citizen, "Another barn", name=NAME)
    unnamed = await _ask(citizen, "A third barn", name="")
    await kaisa.claim_inquiry(barn.id)
    await kaisa.claim_inquiry(unnamed.id)

    assert (await kaisa.get_inquiry_asker(barn.id)).display_name == NAME
    assert (await kaisa.get_inquiry_asker(unnamed.id)).display_name == NAME
    with pytest.raises(InvalidArgumentError) as refused:
        await kaisa.create_inquiry(
            "rural-advice", topic="farm-subsidies", subject="x", body="y", citizen_name=NAME
        )
    assert refused.value.reason == "INVALID_CITIZEN_NAME"
    with pytest.raises(InvalidArgumentError):
        await _ask(citizen, "A fourth barn", name="Maija\nVirtanen")


async def test_the_name_is_never_logged(people, caplog):
    caplog.set_level(logging.DEBUG)
    kaisa, citizen = people["kaisa"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    await kaisa.claim_inquiry(barn.id)
    await kaisa.get_inquiry_asker(barn.id)

    assert caplog.records
    assert [
        r.getMessage() for r in caplog.records if NAME in r.getMessage() + str(r.__dict__)
    ] == []


def _wrote(entry: QueueEntry) -> bool:
    return entry.kind in (QueueEntryKind.CITIZEN_WROTE, QueueEntryKind.ANSWERED)


async def test_the_queue_tells_live_when_the_citizen_wrote_since_the_answer(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    await citizen.post_inquiry_message(barn.id, "And the roof?")  # before any answer: no reply
    await kaisa.claim_inquiry(barn.id)
    queue = Heard(kaisa.watch_queue("rural-advice"))
    await queue.until(lambda seen: any(e.kind is QueueEntryKind.OPEN for e in seen))
    assert not (await kaisa.get_inquiry(barn.id)).citizen_wrote_since_answer

    await kaisa.post_inquiry_message(barn.id, "Yes, the roof too.")
    await citizen.post_inquiry_message(barn.id, "Thank you! And the walls?")
    await queue.until(lambda seen: any(_wrote(e) for e in seen))
    await kaisa.post_inquiry_message(barn.id, "The walls as well.")
    heard = await queue.until(lambda seen: len([e for e in seen if _wrote(e)]) == 2)
    await queue.stop()

    assert [(e.kind, e.organization_id) for e in heard if _wrote(e)] == [
        (QueueEntryKind.CITIZEN_WROTE, "omaportaali"),
        (QueueEntryKind.ANSWERED, "kuopio"),
    ]
    listed: list[Inquiry] = [i async for i in kaisa.list_inquiries()]
    assert [(i.id, i.citizen_wrote_since_answer) for i in listed] == [(barn.id, False)]


async def test_a_reply_to_a_queued_inquiry_is_flagged_for_every_member_offered_it(people):
    kaisa, iiris, citizen = people["kaisa"], people["iiris"], people["citizen"]
    barn = await _ask(citizen, "A barn")
    await kaisa.claim_inquiry(barn.id)
    await kaisa.post_inquiry_message(barn.id, "Iisalmi knows barns best.")
    await kaisa.hand_over_inquiry(barn.id, to_organization_id="iisalmi", note="Barns")
    queue = Heard(iiris.watch_queue("rural-advice"))
    await queue.until(lambda seen: any(e.kind is QueueEntryKind.OPEN for e in seen))

    await citizen.post_inquiry_message(barn.id, "Still there?")

    heard = await queue.until(lambda seen: any(_wrote(e) for e in seen))
    await queue.stop()
    entry = next(e for e in heard if _wrote(e))
    assert (entry.kind, entry.inquiry.id, entry.inquiry.citizen_wrote_since_answer) == (
        QueueEntryKind.CITIZEN_WROTE,
        barn.id,
        True,
    )
