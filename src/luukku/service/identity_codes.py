"""Personal identity codes as request fields."""

from __future__ import annotations

from luukku.domain.errors import invalid_argument
from luukku.verify.identity_code import IdentityCode, InvalidIdentityCode


def identity_code(value: str, field: str = "identity_code") -> str:
    """A validated personal identity code; the error never repeats the input."""
    try:
        return IdentityCode.parse(value).value
    except InvalidIdentityCode as exc:
        raise invalid_argument(
            "INVALID_IDENTITY_CODE", field, "not a valid personal identity code"
        ) from exc
