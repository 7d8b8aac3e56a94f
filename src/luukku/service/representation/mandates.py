"""A mandate given by one adult to another in the portal, in force once accepted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.errors import (
    LuukkuError,
    failed_precondition,
    invalid_argument,
    permission_denied,
)
from luukku.domain.representation.rights import (
    Kind,
    MandateCode,
    Right,
    Source,
    validate_right,
)
from luukku.domain.representation.state import State, state_at
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import Access, guard
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.identity_codes import identity_code
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.representation.parties import (
    birth_date,
    is_adult,
    require_adult,
    right_not_found,
    signed_in_citizen,
)
from luukku.service.representation.validity import (
    MAX_YEARS_AHEAD,
    check_codes,
    check_period,
    years_after,
)
from luukku.service.representation.views import RightView, view
from luukku.store.uow import Store

_FIELD = "representative_identity_code"


@dataclass(frozen=True, repr=False)
class Mandate:
    """What the signed-in citizen gives (``repr`` shows no identity code)."""

    representative_identity_code: str
    codes: frozenset[MandateCode]
    valid_until: datetime
    valid_from: datetime | None = None
    request_id: str = ""


def give_mandate(store: Store, caller: Caller, mandate: Mandate) -> RightView:
    """The signed-in adult gives another adult a mandate; a retry returns the first."""
    code = identity_code(mandate.representative_identity_code, _FIELD)
    check_codes(mandate.codes)
    rid = optional_request_id(mandate.request_id)
    # Checked against the clock before the guard's own reading of it, as a consent's.
    now = now_utc()
    valid_from = mandate.valid_from or now
    check_period(valid_from, mandate.valid_until, now)
    if mandate.valid_until > years_after(now, MAX_YEARS_AHEAD):
        raise invalid_argument(
            "INVALID_VALIDITY", "valid_until", f"at most {MAX_YEARS_AHEAD} years ahead"
        )
    require_adult(birth_date(code), now, _FIELD)

    def attempt() -> RightView:
        resource = "representation_rights/-"
        with guard(store, caller, action="representation.mandate.give", resource=resource) as (
            access
        ):
            giver = signed_in_citizen(access)
            key = f"citizen/{giver}/{rid}" if rid else None
            earlier = access.tx.representation.by_request(key) if key else None
            if earlier is not None:
                if earlier.representative_id != access.tx.citizens.find(code):
                    raise _reused()
                access.allow(Reason.SELF, resource=f"representation_rights/{earlier.id}")
                return view(access.tx, earlier, access.now)
            right = _new_mandate(access, giver, code, replace(mandate, valid_from=valid_from))
            access.allow(Reason.SELF, resource=f"representation_rights/{right.id}")
            access.tx.representation.add(right, access.now, key)
            return view(access.tx, right, access.now)

    return once_more_on_conflict(attempt)


def _new_mandate(access: Access, giver: str, code: str, mandate: Mandate) -> Right:
    assert mandate.valid_from is not None
    assert access.caller.on_behalf_of is not None
    born = birth_date(access.caller.on_behalf_of)
    if not is_adult(born, access.now):
        raise permission_denied("GIVER_NOT_ADULT", "only an adult may give a mandate")
    if code == access.caller.on_behalf_of:
        raise invalid_argument("SELF_REPRESENTATION", _FIELD, "not oneself")
    return validate_right(
        Right(
            id=new_id(),
            kind=Kind.ADULT_MANDATE,
            representative_id=access.tx.citizens.get_or_create(code, access.now),
            represented_id=giver,
            codes=mandate.codes,
            valid_from=mandate.valid_from,
            valid_until=mandate.valid_until,
            source=Source.PORTAL_MANDATE,
            represented_birth_date=born,
            created_at=access.now,
        )
    )


def _reused() -> LuukkuError:
    return invalid_argument(
        "REQUEST_ID_REUSED", "request_id", "already used for a mandate to someone else"
    )


def accept_mandate(store: Store, caller: Caller, right_id: str) -> RightView:
    """The representative accepts a mandate given to them; accepting twice changes nothing.

    To anyone else the mandate does not exist (``RIGHT_NOT_FOUND``), whether or not it does.
    """
    require_id(right_id, "right_id")
    resource = f"representation_rights/{right_id}"
    with guard(store, caller, action="representation.mandate.accept", resource=resource) as (
        access
    ):
        right = access.tx.representation.get(right_id)
        access.subject = right.represented_id if right else None
        me = signed_in_citizen(access)
        if right is None or right.representative_id != me:
            raise right_not_found()
        if right.source is not Source.PORTAL_MANDATE:
            raise failed_precondition("NOT_A_MANDATE", "only a mandate given in the portal")
        state = state_at(right, (), access.now)
        if state is State.ENDED:
            raise failed_precondition("RIGHT_ENDED", "the mandate has been ended")
        if state is State.EXPIRED:
            raise failed_precondition("RIGHT_EXPIRED", "the mandate's period is over")
        access.allow(Reason.SELF)
        if right.accepted_at is None and access.tx.representation.accept(right.id, access.now):
            right = replace(right, accepted_at=access.now)
        return view(access.tx, right, access.now)
