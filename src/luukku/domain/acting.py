"""A call that acts for another person: what it asks of the right, and how the decisions combine.

A portal's citizen acting for someone under a representation right is decided
twice: on the represented person's data as if that person called (the access
rule, ``domain/access.py``), and on the representative's rights over them
(``domain/representation``). Both must allow it. The audit log records the
true reason of either refusal; the caller is told it only where the
representation rules allow (``Decision.told``): a non-disclosure order or a
capable minor's refusal is told as the answer a case that does not exist gets.
"""

from __future__ import annotations

from luukku.domain.access import Decision, Reason
from luukku.domain.consents import Permission
from luukku.domain.representation.decision import Decision as Represented
from luukku.domain.representation.decision import Refusal
from luukku.domain.representation.rights import Action, Kind

# What each audited action asks of a right. Reading one's cases, records,
# discussions and access log is reading; taking part in a discussion (a post,
# a new thread, a read mark) is discussing; consents and the requests for them are managing
# consents; a desk's inquiries are asking a desk. An action not listed here is
# none a citizen may take through a right (fail closed: out of scope).
_ACTIONS: dict[str, Action] = {
    "case.read": Action.READ,
    "case.list": Action.READ,
    "record.read": Action.READ,
    "record.list": Action.READ,
    "record.revisions": Action.READ,
    "thread.read": Action.READ,
    "thread.list": Action.READ,
    "thread.unread": Action.READ,
    "thread.watch": Action.READ,
    "message.list": Action.READ,
    "audit.list": Action.READ,
    "audit.summarize": Action.READ,
    "audit.watch": Action.READ,
    "audit.prove": Action.READ,
    "audit.consistency": Action.READ,
    "audit.checkpoint": Action.READ,
    "message.post": Action.DISCUSS,
    "thread.create": Action.DISCUSS,
    "thread.mark_read": Action.DISCUSS,
    "consent.grant": Action.MANAGE_CONSENTS,
    "consent.revoke": Action.MANAGE_CONSENTS,
    "consent.read": Action.MANAGE_CONSENTS,
    "consent.list": Action.MANAGE_CONSENTS,
    "consent_request.read": Action.MANAGE_CONSENTS,
    "consent_request.answer": Action.MANAGE_CONSENTS,
    "consent_request.list": Action.MANAGE_CONSENTS,
    "inquiry.create": Action.ASK_DESK,
    "inquiry.read": Action.ASK_DESK,
    "inquiry.list": Action.ASK_DESK,
    "inquiry.watch": Action.ASK_DESK,
    "inquiry.reopen": Action.ASK_DESK,
    "inquiry_message.post": Action.ASK_DESK,
    "inquiry_message.list": Action.ASK_DESK,
}

# What a permission on a case asks of a right (records are the organisations' to write).
PERMISSION_ACTIONS: dict[Permission, Action] = {
    Permission.READ: Action.READ,
    Permission.DISCUSS: Action.DISCUSS,
}

# A watch's records of what it delivered and of its end ask what its start asked.
_WATCH_RECORDS = (".delivered", ".end")

_ALLOWED_AS: dict[Kind, Reason] = {
    Kind.GUARDIAN_OF_MINOR: Reason.AS_GUARDIAN,
    Kind.ADULT_MANDATE: Reason.AS_MANDATARY,
    Kind.LEGAL_GUARDIAN: Reason.AS_LEGAL_GUARDIAN,
}

_REFUSED: dict[Refusal, Reason] = {
    Refusal.MISSING: Reason.REPRESENTATION_MISSING,
    Refusal.NOT_ACCEPTED: Reason.REPRESENTATION_NOT_ACCEPTED,
    Refusal.ENDED: Reason.REPRESENTATION_ENDED,
    Refusal.NOT_YET_VALID: Reason.REPRESENTATION_NOT_YET_VALID,
    Refusal.CAME_OF_AGE: Reason.REPRESENTATION_CAME_OF_AGE,
    Refusal.EXPIRED: Reason.REPRESENTATION_EXPIRED,
    Refusal.OUT_OF_SCOPE: Reason.REPRESENTATION_OUT_OF_SCOPE,
    Refusal.NON_DISCLOSURE: Reason.REPRESENTATION_NON_DISCLOSURE,
    Refusal.CARE_ORDER: Reason.REPRESENTATION_CARE_ORDER,
    Refusal.MINOR_FORBIDS: Reason.REPRESENTATION_MINOR_FORBIDS,
}

UNDISCLOSED_REASONS = frozenset(
    {Reason.REPRESENTATION_NON_DISCLOSURE, Reason.REPRESENTATION_MINOR_FORBIDS}
)
"""Refusals recorded in the audit log but never told to the representative."""


def kind_of(reason: str) -> Kind | None:
    """The kind of right an allowed reason names (None: not a representative's)."""
    return next((kind for kind, named in _ALLOWED_AS.items() if named == reason), None)


UNDER_A_RIGHT = frozenset({*_ALLOWED_AS.values(), *_REFUSED.values()})
"""The reasons of the decisions on calls that acted for someone under a right."""

NOT_THERE = Reason.NOT_CASE_CITIZEN
"""What a citizen is told of a case that does not exist (``access.decide`` with no case)."""


def representation_action(audited_action: str) -> Action | None:
    """What the audited ``audited_action`` asks of a right; None: no right allows it."""
    for suffix in _WATCH_RECORDS:
        if audited_action.endswith(suffix):
            audited_action = audited_action.removesuffix(suffix)
            break
    return _ACTIONS.get(audited_action)


def combine(own: Decision, represented: Represented, kind: Kind | None) -> Decision:
    """The decision on a call that acts for someone.

    Args:
        own: The access rule's decision, as if the represented person called.
        represented: The representation rule's decision over every right
            between the two.
        kind: The kind of the right that allowed it (None when refused).

    Returns:
        ``own`` if it denies; else the representation's refusal as a
        ``REPRESENTATION_*`` reason; else allowed, named after the right's kind,
        keeping ``own``'s consent (none: a citizen's access is their own).
    """
    if not own.allowed:
        return own
    if represented.refusal is not None:
        return Decision(False, _REFUSED[represented.refusal])
    if kind is None:
        return Decision(False, Reason.REPRESENTATION_MISSING)
    return Decision(True, _ALLOWED_AS[kind], own.consent_id)


def told(reason: Reason) -> Reason:
    """The reason a representative is told of a refusal recorded as ``reason``."""
    return NOT_THERE if reason in UNDISCLOSED_REASONS else reason
