"""Repository of organisations and their client certificates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update

from luukku.domain.organizations import (
    Certificate,
    CertState,
    Organization,
    OrgKind,
    OrgStatus,
)
from luukku.store.sql.statements import Fields, Statement
from luukku.store.sql.tables import certificates, directory_version, organizations


def _org(m: Fields) -> Organization:
    return Organization(
        id=m["id"],
        name=m["name"],
        business_id=m["business_id"],
        kind=OrgKind(m["kind"]),
        status=OrgStatus(m["status"]),
        created_at=m["created_at"],
        oidc_client_id=m["oidc_client_id"],
    )


def _cert(m: Fields) -> Certificate:
    return Certificate(
        fingerprint=m["fingerprint"],
        org_id=m["org_id"],
        state=CertState(m["state"]),
        subject=m["subject"],
        not_after=m["not_after"],
    )


# Run on every call: built once.
_CALLER = Statement(
    select(certificates, organizations)
    .join(organizations, organizations.c.id == certificates.c.org_id)
    .where(certificates.c.fingerprint == bindparam("fingerprint"))
)

# The same, with the directory's version in the same snapshot (PostgreSQL's caller cache).
_CALLER_AT_VERSION = Statement(
    select(certificates, organizations)
    .join(organizations, organizations.c.id == certificates.c.org_id)
    .where(certificates.c.fingerprint == bindparam("fingerprint"))
    .add_columns(
        select(directory_version.c.version)
        .where(directory_version.c.id == 1)
        .scalar_subquery()
        .label("directory_version")
    )
)


class DirectoryRepository:
    """Organisations and certificates, read and written on one connection."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add_organization(self, org: Organization) -> None:
        """Insert a new organisation."""
        self._conn.execute(
            insert(organizations).values(
                id=org.id,
                name=org.name,
                business_id=org.business_id,
                kind=org.kind.value,
                status=org.status.value,
                created_at=org.created_at,
                oidc_client_id=org.oidc_client_id,
            )
        )

    def get_organization(self, org_id: str) -> Organization | None:
        """The organisation with this id, or None."""
        row = self._conn.execute(select(organizations).where(organizations.c.id == org_id)).first()
        return _org(row._mapping) if row else None

    def list_organizations(self, after_id: str, limit: int) -> Sequence[Organization]:
        """Up to ``limit`` organisations with ids after ``after_id``, in id order."""
        rows = self._conn.execute(
            select(organizations)
            .where(organizations.c.id > after_id)
            .order_by(organizations.c.id)
            .limit(limit)
        )
        return [_org(r._mapping) for r in rows]

    def set_status(self, org_id: str, status: OrgStatus) -> bool:
        """Change an organisation's status; False if there is no such organisation."""
        result = self._conn.execute(
            update(organizations).where(organizations.c.id == org_id).values(status=status.value)
        )
        return result.rowcount == 1

    def set_oidc_client_id(self, org_id: str, client_id: str | None) -> bool:
        """Register a portal's OpenID client id; False if there is no such organisation."""
        result = self._conn.execute(
            update(organizations)
            .where(organizations.c.id == org_id)
            .values(oidc_client_id=client_id)
        )
        return result.rowcount == 1

    def add_certificate(self, cert: Certificate, added_at: datetime) -> None:
        """Register a client certificate to its organisation."""
        self._conn.execute(
            insert(certificates).values(
                fingerprint=cert.fingerprint,
                org_id=cert.org_id,
                state=cert.state.value,
                subject=cert.subject,
                not_after=cert.not_after,
                added_at=added_at,
            )
        )

    def get_certificate(self, fingerprint: str) -> Certificate | None:
        """The registered certificate with this fingerprint, or None."""
        row = self._conn.execute(
            select(certificates).where(certificates.c.fingerprint == fingerprint)
        ).first()
        return _cert(row._mapping) if row else None

    def revoke_certificate(self, fingerprint: str, at: datetime) -> None:
        """Mark a certificate revoked; the row stays for the audit trail."""
        self._conn.execute(
            update(certificates)
            .where(certificates.c.fingerprint == fingerprint)
            .values(state=CertState.REVOKED.value, revoked_at=at)
        )

    def access_states(self) -> frozenset[tuple[str, str, str]]:
        """(fingerprint, certificate state, organisation status) of every certificate."""
        rows = self._conn.execute(
            select(certificates.c.fingerprint, certificates.c.state, organizations.c.status).join(
                organizations, organizations.c.id == certificates.c.org_id
            )
        )
        return frozenset((r.fingerprint, r.state, r.status) for r in rows)

    def find_caller(self, fingerprint: str) -> tuple[Certificate | None, Organization | None]:
        """The certificate and its organisation in one indexed lookup."""
        row = _CALLER.first(self._conn, {"fingerprint": fingerprint})
        if row is None:
            return None, None
        return _cert(row), _org(row)

    def find_caller_at_version(
        self, fingerprint: str
    ) -> tuple[Certificate | None, Organization | None, int | None]:
        """``find_caller`` and the directory's version they were read at (one statement);
        no version for a certificate that is not registered."""
        row = _CALLER_AT_VERSION.first(self._conn, {"fingerprint": fingerprint})
        if row is None:
            return None, None, None
        return _cert(row), _org(row), int(row["directory_version"])
