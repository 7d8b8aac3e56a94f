"""One inquiry as the use cases see it: who may see it, how it is shown, how a step is kept.

Who may see an inquiry: its citizen (through the portal) and the member
organisations of the desk it is at. Each call is audited under the inquiry's
citizen (nobody's, for an anonymous inquiry). Seeing an inquiry gives no
access to the citizen's cases: consent still rules those. The notes clerks
write on its steps reach only the members of the desk it is at; everybody
else (its citizen) gets the inquiry without them (``domain.desks.inquiries.for_citizen``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from luukku.domain.access import Actor, Reason
from luukku.domain.desks.inquiries import Inquiry, Step, StepKind, for_citizen
from luukku.domain.desks.queue import QueueEntryKind
from luukku.domain.events import InquiryChanged, QueueChanged
from luukku.service.access.guard import Access
from luukku.store.uow import Tx


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
