"""Who may call the representation use cases, people's ages, and a clerk's reason."""

from __future__ import annotations

from datetime import date, datetime

from luukku.domain.access import Reason
from luukku.domain.errors import LuukkuError, invalid_argument, not_found
from luukku.domain.organizations import OrgKind
from luukku.domain.representation.blockers import age_on
from luukku.domain.representation.rights import AGE_OF_MAJORITY
from luukku.domain.text import storable_text
from luukku.service.access.guard import Access
from luukku.verify.identity_code import IdentityCode

MAX_REASON = 500


def signed_in_citizen(access: Access) -> str:
    """The citizen a portal acts for; anyone else is refused (``CITIZEN_ONLY``).

    Rights are one's own to list, give and accept: not through another's right
    (``REPRESENTATION_OUT_OF_SCOPE``). The name the identity provider signed into
    the citizen's token is kept as theirs, so that the people on the other side
    of a right, and the log of the person acted for, can show who they are.
    """
    citizen_id = access.actor.citizen_id
    if citizen_id is None:
        access.deny(Reason.CITIZEN_ONLY)
    if access.caller.acting_for is not None:
        access.deny(Reason.REPRESENTATION_OUT_OF_SCOPE)
    if access.caller.citizen_name:
        access.tx.citizens.keep_display_name(citizen_id, access.caller.citizen_name, access.now)
    return citizen_id


def is_public_clerk(access: Access) -> bool:
    """Whether the caller is a clerk of a public organisation (not a portal for a citizen)."""
    return access.actor.citizen_id is None and access.caller.organization.kind is OrgKind.PUBLIC


def public_clerk(access: Access) -> None:
    """Refuse anyone but a clerk of a public organisation (``ORG_KIND_NOT_ALLOWED``)."""
    if not is_public_clerk(access):
        access.deny(Reason.ORG_KIND_NOT_ALLOWED)


def clerk_reason(text: str, field: str = "reason") -> str:
    """A clerk's reason: 1-500 characters without control characters, stripped."""
    reason = storable_text(text, field).strip()
    if not reason or len(reason) > MAX_REASON:
        raise invalid_argument("INVALID_REASON", field, f"1-{MAX_REASON} characters")
    return reason


def birth_date(identity_code: str) -> date:
    """The birth date a (validated) identity code encodes."""
    return IdentityCode.parse(identity_code).birth_date


def is_adult(born: date, at: datetime) -> bool:
    """Whether one born on ``born`` is 18 or more at ``at`` (Finnish time)."""
    return age_on(born, at) >= AGE_OF_MAJORITY


def require_adult(born: date, at: datetime, field: str) -> None:
    """Refuse a representative under 18 (``INVALID_ARGUMENT``, ``NOT_AN_ADULT``)."""
    if not is_adult(born, at):
        raise invalid_argument("NOT_AN_ADULT", field, "must be 18 or older")


def right_not_found() -> LuukkuError:
    """What anyone but a party is told of a right, whether or not it exists."""
    return not_found("RIGHT_NOT_FOUND", "no such representation right")
