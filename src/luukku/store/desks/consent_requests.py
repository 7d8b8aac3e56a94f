"""Repository of consent requests (and their table)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Row,
    String,
    Table,
    UniqueConstraint,
    and_,
    insert,
    or_,
    select,
    update,
)

from luukku.domain.caller import Practitioner
from luukku.domain.consent_requests import ConsentRequest, RequestState
from luukku.domain.consents import Permission
from luukku.store.errors import Conflict
from luukku.store.sql.tables import metadata
from luukku.store.sql.types import UtcDateTime

# One row per request; its answer is written once, from pending, and never again.
consent_requests = Table(
    "consent_requests",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("inquiry_id", String(32), ForeignKey("inquiries.id"), nullable=False),
    Column("citizen_id", String(32), ForeignKey("citizens.id"), nullable=False),
    Column("org_id", String(63), ForeignKey("organizations.id"), nullable=False),
    Column("practitioner_id", String(200), nullable=False),
    Column("practitioner_name", String(200), nullable=False),
    Column("practitioner_role", String(200), nullable=False),
    Column("case_id", String(32), ForeignKey("cases.id"), nullable=False),
    Column("permissions", String(64), nullable=False),
    Column("purpose", String(500), nullable=False),
    Column("valid_from", UtcDateTime(), nullable=False),
    Column("valid_until", UtcDateTime(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("answer", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("consent_id", String(32), ForeignKey("consents.id"), nullable=True),
    Column("request_id", String(128), nullable=True),
    UniqueConstraint("org_id", "request_id"),
    Index(None, "citizen_id", "created_at"),
    Index(None, "org_id", "created_at"),
)


def _request(row: Row[Any]) -> ConsentRequest:
    m = row._mapping
    return ConsentRequest(
        id=m["id"],
        inquiry_id=m["inquiry_id"],
        citizen_id=m["citizen_id"],
        org_id=m["org_id"],
        practitioner=Practitioner(
            m["practitioner_id"], m["practitioner_name"], m["practitioner_role"]
        ),
        case_id=m["case_id"],
        permissions=frozenset(Permission(p) for p in m["permissions"].split(",")),
        purpose=m["purpose"],
        valid_from=m["valid_from"],
        valid_until=m["valid_until"],
        created_at=m["created_at"],
        answer=RequestState(m["answer"]),
        answered_at=m["answered_at"],
        consent_id=m["consent_id"],
    )


class ConsentRequestRepository:
    """Consent requests on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, request: ConsentRequest, request_id: str | None) -> None:
        """Insert a new (pending) request."""
        p = request.practitioner
        self._conn.execute(
            insert(consent_requests).values(
                id=request.id,
                inquiry_id=request.inquiry_id,
                citizen_id=request.citizen_id,
                org_id=request.org_id,
                practitioner_id=p.id,
                practitioner_name=p.display_name,
                practitioner_role=p.role,
                case_id=request.case_id,
                permissions=",".join(sorted(x.value for x in request.permissions)),
                purpose=request.purpose,
                valid_from=request.valid_from,
                valid_until=request.valid_until,
                created_at=request.created_at,
                answer=request.answer.value,
                request_id=request_id,
            )
        )

    def answer(
        self, request_id: str, answer: RequestState, at: datetime, consent_id: str | None
    ) -> None:
        """Write the answer of a pending request; a concurrent answer that won first is a
        ``Conflict`` (the loser reads the winner's answer on its retry)."""
        written = self._conn.execute(
            update(consent_requests)
            .where(
                consent_requests.c.id == request_id,
                consent_requests.c.answer == RequestState.PENDING.value,
            )
            .values(answer=answer.value, answered_at=at, consent_id=consent_id)
        )
        if written.rowcount != 1:
            raise Conflict("the consent request was answered meanwhile")

    def get(self, request_id: str) -> ConsentRequest | None:
        """The request with this id, or None."""
        row = self._conn.execute(
            select(consent_requests).where(consent_requests.c.id == request_id)
        ).first()
        return _request(row) if row else None

    def by_request(self, org_id: str, request_id: str) -> ConsentRequest | None:
        """The request an earlier create with this request id made, if any."""
        row = self._conn.execute(
            select(consent_requests).where(
                consent_requests.c.org_id == org_id,
                consent_requests.c.request_id == request_id,
            )
        ).first()
        return _request(row) if row else None

    def list(
        self,
        *,
        citizen_id: str | None,
        org_id: str | None,
        inquiry_id: str | None,
        after: tuple[str, str] | None,
        limit: int,
    ) -> Sequence[ConsentRequest]:
        """Requests to a citizen or by an organisation, from one inquiry if given; newest first."""
        c = consent_requests.c
        query = select(consent_requests)
        if citizen_id is not None:
            query = query.where(c.citizen_id == citizen_id)
        if org_id is not None:
            query = query.where(c.org_id == org_id)
        if inquiry_id is not None:
            query = query.where(c.inquiry_id == inquiry_id)
        if after is not None:
            created = datetime.fromisoformat(after[0])
            query = query.where(
                or_(c.created_at < created, and_(c.created_at == created, c.id < after[1]))
            )
        rows = self._conn.execute(query.order_by(c.created_at.desc(), c.id.desc()).limit(limit))
        return [_request(r) for r in rows]
