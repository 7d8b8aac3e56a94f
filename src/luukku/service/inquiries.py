"""Inquiry use cases: ask a desk, read an inquiry and its history, list inquiries.

Who may see an inquiry: its citizen (through the portal) and the member
organisations of the desk it is at. Each call is audited under the inquiry's
citizen (nobody's, for an anonymous inquiry). Seeing an inquiry gives no
access to the citizen's cases: consent still rules those. The notes clerks
write on its steps reach only the members of the desk it is at; everybody
else (its citizen) gets the inquiry without them (``domain.inquiries.for_citizen``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from luukku.domain.access import Actor, Reason
from luukku.domain.caller import Caller
from luukku.domain.desk_queue import QueueEntryKind
from luukku.domain.errors import invalid_argument, not_found
from luukku.domain.events import InquiryChanged, QueueChanged
from luukku.domain.inquiries import (
    Channel,
    Inquiry,
    InquiryStatus,
    Step,
    StepKind,
    for_citizen,
    validate_municipality,
)
from luukku.domain.organizations import OrgKind, validate_org_id
from luukku.domain.threads import Message, validate_body, validate_subject
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.guard import Access, guard
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, numbered_page
from luukku.service.refusals import request_id_reused
from luukku.store.uow import Store, Tx


@dataclass(frozen=True)
class InquiryView:
    """An inquiry with its whole history."""

    inquiry: Inquiry
    steps: Sequence[Step]


def seen(access: Access, inquiry_id: str, *, clerks_only: bool = False) -> Inquiry:
    """The inquiry, if the actor is its citizen or a member of its desk; else refused.

    A missing inquiry is refused like one the actor may not see.
    """
    inquiry = access.tx.inquiries.get(inquiry_id)
    actor = access.actor
    if inquiry is not None:
        access.subject = inquiry.citizen_id
    if actor.citizen_id is not None and not clerks_only:
        if inquiry is None or inquiry.citizen_id != actor.citizen_id:
            access.deny(Reason.NOT_INQUIRY_CITIZEN)
        access.allow(Reason.SELF)
        return inquiry
    if (
        inquiry is None
        or actor.citizen_id is not None
        or not access.tx.desks.is_member(inquiry.desk_id, actor.org_id)
    ):
        access.deny(Reason.NOT_DESK_MEMBER)
    access.allow(Reason.DESK_MEMBER)
    return inquiry


def took_step(
    access: Access,
    inquiry_id: str,
    kind: StepKind,
    note: str = "",
    public_note: str = "",
    **targets: str | None,
) -> None:
    """Record a step taken now by the calling organisation and practitioner; the
    inquiry's watches hear of it once committed."""
    caller = access.caller
    taken = Step(
        0,
        kind,
        caller.organization.id,
        caller.practitioner,
        access.now,
        note,
        targets.get("to_org_id"),
        targets.get("to_desk_id"),
        public_note,
    )
    access.tx.inquiries.add_step(inquiry_id, taken)
    access.emit(InquiryChanged(inquiry_id))


def log_queue(
    access: Access,
    inquiry_id: str,
    desk_id: str,
    kind: QueueEntryKind,
    visible_to: str | None,
) -> None:
    """Log a change to the desk's queue for the members it concerns (``visible_to``,
    or every member when None, besides the acting organisation)."""
    org = access.caller.organization.id
    access.tx.desk_queue.append(desk_id, inquiry_id, kind, org, visible_to, access.now)
    access.emit(QueueChanged(desk_id))


def view(tx: Tx, inquiry_id: str, actor: Actor) -> InquiryView:
    """The inquiry as it stands in this transaction, with its history, as ``actor`` may see it."""
    inquiry = tx.inquiries.get(inquiry_id)
    assert inquiry is not None  # read after a guarded check in the same transaction
    return shown_to(tx, actor, inquiry)


def shown_to(tx: Tx, actor: Actor, inquiry: Inquiry) -> InquiryView:
    """The inquiry with its history: whole for a member of its desk acting as itself,
    without the internal notes for anybody else (its citizen, through the portal)."""
    steps: Sequence[Step] = tx.inquiries.steps(inquiry.id)
    if actor.citizen_id is not None or not tx.desks.is_member(inquiry.desk_id, actor.org_id):
        inquiry, steps = for_citizen(inquiry, steps)
    return InquiryView(inquiry, steps)


def create_inquiry(
    store: Store,
    caller: Caller,
    *,
    desk_id: str,
    topic: str,
    channel: Channel,
    municipality: str,
    subject: str,
    body: str,
    request_id: str = "",
) -> InquiryView:
    """Ask a desk; the inquiry joins its queue, offered first to the member on duty.

    Through the portal for a signed-in citizen the inquiry is identified; the
    portal without a citizen, or a clerk of a member noting a call or a visit,
    makes an anonymous one, which carries no identity at all.
    """
    validate_org_id(desk_id, "desk_id")
    subject, body = validate_subject(subject), validate_body(body)
    municipality = validate_municipality(municipality)
    rid = optional_request_id(request_id)

    def attempt() -> InquiryView:
        with guard(store, caller, action="inquiry.create", resource="inquiries") as access:
            tx, actor, org = access.tx, access.actor, caller.organization.id
            desk = tx.desks.get(desk_id)
            if actor.citizen_id is None and desk is not None and org in desk.members:
                access.allow(Reason.DESK_MEMBER)
            elif actor.citizen_id is None and caller.organization.kind is not OrgKind.PORTAL:
                access.deny(Reason.NOT_DESK_MEMBER)
            else:
                access.allow(Reason.SELF if actor.citizen_id else Reason.ANONYMOUS)
            if desk is None:
                raise not_found("DESK_NOT_FOUND", "no such desk")
            if not desk.has_topic(topic):
                raise invalid_argument("INVALID_TOPIC", "topic", "not one of the desk's topics")
            earlier = tx.inquiries.by_request(org, rid) if rid else None
            if earlier is not None:
                if earlier.citizen_id != actor.citizen_id or earlier.desk_id != desk_id:
                    raise request_id_reused()
                access.resource = f"inquiries/{earlier.id}"
                return view(tx, earlier.id, actor)
            on_duty = desk.rota.on_duty(access.now)
            inquiry = Inquiry(
                id=new_id(),
                desk_id=desk.id,
                citizen_id=actor.citizen_id,
                channel=channel,
                topic=topic,
                municipality=municipality,
                subject=subject,
                status=InquiryStatus.QUEUED,
                offered_to_org_id=on_duty,
                overflow_at=access.now + desk.overflow if on_duty else access.now,
                claimed_by_org_id=None,
                outcome="",
                case_id=None,
                created_by_org_id=org,
                created_at=access.now,
                closed_at=None,
                last_seq=0,
            )
            access.resource = f"inquiries/{inquiry.id}"
            tx.inquiries.add(inquiry, rid)
            took_step(access, inquiry.id, StepKind.ASKED)
            log_queue(access, inquiry.id, desk.id, QueueEntryKind.ASKED, on_duty)
            first = Message(
                inquiry.id,
                tx.inquiries.next_seq(inquiry.id),
                org,
                caller.practitioner,
                actor.citizen_id,
                body,
                None,
                access.now,
            )
            tx.inquiries.add_message(first, None)
            return view(tx, inquiry.id, actor)

    return once_more_on_conflict(attempt)


def get_inquiry(store: Store, caller: Caller, inquiry_id: str) -> InquiryView:
    """One inquiry with its history."""
    require_id(inquiry_id, "inquiry_id")
    with guard(store, caller, action="inquiry.read", resource=f"inquiries/{inquiry_id}") as access:
        seen(access, inquiry_id)
        return view(access.tx, inquiry_id, access.actor)


def list_inquiries(
    store: Store,
    caller: Caller,
    status: InquiryStatus | None,
    requested_size: int,
    page_token: str,
) -> tuple[Sequence[InquiryView], str]:
    """The citizen's own inquiries (newest first), or what a member sees of its desks' queues
    (oldest first): those offered to it now, and those it holds or closed.
    """
    page = numbered_page(Listing("inquiries", (status or "",)), requested_size, page_token)
    with guard(store, caller, action="inquiry.list", resource="inquiries") as access:
        tx, actor = access.tx, access.actor
        if actor.citizen_id is not None:
            found = list(
                tx.inquiries.of_citizen(actor.citizen_id, status, page.after, page.size + 1)
            )
            reason = Reason.SELF
        else:
            found = list(
                tx.inquiries.queue_of(actor.org_id, status, access.now, page.after, page.size + 1)
            )
            reason = Reason.DESK_MEMBER
        shown = found[: page.size]
        access.listing(reason, (i.citizen_id for i in shown if i.citizen_id))
        views = [shown_to(tx, actor, i) for i in shown]
    return views, page.token(len(found), page.after + page.size)
