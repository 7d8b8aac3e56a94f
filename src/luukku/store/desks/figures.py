"""The desks' figures, read side: queue lengths and each inquiry's waits and hand-overs.

Reporting queries over the inquiries' tables, apart from the repository that
writes them (``inquiries``): the figures read what the handling wrote and write
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from luukku.domain.desks.inquiries import InquiryStatus, StepKind
from luukku.store.desks.tables import inquiries, inquiry_messages, inquiry_steps


@dataclass(frozen=True)
class Timing:
    """What the desk figures need of one inquiry (seconds from asking)."""

    desk_id: str
    status: str
    first_claimant: str | None
    claimed_after: float | None
    answered_after: float | None
    handovers: int


class DeskFigures:
    """The desks' reporting queries on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def queue_lengths(self) -> dict[str, int]:
        """How many inquiries wait in each desk's queue (desks with none are left out)."""
        rows = self._conn.execute(
            select(inquiries.c.desk_id, func.count())
            .where(inquiries.c.status == InquiryStatus.QUEUED.value)
            .group_by(inquiries.c.desk_id)
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def timings(self, desk_id: str | None = None) -> Sequence[Timing]:
        """Every inquiry's (or those at ``desk_id`` only) first claim, first answer by a
        clerk and number of hand-overs."""
        first_claim = (
            select(
                inquiry_steps.c.inquiry_id,
                func.min(inquiry_steps.c.seq).label("seq"),
            )
            .where(inquiry_steps.c.kind == StepKind.CLAIMED.value)
            .group_by(inquiry_steps.c.inquiry_id)
            .subquery()
        )
        claims = (
            select(inquiry_steps.c.inquiry_id, inquiry_steps.c.org_id, inquiry_steps.c.at)
            .join(
                first_claim,
                and_(
                    first_claim.c.inquiry_id == inquiry_steps.c.inquiry_id,
                    first_claim.c.seq == inquiry_steps.c.seq,
                ),
            )
            .subquery()
        )
        handovers = (
            select(inquiry_steps.c.inquiry_id, func.count().label("n"))
            .where(inquiry_steps.c.kind == StepKind.HANDED_OVER.value)
            .group_by(inquiry_steps.c.inquiry_id)
            .subquery()
        )
        # An answer: a message after the question, by a clerk (no citizen wrote it).
        answers = (
            select(
                inquiry_messages.c.inquiry_id,
                func.min(inquiry_messages.c.created_at).label("at"),
            )
            .where(inquiry_messages.c.seq > 1, inquiry_messages.c.author_citizen_id.is_(None))
            .group_by(inquiry_messages.c.inquiry_id)
            .subquery()
        )
        query = (
            select(
                inquiries.c.desk_id,
                inquiries.c.status,
                inquiries.c.created_at,
                claims.c.org_id,
                claims.c.at.label("claimed_at"),
                answers.c.at.label("answered_at"),
                handovers.c.n,
            )
            .outerjoin(claims, claims.c.inquiry_id == inquiries.c.id)
            .outerjoin(answers, answers.c.inquiry_id == inquiries.c.id)
            .outerjoin(handovers, handovers.c.inquiry_id == inquiries.c.id)
        )
        if desk_id is not None:
            query = query.where(inquiries.c.desk_id == desk_id)
        return [_timing(r) for r in self._conn.execute(query)]


def _seconds(start: datetime, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if end is not None else None


def _timing(row: Any) -> Timing:
    m = row._mapping
    created = m["created_at"]
    return Timing(
        desk_id=m["desk_id"],
        status=m["status"],
        first_claimant=m["org_id"],
        claimed_after=_seconds(created, m["claimed_at"]),
        answered_after=_seconds(created, m["answered_at"]),
        handovers=int(m["n"] or 0),
    )
