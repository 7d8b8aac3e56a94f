"""The access side of watching an inquiry: its conversation and its steps, live.

The inquiry's citizen (through the portal) and the members of the desk it is
at watch it, as they may read it. The start is audited (``inquiry.watch``),
and so are the messages delivered, a heartbeat apart and at the end, like a
thread's. An inquiry handed over to another desk leaves the old desk's
members' view: their streams end with NOT_DESK_MEMBER.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from luukku.domain.access import Decision, Reason
from luukku.domain.caller import Caller
from luukku.domain.threads import Message
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import actor_of, guard, rechecked
from luukku.service.desks.inquiry import InquiryView, seen, view
from luukku.service.directory import authenticate
from luukku.service.ids import require_id
from luukku.service.paging import beyond_end, require_cursor
from luukku.service.watching import WatchGrant
from luukku.store.uow import Store


@dataclass(frozen=True)
class InquiryGrant(WatchGrant):
    """Permission to watch inquiry ``inquiry_id`` (of citizen ``subject``, or nobody's)."""

    inquiry_id: str


def start_inquiry_watch(
    store: Store, caller: Caller, inquiry_id: str, after_seq: int
) -> InquiryGrant:
    """Authorise and audit the start of a watch of an inquiry from message ``after_seq``."""
    require_id(inquiry_id, "inquiry_id")
    require_cursor(after_seq, "after_sequence")
    resource = f"inquiries/{inquiry_id}"
    with guard(store, caller, action="inquiry.watch", resource=resource) as access:
        inquiry = seen(access, inquiry_id)
        if after_seq > inquiry.last_seq:
            raise beyond_end("after_sequence")
        return InquiryGrant(
            "inquiry.watch",
            f"{resource}/messages",
            inquiry.citizen_id,
            access.lapses_at,
            inquiry_id,
        )


def inquiry_now(store: Store, caller: Caller, grant: InquiryGrant) -> InquiryView:
    """The inquiry with its history, if the watcher may still see it; else the refusal.

    Read each time the inquiry changes: a hand-over to another desk takes it
    out of the old desk's members' sight at once. The certificate and the
    organisation are checked again too.
    """
    authenticate(store, caller.fingerprint)
    now = now_utc()
    with store.read() as tx:
        actor = actor_of(tx, caller, now)
        found = view(tx, grant.inquiry_id, actor)
        inquiry = found.inquiry
        if actor.citizen_id is not None:
            allowed = inquiry.citizen_id == actor.citizen_id
            reason = Reason.NOT_INQUIRY_CITIZEN
        else:
            allowed = tx.desks.is_member(inquiry.desk_id, actor.org_id)
            reason = Reason.NOT_DESK_MEMBER
        rechecked(tx, actor, Decision(allowed, reason), grant.action, None, now)
    return found


def inquiry_backlog(
    store: Store, grant: InquiryGrant, after_seq: int, limit: int
) -> Sequence[Message]:
    """Messages after ``after_seq`` for a watch already authorised and audited."""
    with store.read_to_pass_on() as tx:
        return tx.inquiries.messages_after(grant.inquiry_id, after_seq, limit)
