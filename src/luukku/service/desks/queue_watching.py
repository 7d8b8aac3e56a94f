"""The access side of watching a desk's queue: the start, re-checks and reading on.

Only the desk's member organisations watch its queue (a clerk's "engine
room"). A watch sees what ``ListInquiries`` would of that desk, as it
changes: new inquiries offered to its organisation (the member on duty
first, every member after the overflow), claims, hand-overs, closings and
reopenings. Its start is audited (``desk.queue.watch``) and so is its end,
with the range of queue entries delivered; like an audit watch it records
nothing while it runs. The queue shows inquiries, not case data: consent
still rules that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.desks.inquiries import Inquiry
from luukku.domain.desks.queue import QueueCursor, QueueEntry, QueueEntryKind
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument
from luukku.domain.organizations import validate_org_id
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import guard
from luukku.service.access.refusal_errors import refusal
from luukku.service.directory import authenticate
from luukku.service.watching import WatchGrant
from luukku.store.uow import Store, Tx


@dataclass(frozen=True)
class QueueGrant(WatchGrant):
    """Permission for member ``org_id`` to watch desk ``desk_id``'s queue."""

    desk_id: str
    org_id: str


@dataclass(frozen=True)
class QueueItem:
    """What a queue watch sends: an entry, with its inquiry as it stands now."""

    entry: QueueEntry
    inquiry: Inquiry


@dataclass(frozen=True)
class QueueLogRead:
    """Entries of a desk's queue log after a cursor, each with its inquiry as it stands,
    for every member alike (each watch keeps what concerns its member), and how far
    the log was read."""

    entries: Sequence[QueueItem]
    read_up_to: int
    more: bool
    """Whether the log may hold more entries after ``read_up_to`` (the read hit its limit)."""

    def concerning(self, org_id: str) -> list[QueueItem]:
        """The entries member ``org_id`` hears of."""
        return [item for item in self.entries if item.entry.concerns(org_id)]


def _member(tx: Tx, caller: Caller, desk_id: str) -> bool:
    """Whether the caller is a member organisation of the desk, acting for no citizen."""
    return caller.on_behalf_of is None and tx.desks.is_member(desk_id, caller.organization.id)


def start_queue_watch(
    store: Store, caller: Caller, desk_id: str, cursor: QueueCursor | None
) -> QueueGrant:
    """Authorise and audit the start of a watch of a desk's queue, resuming at ``cursor``."""
    validate_org_id(desk_id, "desk_id")
    resource = f"desks/{desk_id}/queue"
    with guard(store, caller, action="desk.queue.watch", resource=resource) as access:
        tx = access.tx
        if not _member(tx, caller, desk_id):
            access.deny(Reason.NOT_DESK_MEMBER)
        access.allow(Reason.DESK_MEMBER)
        if cursor is not None:
            if cursor.overflows_until > access.now:
                raise invalid_argument(
                    "INVALID_CURSOR", "resume_cursor", "not a cursor a queue watch sent"
                )
            if cursor.seq > tx.desk_queue.last_seq(desk_id):
                raise LuukkuError(
                    ErrorCode.OUT_OF_RANGE,
                    "CURSOR_BEYOND_END",
                    "resume_cursor is beyond the queue's newest entry",
                    metadata={"field": "resume_cursor"},
                )
        return QueueGrant("desk.queue.watch", resource, None, None, desk_id, caller.organization.id)


def recheck_queue_watch(store: Store, caller: Caller, grant: QueueGrant) -> QueueGrant:
    """Check again the certificate, the organisation and its membership of the desk; raise
    the refusal that ends the stream if any has gone."""
    authenticate(store, caller.fingerprint)
    with store.read() as tx:
        if not _member(tx, caller, grant.desk_id):
            raise refusal(Reason.NOT_DESK_MEMBER)
    return grant


def queue_view(store: Store, grant: QueueGrant) -> tuple[QueueCursor, Sequence[QueueItem]]:
    """Where the log stands, and the open inquiries the member has in view now.

    The log's number is read first: a change committed in between is in the
    view and is also sent as an entry after it (an entry tells the inquiry's
    state, so hearing it twice changes nothing).
    """
    now = now_utc()
    with store.read_to_pass_on() as tx:
        seq = tx.desk_queue.last_seq(grant.desk_id)
        found = tx.desk_queue.open_for(grant.desk_id, grant.org_id, now)
    items = [
        QueueItem(
            QueueEntry(grant.desk_id, 0, i.id, QueueEntryKind.OPEN, "", None, i.created_at), i
        )
        for i in found
    ]
    return QueueCursor(seq, now), items


def queue_log_after(store: Store, grant: QueueGrant, after_seq: int, limit: int) -> QueueLogRead:
    """Logged entries of the grant's desk after ``after_seq``, read up to ``limit``.

    Not narrowed to the grant's member: one read serves every watch of the desk
    in this process (see ``server.watch_queue``), each keeping its own.
    """
    with store.read_to_pass_on() as tx:
        found = tx.desk_queue.after(grant.desk_id, after_seq, limit)
    return QueueLogRead(
        [QueueItem(e, i) for e, i in found],
        found[-1][0].seq if found else after_seq,
        len(found) >= limit,
    )


def overflows(
    store: Store, grant: QueueGrant, since: datetime, until: datetime
) -> tuple[Sequence[QueueItem], datetime | None]:
    """Inquiries first offered to another member that overflowed to every member in
    (since, until], and when the next one will (None: none is waiting)."""
    with store.read() as tx:
        found = tx.desk_queue.overflowed(grant.desk_id, grant.org_id, since, until)
        upcoming = tx.desk_queue.next_overflow(grant.desk_id, grant.org_id, until)
    items = [
        QueueItem(
            QueueEntry(grant.desk_id, 0, i.id, QueueEntryKind.OVERFLOWED, "", None, i.overflow_at),
            i,
        )
        for i in found
    ]
    return items, upcoming
