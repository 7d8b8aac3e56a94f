"""A desk's figures over the API: for its members only, per member, counts and times.

On a real broker with real certificates: two members each claim and answer,
one hands over; the figures count the queue, the claims, the answers and the
hand-over, each member's share by who claimed first; a caller that is not a
member (another organisation, the portal acting for the citizen) is refused
alike whether or not the desk exists.
"""

from __future__ import annotations

import pytest
from desk_world import open_desk

from luukku.client import Client, PermissionDeniedError, Practitioner
from luukku.domain.organizations import OrgKind

CITIZEN = "131052-308T"


@pytest.fixture
async def people(register_org, connect, store) -> dict[str, Client]:
    clients: dict[str, Client] = {
        "kuopio": await connect(
            register_org("kuopio", OrgKind.PUBLIC),
            practitioner=Practitioner("k-1", "Kaisa Neuvoja", "adviser"),
        ),
        "iisalmi": await connect(
            register_org("iisalmi", OrgKind.PUBLIC),
            practitioner=Practitioner("i-1", "Iiris Iisalmelainen", "adviser"),
        ),
        "outsider": await connect(register_org("hoiva-oy", OrgKind.PRIVATE)),
        "citizen": await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN),
    }
    register_org("lapinlahti", OrgKind.PUBLIC)  # a member that claims nothing
    open_desk(store, "rural-advice", ("kuopio", "iisalmi", "lapinlahti"), name="Rural advice")
    return clients


async def _ask(citizen: Client, subject: str) -> str:
    asked = await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject=subject, body="A question?"
    )
    return asked.id


async def test_the_figures_count_the_queue_the_waits_and_the_hand_overs_per_member(people):
    kuopio, iisalmi, citizen = people["kuopio"], people["iisalmi"], people["citizen"]
    first, second, third = [await _ask(citizen, s) for s in ("Barn", "Fence", "Well")]
    await _ask(citizen, "Still waiting")
    await kuopio.claim_inquiry(first)
    await kuopio.post_inquiry_message(first, "Yes, apply by May.")
    await iisalmi.claim_inquiry(second)
    await iisalmi.hand_over_inquiry(second, to_organization_id="kuopio", note="Kuopio knows")
    await iisalmi.claim_inquiry(third)
    await iisalmi.close_inquiry(third, outcome="Answered by phone")

    figures = await kuopio.get_desk_figures("rural-advice")

    assert (figures.desk_id, figures.queued, figures.claimed, figures.closed) == (
        "rural-advice",
        2,  # the one handed over waits again, and the one nobody took
        1,
        1,
    )
    assert figures.handovers == 1
    assert figures.waits.claimed_count == 3
    assert figures.waits.answered_count == 1
    assert figures.waits.to_claim_p50 is not None
    assert figures.waits.to_claim_p95 is not None
    assert figures.waits.to_claim_p50 <= figures.waits.to_claim_p95
    members = {m.organization_id: m.waits for m in figures.members}
    assert list(members) == ["iisalmi", "kuopio", "lapinlahti"]
    assert (members["kuopio"].claimed_count, members["kuopio"].answered_count) == (1, 1)
    assert (members["iisalmi"].claimed_count, members["iisalmi"].answered_count) == (2, 0)
    assert members["iisalmi"].to_answer_p50 is None
    assert members["lapinlahti"].claimed_count == 0
    assert members["lapinlahti"].to_claim_p95 is None


async def test_a_desk_with_no_inquiries_has_empty_figures(people):
    figures = await people["iisalmi"].get_desk_figures("rural-advice")

    assert (figures.queued, figures.handovers, figures.waits.claimed_count) == (0, 0, 0)
    assert figures.waits.to_claim_p50 is None


@pytest.mark.parametrize("who", ["outsider", "citizen"])
@pytest.mark.parametrize("desk_id", ["rural-advice", "no-such-desk"])
async def test_nobody_but_a_member_reads_the_figures_whether_or_not_the_desk_exists(
    people, who, desk_id
):
    with pytest.raises(PermissionDeniedError) as refused:
        await people[who].get_desk_figures(desk_id)

    assert refused.value.reason == "NOT_DESK_MEMBER"
