"""WatchThread: a thread's messages after a cursor, then live, exactly once and in order;
and read marks (as they stand once caught up, then live), each after the message it reaches."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from luukku.domain.access import Actor
from luukku.domain.caller import Caller
from luukku.domain.events import ReadMarked
from luukku.domain.threads import Message, participant_key
from luukku.server.api.convert.threads import message as message_pb
from luukku.server.api.convert.threads import read_mark as read_mark_pb
from luukku.server.live.fanout import Subscription, ThreadNews
from luukku.server.live.watch import Streams, Watch
from luukku.service.watching import (
    ThreadGrant,
    backlog,
    read_marks,
    recheck_watch,
    start_watch,
)
from luukku.v1 import threads_pb2 as pb

BACKLOG_BATCH = 500


class ThreadWatch(Watch[ThreadGrant, pb.WatchThreadResponse]):
    """One WatchThread stream."""

    def __init__(self, streams: Streams, caller: Caller, thread_id: str) -> None:
        super().__init__(streams, caller)
        self._thread_id = thread_id
        self._read_up_to: dict[str, int] = {}
        """Each participant's furthest read mark sent: one heard late is not sent."""

    async def _start(self, after_seq: int) -> ThreadGrant:
        return await self._runner.run(
            start_watch, self._store, self._caller, self._thread_id, after_seq
        )

    async def _recheck(self, grant: ThreadGrant) -> ThreadGrant:
        return await self._runner.run(recheck_watch, self._store, self._caller, grant)

    def _subscribe(self, grant: ThreadGrant) -> Subscription[Any]:
        return self._fanout.subscribe(grant.thread.id, grant.subject)

    async def _catch_up(self, grant: ThreadGrant) -> AsyncIterator[pb.WatchThreadResponse]:
        async for response in self._stored(None):
            yield response
        # Then how far each participant has read as it stands: marks made while a
        # watcher was away are not replayed by cursor as messages are. Each goes after
        # the message it reaches, as a live one does.
        standing = await self._runner.run(read_marks, self._store, self._thread_id)
        async for response in self._news(grant, list(standing)):
            yield response

    async def _news(
        self, grant: ThreadGrant, items: list[ThreadNews]
    ) -> AsyncIterator[pb.WatchThreadResponse]:
        for item in items:
            if isinstance(item, ReadMarked):
                # The message a mark reaches goes first (its news may come later).
                async for response in self._stored(item.seq):
                    yield response
                if self._advances(item):
                    yield pb.WatchThreadResponse(read_mark=read_mark_pb(item, self._seen))
                continue
            gap_to = self._progress.gap_before(item.seq)
            if gap_to is not None:
                async for response in self._stored(gap_to):
                    yield response
            if self._progress.is_next(item.seq):
                yield self._sent(item)

    def _advances(self, mark: ReadMarked) -> bool:
        """Whether ``mark`` moves its participant beyond what was sent (marks of two
        replicas may be heard out of order)."""
        party = participant_key(Actor(mark.org_id, mark.citizen_id))
        if mark.seq <= self._read_up_to.get(party, 0):
            return False
        self._read_up_to[party] = mark.seq
        return True

    async def _idle(self, grant: ThreadGrant) -> AsyncIterator[pb.WatchThreadResponse]:
        # The thread is read on quiet rounds too: a message whose news never
        # came (another replica's notification lost while reconnecting) is
        # sent within a heartbeat all the same.
        async for response in self._stored(None):
            yield response
        yield self._heartbeat()

    def _heartbeat(self) -> pb.WatchThreadResponse:
        return pb.WatchThreadResponse(heartbeat=pb.Heartbeat(last_sequence=self._progress.last))

    async def _stored(self, up_to: int | None) -> AsyncIterator[pb.WatchThreadResponse]:
        """Send stored messages after the last one sent (up to ``up_to``, if given)."""
        while up_to is None or self._progress.last < up_to:
            batch = await self._runner.run(
                backlog, self._store, self._thread_id, self._progress.last, BACKLOG_BATCH
            )
            for stored in batch:
                if up_to is not None and stored.seq > up_to:
                    return
                yield self._sent(stored)
            if len(batch) < BACKLOG_BATCH:
                return

    def _sent(self, item: Message) -> pb.WatchThreadResponse:
        self._progress.sent(item.seq)
        return pb.WatchThreadResponse(message=message_pb(item, self._seen))
