"""A right a clerk of a public organisation registers after seeing the papers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.errors import invalid_argument
from luukku.domain.representation.rights import Kind, MandateCode, Right, Source, validate_right
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import guard
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.identity_codes import identity_code
from luukku.service.ids import new_id, optional_request_id
from luukku.service.representation.parties import (
    birth_date,
    clerk_reason,
    is_adult,
    is_public_clerk,
    require_adult,
)
from luukku.service.representation.validity import check_codes, check_period
from luukku.service.representation.views import RightView, view
from luukku.store.uow import Store

_REPRESENTATIVE = "representative_identity_code"
_REPRESENTED = "represented_identity_code"


@dataclass(frozen=True, repr=False)
class Registration:
    """What the clerk saw (``repr`` shows no identity code)."""

    kind: Kind | None
    representative_identity_code: str
    represented_identity_code: str
    codes: frozenset[MandateCode]
    reason: str
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    request_id: str = ""


@dataclass(frozen=True, repr=False)
class _Checked:
    kind: Kind
    representative: str
    represented: str
    valid_from: datetime
    reason: str


def _checked(registration: Registration) -> _Checked:
    """The registration's fields, each checked, before anything is read or written."""
    if registration.kind is None:
        raise invalid_argument("MISSING_FIELD", "kind", "required")
    representative = identity_code(registration.representative_identity_code, _REPRESENTATIVE)
    represented = identity_code(registration.represented_identity_code, _REPRESENTED)
    check_codes(registration.codes)
    reason = clerk_reason(registration.reason)
    now = now_utc()
    valid_from = registration.valid_from or now
    if registration.valid_until is not None:
        check_period(valid_from, registration.valid_until, now)
    elif registration.kind is Kind.ADULT_MANDATE:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "a mandate needs an end date")
    if representative == represented:
        raise invalid_argument("SELF_REPRESENTATION", _REPRESENTATIVE, "not oneself")
    require_adult(birth_date(representative), now, _REPRESENTATIVE)
    minor = not is_adult(birth_date(represented), now)
    if registration.kind is Kind.GUARDIAN_OF_MINOR and not minor:
        raise invalid_argument("NOT_A_MINOR", _REPRESENTED, "a guardian acts for a child")
    if registration.kind is not Kind.GUARDIAN_OF_MINOR and minor:
        raise invalid_argument("NOT_AN_ADULT", _REPRESENTED, "a child's guardian acts for a child")
    return _Checked(registration.kind, representative, represented, valid_from, reason)


def register_right(store: Store, caller: Caller, registration: Registration) -> RightView:
    """Record a right a clerk saw the papers of; a retry returns the first."""
    checked = _checked(registration)
    rid = optional_request_id(registration.request_id)
    key = f"org/{caller.organization.id}/{rid}" if rid else None

    def attempt() -> RightView:
        resource = "representation_rights/-"
        with guard(store, caller, action="representation.register", resource=resource) as (access):
            tx = access.tx
            if not is_public_clerk(access):
                # A refused registration must not register the person as a side effect.
                access.subject = tx.citizens.find(checked.represented)
                access.deny(Reason.ORG_KIND_NOT_ALLOWED)
            access.subject = tx.citizens.get_or_create(checked.represented, access.now)
            representative = tx.citizens.get_or_create(checked.representative, access.now)
            earlier = tx.representation.by_request(key) if key else None
            if earlier is not None:
                if (earlier.representative_id, earlier.represented_id) != (
                    representative,
                    access.subject,
                ):
                    raise invalid_argument(
                        "REQUEST_ID_REUSED", "request_id", "already used for another right"
                    )
                access.allow(
                    Reason.PUBLIC_AUTHORITY, resource=f"representation_rights/{earlier.id}"
                )
                return view(tx, earlier, access.now)
            right = validate_right(
                Right(
                    id=new_id(),
                    kind=checked.kind,
                    representative_id=representative,
                    represented_id=access.subject,
                    codes=registration.codes,
                    valid_from=checked.valid_from,
                    valid_until=registration.valid_until,
                    source=Source.CLERK_REGISTRATION,
                    represented_birth_date=birth_date(checked.represented),
                    reason=checked.reason,
                    created_at=access.now,
                )
            )
            access.allow(Reason.PUBLIC_AUTHORITY, resource=f"representation_rights/{right.id}")
            tx.representation.add(right, access.now, key)
            return view(tx, right, access.now)

    return once_more_on_conflict(attempt)
