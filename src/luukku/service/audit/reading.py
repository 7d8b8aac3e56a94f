"""Reading the audit log (itself audited)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from luukku.audit.events import LEAF_CLEAR_IDS, Outcome
from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor, Reason
from luukku.domain.acting import NOT_THERE, UNDER_A_RIGHT, UNDISCLOSED_REASONS
from luukku.domain.caller import Caller
from luukku.domain.organizations import validate_org_id
from luukku.service.access.guard import Access, guard
from luukku.service.ids import require_id
from luukku.service.paging import Listing, page_size
from luukku.store.audit.log import StoredEvent
from luukku.store.uow import Store, Tx

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
        wanted = withheld(access.tx, viewer, wanted.for_viewer(viewer))
        events = access.tx.audit.newest_first(viewer, wanted, before, size + 1)
        page = [shown_to(e, viewer) for e in named(access.tx, events[:size])]
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
        wanted = withheld(
            access.tx, viewer, AuditFilter(exclude_own=exclude_own).for_viewer(viewer)
        )
        counts = access.tx.audit.count_by_org(viewer, wanted, since)
    return [AccessCount(*row) for row in counts]


def withheld(tx: Tx, viewer: Actor, wanted: AuditFilter) -> AuditFilter:
    """``wanted``, leaving out for a guardian reading a minor's log the cases the minor
    forbids them (a capable minor's refusal; the store leaves out the refusals they
    are not told of). A child under a non-disclosure order has no log to read for
    them at all: the read is refused, as everything else under the order is.
    """
    if viewer.representative_id is None:
        return wanted
    return wanted.withholding(withheld_cases(tx, viewer))


def withheld_cases(tx: Tx, viewer: Actor) -> tuple[str, ...]:
    """The cases a representative ``viewer`` may not see in the log: those a capable
    minor forbids the guardians (none for one acting for nobody)."""
    if viewer.representative_id is None or viewer.citizen_id is None:
        return ()
    return tx.representation.forbidden_cases(viewer.citizen_id)


def named(tx: Tx, events: Sequence[StoredEvent]) -> Sequence[StoredEvent]:
    """``events``, those made by someone acting for the subject under a right naming them
    (``representative_name``): "Maija Meikäläinen, acting as your guardian, read …".

    Only a right's events: a citizen's attempt on another's data leaves the other
    only "redacted", as ever. Reads names only where there are such events.
    """
    representatives = {r for e in events if (r := _representative(e)) is not None}
    if not representatives:
        return events
    names = {citizen: tx.citizens.display_name(citizen) for citizen in representatives}
    return [
        e
        if (r := _representative(e)) is None
        else StoredEvent(e.seq, e.event, e.leaf_hash, e.leaf, names[r])
        for e in events
    ]


def _representative(stored: StoredEvent) -> str | None:
    """Who acted for the event's subject under a right, if someone did."""
    event = stored.event
    if event.reason not in UNDER_A_RIGHT or event.acting_for_citizen_id == event.subject_citizen_id:
        return None
    return event.acting_for_citizen_id


def _allow_own(access: Access) -> None:
    """Allow reading the audit trail one may see, and write its event before reading on."""
    access.allow(Reason.SELF if access.actor.citizen_id else Reason.OWN_ACCESSES)
    access.audit_now()


def shown_to(stored: StoredEvent, viewer: Actor) -> StoredEvent:
    """The event as ``viewer`` may see it: whose data it was about, as far as theirs to know.

    - A refusal, to whoever was refused (an organisation; a citizen through the
      portal): no citizen at all, whether the refused call named one, reached a
      resource of one, or neither. "Not yours" and "not there" look alike in the
      refused caller's own log (no oracle).
    - A citizen sees themselves, and "redacted" for another citizen who acted on
      their data or whose data was also concerned: that someone did, not who.
    - An organisation sees the citizens of its allowed calls; the edge shows each
      as that organisation's pseudonym (``domain/pseudonyms.py``).

    The leaf bytes are shown where they reveal nothing more: always for a
    format 2 leaf (it holds only unlinkable commitments); for a format 1 leaf
    (citizen ids in clear, written before migration 0017) only when it names no
    citizen and is no refusal. The leaf hash is always shown: it still proves
    the event is in the log, unchanged.
    """
    event = stored.event
    acted = event.org_id == viewer.org_id and (
        viewer.citizen_id is None or event.acting_for_citizen_id == viewer.citizen_id
    )
    refused_here = acted and event.outcome is Outcome.DENIED

    def seen(citizen_id: str | None) -> str | None:
        if citizen_id is None or viewer.citizen_id in (None, citizen_id):
            return citizen_id
        return REDACTED

    if refused_here:
        # The citizen refused through the portal still sees it was them who acted.
        acting_for = event.acting_for_citizen_id if viewer.citizen_id is not None else None
        subject = None
    else:
        acting_for, subject = seen(event.acting_for_citizen_id), seen(event.subject_citizen_id)
    # A representative refused for a reason they are not told sees in their own log
    # what they were told (the leaf, which holds the reason, is not shown them).
    undisclosed = refused_here and event.reason in UNDISCLOSED_REASONS
    reason = NOT_THERE.value if undisclosed else event.reason
    clear_ids = event.leaf_version == LEAF_CLEAR_IDS
    names_someone = event.acting_for_citizen_id is not None or event.subject_citizen_id is not None
    hide_leaf = (clear_ids and (names_someone or refused_here)) or reason != event.reason
    leaf = b"" if hide_leaf else stored.leaf
    if (acting_for, subject, leaf, reason) == (
        event.acting_for_citizen_id,
        event.subject_citizen_id,
        stored.leaf,
        event.reason,
    ):
        return stored
    hidden = replace(
        event, acting_for_citizen_id=acting_for, subject_citizen_id=subject, reason=reason
    )
    return StoredEvent(stored.seq, hidden, stored.leaf_hash, leaf, stored.representative_name)


REDACTED = "redacted"
