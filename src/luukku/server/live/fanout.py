"""Fan-out of committed events to the open watch streams.

``FanOut`` is the small interface the broker uses: watch streams subscribe
(to a thread's messages and read marks, or to the audit events that concern
a viewer), and the runner delivers the events use cases committed
(``deliver``) once they are durable. ``LocalFanOut`` serves one broker
process; ``pg_fanout.PgFanOut`` (several replicas on PostgreSQL) NOTIFYs the
events' ids on ``deliver`` too and feeds what it hears from the other
replicas into the same local subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from luukku.audit.filters import AuditFilter, may_concern
from luukku.domain.access import Actor
from luukku.domain.events import (
    AuditRecorded,
    CallersChanged,
    ConsentGranted,
    ConsentRevoked,
    Event,
    InquiryChanged,
    MessagePosted,
    QueueChanged,
    ReadMarked,
    RepresentationChanged,
)
from luukku.domain.threads import Message

# How many undelivered items a watcher may fall behind before it is closed.
DEFAULT_BACKLOG_LIMIT = 1000

ThreadNews = Message | ReadMarked
"""What a thread's watchers hear: its new messages and its participants' read marks."""

T = TypeVar("T")


class Subscription(Generic[T]):
    """One watcher's inbox: bounded, so a slow watcher cannot grow memory."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._items: deque[T] = deque()
        self._wake = asyncio.Event()
        self.overflowed = False
        self.recheck_requested = False
        self.recheck_wanted = asyncio.Event()
        """Set with ``recheck_requested``; the stream's guardian waits on it."""

    def offer(self, item: T) -> None:
        """Queue an item; past the limit, drop everything and flag the overflow."""
        if self.overflowed:
            return
        if len(self._items) >= self._limit:
            self.overflowed = True
            self._items.clear()
        else:
            self._items.append(item)
        self._wake.set()

    def pending(self, item: T) -> bool:
        """Whether ``item`` already waits in the inbox (a wake-up needs queueing once)."""
        return item in self._items

    def request_recheck(self) -> None:
        """Ask the watcher to check its access again (a consent changed)."""
        self.recheck_requested = True
        self.recheck_wanted.set()
        self._wake.set()

    async def wait(self, seconds: float) -> list[T]:
        """Wait up to ``seconds`` for news; returns the queued items (maybe none)."""
        if not self._items and not self.overflowed and not self.recheck_requested:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()
        items = list(self._items)
        self._items.clear()
        return items


class FanOut(Protocol):
    """What watch streams need from a fan-out."""

    def subscribe(self, thread_id: str, citizen_id: str) -> Subscription[ThreadNews]:
        """Start receiving a thread's news and its citizen's consent changes."""
        ...

    def subscribe_audit(self, viewer: Actor, wanted: AuditFilter) -> Subscription[AuditRecorded]:
        """Start hearing of committed audit events that ``viewer``'s watch may select."""
        ...

    def subscribe_wake(self, key: str, citizen_id: str | None = None) -> Subscription[str]:
        """Start hearing that what ``key`` names changed (an event's ``wake_key``); the
        watch then reads the store itself. With ``citizen_id``, also hear of changes to
        who may act on that citizen's data (re-checks)."""
        ...

    def wakes(self, key: str) -> int:
        """A number that changes whenever watchers of ``key`` are woken (0: not yet)."""
        ...

    def access_changes(self) -> int:
        """A number that changes whenever open streams are asked to check their access
        again: one that decided its access before subscribing compares it across both."""
        ...

    def unsubscribe(self, subscription: Subscription[Any]) -> None:
        """Stop receiving."""
        ...

    def deliver(self, events: Sequence[Event]) -> None:
        """Act on committed events: news to watchers, access changes to re-checks."""
        ...

    async def start(self, on_reachable: Callable[[bool], None] | None = None) -> None:
        """Begin hearing of other processes' events; ``on_reachable`` hears if that fails."""
        ...

    async def close(self) -> None:
        """Stop hearing of other processes' events."""
        ...


_Index = defaultdict[str, set[Subscription[Any]]]


class LocalFanOut:
    """Fan-out within one broker process (all calls on the event loop thread)."""

    def __init__(self, backlog_limit: int = DEFAULT_BACKLOG_LIMIT) -> None:
        self._limit = backlog_limit
        self._by_thread: _Index = defaultdict(set)
        self._by_citizen: _Index = defaultdict(set)
        """Thread and inquiry watchers by the citizen whose data they show (re-checked when
        that citizen's consents or the rights over them change)."""
        self._audit_by_citizen: _Index = defaultdict(set)
        """Audit watchers by the citizen viewing."""
        self._audit_by_org: _Index = defaultdict(set)
        """Audit watchers by the organisation viewing (its own calls)."""
        self._by_wake_key: _Index = defaultdict(set)
        """Watchers that read the store when woken: a desk's queue, an inquiry."""
        self._woken: dict[str, int] = {}
        """The serial number of the last wake of each key with watchers."""
        self._wake_serial = 0
        self._access_serial = 0
        self._audit_wants: dict[Subscription[Any], tuple[Actor, AuditFilter]] = {}
        self._audit_opened = 0
        self._keys: dict[Subscription[Any], list[tuple[_Index, str]]] = {}

    async def start(self, on_reachable: Callable[[bool], None] | None = None) -> None:
        """Nothing to start: one process hears only itself."""

    async def close(self) -> None:
        """Nothing to stop."""

    def subscribe(self, thread_id: str, citizen_id: str) -> Subscription[ThreadNews]:
        subscription: Subscription[ThreadNews] = Subscription(self._limit)
        self._index(subscription, (self._by_thread, thread_id), (self._by_citizen, citizen_id))
        return subscription

    def subscribe_audit(self, viewer: Actor, wanted: AuditFilter) -> Subscription[AuditRecorded]:
        subscription: Subscription[AuditRecorded] = Subscription(self._limit)
        if viewer.citizen_id is None:
            self._index(subscription, (self._audit_by_org, viewer.org_id))
        else:
            self._index(subscription, (self._audit_by_citizen, viewer.citizen_id))
        self._audit_wants[subscription] = (viewer, wanted)
        self._audit_opened += 1
        return subscription

    def subscribe_wake(self, key: str, citizen_id: str | None = None) -> Subscription[str]:
        subscription: Subscription[str] = Subscription(self._limit)
        keys = [(self._by_wake_key, key)]
        if citizen_id is not None:
            keys.append((self._by_citizen, citizen_id))
        self._index(subscription, *keys)
        return subscription

    def _index(self, subscription: Subscription[Any], *keys: tuple[_Index, str]) -> None:
        for index, key in keys:
            index[key].add(subscription)
        self._keys[subscription] = list(keys)

    def unsubscribe(self, subscription: Subscription[Any]) -> None:
        self._audit_wants.pop(subscription, None)
        for index, key in self._keys.pop(subscription, ()):
            subs = index.get(key)
            if subs is not None:
                subs.discard(subscription)
                if not subs:
                    del index[key]
                    if index is self._by_wake_key:
                        self._woken.pop(key, None)

    def publish(self, news: ThreadNews) -> None:
        """Offer a thread's news to its watchers (their grants are to that thread)."""
        thread_id = news.conversation_id if isinstance(news, Message) else news.thread_id
        for subscription in tuple(self._by_thread.get(thread_id, ())):
            subscription.offer(news)

    def audit_watched(self) -> bool:
        """Whether any audit watch is open here."""
        return bool(self._audit_wants)

    def audit_watches_opened(self) -> int:
        """How many audit watches have been opened here, ever."""
        return self._audit_opened

    def audit_recorded(self, news: AuditRecorded) -> None:
        watchers = set(self._audit_by_org.get(news.org_id, ()))
        for citizen in (news.subject_citizen_id, news.acting_for_citizen_id):
            if citizen is not None:
                watchers.update(self._audit_by_citizen.get(citizen, ()))
        for subscription in watchers:
            viewer, wanted = self._audit_wants[subscription]
            if may_concern(viewer, wanted, news):
                subscription.offer(news)

    def wakes(self, key: str) -> int:
        return self._woken.get(key, 0)

    def wake(self, key: str) -> None:
        if key in self._by_wake_key:
            self._wake_serial += 1
            self._woken[key] = self._wake_serial
        for subscription in tuple(self._by_wake_key.get(key, ())):
            if not subscription.pending(key):
                subscription.offer(key)

    def access_changes(self) -> int:
        return self._access_serial

    def access_changed(self, citizen_id: str) -> None:
        self._access_serial += 1
        for subscription in tuple(self._by_citizen.get(citizen_id, ())):
            subscription.request_recheck()

    def representation_changed(self, represented_id: str) -> None:
        """A right over ``represented_id`` changed: every stream on their data, their
        inquiries' and their audit log's, checks its access again."""
        self.access_changed(represented_id)
        for subscription in tuple(self._audit_by_citizen.get(represented_id, ())):
            subscription.request_recheck()

    def callers_changed(self) -> None:
        self._access_serial += 1
        for subscription in tuple(self._keys):
            subscription.request_recheck()

    def deliver(self, events: Sequence[Event]) -> None:
        for event in events:
            match event:
                case MessagePosted(message=message):
                    self.publish(message)
                case ReadMarked():
                    self.publish(event)
                case AuditRecorded():
                    self.audit_recorded(event)
                case ConsentRevoked(citizen_id=citizen_id):
                    self.access_changed(citizen_id)
                case RepresentationChanged(represented_id=represented_id):
                    self.representation_changed(represented_id)
                case CallersChanged():
                    self.callers_changed()
                case QueueChanged() | InquiryChanged():
                    self.wake(event.wake_key)
                case ConsentGranted():
                    pass  # no open stream was waiting for it: watches start allowed or not at all
