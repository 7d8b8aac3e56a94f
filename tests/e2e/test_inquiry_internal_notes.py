"""Internal notes on an inquiry reach its desk's members and never its citizen.

On a real broker with real certificates: a clerk writes a note, a colleague of
another member reads it (listed and live), the citizen is refused however they
ask and their watch carries no note, and a desk the inquiry has left loses it.
"""

from __future__ import annotations

import pytest
from desk_watching import Heard
from desk_world import open_desk

from luukku.client import (
    Client,
    Inquiry,
    InquiryNote,
    Message,
    PermissionDeniedError,
    Practitioner,
)
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
KAISA = Practitioner("kuopio-7", "Kaisa Neuvoja", "rural advisor")
IIRIS = Practitioner("iisalmi-1", "Iiris Iisalmelainen", "rural advisor")
NOTE = "Asked about the same barn last spring; see the closed inquiry."


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


async def _asked(citizen: Client) -> Inquiry:
    return await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="A barn", body="Support for a barn?"
    )


async def test_a_colleague_of_another_member_reads_the_note_live_and_listed(people):
    kaisa, iiris, citizen = people["kaisa"], people["iiris"], people["citizen"]
    asked = await _asked(citizen)
    colleague = Heard(iiris.watch_inquiry(asked.id, with_notes=True))
    await colleague.until(lambda seen: any(isinstance(e, Inquiry) for e in seen))

    note = await kaisa.add_inquiry_note(asked.id, NOTE, request_id="note-1")

    assert (note.body, note.practitioner, note.organization_id, note.sequence) == (
        NOTE,
        KAISA,
        "kuopio",
        1,
    )
    heard = await colleague.until(lambda seen: any(isinstance(e, InquiryNote) for e in seen))
    await colleague.stop()
    assert [e for e in heard if isinstance(e, InquiryNote)] == [note]
    assert [n async for n in iiris.list_inquiry_notes(asked.id)] == [note]


async def test_a_retried_note_is_written_once(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    asked = await _asked(citizen)

    first = await kaisa.add_inquiry_note(asked.id, NOTE, request_id="note-1")
    again = await kaisa.add_inquiry_note(asked.id, NOTE, request_id="note-1")

    assert again == first
    assert [n.body async for n in kaisa.list_inquiry_notes(asked.id)] == [NOTE]


async def test_the_citizen_never_receives_an_internal_note(people):
    kaisa, citizen = people["kaisa"], people["citizen"]
    asked = await _asked(citizen)
    followed = Heard(citizen.watch_inquiry(asked.id, with_notes=True))
    await followed.until(lambda seen: any(isinstance(e, Inquiry) for e in seen))
    await kaisa.add_inquiry_note(asked.id, NOTE)
    await kaisa.claim_inquiry(asked.id)
    await kaisa.post_inquiry_message(asked.id, "We will look into it.")

    heard = await followed.until(
        lambda seen: any(isinstance(e, Message) and e.body.startswith("We will") for e in seen)
    )
    await followed.stop()
    assert not any(isinstance(e, InquiryNote) or NOTE in repr(e) for e in heard)
    with pytest.raises(PermissionDeniedError) as listing:
        [n async for n in citizen.list_inquiry_notes(asked.id)]
    with pytest.raises(PermissionDeniedError) as writing:
        await citizen.add_inquiry_note(asked.id, "Let me in.")
    assert listing.value.reason == writing.value.reason == "NOT_DESK_MEMBER"


async def test_a_desk_the_inquiry_has_left_no_longer_reads_its_notes(people):
    kaisa, iiris, citizen = people["kaisa"], people["iiris"], people["citizen"]
    asked = await _asked(citizen)
    await iiris.add_inquiry_note(asked.id, NOTE)
    await kaisa.claim_inquiry(asked.id)

    await kaisa.hand_over_inquiry(asked.id, to_desk_id="forestry", note="Forestry's.")

    assert [n.body async for n in kaisa.list_inquiry_notes(asked.id)] == [NOTE]
    with pytest.raises(PermissionDeniedError):
        [n async for n in iiris.list_inquiry_notes(asked.id)]
