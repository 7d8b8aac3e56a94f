"""What clerks write on an inquiry's steps stays with the desk, on a real broker with real certs.

A hand-over's note and a closing's outcome are for the desk's members; the
citizen (the portal acting for them) receives what happened and the public
note the clerk wrote for them, never the internal note: from every call that
returns the inquiry, and from its live watch.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from desk_watching import Heard
from desk_world import open_desk

from luukku.client import Client, Inquiry, InquiryStatus, InquiryStepKind, Practitioner
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
INTERNAL = "Difficult customer: call in the morning, not after 14."
PUBLIC = "Iisalmi knows the farm subsidies of your area."
OUTCOME = "Phoned; subsidy unlikely, told them so."
TOLD = "We answered you by phone."


@pytest.fixture
async def people(register_org, connect, store) -> dict[str, Client]:
    clients: dict[str, Client] = {}
    for org in ("kuopio", "iisalmi"):
        clerk = Practitioner(f"{org}-1", f"Clerk of {org.title()}", "rural advisor")
        clients[org] = await connect(register_org(org, OrgKind.PUBLIC), practitioner=clerk)
    portal_tls = register_org("omaportaali", OrgKind.PORTAL)
    clients["citizen"] = await connect(portal_tls, on_behalf_of=CITIZEN)
    open_desk(
        store,
        "rural-advice",
        ("kuopio", "iisalmi"),
        name="Maaseutuneuvonta, Pohjois-Savo",
        overflow=timedelta(minutes=10),
    )
    return clients


def _notes(inquiry: Inquiry) -> tuple[str, list[tuple[str, str]]]:
    """The closing outcome, and each hand-over's and closing's note and public note."""
    noted = (InquiryStepKind.HANDED_OVER, InquiryStepKind.CLOSED)
    return inquiry.outcome, [(s.note, s.public_note) for s in inquiry.history if s.kind in noted]


async def test_a_citizen_never_receives_an_internal_note_and_a_member_does(people):
    citizen, kuopio, iisalmi = people["citizen"], people["kuopio"], people["iisalmi"]
    asked = await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="A barn", body="Support for a barn?"
    )
    followed = Heard(citizen.watch_inquiry(asked.id))
    await kuopio.claim_inquiry(asked.id)
    handed = await kuopio.hand_over_inquiry(
        asked.id, to_organization_id="iisalmi", note=INTERNAL, public_note=PUBLIC
    )
    await iisalmi.claim_inquiry(asked.id)
    closed = await iisalmi.close_inquiry(asked.id, outcome=OUTCOME, public_note=TOLD)

    member_sees = (OUTCOME, [(INTERNAL, PUBLIC), (OUTCOME, TOLD)])
    citizen_sees = ("", [("", PUBLIC), ("", TOLD)])
    assert _notes(handed)[1] == member_sees[1][:1]
    assert _notes(closed) == member_sees
    assert _notes(await kuopio.get_inquiry(asked.id)) == member_sees
    assert _notes(await citizen.get_inquiry(asked.id)) == citizen_sees
    assert [_notes(i) async for i in citizen.list_inquiries()] == [citizen_sees]
    live = await followed.until(
        lambda events: any(
            isinstance(e, Inquiry) and e.status is InquiryStatus.CLOSED for e in events
        )
    )
    await followed.stop()
    watched = [repr(e) for e in live if isinstance(e, Inquiry)]
    assert len(watched) >= 2
    assert [w for w in watched if INTERNAL in w or OUTCOME in w] == []
    reopened = await citizen.reopen_inquiry(asked.id)
    assert _notes(reopened) == citizen_sees
