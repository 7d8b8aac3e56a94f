"""Shared desks and their inquiries on a real store, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

from luukku.audit.events import AuditEvent
from luukku.domain.caller import Caller, Practitioner
from luukku.domain.cases import ServiceCategory
from luukku.domain.consents import Permission
from luukku.domain.desks.inquiries import Channel, InquiryStatus, StepKind
from luukku.domain.errors import ErrorCode, LuukkuError
from luukku.domain.organizations import OrgKind
from luukku.pki import read_cert_info
from luukku.service import directory
from luukku.service.access.clock import now_utc
from luukku.service.cases import create_case
from luukku.service.consents import Grant, grant_consent
from luukku.service.desks import admin as desks
from luukku.service.desks.asking import create_inquiry, get_inquiry, list_inquiries
from luukku.service.desks.conversation import list_inquiry_messages, post_inquiry_message
from luukku.service.desks.figures import desk_stats, percentile
from luukku.service.desks.handling import (
    claim_inquiry,
    close_inquiry,
    hand_over_inquiry,
    link_case,
    reopen_inquiry,
)
from luukku.store.uow import Store

CITIZEN = "131052-308T"
OTHER_CITIZEN = "010190-900P"
MEMBERS = ("kuopio", "iisalmi", "suonenjoki")
ALWAYS = "".join(
    f"{d} 00:00-24:00 kuopio\n" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
)

Callers = Callable[..., Caller]


@pytest.fixture
def callers(register_org, store: Store) -> Callers:
    known: dict[str, Caller] = {}

    def caller(org_id: str, kind: OrgKind = OrgKind.PUBLIC, **acting: str) -> Caller:
        if org_id not in known:
            tls = register_org(org_id, kind)
            fingerprint = read_cert_info(tls.client_cert).fingerprint
            org = directory.authenticate(store, fingerprint)
            known[org_id] = Caller(org, fingerprint, Practitioner(), "req")
        base = known[org_id]
        practitioner = Practitioner(acting.get("clerk", ""), acting.get("name", ""), "advisor")
        return Caller(
            base.organization,
            base.fingerprint,
            practitioner,
            f"req-{org_id}-{len(known)}",
            acting.get("citizen"),
        )

    return caller


@pytest.fixture
def desk(store: Store, callers: Callers) -> str:
    for org in MEMBERS:
        callers(org)
    callers("omaportaali", OrgKind.PORTAL)
    desks.create_desk(
        store,
        "rural-advice",
        name="Rural services advice, North Savo",
        topics=["farm-subsidies", "forestry"],
        overflow=timedelta(minutes=10),
        reopen_within=timedelta(days=14),
    )
    for org in MEMBERS:
        desks.add_member(store, "rural-advice", org)
    desks.set_rota(store, "rural-advice", ALWAYS)
    return "rural-advice"


def _ask(store: Store, callers: Callers, citizen: str | None = CITIZEN, **extra: str):
    portal = callers("omaportaali", OrgKind.PORTAL, **({"citizen": citizen} if citizen else {}))
    asked = {
        "desk_id": "rural-advice",
        "topic": "farm-subsidies",
        "channel": Channel.WEB,
        "municipality": "",
        "subject": "Subsidy for a new barn",
        "body": "Can I get support for building a barn?",
    }
    return create_inquiry(store, portal, **{**asked, **extra})  # type: ignore[arg-type]


def _events(store: Store) -> list[AuditEvent]:
    with store.read() as tx:
        return [s.event for s in tx.audit.scan()]


def _queue(store: Store, caller: Caller) -> list[str]:
    views, _ = list_inquiries(store, caller, None, 0, "")
    return [v.inquiry.id for v in views]


def test_a_new_inquiry_is_offered_to_the_member_on_duty_then_to_every_member(
    store, callers, desk, monkeypatch
):
    asked = _ask(store, callers).inquiry

    assert asked.offered_to_org_id == "kuopio"
    assert _queue(store, callers("kuopio")) == [asked.id]
    assert _queue(store, callers("iisalmi")) == []
    with pytest.raises(LuukkuError) as refused:
        claim_inquiry(store, callers("iisalmi"), asked.id)
    assert refused.value.reason == "NOT_OFFERED"

    later = now_utc() + timedelta(minutes=11)
    monkeypatch.setattr("luukku.service.access.guard.now_utc", lambda: later)
    assert _queue(store, callers("iisalmi")) == [asked.id]
    assert claim_inquiry(store, callers("iisalmi"), asked.id).inquiry.claimed_by_org_id == "iisalmi"


def test_of_many_concurrent_claims_exactly_one_wins(store, callers, desk, monkeypatch):
    asked = _ask(store, callers).inquiry
    later = now_utc() + timedelta(minutes=11)
    monkeypatch.setattr("luukku.service.access.guard.now_utc", lambda: later)
    clerks = [callers(org, clerk=f"c-{n}") for n in range(4) for org in MEMBERS]
    start = threading.Barrier(len(clerks))
    outcomes: list[str] = []

    def race(clerk: Caller) -> None:
        start.wait()
        try:
            claim_inquiry(store, clerk, asked.id)
            outcomes.append("won")
        except LuukkuError as exc:
            outcomes.append(exc.reason)

    threads = [threading.Thread(target=race, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ALREADY_CLAIMED"] * (len(clerks) - 1) + ["won"]
    history = get_inquiry(store, callers("kuopio"), asked.id).steps
    assert [s.kind for s in history] == [StepKind.ASKED, StepKind.CLAIMED]
    claims = [e for e in _events(store) if e.action == "inquiry.claim"]
    assert len(claims) == len(clerks)
    assert sorted(e.outcome.value for e in claims) == ["allowed"] + ["denied"] * (len(clerks) - 1)


def test_a_hand_over_keeps_the_history_and_the_conversation(store, callers, desk):
    asked = _ask(store, callers, municipality="Iisalmi").inquiry
    first = callers("kuopio", clerk="k-1", name="Kaisa")
    claim_inquiry(store, first, asked.id)
    post_inquiry_message(store, first, asked.id, "Yes, the regional subsidy applies.")
    handed = hand_over_inquiry(
        store, first, asked.id, to_org_id="iisalmi", note="Citizen lives in Iisalmi."
    )
    assert handed.inquiry.status is InquiryStatus.QUEUED
    assert handed.inquiry.offered_to_org_id == "iisalmi"
    with pytest.raises(LuukkuError) as refused:
        post_inquiry_message(store, first, asked.id, "One more thing.")
    assert refused.value.reason == "NOT_CLAIMANT"

    second = callers("iisalmi", clerk="i-1", name="Ilkka")
    claim_inquiry(store, second, asked.id)
    seen = get_inquiry(store, second, asked.id)
    post_inquiry_message(store, second, asked.id, "Send the plan to Iisalmi by May.")

    assert [s.kind for s in seen.steps] == [
        StepKind.ASKED,
        StepKind.CLAIMED,
        StepKind.HANDED_OVER,
        StepKind.CLAIMED,
    ]
    assert seen.steps[2].note == "Citizen lives in Iisalmi."
    assert seen.steps[2].practitioner.display_name == "Kaisa"
    citizen = callers("omaportaali", OrgKind.PORTAL, citizen=CITIZEN)
    messages, _ = list_inquiry_messages(store, citizen, asked.id, 0, 0, "")
    assert [(m.seq, m.author_org_id, m.author.display_name) for m in messages] == [
        (1, "omaportaali", ""),
        (2, "kuopio", "Kaisa"),
        (3, "iisalmi", "Ilkka"),
    ]


def test_the_citizen_reopens_within_the_desks_time_and_its_clerks_any_time(
    store, callers, desk, monkeypatch
):
    asked = _ask(store, callers).inquiry
    clerk = callers("kuopio", clerk="k-1")
    claim_inquiry(store, clerk, asked.id)
    closed = close_inquiry(store, clerk, asked.id, "Advised to apply in May.")
    assert closed.inquiry.status is InquiryStatus.CLOSED
    with pytest.raises(LuukkuError) as refused:
        post_inquiry_message(store, clerk, asked.id, "Anything else?")
    assert refused.value.reason == "INQUIRY_CLOSED"
    citizen = callers("omaportaali", OrgKind.PORTAL, citizen=CITIZEN)
    reopened = reopen_inquiry(store, citizen, asked.id).inquiry
    assert (reopened.status, reopened.offered_to_org_id) == (InquiryStatus.QUEUED, "kuopio")

    claim_inquiry(store, clerk, asked.id)
    close_inquiry(store, clerk, asked.id, "Done.")
    late = now_utc() + timedelta(days=15)
    monkeypatch.setattr("luukku.service.access.guard.now_utc", lambda: late)
    with pytest.raises(LuukkuError) as refused:
        reopen_inquiry(store, citizen, asked.id)
    assert refused.value.reason == "REOPEN_WINDOW_PASSED"
    by_the_desk = reopen_inquiry(store, clerk, asked.id).inquiry
    assert (by_the_desk.status, by_the_desk.offered_to_org_id) == (InquiryStatus.QUEUED, "kuopio")


def test_another_citizen_and_non_members_see_nothing_and_are_audited(store, callers, desk):
    asked = _ask(store, callers).inquiry
    other = callers("omaportaali", OrgKind.PORTAL, citizen=OTHER_CITIZEN)
    stranger = callers("hoiva-oy", OrgKind.PRIVATE)

    for who, reason in ((other, "NOT_INQUIRY_CITIZEN"), (stranger, "NOT_DESK_MEMBER")):
        with pytest.raises(LuukkuError) as refused:
            get_inquiry(store, who, asked.id)
        assert (refused.value.code, refused.value.reason) == (ErrorCode.PERMISSION_DENIED, reason)
        assert _queue(store, who) == []

    reads = [e for e in _events(store) if e.action == "inquiry.read"]
    assert [(e.org_id, e.outcome.value, e.reason) for e in reads] == [
        ("omaportaali", "denied", "NOT_INQUIRY_CITIZEN"),
        ("hoiva-oy", "denied", "NOT_DESK_MEMBER"),
    ]
    assert {e.subject_citizen_id for e in reads} == {asked.citizen_id}


def test_an_anonymous_phone_inquiry_carries_no_identity(store, callers, desk):
    clerk = callers("suonenjoki", clerk="s-1")
    noted = create_inquiry(
        store,
        clerk,
        desk_id="rural-advice",
        topic="forestry",
        channel=Channel.PHONE,
        municipality="Suonenjoki",
        subject="Caller asked about thinning a forest",
        body="Which permits are needed to thin a private forest?",
    ).inquiry
    kuopio = callers("kuopio", clerk="k-1")
    claim_inquiry(store, kuopio, noted.id)
    post_inquiry_message(store, kuopio, noted.id, "A forest use declaration; told by phone.")
    with pytest.raises(LuukkuError) as refused:
        link_case(store, kuopio, noted.id, "0" * 32)
    assert refused.value.reason == "ANONYMOUS_INQUIRY"
    close_inquiry(store, kuopio, noted.id, "Answered by phone.")

    assert noted.citizen_id is None
    mine = [e for e in _events(store) if e.resource == f"inquiries/{noted.id}"]
    assert len(mine) == 5
    assert {(e.subject_citizen_id, e.acting_for_citizen_id) for e in mine} == {(None, None)}


def test_a_case_is_linked_only_where_a_consent_already_reaches_it(store, callers, desk):
    case = create_case(
        store,
        callers("vantaa-social"),
        identity_code_text=CITIZEN,
        title="Farm relief service",
        category=ServiceCategory.SOCIAL_WORK,
    )
    asked = _ask(store, callers).inquiry
    clerk = callers("kuopio", clerk="k-1")
    claim_inquiry(store, clerk, asked.id)

    with pytest.raises(LuukkuError) as refused:
        link_case(store, clerk, asked.id, case.id)
    assert refused.value.reason == "CONSENT_REQUIRED"

    citizen = callers("omaportaali", OrgKind.PORTAL, citizen=CITIZEN)
    consent = grant_consent(
        store,
        citizen,
        Grant(
            org_id="kuopio",
            case_id=case.id,
            category=None,
            permissions=frozenset({Permission.READ}),
            purpose=f"For inquiry {asked.subject}",
            valid_from=None,
            valid_until=now_utc() + timedelta(days=30),
        ),
    )
    linked = link_case(store, clerk, asked.id, case.id).inquiry
    assert linked.case_id == case.id
    event = [e for e in _events(store) if e.action == "inquiry.link_case"][-1]
    assert (event.outcome.value, event.reason, event.consent_id) == (
        "allowed",
        "CONSENT",
        consent.id,
    )


def test_a_retried_create_returns_the_first_inquiry(store, callers, desk):
    first = _ask(store, callers, request_id="ask-1").inquiry
    again = _ask(store, callers, request_id="ask-1").inquiry
    assert again.id == first.id
    with pytest.raises(LuukkuError) as refused:
        _ask(store, callers, citizen=OTHER_CITIZEN, request_id="ask-1")
    assert refused.value.reason == "REQUEST_ID_REUSED"


def test_the_desk_figures_come_from_the_inquiries_histories(store, callers, desk, monkeypatch):
    start = now_utc()
    answered = _ask(store, callers).inquiry
    _ask(store, callers)  # still waiting
    monkeypatch.setattr(
        "luukku.service.access.guard.now_utc", lambda: start + timedelta(seconds=30)
    )
    kuopio = callers("kuopio", clerk="k-1")
    claim_inquiry(store, kuopio, answered.id)
    monkeypatch.setattr(
        "luukku.service.access.guard.now_utc", lambda: start + timedelta(seconds=90)
    )
    post_inquiry_message(store, kuopio, answered.id, "Yes.")
    hand_over_inquiry(store, kuopio, answered.id, to_org_id="iisalmi", note="Theirs.")

    (stats,) = desk_stats(store)

    counts = (stats.desk_id, stats.queued, stats.claimed, stats.handovers)
    assert counts == ("rural-advice", 2, 0, 1)
    assert [round(s) for s in stats.all.to_claim] == [30]
    assert [round(s) for s in stats.all.to_answer] == [90]
    assert list(stats.members) == ["kuopio"]
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 95) == 4.0
    assert percentile([], 50) is None


def test_a_desk_keeps_its_topics_names_in_finnish_swedish_and_english(store, desk):
    desks.set_topic(store, desk, "forestry", fi="Metsätalous", sv="Skogsbruk", en="Forestry advice")
    desks.set_topic(store, desk, "horses", fi="Hevoset", sv="Hästar", en="Horses")

    kept = desks.get_desk(store, desk).topics

    assert [(t.id, t.name_fi, t.name_sv, t.name_en) for t in kept] == [
        ("farm-subsidies", "", "", ""),
        ("forestry", "Metsätalous", "Skogsbruk", "Forestry advice"),
        ("horses", "Hevoset", "Hästar", "Horses"),
    ]
    with pytest.raises(LuukkuError) as refused:
        desks.set_topic(store, desk, "forestry", fi="Metsätalous", sv="", en="Forestry")
    assert refused.value.reason == "INVALID_TOPIC_NAME"
    assert [v.field for v in refused.value.violations] == ["name_sv"]


def test_the_citizen_never_receives_a_clerks_internal_notes_but_the_desk_does(store, callers, desk):
    citizen = callers("omaportaali", OrgKind.PORTAL, citizen=CITIZEN)
    asked = _ask(store, callers).inquiry
    kuopio, iisalmi = callers("kuopio", clerk="k-1"), callers("iisalmi", clerk="i-1")
    claim_inquiry(store, kuopio, asked.id)
    hand_over_inquiry(
        store,
        kuopio,
        asked.id,
        to_org_id="iisalmi",
        note="Difficult customer, call in the morning.",
        public_note="Iisalmi knows the farm subsidies of your area.",
    )
    claim_inquiry(store, iisalmi, asked.id)
    close_inquiry(
        store, iisalmi, asked.id, "Phoned, subsidy unlikely.", "Answered by phone on 3 March."
    )

    def notes(view) -> tuple[str, list[tuple[str, str]]]:
        return view.inquiry.outcome, [(s.note, s.public_note) for s in view.steps[2:]]

    desk_sees = (
        "Phoned, subsidy unlikely.",
        [
            (
                "Difficult customer, call in the morning.",
                "Iisalmi knows the farm subsidies of your area.",
            ),
            ("", ""),
            ("Phoned, subsidy unlikely.", "Answered by phone on 3 March."),
        ],
    )
    citizen_sees = (
        "",
        [
            ("", "Iisalmi knows the farm subsidies of your area."),
            ("", ""),
            ("", "Answered by phone on 3 March."),
        ],
    )
    assert notes(get_inquiry(store, iisalmi, asked.id)) == desk_sees
    assert notes(get_inquiry(store, kuopio, asked.id)) == desk_sees
    assert notes(get_inquiry(store, citizen, asked.id)) == citizen_sees
    (listed,), _ = list_inquiries(store, citizen, None, 0, "")
    assert notes(listed) == citizen_sees
    assert notes(reopen_inquiry(store, citizen, asked.id))[1][:3] == citizen_sees[1]
