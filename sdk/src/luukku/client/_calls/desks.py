"""SDK calls on shared service desks and their inquiries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal, overload

from luukku.client._calls.base import ClientBase, Metadata, new_request_id
from luukku.client._desk_figures import DeskFigures
from luukku.client._desk_models import (
    ConsentRequest,
    Desk,
    Inquiry,
    InquiryAsker,
    InquiryNote,
    QueueEntry,
)
from luukku.client._enums import InquiryChannel, InquiryStatus, parse, to_proto
from luukku.client._models import Message
from luukku.v1 import desks_pb2 as pb

InquiryEvent = Inquiry | Message | InquiryNote | ConsentRequest
"""What a watch of an inquiry yields (notes and consent requests only when asked for)."""


class DeskCalls(ClientBase):
    """Desks, inquiries, their queue and their conversation."""

    def list_desks(self, *, page_size: int = 0) -> AsyncIterator[Desk]:
        """Every desk, in id order."""
        request = pb.ListDesksRequest(page_size=page_size)
        return self._pages(
            self._desks.ListDesks, request, lambda p: [Desk.from_pb(d) for d in p.desks]
        )

    async def get_desk(self, desk_id: str) -> Desk:
        """One desk, with the member on duty now."""
        request = pb.GetDeskRequest(desk_id=desk_id)
        return Desk.from_pb((await self._call(self._desks.GetDesk, request)).desk)

    async def get_desk_figures(self, desk_id: str) -> DeskFigures:
        """How the desk is doing: its queue, waiting times to claim and to the first
        answer (overall and per member), hand-overs. For its members only."""
        request = pb.GetDeskFiguresRequest(desk_id=desk_id)
        found = await self._call(self._desks.GetDeskFigures, request)
        return DeskFigures.from_pb(found.figures)

    async def create_inquiry(
        self,
        desk_id: str,
        *,
        topic: str,
        subject: str,
        body: str,
        channel: InquiryChannel | str = InquiryChannel.WEB,
        municipality: str = "",
        request_id: str | None = None,
        language: str = "",
        citizen_name: str = "",
    ) -> Inquiry:
        """Ask a desk; ``body`` is the question, the conversation's first message.

        For a portal client acting for a citizen the inquiry is the citizen's;
        otherwise it is anonymous. ``language`` (fi, sv or en) is the one the
        citizen asks in and would be answered in. Retrying with the same
        ``request_id`` never makes a second one. ``citizen_name`` (a portal acting for a citizen
        only) is the name the citizen's identity provider gave: the broker keeps
        it with the citizen for the clerks handling their inquiries.
        """
        request = pb.CreateInquiryRequest(
            desk_id=desk_id,
            topic=topic,
            channel=to_proto(parse(InquiryChannel, channel, "channel"), pb.InquiryChannel),
            municipality=municipality,
            subject=subject,
            body=body,
            request_id=request_id or new_request_id(),
            language=language,
            citizen_name=citizen_name,
        )
        return Inquiry.from_pb((await self._call(self._desks.CreateInquiry, request)).inquiry)

    async def get_inquiry_asker(self, inquiry_id: str) -> InquiryAsker:
        """Who is asking an identified inquiry: the citizen's name and their other open
        inquiries with this organisation. For the organisation holding (or having closed)
        the inquiry, or owning a case of its citizen; each read is audited under the
        citizen. Refused PermissionDeniedError otherwise, FailedPreconditionError
        (INQUIRY_ANONYMOUS) for an anonymous inquiry."""
        request = pb.GetInquiryAskerRequest(inquiry_id=inquiry_id)
        return InquiryAsker.from_pb((await self._call(self._desks.GetInquiryAsker, request)).asker)

    async def get_inquiry(self, inquiry_id: str) -> Inquiry:
        """One inquiry with its whole history."""
        request = pb.GetInquiryRequest(inquiry_id=inquiry_id)
        return Inquiry.from_pb((await self._call(self._desks.GetInquiry, request)).inquiry)

    def list_inquiries(
        self, *, status: InquiryStatus | str | None = None, page_size: int = 0
    ) -> AsyncIterator[Inquiry]:
        """The citizen's own inquiries (newest first), or an organisation's view of its
        desks' queues (oldest first): those offered to it now and those it holds or closed.
        """
        request = pb.ListInquiriesRequest(
            status=to_proto(parse(InquiryStatus, status, "status"), pb.InquiryStatus)
            if status is not None
            else None,
            page_size=page_size,
        )
        return self._pages(
            self._desks.ListInquiries, request, lambda p: [Inquiry.from_pb(i) for i in p.inquiries]
        )

    async def claim_inquiry(self, inquiry_id: str) -> Inquiry:
        """Claim an inquiry offered to this organisation; a lost race raises
        :class:`FailedPreconditionError` (``ALREADY_CLAIMED``).
        """
        request = pb.ClaimInquiryRequest(inquiry_id=inquiry_id)
        return Inquiry.from_pb((await self._call(self._desks.ClaimInquiry, request)).inquiry)

    async def hand_over_inquiry(
        self,
        inquiry_id: str,
        *,
        note: str,
        to_organization_id: str = "",
        to_desk_id: str = "",
        public_note: str = "",
    ) -> Inquiry:
        """Hand a claimed inquiry to another member or another desk, with a note for the
        desk's members and optionally ``public_note`` for the citizen (who is told only
        of the hand-over without it).
        """
        request = pb.HandOverInquiryRequest(
            inquiry_id=inquiry_id,
            to_organization_id=to_organization_id,
            to_desk_id=to_desk_id,
            note=note,
            public_note=public_note,
        )
        return Inquiry.from_pb((await self._call(self._desks.HandOverInquiry, request)).inquiry)

    async def close_inquiry(
        self, inquiry_id: str, *, outcome: str, public_note: str = ""
    ) -> Inquiry:
        """Close a claimed inquiry with its outcome for the desk's members, and optionally
        ``public_note`` for the citizen (who is told only that it closed without it).
        """
        request = pb.CloseInquiryRequest(
            inquiry_id=inquiry_id, outcome=outcome, public_note=public_note
        )
        return Inquiry.from_pb((await self._call(self._desks.CloseInquiry, request)).inquiry)

    async def reopen_inquiry(self, inquiry_id: str) -> Inquiry:
        """Reopen a closed inquiry: its citizen (a portal acting for them) within the
        desk's reopening time, or a clerk of a member of its desk at any time (it is
        then offered first to the clerk's organisation)."""
        request = pb.ReopenInquiryRequest(inquiry_id=inquiry_id)
        return Inquiry.from_pb((await self._call(self._desks.ReopenInquiry, request)).inquiry)

    async def link_inquiry_case(self, inquiry_id: str, case_id: str) -> Inquiry:
        """Link a claimed inquiry to a case this organisation may already read."""
        request = pb.LinkInquiryCaseRequest(inquiry_id=inquiry_id, case_id=case_id)
        return Inquiry.from_pb((await self._call(self._desks.LinkInquiryCase, request)).inquiry)

    async def post_inquiry_message(
        self, inquiry_id: str, body: str, *, request_id: str | None = None
    ) -> Message:
        """Post to the inquiry's conversation (its ``thread_id`` is the inquiry's id)."""
        request = pb.PostInquiryMessageRequest(
            inquiry_id=inquiry_id, body=body, request_id=request_id or new_request_id()
        )
        return Message.from_pb((await self._call(self._desks.PostInquiryMessage, request)).message)

    def list_inquiry_messages(
        self, inquiry_id: str, *, after_sequence: int = 0, page_size: int = 0
    ) -> AsyncIterator[Message]:
        """The conversation after a cursor, in sequence order."""
        request = pb.ListInquiryMessagesRequest(
            inquiry_id=inquiry_id, after_sequence=after_sequence, page_size=page_size
        )
        return self._pages(
            self._desks.ListInquiryMessages,
            request,
            lambda p: [Message.from_pb(m) for m in p.messages],
        )

    async def watch_queue(
        self, desk_id: str, *, resume_cursor: str = "", max_backoff: float = 5.0
    ) -> AsyncIterator[QueueEntry]:
        """A desk's queue as the caller's member organisation sees it, then each change.

        Without ``resume_cursor``: first the open inquiries in view now (kind
        OPEN), then changes as they happen; with the cursor of an entry
        received earlier: the changes since. A dropped connection is resumed
        from the last cursor received by itself. Leaving the desk ends the
        iteration with :class:`PermissionDeniedError`.
        """

        def opened(cursor: str, metadata: Metadata) -> Any:
            request = pb.WatchQueueRequest(desk_id=desk_id, resume_cursor=cursor)
            return self._desks.WatchQueue(request, metadata=metadata)

        def step(response: pb.WatchQueueResponse, cursor: str) -> tuple[str, QueueEntry | None]:
            if response.HasField("entry"):
                return response.entry.cursor or cursor, QueueEntry.from_pb(response.entry)
            return response.heartbeat.cursor or cursor, None

        entries: AsyncIterator[QueueEntry] = self._resuming(
            opened, step, resume_cursor, max_backoff
        )
        async for entry in entries:
            yield entry

    @overload
    def watch_inquiry(
        self,
        inquiry_id: str,
        *,
        after_sequence: int = 0,
        max_backoff: float = 5.0,
        with_notes: Literal[False] = False,
        with_consent_requests: Literal[False] = False,
    ) -> AsyncIterator[Inquiry | Message]: ...

    @overload
    def watch_inquiry(
        self,
        inquiry_id: str,
        *,
        after_sequence: int = 0,
        max_backoff: float = 5.0,
        with_notes: bool = False,
        with_consent_requests: bool = False,
    ) -> AsyncIterator[InquiryEvent]: ...

    async def watch_inquiry(
        self,
        inquiry_id: str,
        *,
        after_sequence: int = 0,
        max_backoff: float = 5.0,
        with_notes: bool = False,
        with_consent_requests: bool = False,
    ) -> AsyncIterator[InquiryEvent]:
        """An inquiry's conversation after ``after_sequence``, then live, with the inquiry
        itself (status, who holds it, its history) first and whenever it changes.

        Messages come exactly once and in order, across reconnections. With
        ``with_notes``, a member of the inquiry's desk receives the internal notes
        too: every note so far after the inquiry (again after a reconnection: tell
        them apart by ``sequence``), then each as it is written. A citizen never
        receives a note. With ``with_consent_requests``, the citizen and the
        organisation that asked receive the consent requests asked from the inquiry:
        every one so far (again after a reconnection), then each as it is made and
        again when its state changes (tell them apart by ``id`` and ``state``).
        """

        def opened(cursor: int, metadata: Metadata) -> Any:
            request = pb.WatchInquiryRequest(inquiry_id=inquiry_id, after_sequence=cursor)
            return self._desks.WatchInquiry(request, metadata=metadata)

        def step(response: pb.WatchInquiryResponse, last: int) -> tuple[int, InquiryEvent | None]:
            if response.HasField("message") and response.message.sequence > last:
                return response.message.sequence, Message.from_pb(response.message)
            if response.HasField("inquiry"):
                return last, Inquiry.from_pb(response.inquiry)
            if response.HasField("note") and with_notes:
                return last, InquiryNote.from_pb(response.note)
            if response.HasField("consent_request") and with_consent_requests:
                return last, ConsentRequest.from_pb(response.consent_request)
            return last, None

        items: AsyncIterator[InquiryEvent] = self._resuming(
            opened, step, after_sequence, max_backoff
        )
        async for item in items:
            yield item

    async def add_inquiry_note(
        self, inquiry_id: str, body: str, *, request_id: str | None = None
    ) -> InquiryNote:
        """Write an internal note on the inquiry, for the members of its desk only.

        Retrying with the same ``request_id`` returns the first note, never a second.
        """
        request = pb.AddInquiryNoteRequest(
            inquiry_id=inquiry_id, body=body, request_id=request_id or new_request_id()
        )
        return InquiryNote.from_pb((await self._call(self._desks.AddInquiryNote, request)).note)

    def list_inquiry_notes(
        self, inquiry_id: str, *, page_size: int = 0
    ) -> AsyncIterator[InquiryNote]:
        """The inquiry's internal notes, oldest first (members of its desk only)."""
        request = pb.ListInquiryNotesRequest(inquiry_id=inquiry_id, page_size=page_size)
        return self._pages(
            self._desks.ListInquiryNotes,
            request,
            lambda p: [InquiryNote.from_pb(n) for n in p.notes],
        )
