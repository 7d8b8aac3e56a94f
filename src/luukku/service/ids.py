"""Request fields shared by many calls: ids, request ids, identity codes, clocks."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy.exc import IntegrityError

from luukku.domain.errors import invalid_argument
from luukku.domain.identity_code import IdentityCode, InvalidIdentityCode

T = TypeVar("T")

_ID = re.compile(r"^[0-9a-f]{32}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def now_utc() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


def new_id() -> str:
    """A fresh opaque id."""
    return uuid.uuid4().hex


def require_id(value: str, field: str) -> str:
    """An opaque id as the broker issues them, else INVALID_ARGUMENT."""
    if not _ID.match(value):
        raise invalid_argument("INVALID_ID", field, "not a valid id")
    return value


def optional_request_id(value: str) -> str | None:
    """A client request id (empty: none), else INVALID_ARGUMENT."""
    if not value:
        return None
    if not _REQUEST_ID.match(value):
        raise invalid_argument(
            "INVALID_REQUEST_ID", "request_id", "1-128 characters of A-Z a-z 0-9 . _ : -"
        )
    return value


def identity_code(value: str, field: str = "identity_code") -> str:
    """A validated personal identity code; the error never repeats the input."""
    try:
        return IdentityCode.parse(value).value
    except InvalidIdentityCode as exc:
        raise invalid_argument(
            "INVALID_IDENTITY_CODE", field, "not a valid personal identity code"
        ) from exc


def once_more_on_conflict(attempt: Callable[[], T]) -> T:
    """Run an idempotent create; on a unique-key conflict, run it once more.

    Two concurrent creates with the same request id: the loser's unique index
    violation rolls its transaction back, and the retry finds the winner's row.
    """
    try:
        return attempt()
    except IntegrityError:
        return attempt()
