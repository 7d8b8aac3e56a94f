"""WatchInquiry: an inquiry's conversation after a cursor, then live, with its steps.

News only wakes the stream (``InquiryChanged`` carries the inquiry's id):
the stream reads the inquiry and its messages after the last one sent, so
messages go out exactly once and in order whichever process the news came
from. The inquiry itself (status, who holds it, its history) goes out first
and again whenever a step is taken; reading it is also the access check, so
a hand-over to another desk ends the old desk's members' streams at once.
Consent requests asked from the inquiry carry no cursor: each round reads
them (the newest ``BACKLOG_BATCH``) and sends those new to the stream or
whose state changed since sent (answered, or expired: a quiet round sees it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from luukku.domain.caller import Caller
from luukku.domain.consent_requests import RequestState
from luukku.domain.events import InquiryChanged
from luukku.server.api.convert.consent_requests import consent_request as consent_request_pb
from luukku.server.api.convert.desks import inquiry as inquiry_pb
from luukku.server.api.convert.inquiry_notes import inquiry_note as note_pb
from luukku.server.api.convert.threads import message as message_pb
from luukku.server.live.fanout import Subscription
from luukku.server.live.watch import Streams, Watch
from luukku.service.desks.consent_requests import consent_requests_for_watch
from luukku.service.desks.inquiry_watching import (
    InquiryGrant,
    inquiry_backlog,
    inquiry_now,
    start_inquiry_watch,
)
from luukku.service.desks.notes import notes_for_watch
from luukku.v1 import desks_pb2 as pb
from luukku.v1 import threads_pb2

BACKLOG_BATCH = 500


class InquiryWatch(Watch[InquiryGrant, pb.WatchInquiryResponse]):
    """One WatchInquiry stream."""

    def __init__(self, streams: Streams, caller: Caller, inquiry_id: str) -> None:
        super().__init__(streams, caller)
        self._inquiry_id = inquiry_id
        self._steps_sent = -1
        self._notes_sent = 0
        self._requests_sent: dict[str, RequestState] = {}

    async def _start(self, after_seq: int) -> InquiryGrant:
        return await self._runner.run(
            start_inquiry_watch, self._store, self._caller, self._inquiry_id, after_seq
        )

    async def _recheck(self, grant: InquiryGrant) -> InquiryGrant:
        await self._runner.run(inquiry_now, self._store, self._caller, grant)
        return grant

    def _subscribe(self, grant: InquiryGrant) -> Subscription[Any]:
        return self._fanout.subscribe_wake(InquiryChanged(grant.inquiry_id).wake_key, grant.subject)

    def _catch_up(self, grant: InquiryGrant) -> AsyncIterator[pb.WatchInquiryResponse]:
        return self._read_on(grant)

    def _news(
        self, grant: InquiryGrant, items: list[Any]
    ) -> AsyncIterator[pb.WatchInquiryResponse]:
        return self._read_on(grant)

    async def _idle(self, grant: InquiryGrant) -> AsyncIterator[pb.WatchInquiryResponse]:
        # Quiet rounds read too: news lost between replicas costs a heartbeat's delay.
        async for response in self._read_on(grant):
            yield response
        yield self._heartbeat()

    def _heartbeat(self) -> pb.WatchInquiryResponse:
        return pb.WatchInquiryResponse(
            heartbeat=threads_pb2.Heartbeat(last_sequence=self._progress.last)
        )

    async def _read_on(self, grant: InquiryGrant) -> AsyncIterator[pb.WatchInquiryResponse]:
        """Send the inquiry if a step was taken since it was last sent, the internal notes
        after the last one sent (to the desk's members only), the consent requests new or
        changed since sent (to their parties only), then the messages after the last one
        sent."""
        view = await self._runner.run(inquiry_now, self._store, self._caller, grant)
        if len(view.steps) != self._steps_sent:
            self._steps_sent = len(view.steps)
            yield pb.WatchInquiryResponse(inquiry=inquiry_pb(view, self._seen))
        notes = await self._runner.run(
            notes_for_watch,
            self._store,
            self._caller,
            grant.inquiry_id,
            self._notes_sent,
            BACKLOG_BATCH,
        )
        for note in notes:
            self._notes_sent = note.seq
            yield pb.WatchInquiryResponse(note=note_pb(note))
        requests, now = await self._runner.run(
            consent_requests_for_watch, self._store, self._caller, grant.inquiry_id, BACKLOG_BATCH
        )
        for request in reversed(requests):  # oldest first, as they were asked
            state = request.state_at(now)
            if self._requests_sent.get(request.id) is not state:
                self._requests_sent[request.id] = state
                yield pb.WatchInquiryResponse(
                    consent_request=consent_request_pb(request, now, self._seen)
                )
        while True:
            batch = await self._runner.run(
                inquiry_backlog, self._store, grant, self._progress.last, BACKLOG_BATCH
            )
            for stored in batch:
                self._progress.sent(stored.seq)
                yield pb.WatchInquiryResponse(message=message_pb(stored, self._seen))
            if len(batch) < BACKLOG_BATCH:
                return
