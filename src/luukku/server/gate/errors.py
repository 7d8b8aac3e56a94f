"""Mapping domain errors to gRPC statuses with google.rpc.ErrorInfo (AIP-193)."""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2, error_details_pb2, status_pb2

from luukku.domain.errors import LuukkuError

ERROR_DOMAIN = "luukku.fi"


def to_grpc_code(error: LuukkuError) -> grpc.StatusCode:
    """The canonical gRPC code for a domain error."""
    return grpc.StatusCode[error.code.value]


def to_rich_status(error: LuukkuError) -> status_pb2.Status:
    """A google.rpc.Status carrying ErrorInfo and, if any, a BadRequest."""
    info = error_details_pb2.ErrorInfo(
        reason=error.reason, domain=ERROR_DOMAIN, metadata=dict(error.metadata)
    )
    details: list[Message] = [info]
    if error.violations:
        details.append(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(
                        field=v.field, description=v.description
                    )
                    for v in error.violations
                ]
            )
        )
    if error.retry_after_s is not None:
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(int(error.retry_after_s * 1e9))
        details.append(error_details_pb2.RetryInfo(retry_delay=delay))
    packed = []
    for detail in details:
        any_detail = any_pb2.Any()
        any_detail.Pack(detail)
        packed.append(any_detail)
    return status_pb2.Status(
        code=getattr(code_pb2, error.code.value), message=error.message, details=packed
    )


async def abort_with(
    context: grpc.aio.ServicerContext[object, object],
    error: LuukkuError,
    trailing: tuple[tuple[str, str], ...] = (),
) -> None:
    """Abort the call with ``error`` (raises, as ``context.abort`` does).

    ``trailing`` is more trailing metadata to send with the status.
    """
    status = to_rich_status(error)
    await context.abort(
        to_grpc_code(error),
        error.message,
        trailing_metadata=(*trailing, ("grpc-status-details-bin", status.SerializeToString())),
    )
