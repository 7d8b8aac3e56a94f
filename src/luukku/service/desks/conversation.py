"""An inquiry's conversation: the citizen and the clerk who holds the inquiry.

Messages are numbered 1, 2, 3… without gaps like a thread's, and the desk's
members read all of them, so whoever takes the inquiry next reads what was said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from luukku.domain.caller import Caller
from luukku.domain.desks.askers import wrote_since_answer
from luukku.domain.desks.inquiries import Inquiry, InquiryStatus, claimed_by, not_open
from luukku.domain.desks.queue import QueueEntryKind, audience
from luukku.domain.events import InquiryChanged
from luukku.domain.threads import Message, validate_body
from luukku.service.access.guard import Access, guard
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.desks.inquiry import log_queue, seen
from luukku.service.ids import optional_request_id, require_id
from luukku.service.paging import Conversation, Listing, conversation_page
from luukku.store.uow import Store


@dataclass(frozen=True)
class Posted:
    """A message posted to an inquiry, and, when it is a clerk's first answer, what the
    desk's figures count: the desk and how long the citizen waited."""

    message: Message
    desk_id: str
    first_answer_after: timedelta | None


def post_inquiry_message(
    store: Store, caller: Caller, inquiry_id: str, body: str, request_id: str = ""
) -> Posted:
    """Post to an open inquiry as its citizen or as the clerk holding it.

    A retry with the same request id returns the first message, never a duplicate.
    """
    require_id(inquiry_id, "inquiry_id")
    body = validate_body(body)
    rid = optional_request_id(request_id)

    def attempt() -> Posted:
        resource = f"inquiries/{inquiry_id}"
        with guard(store, caller, action="inquiry_message.post", resource=resource) as access:
            inquiry = seen(access, inquiry_id)
            tx, org, citizen = access.tx, caller.organization.id, access.actor.citizen_id
            earlier = tx.inquiries.message_by_request(inquiry_id, org, rid) if rid else None
            if earlier is not None:
                return Posted(earlier, inquiry.desk_id, None)
            if citizen is None:
                claimed_by(inquiry, org)
            elif (closed := not_open(inquiry)) is not None:
                raise closed
            answered_before = tx.inquiries.answered(inquiry_id)
            first_answer = citizen is None and not answered_before
            message = Message(
                conversation_id=inquiry_id,
                seq=tx.inquiries.next_seq(inquiry_id),
                author_org_id=org,
                author=caller.practitioner,
                author_citizen_id=citizen,
                body=body,
                corrects_seq=None,
                created_at=access.now,
            )
            tx.inquiries.add_message(message, rid)
            _turn(access, inquiry, by_citizen=citizen is not None, answered_before=answered_before)
            access.emit(InquiryChanged(inquiry_id))
            waited = access.now - inquiry.created_at if first_answer else None
            return Posted(message, inquiry.desk_id, waited)

    return once_more_on_conflict(attempt)


def _turn(access: Access, inquiry: Inquiry, *, by_citizen: bool, answered_before: bool) -> None:
    """Keep whether the citizen wrote since a clerk last answered; when it changes, the
    desk's queue tells whom it concerns: the holder, or whom the queued inquiry is
    offered to now."""
    wrote = wrote_since_answer(
        inquiry.citizen_wrote_since_answer, by_citizen=by_citizen, answered_before=answered_before
    )
    if wrote == inquiry.citizen_wrote_since_answer:
        return
    access.tx.inquiries.mark_citizen_wrote(inquiry.id, wrote)
    if inquiry.status is InquiryStatus.QUEUED:
        visible_to = audience(inquiry, access.now)
    else:
        visible_to = inquiry.claimed_by_org_id
    kind = QueueEntryKind.CITIZEN_WROTE if wrote else QueueEntryKind.ANSWERED
    log_queue(access, inquiry.id, inquiry.desk_id, kind, visible_to)


def list_inquiry_messages(
    store: Store,
    caller: Caller,
    inquiry_id: str,
    after_seq: int,
    requested_size: int,
    page_token: str,
) -> tuple[Sequence[Message], str]:
    """The conversation after a cursor, in sequence order."""
    require_id(inquiry_id, "inquiry_id")
    conversation = Conversation(
        Listing("inquiry_messages", (inquiry_id,)),
        action="inquiry_message.list",
        resource=f"inquiries/{inquiry_id}",
        newest_seq=lambda access: seen(access, inquiry_id).last_seq,
        messages_after=lambda tx, after, limit: tx.inquiries.messages_after(
            inquiry_id, after, limit
        ),
    )
    return conversation_page(store, caller, conversation, after_seq, requested_size, page_token)
