"""The policy of a watch stream: order without gaps, audits a heartbeat apart, re-checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from luukku.service.watch_progress import WatchProgress

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_a_message_past_a_gap_asks_for_the_missing_ones_first():
    progress = WatchProgress(after_seq=3, heartbeat_s=15, now=0.0)

    assert progress.gap_before(4) is None
    assert progress.is_next(4)
    assert progress.gap_before(7) == 6
    assert progress.gap_before(3) is None
    assert not progress.is_next(3)


def test_deliveries_are_audited_a_heartbeat_apart_and_what_is_left_at_the_end():
    progress = WatchProgress(after_seq=0, heartbeat_s=15, now=0.0)
    for seq in (1, 2, 3):
        progress.sent(seq)

    assert progress.delivery_due(now=10.0) is None
    assert progress.delivery_due(now=15.0) == (1, 3)
    progress.recorded(3, now=15.0)
    progress.sent(4)
    assert progress.delivery_due(now=20.0) is None
    assert progress.unrecorded() == (4, 4)
    progress.sent(5)
    assert progress.unrecorded() == (4, 5)


def test_a_watch_waits_no_longer_than_its_consent_lasts_and_rechecks_when_it_lapses():
    progress = WatchProgress(after_seq=0, heartbeat_s=15, now=0.0)
    lapses = NOW + timedelta(seconds=4)

    assert progress.wait_seconds(None, NOW) == 15
    assert progress.wait_seconds(lapses, NOW) == 4
    assert progress.wait_seconds(lapses, NOW + timedelta(seconds=9)) == 0.0
    check = WatchProgress.must_recheck
    assert not check(requested=False, idle=False, recheck_at=lapses, now=NOW)
    assert check(requested=False, idle=False, recheck_at=lapses, now=lapses)
    assert check(requested=True, idle=False, recheck_at=None, now=NOW)
    assert check(requested=False, idle=True, recheck_at=None, now=NOW)


def test_a_watcher_too_slow_is_told_where_to_resume():
    progress = WatchProgress(after_seq=0, heartbeat_s=15, now=0.0)
    progress.sent(41)

    error = progress.too_slow()

    assert (error.reason, error.metadata["last_sequence"]) == ("WATCHER_TOO_SLOW", "41")


def test_a_watch_that_records_only_at_its_end_is_never_due_while_open():
    progress = WatchProgress(after_seq=0, heartbeat_s=15, now=0.0, record_while_open=False)
    progress.sent(4)

    assert progress.delivery_due(now=1e9) is None
    assert progress.unrecorded() == (1, 4)
