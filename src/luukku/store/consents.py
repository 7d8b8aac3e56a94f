"""Repository of consents and their revision history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update

from luukku.domain.cases import ServiceCategory
from luukku.domain.consents import Consent, ConsentState, Permission
from luukku.store.sql.statements import Fields, Statement
from luukku.store.sql.tables import consent_revisions, consents


def consent_of(m: Fields) -> Consent:
    """The consent a ``consents`` row holds."""
    return Consent(
        id=m["id"],
        citizen_id=m["citizen_id"],
        org_id=m["org_id"],
        case_id=m["case_id"],
        category=ServiceCategory(m["category"]) if m["category"] else None,
        permissions=frozenset(Permission(p) for p in m["permissions"].split(",")),
        purpose=m["purpose"],
        valid_from=m["valid_from"],
        valid_until=m["valid_until"],
        created_at=m["created_at"],
        revision=m["revision"],
        revoked_at=m["revoked_at"],
    )


# The access check's lookup, built once (it runs on nearly every call).
_BETWEEN = Statement(
    select(consents).where(
        consents.c.org_id == bindparam("org_id"),
        consents.c.citizen_id == bindparam("citizen_id"),
    )
)


def _in_state(state: ConsentState, now: datetime) -> Any:
    """SQL for ``Consent.state_at(now) is state`` (the same precedence: revocation first)."""
    c = consents.c
    revoked = and_(c.revoked_at.is_not(None), c.revoked_at <= now)
    if state is ConsentState.REVOKED:
        return revoked
    live = ~revoked
    if state is ConsentState.EXPIRED:
        return and_(live, c.valid_until <= now)
    if state is ConsentState.PENDING:
        return and_(live, c.valid_until > now, c.valid_from > now)
    return and_(live, c.valid_until > now, c.valid_from <= now)


# The rows the repository writes, shared with the bulk loader (luukku.store.bulk).


def consent_row(consent: Consent, request_id: str) -> dict[str, Any]:
    """A consent's ``consents`` row (its current view)."""
    return {
        "id": consent.id,
        "citizen_id": consent.citizen_id,
        "org_id": consent.org_id,
        "case_id": consent.case_id,
        "category": consent.category.value if consent.category else None,
        "permissions": ",".join(sorted(p.value for p in consent.permissions)),
        "purpose": consent.purpose,
        "valid_from": consent.valid_from,
        "valid_until": consent.valid_until,
        "created_at": consent.created_at,
        "revision": consent.revision,
        "revoked_at": consent.revoked_at,
        "request_id": request_id or None,
    }


def history_row(
    consent_id: str, revision: int, state: ConsentState, at: datetime, request_id: str
) -> dict[str, Any]:
    """A ``consent_revisions`` row: the consent's state from revision ``revision`` on."""
    return {
        "consent_id": consent_id,
        "revision": revision,
        "state": state.value,
        "changed_at": at,
        "request_id": request_id,
    }


class ConsentRepository:
    """Consents (current view) and consent_revisions (append-only history)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, consent: Consent, request_id: str) -> None:
        """Insert a new consent and its first history entry."""
        self._conn.execute(insert(consents).values(consent_row(consent, request_id)))
        self._history(
            consent.id, consent.revision, ConsentState.ACTIVE, consent.created_at, request_id
        )

    def revoke(self, consent: Consent, at: datetime, request_id: str) -> None:
        """Record a revocation as the consent's next revision."""
        revision = consent.revision + 1
        self._conn.execute(
            update(consents)
            .where(consents.c.id == consent.id, consents.c.revision == consent.revision)
            .values(revoked_at=at, revision=revision)
        )
        self._history(consent.id, revision, ConsentState.REVOKED, at, request_id)

    def _history(
        self, consent_id: str, revision: int, state: ConsentState, at: datetime, request_id: str
    ) -> None:
        self._conn.execute(
            insert(consent_revisions).values(
                history_row(consent_id, revision, state, at, request_id)
            )
        )

    def get(self, consent_id: str) -> Consent | None:
        """The consent with this id, or None."""
        row = self._conn.execute(select(consents).where(consents.c.id == consent_id)).first()
        return consent_of(row._mapping) if row else None

    def by_request(self, citizen_id: str, request_id: str) -> Consent | None:
        """The consent an earlier grant with this request id made, if any."""
        row = self._conn.execute(
            select(consents).where(
                consents.c.citizen_id == citizen_id, consents.c.request_id == request_id
            )
        ).first()
        return consent_of(row._mapping) if row else None

    def between(self, org_id: str, citizen_id: str) -> Sequence[Consent]:
        """Every consent ``citizen_id`` ever gave ``org_id`` (one indexed lookup)."""
        rows = _BETWEEN.all(self._conn, {"org_id": org_id, "citizen_id": citizen_id})
        return [consent_of(r) for r in rows]

    def history(self, consent_id: str) -> Sequence[tuple[int, ConsentState, datetime]]:
        """The consent's revisions: (revision, state, when)."""
        rows = self._conn.execute(
            select(consent_revisions)
            .where(consent_revisions.c.consent_id == consent_id)
            .order_by(consent_revisions.c.revision)
        )
        return [(r.revision, ConsentState(r.state), r.changed_at) for r in rows]

    def list(
        self,
        *,
        citizen_id: str | None,
        org_id: str | None,
        after: tuple[str, str] | None,
        limit: int,
        state: ConsentState | None = None,
        now: datetime | None = None,
    ) -> Sequence[Consent]:
        """Consents filtered by citizen, organisation and state at ``now``; newest first."""
        query = select(consents)
        if state is not None:
            assert now is not None, "a state filter needs the moment it applies to"
            query = query.where(_in_state(state, now))
        if citizen_id is not None:
            query = query.where(consents.c.citizen_id == citizen_id)
        if org_id is not None:
            query = query.where(consents.c.org_id == org_id)
        if after is not None:
            created = datetime.fromisoformat(after[0])
            query = query.where(
                or_(
                    consents.c.created_at < created,
                    and_(consents.c.created_at == created, consents.c.id < after[1]),
                )
            )
        rows = self._conn.execute(
            query.order_by(consents.c.created_at.desc(), consents.c.id.desc()).limit(limit)
        )
        return [consent_of(r._mapping) for r in rows]
