"""Repository of the internal notes on inquiries (and their table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    ForeignKey,
    PrimaryKeyConstraint,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    select,
)

from luukku.domain.caller import Practitioner
from luukku.domain.desks.inquiry_notes import InquiryNote
from luukku.store.sql.tables import metadata
from luukku.store.sql.types import UtcDateTime

# Numbered per inquiry; two clerks writing at once collide on the key and the
# loser writes again with the next number (service.conflicts).
inquiry_notes = Table(
    "inquiry_notes",
    metadata,
    Column("inquiry_id", String(32), ForeignKey("inquiries.id"), nullable=False),
    Column("seq", BigInteger(), nullable=False),
    Column("org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("practitioner_id", String(200), nullable=False),
    Column("practitioner_name", String(200), nullable=False),
    Column("practitioner_role", String(200), nullable=False),
    Column("body", Text(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("request_id", String(128), nullable=True),
    PrimaryKeyConstraint("inquiry_id", "seq"),
    UniqueConstraint("inquiry_id", "org_id", "request_id"),
)


def _note(row: Row[Any]) -> InquiryNote:
    m = row._mapping
    return InquiryNote(
        inquiry_id=m["inquiry_id"],
        seq=m["seq"],
        org_id=m["org_id"],
        practitioner=Practitioner(
            m["practitioner_id"], m["practitioner_name"], m["practitioner_role"]
        ),
        body=m["body"],
        at=m["created_at"],
    )


class InquiryNoteRepository:
    """Internal notes on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        inquiry_id: str,
        org_id: str,
        practitioner: Practitioner,
        body: str,
        at: Any,
        request_id: str | None,
    ) -> InquiryNote:
        """Append a note with the inquiry's next number."""
        seq = self._conn.execute(
            select(func.coalesce(func.max(inquiry_notes.c.seq), 0) + 1).where(
                inquiry_notes.c.inquiry_id == inquiry_id
            )
        ).scalar_one()
        note = InquiryNote(inquiry_id, int(seq), org_id, practitioner, body, at)
        self._conn.execute(
            insert(inquiry_notes).values(
                inquiry_id=inquiry_id,
                seq=note.seq,
                org_id=org_id,
                practitioner_id=practitioner.id,
                practitioner_name=practitioner.display_name,
                practitioner_role=practitioner.role,
                body=body,
                created_at=at,
                request_id=request_id,
            )
        )
        return note

    def by_request(self, inquiry_id: str, org_id: str, request_id: str) -> InquiryNote | None:
        """The note an earlier add with this request id made, if any."""
        row = self._conn.execute(
            select(inquiry_notes).where(
                inquiry_notes.c.inquiry_id == inquiry_id,
                inquiry_notes.c.org_id == org_id,
                inquiry_notes.c.request_id == request_id,
            )
        ).first()
        return _note(row) if row else None

    def after(self, inquiry_id: str, after_seq: int, limit: int) -> Sequence[InquiryNote]:
        """Notes numbered after ``after_seq``, in order."""
        rows = self._conn.execute(
            select(inquiry_notes)
            .where(inquiry_notes.c.inquiry_id == inquiry_id, inquiry_notes.c.seq > after_seq)
            .order_by(inquiry_notes.c.seq)
            .limit(limit)
        )
        return [_note(r) for r in rows]
