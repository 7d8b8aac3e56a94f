"""What clerks and citizens do with an inquiry: claim, hand over, close, reopen, link a case.

A claim is won by exactly one organisation, whatever the race. The claimant
may hand the inquiry over (with a note, to another member or another desk)
and close it; the citizen may reopen it within the desk's reopening time, a
clerk of its desk at any time. A case is linked only where the clerk's
organisation may already read it: linking is decided by the access rule like
any other access to the case.
"""

from __future__ import annotations

from luukku.domain.caller import Caller
from luukku.domain.consents import Permission
from luukku.domain.desks.inquiries import (
    InquiryStatus,
    StepKind,
    claimed_by,
    not_open,
    validate_note,
    validate_outcome,
    validate_public_note,
)
from luukku.domain.desks.queue import QueueEntryKind, audience
from luukku.domain.errors import failed_precondition, invalid_argument
from luukku.domain.organizations import validate_org_id
from luukku.service.access.guard import guard
from luukku.service.desks.inquiry import InquiryView, log_queue, seen, took_step, view
from luukku.service.ids import require_id
from luukku.store.uow import Store


def claim_inquiry(store: Store, caller: Caller, inquiry_id: str) -> InquiryView:
    """Claim a queued inquiry offered to the caller's organisation; one claim wins."""
    require_id(inquiry_id, "inquiry_id")
    with guard(store, caller, action="inquiry.claim", resource=f"inquiries/{inquiry_id}") as access:
        inquiry = seen(access, inquiry_id, clerks_only=True)
        closed = not_open(inquiry)
        if closed is not None:
            raise closed
        org = caller.organization.id
        if inquiry.status is InquiryStatus.QUEUED and not inquiry.offered_to(org, access.now):
            raise failed_precondition(
                "NOT_OFFERED", "the inquiry is offered to the member on duty until it overflows"
            )
        if not access.tx.inquiries.claim(inquiry_id, org, caller.practitioner):
            raise failed_precondition("ALREADY_CLAIMED", "another clerk has claimed the inquiry")
        took_step(access, inquiry_id, StepKind.CLAIMED)
        # Whoever was offered it learns that it has gone: one member, or all after overflow.
        log_queue(
            access,
            inquiry_id,
            inquiry.desk_id,
            QueueEntryKind.CLAIMED,
            audience(inquiry, access.now),
        )
        return view(access.tx, inquiry_id, access.actor)


def hand_over_inquiry(
    store: Store,
    caller: Caller,
    inquiry_id: str,
    *,
    to_org_id: str = "",
    to_desk_id: str = "",
    note: str,
    public_note: str = "",
) -> InquiryView:
    """Hand a claimed inquiry to another member of its desk, or to another desk, with a note
    for the desk's members and optionally one for the citizen.

    It goes back to the queue, offered first to that member (or that desk's
    member on duty); its history and conversation go with it.
    """
    require_id(inquiry_id, "inquiry_id")
    note, public_note = validate_note(note), validate_public_note(public_note)
    if bool(to_org_id) == bool(to_desk_id):
        raise invalid_argument(
            "INVALID_HANDOVER_TARGET", "to_organization_id", "name a member or a desk, not both"
        )
    if to_org_id:
        validate_org_id(to_org_id, "to_organization_id")
    else:
        validate_org_id(to_desk_id, "to_desk_id")
    resource = f"inquiries/{inquiry_id}"
    with guard(store, caller, action="inquiry.hand_over", resource=resource) as access:
        inquiry = seen(access, inquiry_id, clerks_only=True)
        org = caller.organization.id
        claimed_by(inquiry, org)
        tx = access.tx
        desk = tx.desks.get(to_desk_id or inquiry.desk_id)
        if desk is None:
            raise invalid_argument("INVALID_HANDOVER_TARGET", "to_desk_id", "no such desk")
        if to_org_id and to_org_id not in desk.members:
            raise invalid_argument(
                "INVALID_HANDOVER_TARGET", "to_organization_id", "not a member of the desk"
            )
        offered = to_org_id or desk.rota.on_duty(access.now)
        overflow_at = access.now + desk.overflow if offered else access.now
        tx.inquiries.requeue(inquiry_id, desk.id, offered, overflow_at)
        took_step(
            access,
            inquiry_id,
            StepKind.HANDED_OVER,
            note,
            public_note,
            to_org_id=to_org_id or None,
            to_desk_id=to_desk_id or None,
        )
        if desk.id != inquiry.desk_id:
            # It leaves the old desk's queue: only the member that handed it over held it.
            log_queue(access, inquiry_id, inquiry.desk_id, QueueEntryKind.HANDED_OVER, org)
        log_queue(access, inquiry_id, desk.id, QueueEntryKind.HANDED_OVER, offered)
        return view(tx, inquiry_id, access.actor)


def close_inquiry(
    store: Store, caller: Caller, inquiry_id: str, outcome: str, public_note: str = ""
) -> InquiryView:
    """Close a claimed inquiry with its outcome, and optionally a note for the citizen."""
    require_id(inquiry_id, "inquiry_id")
    outcome, public_note = validate_outcome(outcome), validate_public_note(public_note)
    with guard(store, caller, action="inquiry.close", resource=f"inquiries/{inquiry_id}") as access:
        inquiry = seen(access, inquiry_id, clerks_only=True)
        claimed_by(inquiry, caller.organization.id)
        access.tx.inquiries.close(inquiry_id, outcome, access.now, caller.practitioner)
        took_step(access, inquiry_id, StepKind.CLOSED, outcome, public_note)
        log_queue(
            access, inquiry_id, inquiry.desk_id, QueueEntryKind.CLOSED, inquiry.claimed_by_org_id
        )
        return view(access.tx, inquiry_id, access.actor)


def reopen_inquiry(store: Store, caller: Caller, inquiry_id: str) -> InquiryView:
    """Reopen a closed inquiry, back to its desk's queue.

    Its citizen may, within the desk's reopening time: it is offered first to the
    organisation that closed it. A clerk of a member of the desk it is at may at any
    time (the citizen wrote again some other way, or it was closed too soon): it is
    offered first to the clerk's own organisation, to claim.
    """
    require_id(inquiry_id, "inquiry_id")
    resource = f"inquiries/{inquiry_id}"
    with guard(store, caller, action="inquiry.reopen", resource=resource) as access:
        inquiry = seen(access, inquiry_id)
        by_citizen = access.actor.citizen_id is not None
        if inquiry.status is not InquiryStatus.CLOSED or inquiry.closed_at is None:
            raise failed_precondition("INQUIRY_NOT_CLOSED", "the inquiry is still open")
        tx = access.tx
        desk = tx.desks.get(inquiry.desk_id)
        assert desk is not None  # an inquiry's desk is a foreign key
        if by_citizen and access.now > inquiry.closed_at + desk.reopen_within:
            raise failed_precondition(
                "REOPEN_WINDOW_PASSED", "the time to reopen this inquiry has passed"
            )
        offered = inquiry.claimed_by_org_id if by_citizen else caller.organization.id
        tx.inquiries.requeue(inquiry_id, desk.id, offered, access.now + desk.overflow)
        took_step(access, inquiry_id, StepKind.REOPENED)
        log_queue(access, inquiry_id, desk.id, QueueEntryKind.REOPENED, offered)
        return view(tx, inquiry_id, access.actor)


def link_case(store: Store, caller: Caller, inquiry_id: str, case_id: str) -> InquiryView:
    """Link a claimed inquiry to one of its citizen's cases the clerk's organisation may read.

    The case is decided by the access rule (owner or an active consent): the
    inquiry itself opens no case.
    """
    require_id(inquiry_id, "inquiry_id")
    require_id(case_id, "case_id")
    resource = f"inquiries/{inquiry_id}"
    with guard(store, caller, action="inquiry.link_case", resource=resource) as access:
        inquiry = seen(access, inquiry_id, clerks_only=True)
        claimed_by(inquiry, caller.organization.id)
        if inquiry.citizen_id is None:
            raise failed_precondition("ANONYMOUS_INQUIRY", "an anonymous inquiry has no cases")
        case = access.case(case_id, Permission.READ)
        if case.citizen_id != inquiry.citizen_id:
            raise failed_precondition("CASE_NOT_INQUIRY_CITIZEN", "the case is another citizen's")
        # Linking the case it already has (a double press) is no new step.
        if access.tx.inquiries.link_case(inquiry_id, case_id):
            took_step(access, inquiry_id, StepKind.CASE_LINKED)
        return view(access.tx, inquiry_id, access.actor)
