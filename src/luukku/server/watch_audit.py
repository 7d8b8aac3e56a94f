"""WatchAuditEvents: the audit events a viewer may list, after a cursor, then live.

A committed audit event only wakes the stream (``AuditRecorded`` carries
ids); the stream then reads the log after the last event it considered, in
sequence order, so that nothing is lost or sent twice however the news
arrives. On PostgreSQL a lower sequence number can commit after a higher
one: the ``SettlingCursor`` holds events back behind such a hole.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

from luukku.audit.filters import AuditFilter
from luukku.domain.caller import Caller
from luukku.server.blocking import StoreRunner
from luukku.server.convert_audit import audit_event
from luukku.server.fanout import FanOut, Subscription
from luukku.server.watch import Watch
from luukku.service.audit_watching import (
    AuditGrant,
    audit_backlog,
    recheck_audit_watch,
    start_audit_watch,
)
from luukku.service.watch_progress import SettlingCursor
from luukku.store.uow import Store
from luukku.v1 import audit_pb2 as pb

BACKLOG_BATCH = 500
# How long a hole in the sequence numbers may hold events back (a transaction
# commits within moments of writing its audit event; one that has not by
# then rolled back), and how often to look again meanwhile.
SETTLE_S = 2.0
POLL_S = 0.05


class AuditWatch(Watch[AuditGrant, pb.WatchAuditEventsResponse]):
    """One WatchAuditEvents stream."""

    # Its own delivery records would be news to itself: see service/audit_watching.
    record_while_open = False

    def __init__(
        self,
        store: Store,
        runner: StoreRunner,
        fanout: FanOut,
        caller: Caller,
        heartbeat_seconds: float,
        wanted: AuditFilter,
    ) -> None:
        super().__init__(store, runner, fanout, caller, heartbeat_seconds)
        self._wanted = wanted
        self._cursor = SettlingCursor(0, SETTLE_S)

    async def _start(self, after_seq: int) -> AuditGrant:
        grant = await self._runner.run(
            start_audit_watch, self._store, self._caller, self._wanted, after_seq
        )
        self._cursor = SettlingCursor(after_seq, SETTLE_S)
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
        if not self._cursor.holding:
            yield self._heartbeat()

    def _poll_seconds(self) -> float | None:
        return POLL_S if self._cursor.holding else None

    def _heartbeat(self) -> pb.WatchAuditEventsResponse:
        return pb.WatchAuditEventsResponse(
            heartbeat=pb.AuditHeartbeat(last_sequence=self._cursor.position)
        )

    async def _stored(self, grant: AuditGrant) -> AsyncIterator[pb.WatchAuditEventsResponse]:
        """Send the selected events after the cursor that can no longer change."""
        while True:
            batch = await self._runner.run(
                audit_backlog, self._store, grant, self._cursor.position, BACKLOG_BATCH
            )
            seqs = [stored.seq for stored in batch.events]
            sendable = self._cursor.sendable(seqs, batch.pending, time.monotonic())
            for stored in batch.events[:sendable]:
                self._progress.sent(stored.seq)
                yield pb.WatchAuditEventsResponse(event=audit_event(stored))
            if sendable < BACKLOG_BATCH:
                return
