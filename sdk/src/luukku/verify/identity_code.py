"""The Finnish personal identity code (henkilötunnus), format ``DDMMYYCZZZQ``.

``DDMMYY`` is the birth date, ``C`` the century sign (2023 reform: ``+`` for the
1800s; ``-``, ``Y``, ``X``, ``W``, ``V``, ``U`` for the 1900s; ``A``-``F`` for the
2000s), ``ZZZ`` the individual number (002-899 for persons, 900-999 temporary
and test codes) and ``Q`` the check character.

An identity code is personal data: nothing here ever puts one into an error
message or a ``repr``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Reason = Literal["FORMAT", "DATE", "INDIVIDUAL_NUMBER", "CHECK_CHARACTER"]

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS: dict[str, int] = {
    "+": 1800,
    **dict.fromkeys("-YXWVU", 1900),
    **dict.fromkeys("ABCDEF", 2000),
}
_DEFAULT_SIGNS = {1800: "+", 1900: "-", 2000: "A"}
_FORMAT = re.compile(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Z]")
_DESCRIPTIONS: dict[Reason, str] = {
    "FORMAT": "not of the form DDMMYYCZZZQ",
    "DATE": "the birth date is not a real calendar date",
    "INDIVIDUAL_NUMBER": "the individual number must be 002-999",
    "CHECK_CHARACTER": "the check character does not match",
}


class InvalidIdentityCode(ValueError):
    """An identity code failed validation.

    The message and ``args`` carry only the reason, never the code itself.

    Attributes:
        reason: One of ``FORMAT``, ``DATE``, ``INDIVIDUAL_NUMBER``, ``CHECK_CHARACTER``.
    """

    reason: Reason

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"invalid personal identity code: {_DESCRIPTIONS[reason]} ({reason})")
        self.reason = reason


def _check_character(six_digits: str, individual_number: str) -> str:
    return CHECK_CHARACTERS[int(six_digits + individual_number) % 31]


def _birth_date(text: str) -> date:
    """Validate ``text`` and return the birth date it encodes."""
    if not _FORMAT.fullmatch(text):
        raise InvalidIdentityCode("FORMAT")
    year = CENTURY_SIGNS[text[6]] + int(text[4:6])
    try:
        born = date(year, int(text[2:4]), int(text[0:2]))
    except ValueError:
        raise InvalidIdentityCode("DATE") from None
    if int(text[7:10]) < 2:
        raise InvalidIdentityCode("INDIVIDUAL_NUMBER")
    if text[10] != _check_character(text[0:6], text[7:10]):
        raise InvalidIdentityCode("CHECK_CHARACTER")
    return born


@dataclass(frozen=True, repr=False)
class IdentityCode:
    """A validated personal identity code; its ``repr`` and ``str`` are redacted.

    Build one with :meth:`parse`; direct construction is validated too.

    Attributes:
        value: The normalised code (exactly as accepted by :meth:`parse`).
        birth_date: The birth date the code encodes.
    """

    value: str
    birth_date: date

    def __post_init__(self) -> None:
        if _birth_date(self.value) != self.birth_date:
            raise InvalidIdentityCode("DATE")

    @classmethod
    def parse(cls, text: str) -> IdentityCode:
        """Validate ``text`` as an identity code.

        Only the exact upper-case form is accepted; stripping whitespace is the
        caller's job.

        Args:
            text: The candidate code.

        Returns:
            The validated code.

        Raises:
            InvalidIdentityCode: If ``text`` is not a valid identity code.
        """
        return cls(value=text, birth_date=_birth_date(text))

    def __repr__(self) -> str:
        return "IdentityCode(<redacted>)"

    __str__ = __repr__


def is_valid_identity_code(text: str) -> bool:
    """Tell whether ``text`` is a valid identity code (see :meth:`IdentityCode.parse`).

    Args:
        text: The candidate code.

    Returns:
        True if valid, else False.
    """
    try:
        _birth_date(text)
    except InvalidIdentityCode:
        return False
    return True


def make_identity_code(
    birth_date: date, individual_number: int, century_sign: str | None = None
) -> str:
    """Build a valid identity code, computing its check character (for tests and demo data).

    Args:
        birth_date: A date in 1800-2099.
        individual_number: 2-999 (900-999 are temporary/test numbers).
        century_sign: A sign for the birth century; defaults to ``+``, ``-`` or ``A``.

    Returns:
        The identity code.

    Raises:
        InvalidIdentityCode: If the year is outside 1800-2099 (``DATE``), the number
            outside 2-999 (``INDIVIDUAL_NUMBER``) or the sign does not fit the
            century (``FORMAT``).
    """
    century = birth_date.year // 100 * 100
    if century not in _DEFAULT_SIGNS:
        raise InvalidIdentityCode("DATE")
    if not 2 <= individual_number <= 999:
        raise InvalidIdentityCode("INDIVIDUAL_NUMBER")
    sign = _DEFAULT_SIGNS[century] if century_sign is None else century_sign
    if CENTURY_SIGNS.get(sign) != century:
        raise InvalidIdentityCode("FORMAT")
    six = birth_date.strftime("%d%m") + f"{birth_date.year % 100:02d}"
    number = f"{individual_number:03d}"
    return f"{six}{sign}{number}{_check_character(six, number)}"


__all__ = [
    "CENTURY_SIGNS",
    "CHECK_CHARACTERS",
    "IdentityCode",
    "InvalidIdentityCode",
    "Reason",
    "is_valid_identity_code",
    "make_identity_code",
]
