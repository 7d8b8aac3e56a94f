"""Consent requests: a clerk holding a citizen's inquiry asks them for a consent.

The clerk names one of the citizen's cases, the permissions, a purpose and a
period of at most a year; the citizen approves (which grants exactly that
consent) or declines, once. A request still pending when its period has ended
can no longer be approved: it is shown as expired.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from luukku.domain.caller import Practitioner
from luukku.domain.consents import Permission, validate_grant
from luukku.domain.errors import invalid_argument

MAX_REQUESTED_VALIDITY = timedelta(days=366)


class RequestState(StrEnum):
    """Where a consent request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"
    """Still unanswered when its period ended: never stored, only shown."""


@dataclass(frozen=True)
class ConsentRequest:
    """What ``org_id``'s clerk asked the citizen of inquiry ``inquiry_id``, and the answer."""

    id: str
    inquiry_id: str
    citizen_id: str
    org_id: str
    practitioner: Practitioner
    case_id: str
    permissions: frozenset[Permission]
    purpose: str
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    answer: RequestState = RequestState.PENDING
    """PENDING, APPROVED or DECLINED as stored."""
    answered_at: datetime | None = None
    consent_id: str | None = None
    """The consent the approval granted."""

    def state_at(self, now: datetime) -> RequestState:
        """The state at ``now``: an unanswered request past its period has expired."""
        if self.answer is RequestState.PENDING and now >= self.valid_until:
            return RequestState.EXPIRED
        return self.answer

    def answered(
        self, answer: RequestState, at: datetime, consent_id: str | None
    ) -> ConsentRequest:
        """The request with the citizen's answer."""
        return replace(self, answer=answer, answered_at=at, consent_id=consent_id)


def validate_request(
    *,
    case_id: str,
    permissions: frozenset[Permission],
    purpose: str,
    valid_from: datetime,
    valid_until: datetime,
) -> str:
    """Check a request's fields as a grant's, with at most a year; returns the purpose."""
    purpose = validate_grant(
        case_id=case_id,
        category=None,
        permissions=permissions,
        purpose=purpose,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    if valid_until - valid_from > MAX_REQUESTED_VALIDITY:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "at most one year of validity")
    return purpose
