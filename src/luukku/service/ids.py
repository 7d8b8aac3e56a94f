"""Opaque ids the broker issues, and the request ids clients send for idempotent creates."""

from __future__ import annotations

import re
import uuid

from luukku.domain.errors import invalid_argument

_ID = re.compile(r"^[0-9a-f]{32}\Z")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}\Z")


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
