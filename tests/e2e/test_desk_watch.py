"""Watching a desk's queue and an inquiry, on a real broker through the SDK.

The queue: the member on duty hears of a new inquiry first, the others when
it overflows; a claim reaches whoever was offered it; a resumed watch hears
what it missed (overflows included) and nothing twice; only members watch,
and a member that leaves the desk is cut off. An inquiry: its citizen follows
status and conversation live, and a hand-over to another desk ends the old
desk's members' view of it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from desk_watching import Heard
from test_north_savo_desk import MEMBERS, OVERFLOW, region

from luukku.client import (
    Client,
    Inquiry,
    InquiryStatus,
    InvalidArgumentError,
    Message,
    PermissionDeniedError,
    QueueEntry,
    QueueEntryKind,
    RPCError,
)
from luukku.domain.organizations import OrgKind
from luukku.service.desks import admin as desks

__all__ = ["region"]

DESK = "rural-advice"


def _seen(entries: list[QueueEntry]) -> list[tuple[QueueEntryKind, str]]:
    return [(e.kind, e.inquiry.id) for e in entries]


async def _ask(citizen: Client, subject: str = "Barn support") -> Inquiry:
    return await citizen.create_inquiry(
        DESK, topic="farm-subsidies", subject=subject, body="Can I get support?"
    )


async def test_the_member_on_duty_hears_first_and_everyone_after_the_overflow(
    region: dict[str, Client],
):
    watches = {org: Heard(region[org].watch_queue(DESK)) for org in MEMBERS}
    await asyncio.sleep(0.3)  # every watch has caught up with an empty queue
    asked = await _ask(region["citizen"])

    on_duty = await watches["suonenjoki"].until(lambda e: len(e) == 1)
    assert _seen(on_duty) == [(QueueEntryKind.ASKED, asked.id)]
    assert on_duty[0].organization_id == "omaportaali"
    assert on_duty[0].inquiry.status is InquiryStatus.QUEUED
    assert on_duty[0].cursor
    assert watches["kuopio"].items == []
    assert watches["iisalmi"].items == []

    for org in ("kuopio", "iisalmi"):
        heard = await watches[org].until(lambda e: len(e) == 1, within=OVERFLOW.seconds + 3)
        assert _seen(heard) == [(QueueEntryKind.OVERFLOWED, asked.id)]
    await region["kuopio"].claim_inquiry(asked.id)
    for org in MEMBERS:
        heard = await watches[org].until(lambda e: e[-1].kind is QueueEntryKind.CLAIMED)
        assert heard[-1].inquiry.claimed_by_organization_id == "kuopio"
    # The member on duty heard no overflow of what was offered to it all along.
    assert [e.kind for e in watches["suonenjoki"].items] == [
        QueueEntryKind.ASKED,
        QueueEntryKind.CLAIMED,
    ]
    for watch in watches.values():
        await watch.stop()


async def test_a_claim_before_the_overflow_concerns_only_the_member_on_duty(
    region: dict[str, Client], store
):
    # A desk of its own with a longer overflow: on a busy machine two calls can
    # take longer than the region desk's 2 s, and a claim after the overflow is
    # rightly heard by everyone.
    overflow = timedelta(seconds=5)
    desks.create_desk(
        store,
        "quick-advice",
        name="Quick advice",
        topics=["farm-subsidies"],
        overflow=overflow,
        reopen_within=timedelta(days=1),
    )
    for org in MEMBERS:
        desks.add_member(store, "quick-advice", org)
    week = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    desks.set_rota(store, "quick-advice", "".join(f"{d} 00:00-24:00 suonenjoki\n" for d in week))
    kuopio = Heard(region["kuopio"].watch_queue("quick-advice"))
    asked = await region["citizen"].create_inquiry(
        "quick-advice", topic="farm-subsidies", subject="Barn support", body="Can I get support?"
    )
    claimed = await region["suonenjoki"].claim_inquiry(asked.id)
    assert claimed.history[-1].time < asked.overflow_time, "the claim came after the overflow"
    await region["suonenjoki"].close_inquiry(asked.id, outcome="Answered at once.")
    await asyncio.sleep(max((asked.overflow_time - datetime.now(UTC)).total_seconds(), 0) + 0.5)
    assert kuopio.items == []
    await kuopio.stop()


async def test_a_new_watch_begins_with_the_open_inquiries_in_view(region: dict[str, Client]):
    citizen, duty = region["citizen"], region["suonenjoki"]
    held = await _ask(citizen, "Held")
    waiting = await _ask(citizen, "Waiting")
    closed = await _ask(citizen, "Closed")
    await duty.claim_inquiry(held.id)
    await duty.claim_inquiry(closed.id)
    await duty.close_inquiry(closed.id, outcome="Done.")

    watch = Heard(duty.watch_queue(DESK))
    opening = await watch.until(lambda e: len(e) == 2)
    assert _seen(opening) == [(QueueEntryKind.OPEN, held.id), (QueueEntryKind.OPEN, waiting.id)]
    assert [e.cursor for e in opening] == ["", ""]  # a view cut short is begun again
    kuopio = Heard(region["kuopio"].watch_queue(DESK))
    await asyncio.sleep(0.3)
    assert kuopio.items == []  # nothing is offered to it yet
    await watch.stop()
    await kuopio.stop()


async def test_a_resumed_watch_hears_what_it_missed_and_nothing_twice(
    region: dict[str, Client],
):
    citizen, kuopio = region["citizen"], region["kuopio"]
    # A cursor from an entry that concerns kuopio: its own note of a phone call.
    first = Heard(kuopio.watch_queue(DESK))
    await asyncio.sleep(0.3)
    noted = await kuopio.create_inquiry(
        DESK, topic="forestry", channel="phone", subject="A call", body="Thinning permits?"
    )
    heard = await first.until(lambda e: len(e) == 1)
    assert _seen(heard) == [(QueueEntryKind.ASKED, noted.id)]
    cursor = heard[0].cursor
    await first.stop()

    # Away: a citizen asks, both inquiries overflow, suonenjoki claims the note.
    asked = await _ask(citizen)
    await asyncio.sleep(OVERFLOW.total_seconds() + 0.3)
    await region["suonenjoki"].claim_inquiry(noted.id)

    resumed = Heard(kuopio.watch_queue(DESK, resume_cursor=cursor))
    await resumed.until(lambda e: len(e) == 2)
    await asyncio.sleep(0.3)  # and nothing more
    assert _seen(resumed.items) == [
        (QueueEntryKind.CLAIMED, noted.id),
        (QueueEntryKind.OVERFLOWED, asked.id),
    ]
    again = Heard(kuopio.watch_queue(DESK, resume_cursor=resumed.items[-1].cursor))
    await asyncio.sleep(0.5)
    assert again.items == []
    await resumed.stop()
    await again.stop()


async def test_only_members_watch_and_bad_cursors_are_refused(
    region: dict[str, Client], register_org, connect
):
    stranger = await connect(register_org("helsinki", OrgKind.PUBLIC))
    for client, reason in ((stranger, "NOT_DESK_MEMBER"), (region["citizen"], "NOT_DESK_MEMBER")):
        with pytest.raises(PermissionDeniedError) as refused:
            [e async for e in client.watch_queue(DESK)]
        assert refused.value.reason == reason
    with pytest.raises(PermissionDeniedError):
        [e async for e in region["kuopio"].watch_queue("no-such-desk")]
    for bad in ("x", "q1.1", "q1.-1.5", "q1.1.5 ", "q1.1.99999999999999999"):
        with pytest.raises(InvalidArgumentError) as refused:
            [e async for e in region["kuopio"].watch_queue(DESK, resume_cursor=bad)]
        assert refused.value.reason == "INVALID_CURSOR"
    with pytest.raises(RPCError) as beyond:
        [e async for e in region["kuopio"].watch_queue(DESK, resume_cursor="q1.99.0")]
    assert beyond.value.reason == "CURSOR_BEYOND_END"


async def test_a_member_that_leaves_the_desk_is_cut_off(region: dict[str, Client], store):
    watch = Heard(region["iisalmi"].watch_queue(DESK))
    await asyncio.sleep(0.3)
    desks.remove_member(store, DESK, "iisalmi")
    error = await watch.ended(within=5)
    assert isinstance(error, PermissionDeniedError)
    assert error.reason == "NOT_DESK_MEMBER"


async def test_the_citizen_follows_an_inquiry_live(region: dict[str, Client], store):
    citizen, duty = region["citizen"], region["suonenjoki"]
    asked = await _ask(citizen)
    followed = Heard(citizen.watch_inquiry(asked.id))
    clerk_view = Heard(duty.watch_inquiry(asked.id))
    heard = await followed.until(lambda e: len(e) == 2)
    assert isinstance(heard[0], Inquiry)
    assert heard[0].status is InquiryStatus.QUEUED
    assert isinstance(heard[1], Message)
    assert heard[1].body == "Can I get support?"

    await duty.claim_inquiry(asked.id)
    await duty.post_inquiry_message(asked.id, "Yes, the farm investment support.")
    heard = await followed.until(lambda e: len(e) == 4)
    assert isinstance(heard[2], Inquiry)
    assert heard[2].claimed_by_organization_id == "suonenjoki"
    assert heard[2].history[-1].practitioner.display_name == "Clerk of Suonenjoki"
    assert isinstance(heard[3], Message)
    assert heard[3].author_organization_id == "suonenjoki"

    desks.create_desk(
        store,
        "forest-advice",
        name="Forest advice",
        topics=["forestry"],
        overflow=timedelta(minutes=5),
        reopen_within=timedelta(days=1),
    )
    await duty.hand_over_inquiry(asked.id, to_desk_id="forest-advice", note="Theirs.")
    error = await clerk_view.ended()
    assert isinstance(error, PermissionDeniedError)
    assert error.reason == "NOT_DESK_MEMBER"
    heard = await followed.until(lambda e: len(e) == 5)
    assert isinstance(heard[4], Inquiry)
    assert heard[4].desk_id == "forest-advice"
    messages = [m.sequence for m in followed.items if isinstance(m, Message)]
    assert messages == [1, 2]
    await followed.stop()
