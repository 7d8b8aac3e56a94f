"""Reading the audit log (itself audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from luukku.audit.events import Outcome
from luukku.audit.filters import AuditFilter
from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.organizations import validate_org_id
from luukku.service.access.guard import Access, guard
from luukku.service.ids import require_id
from luukku.service.paging import Listing, page_size
from luukku.store.audit.log import StoredEvent
from luukku.store.uow import Store

EVERYTHING = AuditFilter()


def requested_filter(
    org_id: str, case_id: str, outcome: Outcome | None, exclude_own: bool
) -> AuditFilter:
    """The filter a request asks for (empty strings: no filter); INVALID_ARGUMENT if malformed."""
    return AuditFilter(
        validate_org_id(org_id, "organization_id") if org_id else None,
        require_id(case_id, "case_id") if case_id else None,
        outcome,
        exclude_own,
    )


def list_audit_events(
    store: Store,
    caller: Caller,
    requested_size: int,
    page_token: str,
    wanted: AuditFilter = EVERYTHING,
) -> tuple[Sequence[StoredEvent], str]:
    """Newest first: accesses to the citizen's data, or the organisation's own accesses.

    The listing is audited before it is read, so it shows up in its own result
    (unless the filter leaves it out). A page token serves only the filter it
    was issued for.
    """
    size = page_size(requested_size)
    listing = Listing("audit", wanted.key())
    before = listing.after_number(page_token)
    with guard(store, caller, action="audit.list", resource="audit-events") as access:
        viewer = access.actor
        _allow_own(access)
        events = access.tx.audit.newest_first(viewer, wanted.for_viewer(viewer), before, size + 1)
    page = [redacted(e, viewer.citizen_id) for e in events[:size]]
    return page, listing.token(page[-1].seq) if len(events) > size else ""


@dataclass(frozen=True)
class AccessCount:
    """How many of the events a viewer may list one organisation's calls made."""

    org_id: str
    allowed: int
    denied: int


def summarize_audit_events(
    store: Store, caller: Caller, since: datetime, exclude_own: bool
) -> list[AccessCount]:
    """Per organisation, the allowed and denied events the caller may list since ``since``.

    Audited like a listing, before it counts, and counted by the database.
    """
    with guard(store, caller, action="audit.summarize", resource="audit-events") as access:
        viewer = access.actor
        _allow_own(access)
        wanted = AuditFilter(exclude_own=exclude_own).for_viewer(viewer)
        counts = access.tx.audit.count_by_org(viewer, wanted, since)
    return [AccessCount(*row) for row in counts]


def _allow_own(access: Access) -> None:
    """Allow reading the audit trail one may see, and write its event before reading on."""
    access.allow(Reason.SELF if access.actor.citizen_id else Reason.OWN_ACCESSES)
    access.audit_now()


def redacted(stored: StoredEvent, viewer: str | None) -> StoredEvent:
    """Hide from a citizen which other citizen an event also concerns.

    The subject sees that someone acting for another citizen tried to reach
    their data, not who; the one who acted sees their attempt, not whose data
    it was; an organisation sees its refusals without whose data they were
    about. The leaf hash still covers the original event; only the view is
    redacted.
    """
    event = stored.event
    acting_for, subject = event.acting_for_citizen_id, event.subject_citizen_id
    if viewer is None:
        # An organisation learns nothing from its refusals: whose data a
        # refused id would have reached stays hidden.
        if event.outcome is Outcome.DENIED and subject is not None:
            subject = REDACTED
    else:
        acting_for = REDACTED if acting_for not in (None, viewer) else acting_for
        subject = REDACTED if subject not in (None, viewer) else subject
    if (acting_for, subject) == (event.acting_for_citizen_id, event.subject_citizen_id):
        return stored
    hidden = replace(event, acting_for_citizen_id=acting_for, subject_citizen_id=subject)
    return StoredEvent(stored.seq, hidden, stored.leaf_hash, redacted=True)


REDACTED = "redacted"
