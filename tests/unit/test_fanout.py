"""The in-process fan-out: every watcher gets each message once; slow ones are cut off."""

from __future__ import annotations

from datetime import UTC, datetime

from luukku.domain.caller import Practitioner
from luukku.domain.events import CallersChanged, ConsentRevoked, MessagePosted
from luukku.domain.threads import Message
from luukku.server.fanout import LocalFanOut


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
