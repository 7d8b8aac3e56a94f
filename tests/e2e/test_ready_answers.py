"""A desk's ready answers, a clerk reopening a closed inquiry, the rota's next shifts and
the language an inquiry was asked in, on a real broker with real certificates."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from desk_world import open_desk

from luukku.client import (
    AbortedError,
    Client,
    FailedPreconditionError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    Practitioner,
)
from luukku.domain.organizations import OrgKind
from luukku.service.desks import admin as desks

CITIZEN = "131052-308T"
KAISA = Practitioner("kuopio-7", "Kaisa Neuvoja", "rural advisor")
IIRIS = Practitioner("iisalmi-1", "Iiris Iisalmelainen", "rural advisor")
OPENING_HOURS = {
    "text_fi": "Palvelemme arkisin kello 8-16.",
    "text_sv": "Vi betjänar vardagar klockan 8-16.",
    "text_en": "We serve on weekdays from 8 to 16.",
}


@pytest.fixture
async def people(register_org, connect, store) -> dict[str, Client]:
    clients: dict[str, Client] = {
        "kaisa": await connect(register_org("kuopio", OrgKind.PUBLIC), practitioner=KAISA),
        "iiris": await connect(register_org("iisalmi", OrgKind.PUBLIC), practitioner=IIRIS),
        "stranger": await connect(register_org("hoiva-oy", OrgKind.PRIVATE)),
        "citizen": await connect(register_org("omaportaali", OrgKind.PORTAL), on_behalf_of=CITIZEN),
    }
    open_desk(
        store,
        "rural-advice",
        ("kuopio", "iisalmi"),
        name="Rural advice",
        reopen_within=timedelta(0),
    )
    return clients


async def test_members_keep_a_ready_answer_up_together_and_nobody_else_sees_it(people):
    kaisa, iiris = people["kaisa"], people["iiris"]
    written = await kaisa.create_ready_answer(
        "rural-advice", title="Opening hours", request_id="hours-1", **OPENING_HOURS
    )
    again = await kaisa.create_ready_answer(
        "rural-advice", title="Opening hours", request_id="hours-1", **OPENING_HOURS
    )
    assert again == written  # a retried create writes once
    assert (written.revision, written.create_practitioner, written.delete_time) == (1, KAISA, None)

    changed = await iiris.update_ready_answer(
        "rural-advice",
        written.id,
        revision=written.revision,
        title="Opening hours",
        text_fi="Palvelemme arkisin kello 9-15.",
        text_sv=OPENING_HOURS["text_sv"],
    )
    assert (changed.revision, changed.text_fi, changed.text_en) == (
        2,
        "Palvelemme arkisin kello 9-15.",
        "",
    )
    assert (changed.update_practitioner, changed.create_practitioner) == (IIRIS, KAISA)
    assert [a async for a in kaisa.list_ready_answers("rural-advice")] == [changed]
    assert (await kaisa.get_ready_answer("rural-advice", written.id)).text("fi").endswith("9-15.")

    with pytest.raises(AbortedError) as stale:  # Kaisa still had revision 1 open
        await kaisa.update_ready_answer(
            "rural-advice", written.id, revision=1, title="Hours", text_fi="Aina auki."
        )
    assert stale.value.reason == "READY_ANSWER_CHANGED"
    # The same words sent twice (a double click on revision 1) are no change, not a conflict.
    same = await kaisa.update_ready_answer(
        "rural-advice",
        written.id,
        revision=1,
        title="Opening hours",
        text_fi="Palvelemme arkisin kello 9-15.",
        text_sv=OPENING_HOURS["text_sv"],
    )
    assert same == changed

    removed = await kaisa.delete_ready_answer("rural-advice", written.id)
    assert removed.delete_time is not None
    assert await kaisa.delete_ready_answer("rural-advice", written.id) == removed
    assert [a async for a in iiris.list_ready_answers("rural-advice")] == []
    with pytest.raises(FailedPreconditionError) as gone:
        await iiris.update_ready_answer(
            "rural-advice", written.id, revision=removed.revision, title="x", text_en="x"
        )
    assert gone.value.reason == "READY_ANSWER_REMOVED"


async def test_whoever_is_not_a_member_is_refused_alike_whether_the_answer_exists_or_not(
    people,
):
    written = await people["kaisa"].create_ready_answer(
        "rural-advice", title="Opening hours", **OPENING_HOURS
    )
    missing = "0" * 32
    for who in ("stranger", "citizen"):
        client = people[who]
        for answer_id in (written.id, missing):
            with pytest.raises(PermissionDeniedError) as refused:
                await client.get_ready_answer("rural-advice", answer_id)
            assert refused.value.reason == "NOT_DESK_MEMBER"
        with pytest.raises(PermissionDeniedError):
            [a async for a in client.list_ready_answers("rural-advice")]
        with pytest.raises(PermissionDeniedError):
            await client.create_ready_answer("rural-advice", title="Mine", text_fi="Minun.")
        with pytest.raises(PermissionDeniedError):
            await client.delete_ready_answer("rural-advice", written.id)
    with pytest.raises(NotFoundError) as not_there:
        await people["iiris"].get_ready_answer("rural-advice", missing)
    assert not_there.value.reason == "READY_ANSWER_NOT_FOUND"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": "", "text_fi": "x"}, "INVALID_READY_ANSWER_TITLE"),
        ({"title": "Two\nlines", "text_fi": "x"}, "INVALID_CHARACTER"),
        ({"title": "No text"}, "INVALID_READY_ANSWER_TEXT"),
        ({"title": "Long", "text_sv": "x" * 4001}, "INVALID_READY_ANSWER_TEXT"),
    ],
)
async def test_a_ready_answer_without_a_title_or_any_text_is_refused(people, fields, reason):
    with pytest.raises(InvalidArgumentError) as refused:
        await people["kaisa"].create_ready_answer("rural-advice", **fields)
    assert refused.value.reason == reason


async def test_two_clerks_changing_one_revision_at_once_leave_one_change(people):
    kaisa, iiris = people["kaisa"], people["iiris"]
    written = await kaisa.create_ready_answer("rural-advice", title="Hours", text_fi="8-16")
    results = await asyncio.gather(
        kaisa.update_ready_answer(
            "rural-advice", written.id, revision=1, title="Hours", text_fi="9-15"
        ),
        iiris.update_ready_answer(
            "rural-advice", written.id, revision=1, title="Hours", text_fi="10-14"
        ),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["AbortedError", "ReadyAnswer"]
    assert (await kaisa.get_ready_answer("rural-advice", written.id)).revision == 2


async def test_a_clerk_reopens_a_closed_inquiry_for_their_own_organisation_any_time(people):
    kaisa, iiris, citizen = people["kaisa"], people["iiris"], people["citizen"]
    asked = await citizen.create_inquiry(
        "rural-advice", topic="farm-subsidies", subject="A barn", body="Support?", language="sv"
    )
    assert asked.language == "sv"
    await kaisa.claim_inquiry(asked.id)
    await kaisa.close_inquiry(asked.id, outcome="Answered")
    with pytest.raises(FailedPreconditionError) as late:  # the desk's window is 0 s
        await citizen.reopen_inquiry(asked.id)
    assert late.value.reason == "REOPEN_WINDOW_PASSED"
    with pytest.raises(PermissionDeniedError) as stranger:
        await people["stranger"].reopen_inquiry(asked.id)
    assert stranger.value.reason == "NOT_DESK_MEMBER"

    reopened = await iiris.reopen_inquiry(asked.id)

    assert (reopened.status, reopened.offered_to_organization_id) == ("queued", "iisalmi")
    assert reopened.history[-1].kind == "reopened"
    assert reopened.history[-1].practitioner == IIRIS
    with pytest.raises(FailedPreconditionError) as open_:
        await iiris.reopen_inquiry(asked.id)
    assert open_.value.reason == "INQUIRY_NOT_CLOSED"
    assert (await iiris.claim_inquiry(asked.id)).claimed_by_practitioner == IIRIS


async def test_an_inquiry_in_another_language_than_fi_sv_en_is_refused(people):
    with pytest.raises(InvalidArgumentError) as refused:
        await people["citizen"].create_inquiry(
            "rural-advice", topic="farm-subsidies", subject="A", body="B", language="de"
        )
    assert refused.value.reason == "INVALID_LANGUAGE"


async def test_a_desk_tells_who_is_on_duty_now_and_the_next_shifts(people, store):
    desks.set_rota(
        store,
        "rural-advice",
        "mon 00:00-12:00 kuopio\nmon 12:00-24:00 iisalmi\n"
        "tue 00:00-24:00 kuopio\nwed closed\nthu 08:00-16:00 iisalmi\n"
        "fri 08:00-16:00 kuopio\nsat 08:00-16:00 iisalmi\nsun 08:00-16:00 kuopio\n",
    )
    desk = await people["kaisa"].get_desk("rural-advice")
    shifts = desk.upcoming_shifts
    now = datetime.now(UTC)
    assert 1 <= len(shifts) <= 8
    assert all(s.start_time < s.end_time for s in shifts)
    assert [s.start_time for s in shifts] == sorted(s.start_time for s in shifts)
    assert shifts[0].end_time > now
    assert all(s.start_time < now + timedelta(days=8) for s in shifts)
    if shifts[0].start_time <= now:  # a shift in progress is the member on duty now
        assert desk.on_duty_organization_id == shifts[0].organization_id
    assert {s.organization_id for s in shifts} <= {"kuopio", "iisalmi"}
