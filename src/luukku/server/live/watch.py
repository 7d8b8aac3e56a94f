"""One watch stream: backlog, then live news, heartbeats, re-checks, and exactly one end event.

``Watch`` is the transport every kind of stream shares: it starts the watch
(audited), subscribes before reading the backlog, waits for news or a
heartbeat, checks access again when it must (a guardian does it for a stream
stuck writing to a watcher that stopped reading), records deliveries, and
writes the one end event whatever ends the stream. The kinds (``watch_thread``,
``watch_audit``) say what is read, subscribed to and sent.
"""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from luukku.domain.caller import Caller
from luukku.domain.errors import LuukkuError
from luukku.server.blocking import StoreRunner
from luukku.server.live.fanout import FanOut, Subscription
from luukku.service.watch_progress import WatchProgress
from luukku.service.watching import WatchGrant, end_watch, record_delivery
from luukku.store.uow import Store

G = TypeVar("G", bound=WatchGrant)
R = TypeVar("R")

# How long a stream's own loop has to act on a consent change before its
# guardian does it for it (the loop is stuck writing to a watcher that stopped
# reading): a revocation ends any stream within about a second.
GUARD_AFTER_S = 0.5

# Audit writes scheduled from a stream's cleanup, kept alive until they finish,
# and the streams still running (a stopping server cancels them; their cleanup
# runs a moment later).
_pending: set[asyncio.Task[Any]] = set()
_running: set[Watch[Any, Any]] = set()
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


@dataclass(frozen=True)
class Streams:
    """What every watch stream of a broker works with (its servicers hold one)."""

    store: Store
    runner: StoreRunner
    fanout: FanOut
    heartbeat_seconds: float


class Watch(ABC, Generic[G, R]):
    """The state of one stream: the caller, its grant and what has been sent."""

    record_while_open: bool = True
    """Whether deliveries are recorded a heartbeat apart, not only at the end."""

    def __init__(self, streams: Streams, caller: Caller) -> None:
        self._streams = streams
        self._store = streams.store
        self._runner = streams.runner
        self._fanout = streams.fanout
        self._caller = caller
        self._seen = streams.store.citizen_keys.view(caller.organization.id)
        """How the caller is shown citizen ids: its organisation's pseudonyms."""
        self._heartbeat_s = streams.heartbeat_seconds
        self._progress = WatchProgress(0, self._heartbeat_s, time.monotonic())
        self._ended_by: LuukkuError | None = None

    # What each kind of watch supplies -------------------------------------------------

    @abstractmethod
    async def _start(self, after_seq: int) -> G:
        """Authorise and audit the start (through the runner)."""

    @abstractmethod
    async def _recheck(self, grant: G) -> G:
        """Decide access again (through the runner); raise the refusal that ends the stream."""

    @abstractmethod
    def _subscribe(self, grant: G) -> Subscription[Any]:
        """Subscribe to the news this watch wants."""

    @abstractmethod
    def _catch_up(self, grant: G) -> AsyncIterator[R]:
        """Send what is stored after what was sent."""

    @abstractmethod
    def _news(self, grant: G, items: list[Any]) -> AsyncIterator[R]:
        """Send what the news announced."""

    @abstractmethod
    def _heartbeat(self) -> R:
        """The response of a round without news."""

    async def _idle(self, grant: G) -> AsyncIterator[R]:
        """What a round without news sends: a heartbeat."""
        yield self._heartbeat()

    def _finished(self) -> None:
        """The stream has ended (whatever the watch kind must let go of)."""

    def _poll_seconds(self) -> float | None:
        """How soon to look again without news, if sooner than a heartbeat."""
        return None

    # The stream ------------------------------------------------------------------------

    async def run(self, after_seq: int) -> AsyncIterator[R]:
        """Yield the stream's responses until the client leaves or access ends."""
        access_changes = self._fanout.access_changes()
        grant = await self._start(after_seq)
        # Subscribe before reading the backlog, so nothing posted in between is missed.
        subscription = self._subscribe(grant)
        self._progress = WatchProgress(
            after_seq, self._heartbeat_s, time.monotonic(), record_while_open=self.record_while_open
        )
        stream = asyncio.current_task()
        guardian = asyncio.get_running_loop().create_task(self._guard(subscription, grant, stream))
        _running.add(self)
        try:
            if self._fanout.access_changes() != access_changes:
                # A revocation, suspension or membership's end came while access was
                # being decided, before the subscription could hear of it: decide again.
                grant = await self._recheck(grant)
            async for response in self._catch_up(grant):
                yield response
            while True:
                wait = self._progress.wait_seconds(grant.recheck_at, datetime.now(UTC))
                poll = self._poll_seconds()
                items = await subscription.wait(wait if poll is None else min(wait, poll))
                grant = await self._check(subscription, grant, idle=not items)
                await self._record_deliveries(grant)
                responses = self._news(grant, items) if items else self._idle(grant)
                async for response in responses:
                    yield response
        except LuukkuError as exc:
            self._ended_by = exc
            raise
        finally:
            guardian.cancel()
            self._fanout.unsubscribe(subscription)
            self._finished()
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
        self, subscription: Subscription[Any], grant: G, stream: asyncio.Task[Any] | None
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
                grant = await self._recheck(grant)
            except LuukkuError as exc:
                self._ended_by = exc
                stream.cancel()
                return
            subscription.recheck_wanted.clear()

    async def _record_deliveries(self, grant: G) -> None:
        due = self._progress.delivery_due(time.monotonic())
        if due is None:
            return
        await self._runner.run(record_delivery, self._store, self._caller, grant, *due)
        self._progress.recorded(due[1], time.monotonic())

    async def _check(self, subscription: Subscription[Any], grant: G, *, idle: bool) -> G:
        if subscription.overflowed:
            raise self._progress.too_slow()
        requested = subscription.recheck_requested
        now = datetime.now(UTC)
        if WatchProgress.must_recheck(
            requested=requested, idle=idle, recheck_at=grant.recheck_at, now=now
        ):
            subscription.recheck_requested = False
            grant = await self._recheck(grant)
            subscription.recheck_wanted.clear()
        return grant
