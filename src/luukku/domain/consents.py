"""Consents: what a citizen lets one organisation do, with which cases, until when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from luukku.domain.cases import Case, ServiceCategory
from luukku.domain.errors import invalid_argument
from luukku.domain.text import one_line

MAX_PURPOSE = 500
MAX_VALIDITY = timedelta(days=5 * 366)


class Permission(StrEnum):
    """What a consent (or ownership, or being the citizen) allows on a case."""

    READ = "read"
    WRITE = "write"
    DISCUSS = "discuss"


class ConsentState(StrEnum):
    """A consent's state at a given moment."""

    PENDING = "pending"
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Consent:
    """A consent as granted, with its revocation if any.

    Exactly one of ``case_id`` and ``category`` is set.
    """

    id: str
    citizen_id: str
    org_id: str
    case_id: str | None
    category: ServiceCategory | None
    permissions: frozenset[Permission]
    purpose: str
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    revision: int = 1
    revoked_at: datetime | None = None

    def state_at(self, now: datetime) -> ConsentState:
        """The state at ``now``: a revocation wins over everything else."""
        if self.revoked_at is not None and self.revoked_at <= now:
            return ConsentState.REVOKED
        if now >= self.valid_until:
            return ConsentState.EXPIRED
        if now < self.valid_from:
            return ConsentState.PENDING
        return ConsentState.ACTIVE

    def covers(self, case: Case) -> bool:
        """Whether the consent's scope includes ``case`` (whatever its state)."""
        if case.citizen_id != self.citizen_id:
            return False
        if self.case_id is not None:
            return self.case_id == case.id
        return self.category == case.category


def validate_grant(
    *,
    case_id: str | None,
    category: ServiceCategory | None,
    permissions: frozenset[Permission],
    purpose: str,
    valid_from: datetime,
    valid_until: datetime,
) -> str:
    """Check a grant's fields; returns the stripped purpose."""
    if (case_id is None) == (category is None):
        raise invalid_argument("INVALID_SCOPE", "scope", "exactly one of case_id or category")
    if not permissions:
        raise invalid_argument("MISSING_PERMISSIONS", "permissions", "at least one permission")
    purpose = one_line(purpose, "purpose").strip()
    if not purpose or len(purpose) > MAX_PURPOSE:
        raise invalid_argument("INVALID_PURPOSE", "purpose", f"1-{MAX_PURPOSE} characters")
    if valid_until <= valid_from:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "must be after valid_from")
    if valid_until - valid_from > MAX_VALIDITY:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "at most 5 years of validity")
    return purpose
