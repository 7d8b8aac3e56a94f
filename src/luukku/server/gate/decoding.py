"""Request bytes that are no valid message: refused as INVALID_ARGUMENT, never a traceback.

grpc deserialises a request before any interceptor code runs; a decode error
raised there becomes UNKNOWN with a traceback in the log for every such request,
even from an unregistered certificate. The broker's handlers are therefore
given deserialisers that return ``UNDECODABLE`` instead of raising, and check
for it once the caller is known. Bytes over the method's limit are not parsed
at all: they stand as an ``Oversized`` request, refused the same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import grpc

from luukku.domain.errors import ErrorCode, LuukkuError

Context = grpc.aio.ServicerContext[Any, Any]


class _Undecodable:
    """Stands for request bytes that are no valid message of the method's type."""


UNDECODABLE = _Undecodable()


class Oversized:
    """Stands for request bytes over the method's limit, which were never parsed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit


def tolerant(
    deserializer: Callable[[bytes], Any] | None, limit: int | None = None
) -> Callable[[bytes], Any] | None:
    """A deserializer that turns undecodable bytes into ``UNDECODABLE`` instead of raising,
    and bytes over ``limit`` into an ``Oversized`` request without parsing them.

    Raised inside grpc, a decode error becomes UNKNOWN with a traceback in the
    log for every such request, before any interceptor code runs.
    """
    if deserializer is None:
        return None
    oversized = Oversized(limit) if limit is not None else None

    def deserialize(data: bytes) -> Any:
        if oversized is not None and len(data) > oversized.limit:
            return oversized
        try:
            return deserializer(data)
        except Exception:  # DecodeError, or any other failure to parse the bytes
            return UNDECODABLE

    return deserialize


def decoded(request: Any) -> Any:
    if request is UNDECODABLE:
        raise LuukkuError(
            ErrorCode.INVALID_ARGUMENT,
            "MALFORMED_REQUEST",
            "the request is not a valid message of this method's type",
        )
    if isinstance(request, Oversized):
        raise LuukkuError(
            ErrorCode.INVALID_ARGUMENT,
            "REQUEST_TOO_LARGE",
            f"the request is larger than any valid one of its method ({request.limit} bytes)",
        )
    return request


async def decoded_each(requests: AsyncIterator[Any]) -> AsyncIterator[Any]:
    async for request in requests:
        yield decoded(request)


def open_handler(handler: grpc.RpcMethodHandler[Any, Any]) -> grpc.RpcMethodHandler[Any, Any]:
    """An open service (health): no authentication, but garbage is refused cleanly."""
    deserializer = tolerant(handler.request_deserializer)
    if handler.unary_unary is not None:
        behavior = handler.unary_unary

        async def unary(request: Any, context: Context) -> Any:
            if request is UNDECODABLE:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "malformed request")
            return await behavior(request, context)  # type: ignore[arg-type]

        return grpc.unary_unary_rpc_method_handler(
            unary,
            request_deserializer=deserializer,
            response_serializer=handler.response_serializer,
        )
    if handler.unary_stream is not None:
        streaming = handler.unary_stream

        async def stream(request: Any, context: Context) -> AsyncIterator[Any]:
            if request is UNDECODABLE:
                await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "malformed request")
            async for response in streaming(request, context):  # type: ignore[arg-type,attr-defined]
                yield response

        return grpc.unary_stream_rpc_method_handler(
            stream,
            request_deserializer=deserializer,
            response_serializer=handler.response_serializer,
        )
    return handler
