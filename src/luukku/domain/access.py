"""The access rule: who may do what with a citizen's case, right now.

Pure and uncached: every request evaluates the consents as they stand at that
moment, which is what makes a revocation bite on the very next request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from luukku.domain.cases import Case
from luukku.domain.consents import Consent, ConsentState, Permission

# What citizens may do with their own cases; records are the organisations' entries.
CITIZEN_PERMISSIONS = frozenset({Permission.READ, Permission.DISCUSS})


class Reason(StrEnum):
    """Why an access was allowed or denied: recorded in the audit log and sent as ErrorInfo."""

    # Allowed.
    OWNER = "OWNER"
    SELF = "SELF"
    CONSENT = "CONSENT"
    GRANTEE = "GRANTEE"
    VISIBLE = "OWNER_OR_CONSENT"  # a listing filtered to what the caller may see
    OWN_ACCESSES = "OWN_ACCESSES"  # an organisation reading its own audit trail
    DELIVERED = "DELIVERED"  # a watch stream delivering what its start allowed
    DESK_MEMBER = "DESK_MEMBER"  # a member organisation of the inquiry's desk
    ANONYMOUS = "ANONYMOUS"  # an anonymous inquiry: nobody's data
    INQUIRY_HOLDER = "INQUIRY_HOLDER"  # the organisation that holds (claimed) the inquiry
    REQUESTER = "REQUESTER"  # the organisation that asked for a consent
    AUTHENTICATED = "AUTHENTICATED"  # public to every caller: the audit log's checkpoints
    PUBLIC_AUTHORITY = "PUBLIC_AUTHORITY"  # a public organisation's clerk, after seeing the papers
    # Allowed to a representative, by the kind of their right (domain/acting.py).
    AS_GUARDIAN = "AS_GUARDIAN"  # a guardian of a minor
    AS_MANDATARY = "AS_MANDATARY"  # an adult under the other's mandate
    AS_LEGAL_GUARDIAN = "AS_LEGAL_GUARDIAN"  # a legal guardian of an adult
    # Denied.
    CONSENT_REQUIRED = "CONSENT_REQUIRED"
    CONSENT_REVOKED = "CONSENT_REVOKED"
    CONSENT_EXPIRED = "CONSENT_EXPIRED"
    CONSENT_NOT_YET_VALID = "CONSENT_NOT_YET_VALID"
    PERMISSION_NOT_GRANTED = "PERMISSION_NOT_GRANTED"
    NOT_CASE_CITIZEN = "NOT_CASE_CITIZEN"
    NOT_CONSENT_CITIZEN = "NOT_CONSENT_CITIZEN"
    NOT_CONSENT_GRANTEE = "NOT_CONSENT_GRANTEE"
    CITIZEN_CANNOT_WRITE = "CITIZEN_CANNOT_WRITE"
    CITIZEN_ONLY = "CITIZEN_ONLY"
    OWNER_ONLY = "OWNER_ONLY"
    ORG_KIND_NOT_ALLOWED = "ORG_KIND_NOT_ALLOWED"
    CASE_CLOSED = "CASE_CLOSED"
    NOT_DESK_MEMBER = "NOT_DESK_MEMBER"
    NOT_INQUIRY_CITIZEN = "NOT_INQUIRY_CITIZEN"
    NOT_INQUIRY_HOLDER = "NOT_INQUIRY_HOLDER"
    NOT_CONSENT_REQUEST_PARTY = "NOT_CONSENT_REQUEST_PARTY"
    NOT_OWN_EVENT = "NOT_OWN_EVENT"  # a proof of an audit event the caller may not list
    # Denied to a representative: the first check of domain/representation that failed.
    REPRESENTATION_MISSING = "REPRESENTATION_MISSING"
    REPRESENTATION_NOT_ACCEPTED = "REPRESENTATION_NOT_ACCEPTED"
    REPRESENTATION_ENDED = "REPRESENTATION_ENDED"
    REPRESENTATION_NOT_YET_VALID = "REPRESENTATION_NOT_YET_VALID"
    REPRESENTATION_CAME_OF_AGE = "REPRESENTATION_CAME_OF_AGE"
    REPRESENTATION_EXPIRED = "REPRESENTATION_EXPIRED"
    REPRESENTATION_OUT_OF_SCOPE = "REPRESENTATION_OUT_OF_SCOPE"
    # Recorded, never told: the caller is told what a case that does not exist gets.
    REPRESENTATION_NON_DISCLOSURE = "REPRESENTATION_NON_DISCLOSURE"
    REPRESENTATION_CARE_ORDER = "REPRESENTATION_CARE_ORDER"
    REPRESENTATION_MINOR_FORBIDS = "REPRESENTATION_MINOR_FORBIDS"


@dataclass(frozen=True)
class Actor:
    """Who acts: an organisation, or a portal acting for the citizen ``citizen_id``.

    A portal's citizen acting for another person under a representation right:
    ``citizen_id`` is the represented person (whose data it is) and
    ``representative_id`` the signed-in citizen who acts (None otherwise).
    """

    org_id: str
    citizen_id: str | None = None
    representative_id: str | None = None


@dataclass(frozen=True)
class Decision:
    """Whether an access is allowed, and the reason recorded in the audit log."""

    allowed: bool
    reason: Reason
    consent_id: str | None = None


_DENIAL_BY_STATE = {
    ConsentState.REVOKED: Reason.CONSENT_REVOKED,
    ConsentState.EXPIRED: Reason.CONSENT_EXPIRED,
    ConsentState.PENDING: Reason.CONSENT_NOT_YET_VALID,
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
        denied = Reason.NOT_CASE_CITIZEN if actor.citizen_id else Reason.CONSENT_REQUIRED
        return Decision(False, denied)
    if actor.citizen_id is not None:
        if actor.citizen_id != case.citizen_id:
            return Decision(False, Reason.NOT_CASE_CITIZEN)
        if need in CITIZEN_PERMISSIONS:
            return Decision(True, Reason.SELF)
        # Citizens hold no consents: the truth is that records are the providers' entries.
        return Decision(False, Reason.CITIZEN_CANNOT_WRITE)
    if actor.org_id == case.owner_org_id:
        return Decision(True, Reason.OWNER)
    relevant = sorted(
        (c for c in consents if c.org_id == actor.org_id and c.covers(case)),
        key=lambda c: (c.created_at, c.id),
    )
    active = [c for c in relevant if c.state_at(now) is ConsentState.ACTIVE]
    for consent in active:
        if need in consent.permissions:
            return Decision(True, Reason.CONSENT, consent.id)
    if active:
        return Decision(False, Reason.PERMISSION_NOT_GRANTED)
    if relevant:
        return Decision(False, _DENIAL_BY_STATE[relevant[-1].state_at(now)])
    return Decision(False, Reason.CONSENT_REQUIRED)


@dataclass(frozen=True)
class CaseAccess:
    """What an actor may do with one case now, and the consents that let it."""

    owner: bool
    permissions: frozenset[Permission]
    consent_ids: tuple[str, ...] = ()


def case_access(actor: Actor, case: Case, consents: Iterable[Consent], now: datetime) -> CaseAccess:
    """Each permission as :func:`decide` would decide it on ``case`` at ``now``, and the
    actor's active consents covering the case, oldest first."""
    consents = list(consents)
    permissions = frozenset(p for p in Permission if decide(actor, case, p, consents, now).allowed)
    covering = sorted(
        (
            c
            for c in consents
            if actor.citizen_id is None
            and c.org_id == actor.org_id
            and c.covers(case)
            and c.state_at(now) is ConsentState.ACTIVE
        ),
        key=lambda c: (c.created_at, c.id),
    )
    owner = actor.citizen_id is None and actor.org_id == case.owner_org_id
    return CaseAccess(owner, permissions, tuple(c.id for c in covering))
