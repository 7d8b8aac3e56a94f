"""Repository of inquiries, their history and their conversation."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, or_, select, update

from luukku.domain.caller import Practitioner
from luukku.domain.desks.inquiries import Channel, Inquiry, InquiryStatus, Step, StepKind
from luukku.domain.threads import Message
from luukku.store.desks.tables import desk_members, inquiries, inquiry_messages, inquiry_steps
from luukku.store.message_log import MessageLog


def inquiry_from_row(row: Row[Any]) -> Inquiry:
    """An inquiry from a row holding the ``inquiries`` columns (maybe among others)."""
    m = row._mapping
    return Inquiry(
        id=m["id"],
        desk_id=m["desk_id"],
        citizen_id=m["citizen_id"],
        channel=Channel(m["channel"]),
        topic=m["topic"],
        municipality=m["municipality"],
        subject=m["subject"],
        status=InquiryStatus(m["status"]),
        offered_to_org_id=m["offered_to_org_id"],
        overflow_at=m["overflow_at"],
        claimed_by_org_id=m["claimed_by_org_id"],
        outcome=m["outcome"],
        case_id=m["case_id"],
        created_by_org_id=m["created_by_org_id"],
        created_at=m["created_at"],
        closed_at=m["closed_at"],
        last_seq=m["last_seq"],
        claimant=_claimant(m),
        language=m["language"],
        citizen_wrote_since_answer=m["citizen_wrote_since_answer"],
    )


def _claimant(m: Any) -> Practitioner | None:
    if m["claimed_by_practitioner_id"] is None:
        return None
    return Practitioner(
        m["claimed_by_practitioner_id"],
        m["claimed_by_practitioner_name"],
        m["claimed_by_practitioner_role"],
    )


def _holder(p: Practitioner | None) -> dict[str, str | None]:
    """The claimant columns for ``p`` (all None for nobody)."""
    return {
        "claimed_by_practitioner_id": p.id if p else None,
        "claimed_by_practitioner_name": p.display_name if p else None,
        "claimed_by_practitioner_role": p.role if p else None,
    }


def _step(row: Row[Any]) -> Step:
    m = row._mapping
    return Step(
        seq=m["seq"],
        kind=StepKind(m["kind"]),
        org_id=m["org_id"],
        practitioner=Practitioner(
            m["practitioner_id"], m["practitioner_name"], m["practitioner_role"]
        ),
        at=m["at"],
        note=m["note"],
        to_org_id=m["to_org_id"],
        to_desk_id=m["to_desk_id"],
        public_note=m["public_note"],
    )


class InquiryRepository:
    """Inquiries, steps and messages on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._messages = MessageLog(conn, inquiries, inquiry_messages, "inquiry_id")

    def add(self, inquiry: Inquiry, request_id: str | None) -> None:
        """Insert a new inquiry."""
        self._conn.execute(
            insert(inquiries).values(
                id=inquiry.id,
                desk_id=inquiry.desk_id,
                citizen_id=inquiry.citizen_id,
                channel=inquiry.channel.value,
                topic=inquiry.topic,
                municipality=inquiry.municipality,
                subject=inquiry.subject,
                status=inquiry.status.value,
                offered_to_org_id=inquiry.offered_to_org_id,
                overflow_at=inquiry.overflow_at,
                claimed_by_org_id=inquiry.claimed_by_org_id,
                outcome=inquiry.outcome,
                case_id=inquiry.case_id,
                created_by_org_id=inquiry.created_by_org_id,
                created_at=inquiry.created_at,
                closed_at=inquiry.closed_at,
                last_seq=inquiry.last_seq,
                request_id=request_id,
                language=inquiry.language,
                **_holder(inquiry.claimant),
            )
        )

    def get(self, inquiry_id: str) -> Inquiry | None:
        """The inquiry with this id, or None."""
        row = self._conn.execute(select(inquiries).where(inquiries.c.id == inquiry_id)).first()
        return inquiry_from_row(row) if row else None

    def by_request(self, org_id: str, request_id: str) -> Inquiry | None:
        """The inquiry an earlier create with this request id made, if any."""
        row = self._conn.execute(
            select(inquiries).where(
                inquiries.c.created_by_org_id == org_id, inquiries.c.request_id == request_id
            )
        ).first()
        return inquiry_from_row(row) if row else None

    def claim(self, inquiry_id: str, org_id: str, practitioner: Practitioner) -> bool:
        """Take the claim if the inquiry is still queued: exactly one concurrent claim wins.

        The conditional UPDATE is decided under the row's write lock (PostgreSQL
        re-checks the condition after waiting for a concurrent claim to commit;
        SQLite has one writer at a time), so a second claim updates nothing.
        """
        result = self._conn.execute(
            update(inquiries)
            .where(inquiries.c.id == inquiry_id, inquiries.c.status == InquiryStatus.QUEUED.value)
            .values(
                status=InquiryStatus.CLAIMED.value,
                claimed_by_org_id=org_id,
                **_holder(practitioner),
            )
        )
        return result.rowcount == 1

    def requeue(
        self, inquiry_id: str, desk_id: str, offered_to: str | None, overflow_at: datetime
    ) -> None:
        """Back to a desk's queue, offered first to ``offered_to`` (a hand-over or reopening)."""
        self._conn.execute(
            update(inquiries)
            .where(inquiries.c.id == inquiry_id)
            .values(
                desk_id=desk_id,
                status=InquiryStatus.QUEUED.value,
                offered_to_org_id=offered_to,
                overflow_at=overflow_at,
                claimed_by_org_id=None,
                closed_at=None,
                **_holder(None),
            )
        )

    def close(self, inquiry_id: str, outcome: str, at: datetime, by: Practitioner) -> None:
        """Close with an outcome; ``by`` is named as its holder from then on."""
        self._conn.execute(
            update(inquiries)
            .where(inquiries.c.id == inquiry_id)
            .values(status=InquiryStatus.CLOSED.value, outcome=outcome, closed_at=at, **_holder(by))
        )

    def link_case(self, inquiry_id: str, case_id: str) -> bool:
        """Link the inquiry to a case of its citizen; whether that changed its link.

        One conditional statement: of two clerks' presses at once, PostgreSQL makes the
        second wait for the first and then find nothing to change (SQLite has one writer).
        """
        changed = self._conn.execute(
            update(inquiries)
            .where(inquiries.c.id == inquiry_id)
            .where(or_(inquiries.c.case_id.is_(None), inquiries.c.case_id != case_id))
            .values(case_id=case_id)
        )
        return changed.rowcount == 1

    def of_citizen(
        self, citizen_id: str, status: InquiryStatus | None, after: int, limit: int
    ) -> Sequence[Inquiry]:
        """A citizen's inquiries, newest first; ``after`` is an offset."""
        query = select(inquiries).where(inquiries.c.citizen_id == citizen_id)
        if status is not None:
            query = query.where(inquiries.c.status == status.value)
        rows = self._conn.execute(
            query.order_by(inquiries.c.created_at.desc(), inquiries.c.id.desc())
            .offset(after)
            .limit(limit)
        )
        return [inquiry_from_row(r) for r in rows]

    def queue_of(
        self, org_id: str, status: InquiryStatus | None, now: datetime, after: int, limit: int
    ) -> Sequence[Inquiry]:
        """What a member sees of its desks, oldest first; ``after`` is an offset.

        Queued inquiries offered to it now (first offer, or overflowed to every
        member), and the ones it holds or closed.
        """
        member = select(desk_members.c.desk_id).where(desk_members.c.org_id == org_id)
        queued = inquiries.c.status == InquiryStatus.QUEUED.value
        offered = and_(
            queued,
            or_(
                inquiries.c.offered_to_org_id.is_(None),
                inquiries.c.offered_to_org_id == org_id,
                inquiries.c.overflow_at <= now,
            ),
        )
        query = select(inquiries).where(
            inquiries.c.desk_id.in_(member),
            or_(offered, and_(~queued, inquiries.c.claimed_by_org_id == org_id)),
        )
        if status is not None:
            query = query.where(inquiries.c.status == status.value)
        rows = self._conn.execute(
            query.order_by(inquiries.c.created_at, inquiries.c.id).offset(after).limit(limit)
        )
        return [inquiry_from_row(r) for r in rows]

    def open_of_citizen_with(
        self, citizen_id: str, org_id: str, now: datetime, limit: int
    ) -> Sequence[Inquiry]:
        """A citizen's open inquiries with a member organisation, oldest first: those it
        holds, and those queued at its desks and offered to it now (as its queue shows them).
        """
        member = select(desk_members.c.desk_id).where(desk_members.c.org_id == org_id)
        offered = and_(
            inquiries.c.status == InquiryStatus.QUEUED.value,
            inquiries.c.desk_id.in_(member),
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
            .where(inquiries.c.citizen_id == citizen_id, or_(offered, held))
            .order_by(inquiries.c.created_at, inquiries.c.id)
            .limit(limit)
        )
        return [inquiry_from_row(r) for r in rows]

    def mark_citizen_wrote(self, inquiry_id: str, wrote: bool) -> None:
        """Whether the citizen has written since a clerk last answered."""
        self._conn.execute(
            update(inquiries)
            .where(inquiries.c.id == inquiry_id)
            .values(citizen_wrote_since_answer=wrote)
        )

    def add_step(self, inquiry_id: str, step: Step) -> None:
        """Append a step; its ``seq`` is ignored and the next number taken."""
        seq = self._conn.execute(
            select(func.coalesce(func.max(inquiry_steps.c.seq), 0) + 1).where(
                inquiry_steps.c.inquiry_id == inquiry_id
            )
        ).scalar_one()
        self._conn.execute(
            insert(inquiry_steps).values(
                inquiry_id=inquiry_id,
                seq=seq,
                kind=step.kind.value,
                org_id=step.org_id,
                practitioner_id=step.practitioner.id,
                practitioner_name=step.practitioner.display_name,
                practitioner_role=step.practitioner.role,
                note=step.note,
                to_org_id=step.to_org_id,
                to_desk_id=step.to_desk_id,
                at=step.at,
                public_note=step.public_note,
            )
        )

    def steps(self, inquiry_id: str) -> Sequence[Step]:
        """The inquiry's history, in order."""
        rows = self._conn.execute(
            select(inquiry_steps)
            .where(inquiry_steps.c.inquiry_id == inquiry_id)
            .order_by(inquiry_steps.c.seq)
        )
        return [_step(r) for r in rows]

    def next_seq(self, inquiry_id: str) -> int:
        """Claim the conversation's next sequence number (see ``MessageLog.next_seq``)."""
        return self._messages.next_seq(inquiry_id)

    def add_message(self, message: Message, request_id: str | None) -> None:
        """Insert a message whose ``seq`` came from :meth:`next_seq`."""
        self._messages.add(message, request_id)

    def message_by_request(self, inquiry_id: str, org_id: str, request_id: str) -> Message | None:
        """The message an earlier post with this request id made, if any."""
        return self._messages.by_request(inquiry_id, org_id, request_id)

    def answered(self, inquiry_id: str) -> bool:
        """Whether a clerk has answered: a message after the question that no citizen wrote."""
        found = self._conn.execute(
            select(inquiry_messages.c.seq)
            .where(
                inquiry_messages.c.inquiry_id == inquiry_id,
                inquiry_messages.c.seq > 1,
                inquiry_messages.c.author_citizen_id.is_(None),
            )
            .limit(1)
        ).first()
        return found is not None

    def messages_after(self, inquiry_id: str, after_seq: int, limit: int) -> Sequence[Message]:
        """Messages with seq > ``after_seq`` in order."""
        return self._messages.after(inquiry_id, after_seq, limit)
