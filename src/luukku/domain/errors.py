"""Errors the domain and use cases raise; the server maps them to gRPC statuses.

The codes mirror the canonical gRPC codes by name (AIP-193) so that this module
needs no gRPC import. Messages are shown to callers: they must never contain a
personal identity code, a token or a key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class ErrorCode(StrEnum):
    """Canonical status codes (the subset Luukku uses), named as in grpc.StatusCode."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    ABORTED = "ABORTED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class FieldViolation:
    """One bad field of a request: its path (e.g. ``body.text``) and what is wrong."""

    field: str
    description: str


@dataclass
class LuukkuError(Exception):
    """A failure with a canonical code and an UPPER_SNAKE reason for ``ErrorInfo``."""

    code: ErrorCode
    reason: str
    message: str
    violations: Sequence[FieldViolation] = ()
    metadata: Mapping[str, str] = field(default_factory=dict)
    retry_after_s: float | None = None
    """For a refusal that passes with time (a quota): when to try again."""

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.code.value} {self.reason}: {self.message}"


def invalid_argument(reason: str, field_path: str, description: str) -> LuukkuError:
    """An INVALID_ARGUMENT error for one bad field."""
    return LuukkuError(
        ErrorCode.INVALID_ARGUMENT,
        reason,
        f"{field_path}: {description}",
        violations=(FieldViolation(field_path, description),),
    )


def not_found(reason: str, message: str) -> LuukkuError:
    """A NOT_FOUND error."""
    return LuukkuError(ErrorCode.NOT_FOUND, reason, message)


def permission_denied(reason: str, message: str) -> LuukkuError:
    """A PERMISSION_DENIED error."""
    return LuukkuError(ErrorCode.PERMISSION_DENIED, reason, message)


def unauthenticated(reason: str, message: str) -> LuukkuError:
    """An UNAUTHENTICATED error."""
    return LuukkuError(ErrorCode.UNAUTHENTICATED, reason, message)


def failed_precondition(reason: str, message: str) -> LuukkuError:
    """A FAILED_PRECONDITION error."""
    return LuukkuError(ErrorCode.FAILED_PRECONDITION, reason, message)
