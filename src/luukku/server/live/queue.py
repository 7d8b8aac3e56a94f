"""WatchQueue: a desk's queue as one member sees it, then each change, live.

News only wakes the stream (``QueueChanged`` carries the desk's id); the
stream reads the desk's queue log after its cursor, so nothing is lost or
sent twice however the news arrives (from this process, another replica, or
not at all: quiet rounds read too). Overflows write nothing: the stream
looks for them when the next one is due.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from luukku.domain.caller import Caller
from luukku.domain.desks.inquiries import Inquiry, InquiryStatus
from luukku.domain.desks.queue import QueueCursor, QueueEntryKind
from luukku.domain.events import QueueChanged
from luukku.server.api.convert.common import timestamp
from luukku.server.api.convert.desks import inquiry as inquiry_pb
from luukku.server.live.fanout import Subscription
from luukku.server.live.watch import Streams, Watch
from luukku.service.access.clock import now_utc
from luukku.service.desks.inquiry import InquiryView
from luukku.service.desks.queue_watching import (
    QueueGrant,
    QueueItem,
    QueueLogRead,
    overflows,
    queue_log_after,
    queue_view,
    recheck_queue_watch,
    start_queue_watch,
)
from luukku.service.watch_progress import WatchProgress
from luukku.v1 import desks_pb2 as pb

BACKLOG_BATCH = 500
# Overflows are looked for a moment after they are due, so that the clock the
# query compares against has surely passed them.
OVERFLOW_GRACE_S = 0.01
_ONE_MICROSECOND = timedelta(microseconds=1)


class SharedQueueReads:
    """The latest read of each watched desk's queue log, shared by this process's watches.

    A change wakes every watch of its desk at once: the first to look starts a
    read of the log and the others await that same read, provided they stand
    where it began and no wake for the desk has come since it began (the
    fan-out numbers the wakes). A change committed while a read was under way
    wakes them all again, so nobody waits for its entry past the next read.
    """

    def __init__(self) -> None:
        self._latest: dict[str, tuple[int, int, asyncio.Future[QueueLogRead]]] = {}
        self._watching: Counter[str] = Counter()

    def watch(self, desk_id: str) -> None:
        """A watch of the desk has begun."""
        self._watching[desk_id] += 1

    def unwatch(self, desk_id: str) -> None:
        """A watch of the desk has ended; the last one takes the desk's read with it."""
        self._watching[desk_id] -= 1
        if self._watching[desk_id] <= 0:
            del self._watching[desk_id]
            self._latest.pop(desk_id, None)

    async def after(
        self, streams: Streams, grant: QueueGrant, after_seq: int, *, fresh: bool
    ) -> QueueLogRead:
        """The desk's log after ``after_seq``: read now, or the read another watch began
        (never when ``fresh``: a quiet round must find what no news announced)."""
        desk_id = grant.desk_id
        woken = streams.fanout.wakes(QueueChanged(desk_id).wake_key)
        latest = self._latest.get(desk_id)
        if not fresh and latest is not None and latest[:2] == (woken, after_seq):
            return await asyncio.shield(latest[2])
        read = asyncio.ensure_future(
            streams.runner.run(queue_log_after, streams.store, grant, after_seq, BACKLOG_BATCH)
        )
        read.add_done_callback(_retrieved)
        if desk_id in self._watching:
            self._latest[desk_id] = (woken, after_seq, read)
        try:
            return await asyncio.shield(read)
        except BaseException:
            # A failed read is nobody's to share (and a cancelled watch leaves it to others).
            if read.done() and self._latest.get(desk_id, (0, 0, None))[2] is read:
                del self._latest[desk_id]
            raise


def _retrieved(read: asyncio.Future[QueueLogRead]) -> None:
    """Take a shared read's failure off asyncio's hands: its awaiters each got it."""
    if not read.cancelled():
        read.exception()


class QueueWatch(Watch[QueueGrant, pb.WatchQueueResponse]):
    """One WatchQueue stream."""

    # Its own records would not be news to it, but a queue is not personal
    # data the way a conversation is: the start and the end are recorded.
    record_while_open = False

    def __init__(
        self,
        streams: Streams,
        caller: Caller,
        desk_id: str,
        cursor: QueueCursor | None,
        shared: SharedQueueReads,
    ) -> None:
        super().__init__(streams, caller)
        self._shared = shared
        self._desk_id = desk_id
        self._resumed_at = cursor
        self._position = cursor.seq if cursor else 0
        self._overflows_until = cursor.overflows_until if cursor else now_utc()
        self._next_overflow: datetime | None = None

    async def _start(self, after_seq: int) -> QueueGrant:
        return await self._runner.run(
            start_queue_watch, self._store, self._caller, self._desk_id, self._resumed_at
        )

    async def _recheck(self, grant: QueueGrant) -> QueueGrant:
        return await self._runner.run(recheck_queue_watch, self._store, self._caller, grant)

    def _subscribe(self, grant: QueueGrant) -> Subscription[Any]:
        self._shared.watch(grant.desk_id)
        return self._fanout.subscribe_wake(QueueChanged(grant.desk_id).wake_key)

    def _finished(self) -> None:
        self._shared.unwatch(self._desk_id)

    async def _catch_up(self, grant: QueueGrant) -> AsyncIterator[pb.WatchQueueResponse]:
        if self._resumed_at is None:
            cursor, items = await self._runner.run(queue_view, self._store, grant)
            self._position, self._overflows_until = cursor.seq, cursor.overflows_until
            self._progress = WatchProgress(
                cursor.seq, self._heartbeat_s, time.monotonic(), record_while_open=False
            )
            for item in items:
                # No cursor: a view cut short is begun again, not resumed.
                yield self._response(item, "")
        async for response in self._read_on(grant, quiet=True):
            yield response
        # Caught up: the watcher learns where from, and that what follows is live.
        yield self._heartbeat()

    def _news(self, grant: QueueGrant, items: list[Any]) -> AsyncIterator[pb.WatchQueueResponse]:
        return self._read_on(grant)

    async def _idle(self, grant: QueueGrant) -> AsyncIterator[pb.WatchQueueResponse]:
        async for response in self._read_on(grant, quiet=True):
            yield response
        yield self._heartbeat()

    def _poll_seconds(self) -> float | None:
        if self._next_overflow is None:
            return None
        due = (self._next_overflow - now_utc()).total_seconds()
        return max(0.0, due) + OVERFLOW_GRACE_S

    def _heartbeat(self) -> pb.WatchQueueResponse:
        return pb.WatchQueueResponse(heartbeat=pb.QueueHeartbeat(cursor=self._cursor()))

    def _cursor(self) -> str:
        return QueueCursor(self._position, self._overflows_until).text()

    async def _read_on(
        self, grant: QueueGrant, *, quiet: bool = False
    ) -> AsyncIterator[pb.WatchQueueResponse]:
        """Send the logged entries after the cursor that concern the member, then the
        overflows due since the last look (looked for when one is due, and on quiet
        rounds, which also read the log afresh)."""
        while True:
            read = await self._shared.after(self._streams, grant, self._position, fresh=quiet)
            for item in read.entries:
                self._expect_overflow(item.inquiry)
            for item in read.concerning(grant.org_id):
                self._position = item.entry.seq
                self._progress.sent(item.entry.seq)
                yield self._response(item, self._cursor())
            self._position = read.read_up_to
            if not read.more:
                break
        now = now_utc()
        due = self._next_overflow is not None and self._next_overflow <= now
        if not (quiet or due):
            return
        found, self._next_overflow = await self._runner.run(
            overflows, self._store, grant, self._overflows_until, now
        )
        for index, item in enumerate(found):
            last = index == len(found) - 1
            # Resuming after one of several overflows announces the later ones again.
            self._overflows_until = now if last else item.inquiry.overflow_at - _ONE_MICROSECOND
            yield self._response(item, self._cursor())
        self._overflows_until = now

    def _expect_overflow(self, inquiry: Inquiry) -> None:
        """Look for overflows when this inquiry's is due, if it waits for another member."""
        waiting = inquiry.status is InquiryStatus.QUEUED and inquiry.offered_to_org_id not in (
            None,
            self._caller.organization.id,
        )
        later = inquiry.overflow_at > self._overflows_until
        if (
            waiting
            and later
            and (self._next_overflow or inquiry.overflow_at) >= inquiry.overflow_at
        ):
            self._next_overflow = inquiry.overflow_at

    def _response(self, item: QueueItem, cursor: str) -> pb.WatchQueueResponse:
        entry = item.entry
        kind = QueueEntryKind(entry.kind)
        return pb.WatchQueueResponse(
            entry=pb.QueueEntry(
                kind=f"QUEUE_ENTRY_KIND_{kind.name}",
                organization_id=entry.org_id,
                time=timestamp(entry.at),
                inquiry=inquiry_pb(InquiryView(item.inquiry, ()), self._seen),
                cursor=cursor,
            )
        )
