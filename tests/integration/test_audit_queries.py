"""The audit log's queries on SQLite and PostgreSQL: filters, counts and holes.

Random events are written straight to the log, and every viewer's listing
under every combination of filters must be exactly what a small oracle of
the rules picks (whose events one may see, the organisation, the case with
its threads, the outcome, one's own use of the portal). The live fan-out's
cheap check (``may_concern``) must never turn away an event the listing shows.
"""

from __future__ import annotations

import itertools
import random
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from luukku.audit.events import AuditEvent, Outcome, recorded
from luukku.audit.filters import AuditFilter, may_concern, visible_to
from luukku.domain.access import Actor
from luukku.domain.events import AuditRecorded
from luukku.store.sql.tables import cases, citizens, organizations, threads
from luukku.store.uow import Store

ORG_A, ORG_B, PORTAL = "helsinki-social", "hoiva-oy", "omaportaali"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _id() -> str:
    return uuid.uuid4().hex


def _event(rng: random.Random, citizen_ids: list[str], resources: list[str], n: int) -> AuditEvent:
    org = rng.choice((ORG_A, ORG_B, PORTAL))
    acting_for = rng.choice(citizen_ids) if org == PORTAL else None
    return AuditEvent(
        event_id=_id(),
        time=T0 + timedelta(minutes=n),
        org_id=org,
        fingerprint="f" * 64,
        practitioner_id="",
        practitioner_name="",
        practitioner_role="",
        acting_for_citizen_id=acting_for,
        action="case.read",
        resource=rng.choice(resources),
        subject_citizen_id=rng.choice([*citizen_ids, None]),
        outcome=rng.choice((Outcome.ALLOWED, Outcome.DENIED)),
        reason="X",
        consent_id=None,
        request_id=f"r{n}",
    )


def _scene(store: Store) -> tuple[list[str], dict[str, list[str]]]:
    """Two citizens, three cases, threads on two of them: (citizens, threads by case)."""
    citizen_ids = [_id(), _id()]
    case_threads = {_id(): [_id(), _id()], _id(): [_id()], _id(): []}
    with store.transaction() as tx:
        conn = tx.connection
        for org in (ORG_A, ORG_B, PORTAL):
            conn.execute(
                insert(organizations).values(
                    id=org,
                    name=org,
                    business_id="0201256-6",
                    kind="public",
                    status="active",
                    created_at=T0,
                )
            )
        for n, citizen in enumerate(citizen_ids):
            conn.execute(
                insert(citizens).values(id=citizen, identity_code=f"code-{n}", created_at=T0)
            )
        for n, (case_id, thread_ids) in enumerate(case_threads.items()):
            conn.execute(
                insert(cases).values(
                    id=case_id,
                    citizen_id=citizen_ids[n % 2],
                    owner_org_id=ORG_A,
                    title="t",
                    category="housing",
                    status="open",
                    created_at=T0,
                )
            )
            for thread_id in thread_ids:
                conn.execute(
                    insert(threads).values(
                        id=thread_id,
                        case_id=case_id,
                        subject="s",
                        created_by_org_id=ORG_A,
                        created_at=T0,
                        last_seq=0,
                    )
                )
    return citizen_ids, case_threads


def _appended(store: Store, rng: random.Random, count: int) -> tuple[list[str], list[AuditEvent]]:
    """The scene's citizens, and ``count`` random events about them appended in one go."""
    citizen_ids, _ = _scene(store)
    events = [_event(rng, citizen_ids, ["cases"], n) for n in range(count)]
    with store.transaction() as tx:
        for event in events:
            tx.audit.append(event)
    return citizen_ids, events


def _about(resource: str, case_id: str, thread_ids: list[str]) -> bool:
    heads = [f"cases/{case_id}", *(f"threads/{t}" for t in thread_ids)]
    return any(resource == h or resource.startswith(h + "/") for h in heads)


def _oracle(viewer: Actor, wanted: AuditFilter, event: AuditEvent, threads_of: dict) -> bool:
    own = viewer.citizen_id is not None and event.acting_for_citizen_id == viewer.citizen_id
    return (
        visible_to(viewer, event.org_id, event.subject_citizen_id, event.acting_for_citizen_id)
        and wanted.org_id in (None, event.org_id)
        and wanted.outcome in (None, event.outcome)
        and (
            wanted.case_id is None
            or _about(event.resource, wanted.case_id, threads_of[wanted.case_id])
        )
        and not (wanted.exclude_own and own)
    )


def test_every_filter_of_every_viewer_selects_what_the_oracle_picks(store: Store):
    rng = random.Random(20261125)
    citizen_ids, threads_of = _scene(store)
    resources = ["audit-events", "consents/abc", "cases", f"threads/{_id()}"]
    for case_id, thread_ids in threads_of.items():
        resources += [
            f"cases/{case_id}",
            f"cases/{case_id}/records/{_id()}",
            f"cases/{case_id}/threads",
        ]
        for thread_id in thread_ids:
            resources += [f"threads/{thread_id}", f"threads/{thread_id}/messages/1-3"]
            resources.append(f"threads/{thread_id}x")  # not that thread
    events = [_event(rng, citizen_ids, resources, n) for n in range(300)]
    with store.transaction() as tx:
        for event in events:
            tx.audit.append(event)
    viewers = [Actor(ORG_A), Actor(ORG_B), *(Actor(PORTAL, c) for c in citizen_ids)]
    filters = [
        AuditFilter(org, case, outcome, own)
        for org, case, outcome, own in itertools.product(
            (None, ORG_B, PORTAL), (None, *threads_of), (None, *Outcome), (False, True)
        )
    ]

    with store.read() as tx:
        for viewer, wanted in itertools.product(viewers, filters):
            expected = [e.event_id for e in events if _oracle(viewer, wanted, e, threads_of)]
            effective = wanted.for_viewer(viewer)
            newest = tx.audit.newest_first(viewer, effective, None, 1000)
            oldest = tx.audit.oldest_first(viewer, effective, 0, 1000)
            assert [s.event.event_id for s in oldest] == expected, (viewer, wanted)
            assert [s.event.event_id for s in reversed(newest)] == expected, (viewer, wanted)
            assert all(may_concern(viewer, wanted, recorded(s.event)) for s in oldest)
        assert any(
            tx.audit.oldest_first(Actor(PORTAL, citizen_ids[0]), AuditFilter(case_id=c), 0, 1)
            for c in threads_of
        )


@pytest.mark.slow
def test_the_summary_of_ten_thousand_events_is_counted_by_organisation_and_outcome(
    store: Store,
):
    citizen_ids, events = _appended(store, random.Random(7), 10_000)
    viewer = Actor(PORTAL, citizen_ids[0])
    since = T0 + timedelta(minutes=2_500)

    with store.read() as tx:
        counts = tx.audit.count_by_org(viewer, AuditFilter(exclude_own=True), since)

    picked = [
        e
        for e in events
        if e.time >= since and _oracle(viewer, AuditFilter(exclude_own=True), e, {})
    ]
    expected = Counter((e.org_id, e.outcome) for e in picked)
    assert [(org, allowed, denied) for org, allowed, denied in counts] == sorted(
        (
            (org, expected[org, Outcome.ALLOWED], expected[org, Outcome.DENIED])
            for org in {e.org_id for e in picked}
        ),
        key=lambda row: (-(row[1] + row[2]), row[0]),
    )
    assert sum(a + d for _, a, d in counts) > 1000


def test_a_second_append_waits_for_the_first_to_commit_so_numbers_commit_in_order(
    store: Store,
):
    rng = random.Random(3)
    citizen_ids, _ = _scene(store)
    first, second = (_event(rng, citizen_ids, ["cases"], n) for n in range(2))
    appended = threading.Event()

    def append_second() -> None:
        with store.transaction() as tx:
            tx.audit.append(second)
        appended.set()

    with store.transaction() as tx:
        held_seq = tx.audit.append(first)
        waiting = threading.Thread(target=append_second)
        waiting.start()
        # The second writer cannot take a number while the first is uncommitted.
        assert not appended.wait(0.5)
    waiting.join(timeout=10)

    with store.read() as tx:
        assert [s.seq for s in tx.audit.scan()][-2:] == [held_seq, held_seq + 1]


def test_a_rolled_back_append_leaves_no_gap_in_the_numbers(store: Store):
    rng = random.Random(4)
    citizen_ids, _ = _scene(store)

    def append_then_fail() -> None:
        with store.transaction() as tx:
            tx.audit.append(_event(rng, citizen_ids, ["cases"], 0))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        append_then_fail()
    with store.transaction() as tx:
        tx.audit.append(_event(rng, citizen_ids, ["cases"], 1))

    with store.read() as tx:
        assert [s.seq for s in tx.audit.scan()] == [1]
        assert tx.audit.size() == 1


def test_the_events_after_a_number_say_whom_each_concerns_in_order_up_to_a_limit(
    store: Store,
):
    _, events = _appended(store, random.Random(5), 7)

    with store.read() as tx:  # several statements: a lookup is for one
        assert tx.audit.size() == 7
        after_two = tx.audit.concerning_after(2, 3)
        assert tx.audit.concerning_after(7, 100) == []
        everything = tx.audit.concerning_after(0, 100)
    assert [seq for seq, _ in after_two] == [3, 4, 5]
    assert [seq for seq, _ in everything] == list(range(1, 8))
    for (_, concerned), event in zip(everything, events, strict=True):
        assert concerned == AuditRecorded(
            event.org_id, event.subject_citizen_id, event.acting_for_citizen_id
        )
