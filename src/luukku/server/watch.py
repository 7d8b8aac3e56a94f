"""One WatchThread stream: backlog, then live messages, exactly once and in order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Coroutine
from datetime import UTC, datetime
from typing import Any

from luukku.domain.caller import Caller
from luukku.domain.errors import LuukkuError
from luukku.domain.threads import Message
from luukku.server.blocking import StoreRunner
from luukku.server.convert_threads import message as message_pb
from luukku.server.fanout import FanOut, Subscription
from luukku.service.watch_progress import WatchProgress
from luukku.service.watching import (
    WatchGrant,
    backlog,
    end_watch,
    recheck_watch,
    record_delivery,
    start_watch,
)
from luukku.store.uow import Store
from luukku.v1 import threads_pb2 as pb

BACKLOG_BATCH = 500
# How long a stream's own loop has to act on a consent change before its
# guardian does it for it (the loop is stuck writing to a watcher that stopped
# reading): a revocation ends any stream within about a second.
GUARD_AFTER_S = 0.5

# Audit writes scheduled from a stream's cleanup, kept alive until they finish,
# and the streams still running (a stopping server cancels them; their cleanup
# runs a moment later).
_pending: set[asyncio.Task[Any]] = set()
_running: set[Watch] = set()
DRAIN_TIMEOUT_S = 10.0


def _spawn(coro: Coroutine[Any, Any, Any]) -> None:
    task = asyncio.get_running_loop().create_task(coro)
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def drain() -> None:
    """Wait until every stream has ended and written its end event (the broker is stopping)."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while (_running or _pending) and time.monotonic() < deadline:
        if _pending:
            await asyncio.gather(*tuple(_pending), return_exceptions=True)
        else:
            await asyncio.sleep(0.01)


class Watch:
    """The state of one stream: the caller, its grant and the last sequence sent."""

    def __init__(
        self,
        store: Store,
        runner: StoreRunner,
        fanout: FanOut,
        caller: Caller,
        heartbeat_seconds: float,
    ) -> None:
        self._store = store
        self._runner = runner
        self._fanout = fanout
        self._caller = caller
        self._heartbeat = heartbeat_seconds
        self._progress = WatchProgress(0, heartbeat_seconds, time.monotonic())
        self._ended_by: LuukkuError | None = None

    async def run(self, thread_id: str, after_seq: int) -> AsyncIterator[pb.WatchThreadResponse]:
        """Yield the stream's responses until the client leaves or access ends."""
        grant = await self._runner.run(start_watch, self._store, self._caller, thread_id, after_seq)
        # Subscribe before reading the backlog, so nothing posted in between is missed.
        subscription = self._fanout.subscribe(thread_id, grant.citizen_id)
        self._progress = WatchProgress(after_seq, self._heartbeat, time.monotonic())
        stream = asyncio.current_task()
        guardian = asyncio.get_running_loop().create_task(self._guard(subscription, grant, stream))
        _running.add(self)
        try:
            async for response in self._catch_up(thread_id, None):
                yield response
            while True:
                wait = self._progress.wait_seconds(grant.recheck_at, datetime.now(UTC))
                items = await subscription.wait(wait)
                grant = await self._check(subscription, grant, idle=not items)
                await self._record_deliveries(grant)
                if not items:
                    last = self._progress.last
                    yield pb.WatchThreadResponse(heartbeat=pb.Heartbeat(last_sequence=last))
                    continue
                for item in items:
                    async for response in self._deliver(item):
                        yield response
        except LuukkuError as exc:
            self._ended_by = exc
            raise
        finally:
            guardian.cancel()
            self._fanout.unsubscribe(subscription)
            unrecorded = self._progress.unrecorded()
            # Exactly one end event, whatever ended the stream: the client, a
            # deadline, a refusal (recorded as the denial it is), the broker stopping.
            _spawn(
                self._runner.run(
                    end_watch, self._store, self._caller, grant, unrecorded, self._ended_by
                )
            )
            _running.discard(self)

    async def _guard(
        self, subscription: Subscription, grant: WatchGrant, stream: asyncio.Task[Any] | None
    ) -> None:
        """End the stream on a refused re-check that its own loop cannot act on.

        A watcher that stops reading leaves the loop blocked in a write for as
        long as it likes; access must end within about a second all the same.
        """
        while stream is not None:
            await subscription.recheck_wanted.wait()
            await asyncio.sleep(GUARD_AFTER_S)
            if not subscription.recheck_requested:
                subscription.recheck_wanted.clear()  # the stream's own loop took it
                continue
            try:
                grant = await self._runner.run(recheck_watch, self._store, self._caller, grant)
            except LuukkuError as exc:
                self._ended_by = exc
                stream.cancel()
                return
            subscription.recheck_wanted.clear()

    async def _record_deliveries(self, grant: WatchGrant) -> None:
        due = self._progress.delivery_due(time.monotonic())
        if due is None:
            return
        await self._runner.run(record_delivery, self._store, self._caller, grant, *due)
        self._progress.recorded(due[1], time.monotonic())

    async def _check(
        self, subscription: Subscription, grant: WatchGrant, *, idle: bool
    ) -> WatchGrant:
        if subscription.overflowed:
            raise self._progress.too_slow()
        requested = subscription.recheck_requested
        now = datetime.now(UTC)
        if WatchProgress.must_recheck(
            requested=requested, idle=idle, recheck_at=grant.recheck_at, now=now
        ):
            subscription.recheck_requested = False
            grant = await self._runner.run(recheck_watch, self._store, self._caller, grant)
            subscription.recheck_wanted.clear()
        return grant

    async def _catch_up(
        self, thread_id: str, up_to: int | None
    ) -> AsyncIterator[pb.WatchThreadResponse]:
        """Send stored messages after the last one sent (up to ``up_to``, if given)."""
        while up_to is None or self._progress.last < up_to:
            batch = await self._runner.run(
                backlog, self._store, thread_id, self._progress.last, BACKLOG_BATCH
            )
            for stored in batch:
                if up_to is not None and stored.seq > up_to:
                    return
                yield self._sent(stored)
            if len(batch) < BACKLOG_BATCH:
                return

    async def _deliver(self, item: Message) -> AsyncIterator[pb.WatchThreadResponse]:
        gap_to = self._progress.gap_before(item.seq)
        if gap_to is not None:
            async for response in self._catch_up(item.thread_id, gap_to):
                yield response
        if self._progress.is_next(item.seq):
            yield self._sent(item)

    def _sent(self, item: Message) -> pb.WatchThreadResponse:
        self._progress.sent(item.seq)
        return pb.WatchThreadResponse(message=message_pb(item))
