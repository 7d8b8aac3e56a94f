"""Internal notes on an inquiry: written and read by the members of its desk only.

A caller acting for the citizen is refused (NOT_DESK_MEMBER) however it asks,
and so is a member of a desk the inquiry has left; each call is audited under
the inquiry's citizen like every access to the inquiry. A watch of the
inquiry delivers the notes to members (``notes_for_watch``), never to its
citizen.
"""

from __future__ import annotations

from collections.abc import Sequence

from luukku.domain.caller import Caller
from luukku.domain.desks.inquiries import validate_note
from luukku.domain.desks.inquiry_notes import InquiryNote
from luukku.domain.events import InquiryChanged
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import actor_of, guard
from luukku.service.access.refusal_errors import request_id_reused
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.desks.inquiry import seen
from luukku.service.ids import optional_request_id, require_id
from luukku.service.paging import Listing, page_size
from luukku.store.uow import Store


def add_inquiry_note(
    store: Store, caller: Caller, inquiry_id: str, body: str, request_id: str = ""
) -> InquiryNote:
    """Write an internal note on the inquiry as the calling clerk; a retry with the same
    ``request_id`` returns the first note."""
    require_id(inquiry_id, "inquiry_id")
    body = validate_note(body, "body")
    rid = optional_request_id(request_id)
    resource = f"inquiries/{inquiry_id}/notes"

    def attempt() -> InquiryNote:
        with guard(store, caller, action="inquiry_note.create", resource=resource) as access:
            seen(access, inquiry_id, clerks_only=True)
            notes, org = access.tx.inquiry_notes, caller.organization.id
            earlier = notes.by_request(inquiry_id, org, rid) if rid else None
            if earlier is not None:
                if earlier.body != body:
                    raise request_id_reused()
                return earlier
            note = notes.add(inquiry_id, org, caller.practitioner, body, access.now, rid)
            access.emit(InquiryChanged(inquiry_id))
            return note

    return once_more_on_conflict(attempt)


def list_inquiry_notes(
    store: Store, caller: Caller, inquiry_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[InquiryNote], str]:
    """The inquiry's internal notes, oldest first."""
    require_id(inquiry_id, "inquiry_id")
    size = page_size(requested_size)
    listing = Listing("inquiry_notes", (inquiry_id,))
    after = listing.after_number(page_token) or 0
    resource = f"inquiries/{inquiry_id}/notes"
    with guard(store, caller, action="inquiry_note.list", resource=resource) as access:
        seen(access, inquiry_id, clerks_only=True)
        found = access.tx.inquiry_notes.after(inquiry_id, after, size + 1)
    page = found[:size]
    return page, listing.token(page[-1].seq) if len(found) > size else ""


def notes_for_watch(
    store: Store, caller: Caller, inquiry_id: str, after_seq: int, limit: int
) -> Sequence[InquiryNote]:
    """Notes after ``after_seq`` for a watch of the inquiry: none unless the watcher is a
    member of the desk the inquiry is at, acting as itself (never for a citizen)."""
    with store.read() as tx:
        actor = actor_of(tx, caller, now_utc())
        inquiry = tx.inquiries.get(inquiry_id)
        if (
            inquiry is None
            or actor.citizen_id is not None
            or not tx.desks.is_member(inquiry.desk_id, actor.org_id)
        ):
            return ()
        return tx.inquiry_notes.after(inquiry_id, after_seq, limit)
