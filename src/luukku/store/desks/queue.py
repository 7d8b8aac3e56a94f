"""Repository of the desks' queue logs, and of what a queue watch reads besides them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, or_, select, update

from luukku.domain.desks.inquiries import Inquiry, InquiryStatus
from luukku.domain.desks.queue import QueueEntry, QueueEntryKind
from luukku.store.desks.inquiries import inquiry_from_row
from luukku.store.desks.tables import desk_queue_entries, desks, inquiries

_ENTRY = desk_queue_entries.c
_ENTRY_COLUMNS = (
    _ENTRY.desk_id.label("entry_desk_id"),
    _ENTRY.seq.label("entry_seq"),
    _ENTRY.kind.label("entry_kind"),
    _ENTRY.org_id.label("entry_org_id"),
    _ENTRY.visible_to_org_id.label("entry_visible_to"),
    _ENTRY.at.label("entry_at"),
)


def _entry(row: Row[Any]) -> QueueEntry:
    m = row._mapping
    return QueueEntry(
        desk_id=m["entry_desk_id"],
        seq=m["entry_seq"],
        inquiry_id=m["id"],
        kind=QueueEntryKind(m["entry_kind"]),
        org_id=m["entry_org_id"],
        visible_to_org_id=m["entry_visible_to"],
        at=m["entry_at"],
    )


def _waiting_for_others(desk_id: str, org_id: str) -> Any:
    """Queued inquiries of the desk offered first to another member than ``org_id``."""
    return and_(
        inquiries.c.desk_id == desk_id,
        inquiries.c.status == InquiryStatus.QUEUED.value,
        inquiries.c.offered_to_org_id.is_not(None),
        inquiries.c.offered_to_org_id != org_id,
    )


class DeskQueueRepository:
    """Queue logs on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def append(
        self,
        desk_id: str,
        inquiry_id: str,
        kind: QueueEntryKind,
        org_id: str,
        visible_to_org_id: str | None,
        at: datetime,
    ) -> int:
        """Log a change to the desk's queue under the next number; returns it.

        The number is taken by an UPDATE of the desk's row, whose lock the
        transaction holds until it commits: entries of one desk commit in
        number order, so a watch that has read up to n never finds a smaller
        number appearing later.
        """
        self._conn.execute(
            update(desks).where(desks.c.id == desk_id).values(queue_seq=desks.c.queue_seq + 1)
        )
        seq = int(
            self._conn.execute(select(desks.c.queue_seq).where(desks.c.id == desk_id)).scalar_one()
        )
        self._conn.execute(
            insert(desk_queue_entries).values(
                desk_id=desk_id,
                seq=seq,
                inquiry_id=inquiry_id,
                kind=kind.value,
                org_id=org_id,
                visible_to_org_id=visible_to_org_id,
                at=at,
            )
        )
        return seq

    def last_seq(self, desk_id: str) -> int:
        """The number of the desk's newest queue entry (0: none yet)."""
        found = self._conn.execute(
            select(desks.c.queue_seq).where(desks.c.id == desk_id)
        ).scalar_one_or_none()
        return int(found or 0)

    def after(
        self, desk_id: str, after_seq: int, limit: int
    ) -> Sequence[tuple[QueueEntry, Inquiry]]:
        """Entries after ``after_seq`` in order, each with its inquiry as it stands now."""
        rows = self._conn.execute(
            select(inquiries, *_ENTRY_COLUMNS)
            .select_from(desk_queue_entries)
            .join(inquiries, inquiries.c.id == _ENTRY.inquiry_id)
            .where(_ENTRY.desk_id == desk_id, _ENTRY.seq > after_seq)
            .order_by(_ENTRY.seq)
            .limit(limit)
        )
        return [(_entry(r), inquiry_from_row(r)) for r in rows]

    def open_for(self, desk_id: str, org_id: str, now: datetime) -> Sequence[Inquiry]:
        """The desk's open inquiries a member has in view now, oldest first: queued and
        offered to it (or to every member), and those it holds."""
        offered = and_(
            inquiries.c.status == InquiryStatus.QUEUED.value,
            or_(
                inquiries.c.offered_to_org_id.is_(None),
                inquiries.c.offered_to_org_id == org_id,
                inquiries.c.overflow_at <= now,
            ),
        )
        held = and_(
            inquiries.c.status == InquiryStatus.CLAIMED.value,
            inquiries.c.claimed_by_org_id == org_id,
        )
        rows = self._conn.execute(
            select(inquiries)
            .where(inquiries.c.desk_id == desk_id, or_(offered, held))
            .order_by(inquiries.c.created_at, inquiries.c.id)
        )
        return [inquiry_from_row(r) for r in rows]

    def overflowed(
        self, desk_id: str, org_id: str, since: datetime, until: datetime
    ) -> Sequence[Inquiry]:
        """Queued inquiries first offered to another member that overflowed in (since, until]."""
        rows = self._conn.execute(
            select(inquiries)
            .where(
                _waiting_for_others(desk_id, org_id),
                inquiries.c.overflow_at > since,
                inquiries.c.overflow_at <= until,
            )
            .order_by(inquiries.c.overflow_at, inquiries.c.id)
        )
        return [inquiry_from_row(r) for r in rows]

    def next_overflow(self, desk_id: str, org_id: str, after: datetime) -> datetime | None:
        """When the next inquiry first offered to another member overflows, if any does."""
        found: datetime | None = self._conn.execute(
            select(func.min(inquiries.c.overflow_at)).where(
                _waiting_for_others(desk_id, org_id), inquiries.c.overflow_at > after
            )
        ).scalar_one_or_none()
        return found
