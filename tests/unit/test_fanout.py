"""The in-process fan-out: every watcher gets each message once; slow ones are cut off."""

from __future__ import annotations

from datetime import UTC, datetime

from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor
from luukku.domain.caller import Practitioner
from luukku.domain.events import (
    AuditRecorded,
    CallersChanged,
    ConsentRevoked,
    MessagePosted,
    QueueChanged,
    ReadMarked,
    RepresentationChanged,
)
from luukku.domain.threads import Message
from luukku.server.live.fanout import LocalFanOut


def _message(thread_id: str, seq: int) -> Message:
    return Message(
        thread_id, seq, "org-a", Practitioner(), None, f"m{seq}", None, datetime.now(UTC)
    )


async def test_a_published_message_reaches_every_watcher_of_its_thread_only() -> None:
    fanout = LocalFanOut()
    a, b = fanout.subscribe("t1", "c1"), fanout.subscribe("t1", "c1")
    other = fanout.subscribe("t2", "c1")

    fanout.publish(_message("t1", 1))

    assert [m.seq for m in await a.wait(0.1)] == [1]
    assert [m.seq for m in await b.wait(0.1)] == [1]
    assert await other.wait(0.01) == []


async def test_a_watcher_that_falls_too_far_behind_is_flagged_and_holds_no_backlog() -> None:
    fanout = LocalFanOut(backlog_limit=3)
    slow, fast = fanout.subscribe("t1", "c1"), fanout.subscribe("t1", "c1")
    for seq in range(1, 6):
        fanout.publish(_message("t1", seq))
        assert [m.seq for m in await fast.wait(0.1)] == [seq]

    assert slow.overflowed
    assert await slow.wait(0.01) == []


async def test_a_consent_change_asks_only_that_citizens_watchers_to_recheck() -> None:
    fanout = LocalFanOut()
    mine, theirs = fanout.subscribe("t1", "c1"), fanout.subscribe("t2", "c2")
    fanout.access_changed("c1")
    assert mine.recheck_requested
    assert not theirs.recheck_requested


async def test_an_unsubscribed_watcher_receives_nothing_more() -> None:
    fanout = LocalFanOut()
    sub = fanout.subscribe("t1", "c1")
    fanout.unsubscribe(sub)
    fanout.publish(_message("t1", 1))
    assert await sub.wait(0.01) == []


async def test_committed_events_become_deliveries_and_re_checks() -> None:
    fanout = LocalFanOut()
    watcher = fanout.subscribe("t1", "c1")
    bystander = fanout.subscribe("t2", "c2")

    fanout.deliver([MessagePosted(_message("t1", 1)), ConsentRevoked("c1", "consent-1")])

    assert [m.seq for m in await watcher.wait(0.1)] == [1]
    assert watcher.recheck_requested
    assert not bystander.recheck_requested

    fanout.deliver([CallersChanged()])
    assert bystander.recheck_requested


async def test_an_audit_event_wakes_the_watchers_of_the_citizens_and_organisation_it_concerns():
    fanout = LocalFanOut()
    subject = fanout.subscribe_audit(Actor("portal", "c1"), AuditFilter())
    acting = fanout.subscribe_audit(Actor("portal", "c2"), AuditFilter())
    company = fanout.subscribe_audit(Actor("hoiva-oy"), AuditFilter())
    bystanders = [
        fanout.subscribe_audit(Actor("portal", "c3"), AuditFilter()),
        fanout.subscribe_audit(Actor("social"), AuditFilter()),
    ]

    news = AuditRecorded("hoiva-oy", "c1", "c2")
    fanout.deliver([news])

    for watcher in (subject, acting, company):
        assert await watcher.wait(0.1) == [news]
    for watcher in bystanders:
        assert await watcher.wait(0.01) == []


async def test_an_audit_watch_is_not_woken_by_what_its_filters_leave_out():
    fanout = LocalFanOut()
    not_own = fanout.subscribe_audit(Actor("portal", "c1"), AuditFilter(exclude_own=True))
    only_social = fanout.subscribe_audit(Actor("portal", "c1"), AuditFilter(org_id="social"))

    fanout.deliver([AuditRecorded("portal", "c1", "c1")])  # the citizen's own portal use
    fanout.deliver([AuditRecorded("hoiva-oy", "c1", None)])

    assert await not_own.wait(0.1) == [AuditRecorded("hoiva-oy", "c1", None)]
    assert await only_social.wait(0.01) == []


async def test_consent_changes_leave_audit_watches_alone_and_caller_changes_recheck_them():
    fanout = LocalFanOut()
    watcher = fanout.subscribe_audit(Actor("portal", "c1"), AuditFilter())

    fanout.deliver([ConsentRevoked("c1", "consent-1")])
    assert not watcher.recheck_requested

    fanout.deliver([CallersChanged()])
    assert watcher.recheck_requested


async def test_an_unsubscribed_audit_watcher_hears_nothing_more():
    fanout = LocalFanOut()
    watcher = fanout.subscribe_audit(Actor("hoiva-oy"), AuditFilter())
    fanout.unsubscribe(watcher)

    fanout.deliver([AuditRecorded("hoiva-oy", None, None), CallersChanged()])

    assert await watcher.wait(0.01) == []
    assert not watcher.recheck_requested


async def test_a_read_mark_reaches_the_watchers_of_its_thread_only_after_what_came_before():
    fanout = LocalFanOut()
    watcher, bystander = fanout.subscribe("t1", "c1"), fanout.subscribe("t2", "c1")
    mark = ReadMarked("t1", "org-b", None, 1, datetime.now(UTC))

    fanout.deliver([MessagePosted(_message("t1", 1)), mark])

    assert [type(item) for item in await watcher.wait(0.1)] == [Message, ReadMarked]
    assert await bystander.wait(0.01) == []


async def test_a_queue_change_wakes_its_desks_watchers_once_and_numbers_the_wakes() -> None:
    fanout = LocalFanOut()
    key = QueueChanged("advice").wake_key
    assert fanout.wakes(key) == 0
    first, second = fanout.subscribe_wake(key), fanout.subscribe_wake(key)
    other = fanout.subscribe_wake(QueueChanged("forest").wake_key)

    fanout.deliver([QueueChanged("advice"), QueueChanged("advice")])
    woken = fanout.wakes(key)
    assert woken > 0
    assert await first.wait(0) == [key]  # two changes, one wake-up: the watch reads the log
    assert await second.wait(0) == [key]
    assert await other.wait(0) == []
    fanout.deliver([QueueChanged("advice")])
    assert fanout.wakes(key) > woken  # a read made before this wake is not taken again

    fanout.unsubscribe(first)
    fanout.unsubscribe(second)
    assert fanout.wakes(key) == 0
    fanout.deliver([QueueChanged("advice")])  # nobody watching: nothing to number
    assert fanout.wakes(key) == 0


async def test_a_change_to_the_rights_over_a_citizen_rechecks_every_stream_on_their_data():
    fanout = LocalFanOut()
    thread = fanout.subscribe("t1", "c1")
    log = fanout.subscribe_audit(Actor("portal", "c1", "r1"), AuditFilter())
    inquiry = fanout.subscribe_wake("inquiry:i1", "c1")
    others = [
        fanout.subscribe("t2", "c2"),
        fanout.subscribe_audit(Actor("portal", "c2"), AuditFilter()),
        fanout.subscribe_wake("inquiry:i2", "c2"),
        fanout.subscribe_wake("desk:d1"),
    ]
    before = fanout.access_changes()

    fanout.deliver([RepresentationChanged("c1")])

    assert all(s.recheck_requested for s in (thread, log, inquiry))
    assert not any(s.recheck_requested for s in others)
    assert fanout.access_changes() != before
