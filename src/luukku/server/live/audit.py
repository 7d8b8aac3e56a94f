"""WatchAuditEvents: the audit events a viewer may list, after a cursor, then live.

A committed audit event only wakes the stream (``AuditRecorded`` carries
ids); the stream then reads the log after the last event it considered, in
sequence order, so that nothing is lost or sent twice however the news
arrives. Audit numbers commit in order without gaps on both engines (the
store serialises appends for the Merkle tree), so the cursor never has to
wait for a lower number to appear.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from luukku.audit.filters import AuditFilter
from luukku.domain.caller import Caller
from luukku.server.api.convert.audit import audit_event
from luukku.server.live.fanout import Subscription
from luukku.server.live.watch import Streams, Watch
from luukku.service.audit.watching import (
    AuditGrant,
    audit_backlog,
    recheck_audit_watch,
    start_audit_watch,
)
from luukku.v1 import audit_pb2 as pb

BACKLOG_BATCH = 500


class AuditWatch(Watch[AuditGrant, pb.WatchAuditEventsResponse]):
    """One WatchAuditEvents stream."""

    # Its own delivery records would be news to itself: see service/audit_watching.
    record_while_open = False

    def __init__(self, streams: Streams, caller: Caller, wanted: AuditFilter) -> None:
        super().__init__(streams, caller)
        self._wanted = wanted
        self._position = 0

    async def _start(self, after_seq: int) -> AuditGrant:
        grant = await self._runner.run(
            start_audit_watch, self._store, self._caller, self._wanted, after_seq
        )
        self._position = after_seq
        return grant

    async def _recheck(self, grant: AuditGrant) -> AuditGrant:
        return await self._runner.run(recheck_audit_watch, self._store, self._caller, grant)

    def _subscribe(self, grant: AuditGrant) -> Subscription[Any]:
        return self._fanout.subscribe_audit(grant.viewer, grant.wanted)

    async def _catch_up(self, grant: AuditGrant) -> AsyncIterator[pb.WatchAuditEventsResponse]:
        async for response in self._stored(grant):
            yield response
        # Caught up: the watcher learns how far, and that what follows is live.
        yield self._heartbeat()

    def _news(
        self, grant: AuditGrant, items: list[Any]
    ) -> AsyncIterator[pb.WatchAuditEventsResponse]:
        return self._stored(grant)

    async def _idle(self, grant: AuditGrant) -> AsyncIterator[pb.WatchAuditEventsResponse]:
        # The log is read on quiet rounds too: an event whose news never came
        # (written by another process, or by a call cancelled while its commit
        # was made durable) is sent within a heartbeat all the same.
        async for response in self._stored(grant):
            yield response
        yield self._heartbeat()

    def _heartbeat(self) -> pb.WatchAuditEventsResponse:
        return pb.WatchAuditEventsResponse(
            heartbeat=pb.AuditHeartbeat(last_sequence=self._position)
        )

    async def _stored(self, grant: AuditGrant) -> AsyncIterator[pb.WatchAuditEventsResponse]:
        """Send the selected events after the cursor."""
        while True:
            batch = await self._runner.run(
                audit_backlog, self._store, grant, self._position, BACKLOG_BATCH
            )
            for stored in batch:
                self._position = stored.seq
                self._progress.sent(stored.seq)
                yield pb.WatchAuditEventsResponse(event=audit_event(stored, self._seen))
            if len(batch) < BACKLOG_BATCH:
                return
