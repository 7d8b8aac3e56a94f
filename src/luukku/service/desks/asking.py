"""Asking a desk, and reading inquiries: create, get and list, each audited.

Who may see an inquiry, and how it is shown to whom, is ``desks.inquiry``.
"""

from __future__ import annotations

from collections.abc import Sequence

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.desks.askers import validate_citizen_name
from luukku.domain.desks.inquiries import (
    Channel,
    Inquiry,
    InquiryStatus,
    StepKind,
    validate_language,
    validate_municipality,
)
from luukku.domain.desks.queue import QueueEntryKind
from luukku.domain.errors import invalid_argument, not_found
from luukku.domain.organizations import OrgKind, validate_org_id
from luukku.domain.threads import Message, validate_body, validate_subject
from luukku.service.access.guard import guard
from luukku.service.access.refusal_errors import request_id_reused
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.desks.inquiry import InquiryView, log_queue, seen, shown_to, took_step, view
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, numbered_page
from luukku.store.uow import Store


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
    language: str = "",
    citizen_name: str = "",
) -> InquiryView:
    """Ask a desk; the inquiry joins its queue, offered first to the member on duty.

    Through the portal for a signed-in citizen the inquiry is identified; the
    portal without a citizen, or a clerk of a member noting a call or a visit,
    makes an anonymous one, which carries no identity at all. ``citizen_name``, the
    name the citizen's identity provider gave (a portal acting for a citizen only),
    is kept with the citizen in place of the one kept before.
    """
    validate_org_id(desk_id, "desk_id")
    subject, body = validate_subject(subject), validate_body(body)
    municipality = validate_municipality(municipality)
    language = validate_language(language)
    rid = optional_request_id(request_id)
    citizen_name = validate_citizen_name(citizen_name)
    if citizen_name and caller.on_behalf_of is None:
        raise invalid_argument(
            "INVALID_CITIZEN_NAME", "citizen_name", "only for an inquiry asked for a citizen"
        )

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
                language=language,
            )
            access.resource = f"inquiries/{inquiry.id}"
            tx.inquiries.add(inquiry, rid)
            if actor.citizen_id is not None and citizen_name:
                # The name the signed-in citizen signed in with: theirs, whoever they ask for.
                signed_in = actor.representative_id or actor.citizen_id
                tx.citizens.keep_display_name(signed_in, citizen_name, access.now)
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
