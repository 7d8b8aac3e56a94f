"""Fan-out of posted messages to the open watch streams.

``FanOut`` is the small interface the broker uses: watch streams subscribe,
and the runner delivers the events use cases committed (``deliver``) once
they are durable. ``LocalFanOut`` serves one broker process. A PostgreSQL
LISTEN/NOTIFY implementation for several replicas plugs in behind the same
interface: it would NOTIFY the events' ids on ``deliver`` and feed what it
hears into local subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict, deque
from collections.abc import Sequence
from typing import Protocol

from luukku.domain.events import (
    CallersChanged,
    ConsentGranted,
    ConsentRevoked,
    Event,
    MessagePosted,
)
from luukku.domain.threads import Message

# How many undelivered messages a watcher may fall behind before it is closed.
DEFAULT_BACKLOG_LIMIT = 1000


class Subscription:
    """One watcher's inbox: bounded, so a slow watcher cannot grow memory."""

    def __init__(self, thread_id: str, citizen_id: str, limit: int) -> None:
        self.thread_id = thread_id
        self.citizen_id = citizen_id
        self._limit = limit
        self._items: deque[Message] = deque()
        self._wake = asyncio.Event()
        self.overflowed = False
        self.recheck_requested = False
        self.recheck_wanted = asyncio.Event()
        """Set with ``recheck_requested``; the stream's guardian waits on it."""

    def offer(self, message: Message) -> None:
        """Queue a message; past the limit, drop everything and flag the overflow."""
        if self.overflowed:
            return
        if len(self._items) >= self._limit:
            self.overflowed = True
            self._items.clear()
        else:
            self._items.append(message)
        self._wake.set()

    def request_recheck(self) -> None:
        """Ask the watcher to check its access again (a consent changed)."""
        self.recheck_requested = True
        self.recheck_wanted.set()
        self._wake.set()

    async def wait(self, seconds: float) -> list[Message]:
        """Wait up to ``seconds`` for news; returns the queued messages (maybe none)."""
        if not self._items and not self.overflowed and not self.recheck_requested:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()
        items = list(self._items)
        self._items.clear()
        return items


class FanOut(Protocol):
    """What watch streams need from a fan-out."""

    def subscribe(self, thread_id: str, citizen_id: str) -> Subscription:
        """Start receiving a thread's new messages and its citizen's consent changes."""
        ...

    def unsubscribe(self, subscription: Subscription) -> None:
        """Stop receiving."""
        ...

    def deliver(self, events: Sequence[Event]) -> None:
        """Act on committed events: new messages to watchers, access changes to re-checks."""
        ...


class LocalFanOut:
    """Fan-out within one broker process (all calls on the event loop thread)."""

    def __init__(self, backlog_limit: int = DEFAULT_BACKLOG_LIMIT) -> None:
        self._limit = backlog_limit
        self._by_thread: defaultdict[str, set[Subscription]] = defaultdict(set)
        self._by_citizen: defaultdict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, thread_id: str, citizen_id: str) -> Subscription:
        subscription = Subscription(thread_id, citizen_id, self._limit)
        self._by_thread[thread_id].add(subscription)
        self._by_citizen[citizen_id].add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        for index, key in (
            (self._by_thread, subscription.thread_id),
            (self._by_citizen, subscription.citizen_id),
        ):
            subs = index.get(key)
            if subs is not None:
                subs.discard(subscription)
                if not subs:
                    del index[key]

    def publish(self, message: Message) -> None:
        for subscription in tuple(self._by_thread.get(message.thread_id, ())):
            subscription.offer(message)

    def access_changed(self, citizen_id: str) -> None:
        for subscription in tuple(self._by_citizen.get(citizen_id, ())):
            subscription.request_recheck()

    def callers_changed(self) -> None:
        for subscriptions in tuple(self._by_citizen.values()):
            for subscription in tuple(subscriptions):
                subscription.request_recheck()

    def deliver(self, events: Sequence[Event]) -> None:
        for event in events:
            match event:
                case MessagePosted(message=message):
                    self.publish(message)
                case ConsentRevoked(citizen_id=citizen_id):
                    self.access_changed(citizen_id)
                case CallersChanged():
                    self.callers_changed()
                case ConsentGranted():
                    pass  # no open stream was waiting for it: watches start allowed or not at all
