"""The access rule: who may do what with a citizen's case, right now.

Pure and uncached: every request evaluates the consents as they stand at that
moment, which is what makes a revocation bite on the very next request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from luukku.domain.cases import Case
from luukku.domain.consents import Consent, ConsentState, Permission

# What citizens may do with their own cases; records are the organisations' entries.
CITIZEN_PERMISSIONS = frozenset({Permission.READ, Permission.DISCUSS})

# Allowed reasons.
OWNER = "OWNER"
SELF = "SELF"
CONSENT = "CONSENT"
# A listing, filtered to what the organisation owns or holds consents for.
VISIBLE = "OWNER_OR_CONSENT"


@dataclass(frozen=True)
class Actor:
    """Who acts: an organisation, or a portal acting for the citizen ``citizen_id``."""

    org_id: str
    citizen_id: str | None = None


@dataclass(frozen=True)
class Decision:
    """Whether an access is allowed, and the reason recorded in the audit log."""

    allowed: bool
    reason: str
    consent_id: str | None = None


_DENIAL_BY_STATE = {
    ConsentState.REVOKED: "CONSENT_REVOKED",
    ConsentState.EXPIRED: "CONSENT_EXPIRED",
    ConsentState.PENDING: "CONSENT_NOT_YET_VALID",
}


def decide(
    actor: Actor,
    case: Case | None,
    need: Permission,
    consents: Iterable[Consent],
    now: datetime,
) -> Decision:
    """Decide whether ``actor`` may exercise ``need`` on ``case`` at ``now``.

    A missing case is denied like an inaccessible one, so that a caller learns
    nothing about cases it may not see (permission before existence).
    """
    if case is None:
        # As for a case the caller may not see: the reason must not tell them apart.
        return Decision(False, "NOT_CASE_CITIZEN" if actor.citizen_id else "CONSENT_REQUIRED")
    if actor.citizen_id is not None:
        if actor.citizen_id != case.citizen_id:
            return Decision(False, "NOT_CASE_CITIZEN")
        if need in CITIZEN_PERMISSIONS:
            return Decision(True, SELF)
        return Decision(False, "PERMISSION_NOT_GRANTED")
    if actor.org_id == case.owner_org_id:
        return Decision(True, OWNER)
    relevant = sorted(
        (c for c in consents if c.org_id == actor.org_id and c.covers(case)),
        key=lambda c: (c.created_at, c.id),
    )
    active = [c for c in relevant if c.state_at(now) is ConsentState.ACTIVE]
    for consent in active:
        if need in consent.permissions:
            return Decision(True, CONSENT, consent.id)
    if active:
        return Decision(False, "PERMISSION_NOT_GRANTED")
    if relevant:
        return Decision(False, _DENIAL_BY_STATE[relevant[-1].state_at(now)])
    return Decision(False, "CONSENT_REQUIRED")
