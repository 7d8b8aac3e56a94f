"""The Finnish business id (Y-tunnus), format ``NNNNNNN-C``.

The check digit ``C`` comes from weights 7, 9, 10, 5, 8, 4, 2 over the seven
digits: with ``s`` the weighted sum modulo 11, ``s == 0`` gives 0, ``s == 1`` is
never issued, otherwise the check digit is ``11 - s``.
"""

from __future__ import annotations

import re
from typing import Literal

Reason = Literal["FORMAT", "CHECK_DIGIT"]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_FORMAT = re.compile(r"[0-9]{7}-[0-9]")
_SEVEN_DIGITS = re.compile(r"[0-9]{7}")
_DESCRIPTIONS: dict[Reason, str] = {
    "FORMAT": "not of the form NNNNNNN-C",
    "CHECK_DIGIT": "the check digit does not match",
}


class InvalidBusinessId(ValueError):
    """A business id failed validation.

    Attributes:
        reason: ``FORMAT`` or ``CHECK_DIGIT``.
    """

    reason: Reason

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"invalid business id: {_DESCRIPTIONS[reason]} ({reason})")
        self.reason = reason


def _check_digit(seven_digits: str) -> str:
    s = sum(w * int(d) for w, d in zip(_WEIGHTS, seven_digits, strict=True)) % 11
    if s == 1:
        raise InvalidBusinessId("CHECK_DIGIT")
    return "0" if s == 0 else str(11 - s)


def parse_business_id(text: str) -> str:
    """Validate ``text`` as a business id in its exact ``NNNNNNN-C`` form.

    Older six-digit ids are not accepted; pad them with a leading zero first.

    Args:
        text: The candidate id.

    Returns:
        The normalised id.

    Raises:
        InvalidBusinessId: If ``text`` is not a valid business id.
    """
    if not _FORMAT.fullmatch(text):
        raise InvalidBusinessId("FORMAT")
    if _check_digit(text[:7]) != text[8]:
        raise InvalidBusinessId("CHECK_DIGIT")
    return text


def is_valid_business_id(text: str) -> bool:
    """Tell whether ``text`` is a valid business id (see :func:`parse_business_id`).

    Args:
        text: The candidate id.

    Returns:
        True if valid, else False.
    """
    try:
        parse_business_id(text)
    except InvalidBusinessId:
        return False
    return True


def make_business_id(seven_digits: str) -> str:
    """Append the check digit to seven digits (for tests and demo data).

    Args:
        seven_digits: Exactly seven ASCII digits.

    Returns:
        The business id ``NNNNNNN-C``.

    Raises:
        InvalidBusinessId: ``FORMAT`` if not seven digits, ``CHECK_DIGIT`` if the
            weighted sum leaves remainder 1 (no check digit exists).
    """
    if not _SEVEN_DIGITS.fullmatch(seven_digits):
        raise InvalidBusinessId("FORMAT")
    return f"{seven_digits}-{_check_digit(seven_digits)}"


__all__ = [
    "InvalidBusinessId",
    "Reason",
    "is_valid_business_id",
    "make_business_id",
    "parse_business_id",
]
