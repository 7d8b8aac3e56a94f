"""A right's period and scope, as requests give them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from luukku.domain.errors import invalid_argument
from luukku.domain.representation.rights import MandateCode

MAX_YEARS_AHEAD = 5
"""How far ahead a mandate given in the portal may end."""


def years_after(at: datetime, years: int) -> datetime:
    """The same moment ``years`` later (29 February: the 28th)."""
    try:
        return at.replace(year=at.year + years)
    except ValueError:
        return at.replace(year=at.year + years, day=28)


def check_period(valid_from: datetime, valid_until: datetime, now: datetime) -> None:
    """A period that ends after it starts and in the future (``INVALID_VALIDITY``)."""
    if valid_until <= valid_from:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "must be after valid_from")
    if valid_until <= now:
        raise invalid_argument("INVALID_VALIDITY", "valid_until", "must be in the future")


def check_codes(codes: Collection[MandateCode]) -> None:
    """At least one mandate code (``EMPTY_SCOPE``)."""
    if not codes:
        raise invalid_argument("EMPTY_SCOPE", "codes", "at least one mandate code is needed")
