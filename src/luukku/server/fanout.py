"""Fan-out of posted messages to the open watch streams.

``FanOut`` is the small interface the watch streams use; ``LocalFanOut``
serves one broker process. A PostgreSQL LISTEN/NOTIFY implementation for
several replicas plugs in behind the same interface: it would NOTIFY on
``publish``/``access_changed`` and feed what it hears into local subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict, deque
from typing import Protocol

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

    def publish(self, message: Message) -> None:
        """Deliver a committed message to the thread's watchers."""
        ...

    def access_changed(self, citizen_id: str) -> None:
        """Tell watchers of the citizen's threads to check their access again."""
        ...

    def callers_changed(self) -> None:
        """Tell every watcher to check its caller again (a suspension or revocation)."""
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
