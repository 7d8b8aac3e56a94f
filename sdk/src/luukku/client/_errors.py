"""The SDK's error family: every failed call raises an ``RPCError``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grpc
from google.rpc import error_details_pb2, status_pb2


@dataclass(frozen=True)
class FieldViolation:
    """A request field the broker rejected, and why."""

    field: str
    description: str


class RPCError(Exception):
    """A call the broker (or the transport) refused.

    Attributes:
        code: the canonical gRPC status code.
        message: the broker's explanation (never personal data).
        reason: the ``ErrorInfo`` reason, e.g. ``CONSENT_REQUIRED``; empty when
            the failure came from the transport rather than the broker.
        metadata: the ``ErrorInfo`` metadata.
        field_violations: for INVALID_ARGUMENT, the offending fields.
    """

    def __init__(
        self,
        code: grpc.StatusCode,
        message: str,
        *,
        reason: str = "",
        metadata: dict[str, str] | None = None,
        field_violations: tuple[FieldViolation, ...] = (),
    ) -> None:
        super().__init__(f"{code.name}{f' {reason}' if reason else ''}: {message}")
        self.code = code
        self.message = message
        self.reason = reason
        self.metadata = metadata or {}
        self.field_violations = field_violations


class InvalidArgumentError(RPCError):
    """The request was malformed; see ``field_violations``."""


class NotFoundError(RPCError):
    """The resource does not exist (and the caller may know that)."""


class AlreadyExistsError(RPCError):
    """The resource exists already."""


class PermissionDeniedError(RPCError):
    """The caller may not do this, e.g. no consent covers it."""


class UnauthenticatedError(RPCError):
    """The broker did not accept the caller's certificate or organisation."""


class FailedPreconditionError(RPCError):
    """The resource is not in a state that allows this, e.g. a closed case."""


class AbortedError(RPCError):
    """The call collided with another's change, e.g. a colleague edited the same ready
    answer since it was read: read again, then retry."""


class UnavailableError(RPCError):
    """The broker could not be reached or the TLS handshake failed; may be retried."""


_BY_CODE: dict[grpc.StatusCode, type[RPCError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgumentError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExistsError,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDeniedError,
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPreconditionError,
    grpc.StatusCode.ABORTED: AbortedError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
}


def from_rpc_error(error: grpc.aio.AioRpcError) -> RPCError:
    """Translate a grpc.aio error, reading ErrorInfo and BadRequest from its details."""
    code = error.code()
    reason, metadata = "", {}
    violations: tuple[FieldViolation, ...] = ()
    trailing: Any = error.trailing_metadata() or ()
    for key, value in trailing:
        if key == "grpc-status-details-bin" and isinstance(value, bytes):
            status = status_pb2.Status.FromString(value)
            for detail in status.details:
                info = error_details_pb2.ErrorInfo()
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(info):
                    reason, metadata = info.reason, dict(info.metadata)
                elif detail.Unpack(bad):
                    violations = tuple(
                        FieldViolation(v.field, v.description) for v in bad.field_violations
                    )
    cls = _BY_CODE.get(code, RPCError)
    return cls(
        code,
        error.details() or "",
        reason=reason,
        metadata=metadata,
        field_violations=violations,
    )
