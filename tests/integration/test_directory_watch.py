"""The directory poll announces every change made after its baseline, the first included."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import timedelta

from luukku.domain.organizations import OrgKind
from luukku.server.blocking import runner_for
from luukku.server.live import directory as directory_watch
from luukku.server.live.fanout import LocalFanOut
from luukku.service.desks import admin as desks
from luukku.store.uow import Store


async def _first_round_rechecks(
    store: Store, previous: directory_watch.AccessStates | None
) -> bool:
    """Run the poll's first round; whether it asked an open stream to check its caller."""
    fanout = LocalFanOut()
    stream = fanout.subscribe_wake("desk:advice")
    poll = asyncio.create_task(
        directory_watch.watch_directory(
            store, runner_for(store, 1), fanout, seconds=3600, previous=previous
        )
    )
    try:
        await asyncio.wait_for(stream.recheck_wanted.wait(), 2)
    except TimeoutError:
        return False
    finally:
        poll.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await poll
    return stream.recheck_requested


async def test_a_change_between_the_baseline_and_the_first_poll_is_announced(
    store: Store, register_org: Callable[..., object]
) -> None:
    register_org("iisalmi", OrgKind.PUBLIC)
    desks.create_desk(
        store,
        "advice",
        name="Advice",
        topics=["farming"],
        overflow=timedelta(minutes=5),
        reopen_within=timedelta(days=1),
    )
    desks.add_member(store, "advice", "iisalmi")
    runner = runner_for(store, 1)
    # The broker reads this before it serves; a watch may start right after.
    baseline = await directory_watch.baseline(store, runner)
    assert baseline is not None
    assert ("desk", "advice", "iisalmi") in baseline

    desks.remove_member(store, "advice", "iisalmi")

    assert await _first_round_rechecks(store, baseline)
    # Without the baseline the first round only sets one, and the removal,
    # made while a watch was open, would never be announced.
    assert not await _first_round_rechecks(store, None)
