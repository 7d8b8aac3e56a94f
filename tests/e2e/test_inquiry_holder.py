"""A colleague sees who holds an inquiry, by name and role, without reading its history.

On a real broker with real certificates: the claimant's practitioner travels
with the inquiry (GetInquiry, ListInquiries) and with each queue entry, goes
when the inquiry returns to the queue, and names who closed it.
"""

from __future__ import annotations

import pytest
from desk_watching import Heard
from desk_world import open_desk

from luukku.client import Client, Practitioner, QueueEntry, QueueEntryKind
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"
KAISA = Practitioner("kuopio-7", "Kaisa Neuvoja", "rural advisor")
OLLI = Practitioner("kuopio-8", "Olli Oikola", "senior advisor")
IIRIS = Practitioner("iisalmi-1", "Iiris Iisalmelainen", "rural advisor")


@pytest.fixture
async def people(register_org, connect, store) -> dict[str, Client]:
    kuopio_tls = register_org("kuopio", OrgKind.PUBLIC)
    clients: dict[str, Client] = {
        "kaisa": await connect(kuopio_tls, practitioner=KAISA),
        "olli": await connect(kuopio_tls, practitioner=OLLI),
        "iiris": await connect(register_org("iisalmi", OrgKind.PUBLIC), practitioner=IIRIS),
        "citizen": await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN),
    }
    open_desk(store, "rural-advice", ("kuopio", "iisalmi"), name="Maaseutuneuvonta")
    return clients


async def test_a_colleagues_queue_names_who_claimed_the_inquiry(people):
    kaisa, iiris, citizen = people["kaisa"], people["iiris"], people["citizen"]
    asked = await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="A barn", body="Support for a barn?"
    )
    assert asked.claimed_by_practitioner is None
    queue: Heard[QueueEntry] = Heard(iiris.watch_queue("rural-advice"))
    await queue.until(lambda seen: any(e.kind is QueueEntryKind.OPEN for e in seen))

    claimed = await kaisa.claim_inquiry(asked.id)

    assert claimed.claimed_by_practitioner == KAISA
    heard = await queue.until(lambda seen: any(e.kind is QueueEntryKind.CLAIMED for e in seen))
    await queue.stop()
    claim = next(e for e in heard if e.kind is QueueEntryKind.CLAIMED)
    assert claim.inquiry.claimed_by_practitioner == KAISA
    assert (await iiris.get_inquiry(asked.id)).claimed_by_practitioner == KAISA
    assert [i.claimed_by_practitioner async for i in kaisa.list_inquiries()] == [KAISA]


async def test_the_holder_goes_with_a_hand_over_and_a_colleague_who_closes_is_named(people):
    kaisa, olli, iiris, citizen = (people[p] for p in ("kaisa", "olli", "iiris", "citizen"))
    asked = await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="A barn", body="Support for a barn?"
    )
    await kaisa.claim_inquiry(asked.id)

    handed = await kaisa.hand_over_inquiry(asked.id, to_organization_id="iisalmi", note="Yours.")
    assert handed.claimed_by_practitioner is None
    await iiris.claim_inquiry(asked.id)
    handed_back = await iiris.hand_over_inquiry(asked.id, to_organization_id="kuopio", note="No.")
    await kaisa.claim_inquiry(handed_back.id)
    closed = await olli.close_inquiry(asked.id, outcome="Answered by phone.")

    assert closed.claimed_by_practitioner == OLLI
    assert (await citizen.get_inquiry(asked.id)).claimed_by_practitioner == OLLI
