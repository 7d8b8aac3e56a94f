"""luukku.v1.DeskService."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import grpc

from luukku.domain.desks.queue import QueueCursor
from luukku.server import desk_metrics
from luukku.server.api.convert import consent_requests as cr
from luukku.server.api.convert import desks as cv
from luukku.server.api.convert.figures import desk_figures
from luukku.server.api.convert.inquiry_notes import inquiry_note
from luukku.server.api.convert.threads import message
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.server.live.inquiry import InquiryWatch
from luukku.server.live.queue import QueueWatch, SharedQueueReads
from luukku.server.live.watch import Streams
from luukku.service.access.clock import now_utc
from luukku.service.desks import admin as desks
from luukku.service.desks import askers, consent_requests, figures
from luukku.service.desks import asking as inquiries
from luukku.service.desks import conversation as inquiry_messages
from luukku.service.desks import handling as inquiry_flow
from luukku.service.desks import notes as inquiry_notes
from luukku.v1 import desks_pb2 as pb
from luukku.v1 import desks_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


class DeskServicer(pb_grpc.DeskServiceServicer):
    """Shared service desks and their inquiries."""

    def __init__(self, streams: Streams) -> None:
        self._streams = streams
        self._queue_reads = SharedQueueReads()
        self._store = streams.store
        self._run = streams.runner.run

    async def ListDesks(
        self, request: pb.ListDesksRequest, context: Context
    ) -> pb.ListDesksResponse:
        found, token = await self._run(
            desks.list_desks, self._store, request.page_size, request.page_token
        )
        now = now_utc()
        return pb.ListDesksResponse(desks=[cv.desk(d, now) for d in found], next_page_token=token)

    async def GetDesk(self, request: pb.GetDeskRequest, context: Context) -> pb.GetDeskResponse:
        found = await self._run(desks.get_desk, self._store, request.desk_id)
        return pb.GetDeskResponse(desk=cv.desk(found, now_utc()))

    async def CreateInquiry(
        self, request: pb.CreateInquiryRequest, context: Context
    ) -> pb.CreateInquiryResponse:
        view = await self._run(
            inquiries.create_inquiry,
            self._store,
            current_caller(),
            desk_id=request.desk_id,
            topic=request.topic,
            channel=cv.channel_from(request.channel),
            municipality=request.municipality,
            subject=request.subject,
            body=request.body,
            request_id=request.request_id,
            language=request.language,
            citizen_name=request.citizen_name,
        )
        return pb.CreateInquiryResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def GetInquiry(
        self, request: pb.GetInquiryRequest, context: Context
    ) -> pb.GetInquiryResponse:
        view = await self._run(
            inquiries.get_inquiry, self._store, current_caller(), request.inquiry_id
        )
        return pb.GetInquiryResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def ListInquiries(
        self, request: pb.ListInquiriesRequest, context: Context
    ) -> pb.ListInquiriesResponse:
        views, token = await self._run(
            inquiries.list_inquiries,
            self._store,
            current_caller(),
            cv.status_from(request.status),
            request.page_size,
            request.page_token,
        )
        return pb.ListInquiriesResponse(
            inquiries=[cv.inquiry(v, citizen_view(self._store)) for v in views],
            next_page_token=token,
        )

    async def ClaimInquiry(
        self, request: pb.ClaimInquiryRequest, context: Context
    ) -> pb.ClaimInquiryResponse:
        view = await self._run(
            inquiry_flow.claim_inquiry, self._store, current_caller(), request.inquiry_id
        )
        claim = view.steps[-1]
        desk_metrics.claimed(view.inquiry.desk_id, claim.org_id, view.inquiry.created_at, claim.at)
        return pb.ClaimInquiryResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def HandOverInquiry(
        self, request: pb.HandOverInquiryRequest, context: Context
    ) -> pb.HandOverInquiryResponse:
        view = await self._run(
            inquiry_flow.hand_over_inquiry,
            self._store,
            current_caller(),
            request.inquiry_id,
            to_org_id=request.to_organization_id,
            to_desk_id=request.to_desk_id,
            note=request.note,
            public_note=request.public_note,
        )
        desk_metrics.handed_over(view.inquiry.desk_id)
        return pb.HandOverInquiryResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def CloseInquiry(
        self, request: pb.CloseInquiryRequest, context: Context
    ) -> pb.CloseInquiryResponse:
        view = await self._run(
            inquiry_flow.close_inquiry,
            self._store,
            current_caller(),
            request.inquiry_id,
            request.outcome,
            request.public_note,
        )
        return pb.CloseInquiryResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def ReopenInquiry(
        self, request: pb.ReopenInquiryRequest, context: Context
    ) -> pb.ReopenInquiryResponse:
        view = await self._run(
            inquiry_flow.reopen_inquiry, self._store, current_caller(), request.inquiry_id
        )
        return pb.ReopenInquiryResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def LinkInquiryCase(
        self, request: pb.LinkInquiryCaseRequest, context: Context
    ) -> pb.LinkInquiryCaseResponse:
        view = await self._run(
            inquiry_flow.link_case,
            self._store,
            current_caller(),
            request.inquiry_id,
            request.case_id,
        )
        return pb.LinkInquiryCaseResponse(inquiry=cv.inquiry(view, citizen_view(self._store)))

    async def PostInquiryMessage(
        self, request: pb.PostInquiryMessageRequest, context: Context
    ) -> pb.PostInquiryMessageResponse:
        posted = await self._run(
            inquiry_messages.post_inquiry_message,
            self._store,
            current_caller(),
            request.inquiry_id,
            request.body,
            request.request_id,
        )
        if posted.first_answer_after is not None:
            desk_metrics.answered(
                posted.desk_id, posted.message.author_org_id, posted.first_answer_after
            )
        return pb.PostInquiryMessageResponse(
            message=message(posted.message, citizen_view(self._store))
        )

    async def ListInquiryMessages(
        self, request: pb.ListInquiryMessagesRequest, context: Context
    ) -> pb.ListInquiryMessagesResponse:
        found, token = await self._run(
            inquiry_messages.list_inquiry_messages,
            self._store,
            current_caller(),
            request.inquiry_id,
            request.after_sequence,
            request.page_size,
            request.page_token,
        )
        return pb.ListInquiryMessagesResponse(
            messages=[message(m, citizen_view(self._store)) for m in found], next_page_token=token
        )

    async def WatchQueue(
        self, request: pb.WatchQueueRequest, context: Context
    ) -> AsyncIterator[pb.WatchQueueResponse]:
        cursor = (
            QueueCursor.parse(request.resume_cursor, "resume_cursor")
            if request.resume_cursor
            else None
        )
        watch = QueueWatch(
            self._streams,
            current_caller(),
            request.desk_id,
            cursor,
            self._queue_reads,
        )
        async for response in watch.run(cursor.seq if cursor else 0):
            yield response

    async def WatchInquiry(
        self, request: pb.WatchInquiryRequest, context: Context
    ) -> AsyncIterator[pb.WatchInquiryResponse]:
        watch = InquiryWatch(
            self._streams,
            current_caller(),
            request.inquiry_id,
        )
        async for response in watch.run(request.after_sequence):
            yield response

    async def AddInquiryNote(
        self, request: pb.AddInquiryNoteRequest, context: Context
    ) -> pb.AddInquiryNoteResponse:
        note = await self._run(
            inquiry_notes.add_inquiry_note,
            self._store,
            current_caller(),
            request.inquiry_id,
            request.body,
            request.request_id,
        )
        return pb.AddInquiryNoteResponse(note=inquiry_note(note))

    async def ListInquiryNotes(
        self, request: pb.ListInquiryNotesRequest, context: Context
    ) -> pb.ListInquiryNotesResponse:
        found, token = await self._run(
            inquiry_notes.list_inquiry_notes,
            self._store,
            current_caller(),
            request.inquiry_id,
            request.page_size,
            request.page_token,
        )
        return pb.ListInquiryNotesResponse(
            notes=[inquiry_note(n) for n in found], next_page_token=token
        )

    async def GetDeskFigures(
        self, request: pb.GetDeskFiguresRequest, context: Context
    ) -> pb.GetDeskFiguresResponse:
        stats = await self._run(
            figures.desk_figures, self._store, current_caller(), request.desk_id
        )
        return pb.GetDeskFiguresResponse(figures=desk_figures(stats))

    async def CreateConsentRequest(
        self, request: pb.CreateConsentRequestRequest, context: Context
    ) -> pb.CreateConsentRequestResponse:
        ask = cr.ask_from(request, now_utc())
        made = await self._run(
            consent_requests.create_consent_request, self._store, current_caller(), ask
        )
        return pb.CreateConsentRequestResponse(
            consent_request=cr.consent_request(made, now_utc(), citizen_view(self._store))
        )

    async def GetConsentRequest(
        self, request: pb.GetConsentRequestRequest, context: Context
    ) -> pb.GetConsentRequestResponse:
        found = await self._run(
            consent_requests.get_consent_request,
            self._store,
            current_caller(),
            request.consent_request_id,
        )
        return pb.GetConsentRequestResponse(
            consent_request=cr.consent_request(found, now_utc(), citizen_view(self._store))
        )

    async def ListConsentRequests(
        self, request: pb.ListConsentRequestsRequest, context: Context
    ) -> pb.ListConsentRequestsResponse:
        query = consent_requests.RequestQuery(
            request.inquiry_id, request.page_size, request.page_token
        )
        found, token = await self._run(
            consent_requests.list_consent_requests, self._store, current_caller(), query
        )
        now = now_utc()
        return pb.ListConsentRequestsResponse(
            consent_requests=[cr.consent_request(r, now, citizen_view(self._store)) for r in found],
            next_page_token=token,
        )

    async def AnswerConsentRequest(
        self, request: pb.AnswerConsentRequestRequest, context: Context
    ) -> pb.AnswerConsentRequestResponse:
        answered = await self._run(
            consent_requests.answer_consent_request,
            self._store,
            current_caller(),
            request.consent_request_id,
            cr.approves(request.answer),
        )
        return pb.AnswerConsentRequestResponse(
            consent_request=cr.consent_request(answered, now_utc(), citizen_view(self._store))
        )

    async def GetInquiryAsker(
        self, request: pb.GetInquiryAskerRequest, context: Context
    ) -> pb.GetInquiryAskerResponse:
        found = await self._run(
            askers.get_inquiry_asker, self._store, current_caller(), request.inquiry_id
        )
        return pb.GetInquiryAskerResponse(asker=cv.asker(found, citizen_view(self._store)))
