"""The one interceptor every Luukku call passes: identity, errors, logs and metrics.

Authentication needs the peer's certificate, which grpc.aio only exposes on the
servicer context, so the interceptor wraps each method handler rather than
acting on the call details alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import grpc

from luukku.domain.caller import Caller
from luukku.domain.errors import ErrorCode, LuukkuError
from luukku.server.blocking import StoreRunner
from luukku.server.gate.citizen_token import CitizenTokens
from luukku.server.gate.decoding import decoded, decoded_each, open_handler, tolerant
from luukku.server.gate.errors import abort_with
from luukku.server.gate.identity import (
    REQUEST_ID,
    peer_fingerprint,
    refused_call,
    request_id_of,
    resolve_caller,
)
from luukku.server.gate.observe import OPEN_STREAMS, record_call
from luukku.server.gate.quotas import Quotas
from luukku.server.gate.request_context import bind_caller, bind_cut_off, unbind
from luukku.server.gate.sizes import receive_limit
from luukku.service.access import call_audit
from luukku.service.audit.refused_calls import RefusalAudit
from luukku.service.directory import CallerCache, confirm_caller
from luukku.store.callers.check import CallerCheck, checking
from luukku.store.errors import CallerChanged, DurabilityLost, StorageUnavailable
from luukku.store.uow import Store

# Load balancers probe health with any certificate of the hub CA (which the
# TLS handshake demands): it skips the directory lookup. Reflection does not:
# it lists the API to active organisations only.
OPEN_SERVICES = ("/grpc.health.v1.Health/",)


_log = logging.getLogger("luukku.server")

Context = grpc.aio.ServicerContext[Any, Any]

if TYPE_CHECKING:
    _InterceptorBase = grpc.aio.ServerInterceptor[Any, Any]
else:  # the runtime class is not generic
    _InterceptorBase = grpc.aio.ServerInterceptor


class _Call:
    """Book-keeping of one call: its caller, outcome and timing."""

    def __init__(self, method: str, context: Context) -> None:
        self.method = method
        self.context = context
        self.started = time.perf_counter()
        # Read once: every access builds the tuple anew from the call.
        self.metadata = tuple(context.invocation_metadata() or ())
        self.request_id = request_id_of(self.metadata)
        self.caller: Caller | None = None
        self.check: CallerCheck | None = None
        """What the call's first transaction must find, when its caller came from the cache."""
        self.code = "OK"
        self.reason: str | None = None
        self.request: object = None
        """The request message, once there is one: a refusal's audit tells attempts apart by it."""
        self._held: tuple[Quotas, bool] | None = None
        self._audit: call_audit.CallAudit | None = None
        """Followed once the call passed the gate: whether its use case wrote its event."""

    async def begin(self, gate: Gate, *, stream: bool = False, again: bool = False) -> object:
        """Establish the caller and take its quota; a refusal is audited, then raised.

        ``again``: the directory changed the cached caller of a call that has
        read and written nothing yet (``CallerChanged``): look it up afresh,
        keeping the quota already taken.
        """
        # Echoed in the trailers, which travel with the status in the same
        # frame; sending initial metadata early would cost a write of its own.
        self.context.set_trailing_metadata(self._echo())
        try:
            self.caller, self.check = await resolve_caller(
                self.context,
                self.metadata,
                self.request_id,
                gate.store,
                gate.runner,
                gate.citizen_tokens,
                # A stream is one long call: looked up once, as ever, not cached.
                None if stream else gate.callers,
            )
            if not again:
                gate.quotas.enter(self.caller.organization.id, stream=stream)
        except LuukkuError as refused:
            # Audited before the caller hears of it; if that fails, so does the call.
            self._audit = None  # this refusal is the call's one event
            fp = peer_fingerprint(self.context)
            await gate.runner.run(_audit_refusal, gate, fp, self, refused)
            raise
        if not again:
            self._held = (gate.quotas, stream)
            self._audit = call_audit.opened()
        return bind_caller(self.caller)

    async def checked(self, gate: Gate, response: Awaitable[Any]) -> Any:
        """``response``, once the call's cached caller has been found as cached.

        A call that began a transaction has checked it there; one that began
        none (``WhoAmI``) checks it now, before it answers.
        """
        with checking(self.check):
            answer = await response
            if self.check is not None and not self.check.confirmed:
                await gate.runner.run(confirm_caller, gate.store)
        return answer

    def _echo(self) -> tuple[tuple[str, str], ...]:
        return ((REQUEST_ID, self.request_id),)

    async def fail(self, gate: Gate, error: BaseException) -> None:
        if isinstance(error, LuukkuError) and self._audit is not None and not self._audit.written:
            # Refused past the gate but before (or without) the use case's own event:
            # audited as a refused call. Unaudited, it fails as whatever failed instead.
            try:
                fp = peer_fingerprint(self.context)
                await gate.runner.run(_audit_refusal, gate, fp, self, error)
            except Exception as unaudited:
                error = unaudited
        if isinstance(error, StorageUnavailable):
            # The database is away (restarting, unreachable): the caller may retry.
            error = LuukkuError(
                ErrorCode.UNAVAILABLE,
                "STORAGE_UNAVAILABLE",
                "the broker cannot reach its storage right now; retry shortly",
            )
        if isinstance(error, DurabilityLost):
            # The commit may or may not survive; a retry with the same request
            # id on a restarted broker finds out safely.
            error = LuukkuError(
                ErrorCode.UNAVAILABLE,
                "STORAGE_UNAVAILABLE",
                "the broker can no longer make writes durable; retry once it has restarted",
            )
        if isinstance(error, LuukkuError):
            self.code, self.reason = error.code.value, error.reason
            await abort_with(self.context, error, self._echo())
        # Log the type only: exception text may quote request data.
        _log.error(
            "unhandled %s in %s (request_id=%s)",
            type(error).__name__,
            self.method,
            self.request_id,
        )
        self.code = "INTERNAL"
        await self.context.abort(
            grpc.StatusCode.INTERNAL, f"internal error ({self.request_id})", self._echo()
        )

    def cut_off(self, stream: asyncio.Task[Any], error: LuukkuError) -> None:
        """End the stream with ``error`` now, even while its task waits to write.

        A watcher that stops reading keeps the stream's task waiting on a write
        for as long as it likes, and grpc.aio has no way to reset one call: the
        task is cancelled (its watch ends and writes its end event at once) and
        the status is queued after the last message grpc holds, so the reader
        gets the refusal with its next read instead of an open stream forever.
        """
        self.code, self.reason = error.code.value, error.reason
        stream.cancel()
        status = asyncio.get_running_loop().create_task(self._send_status(error))
        _sending.add(status)
        status.add_done_callback(_sending.discard)

    async def _send_status(self, error: LuukkuError) -> None:
        # Done only once the reader has read up to it (or left, or the broker stops).
        with contextlib.suppress(Exception):
            await abort_with(self.context, error, self._echo())

    def end(self) -> None:
        if self._held is not None and self.caller is not None:
            quotas, stream = self._held
            quotas.leave(self.caller.organization.id, stream=stream)
        record_call(
            self.method,
            self.code,
            self.started,
            request_id=self.request_id,
            org_id=self.caller.organization.id if self.caller else None,
            reason=self.reason,
        )


# Statuses queued behind a write that waits on a reader (see ``_Call.cut_off``).
_sending: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Gate:
    """What the interceptor checks every call against."""

    store: Store
    runner: StoreRunner
    refusals: RefusalAudit
    quotas: Quotas
    citizen_tokens: CitizenTokens | None = None
    """How calls for citizens are proven; None: no call may act for a citizen."""
    callers: CallerCache | None = None
    """Admitted callers kept between calls (PostgreSQL); None: looked up on every call."""


def _audit_refusal(gate: Gate, fp: str, call: _Call, error: LuukkuError) -> None:
    gate.refusals.record(
        refused_call(
            gate.store, fp, call.metadata, call.method, call.request_id, error, call.request
        )
    )


class CallInterceptor(_InterceptorBase):
    """Authenticates every call, audits refusals, and maps domain errors to rich statuses."""

    def __init__(self, gate: Gate) -> None:
        self._gate = gate
        # Wrapped once per method, not once per call.
        self._wrapped: dict[str, grpc.RpcMethodHandler[Any, Any]] = {}

    async def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler[Any, Any]]
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any]:
        method = handler_call_details.method
        wrapped = self._wrapped.get(method)
        if wrapped is not None:
            return wrapped
        handler = await continuation(handler_call_details)
        if handler is None:
            return handler
        if method.startswith(OPEN_SERVICES):
            wrapped = self._wrapped[method] = open_handler(handler)
        else:
            wrapped = self._wrapped[method] = self._wrap(method, handler)
        return wrapped

    def _wrap(
        self, method: str, handler: grpc.RpcMethodHandler[Any, Any]
    ) -> grpc.RpcMethodHandler[Any, Any]:
        deserializer = tolerant(handler.request_deserializer, receive_limit(method))
        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                self._wrap_unary(method, handler.unary_unary),  # type: ignore[arg-type]
                request_deserializer=deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(method, handler.unary_stream),  # type: ignore[arg-type]
                request_deserializer=deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.stream_stream is not None:
            return grpc.stream_stream_rpc_method_handler(
                self._wrap_bidi(method, handler.stream_stream),  # type: ignore[arg-type]
                request_deserializer=deserializer,
                response_serializer=handler.response_serializer,
            )
        raise TypeError(f"{method}: client-streaming methods are not wired for authentication")

    def _wrap_unary(
        self, method: str, behavior: Callable[[Any, Context], Awaitable[Any]]
    ) -> Callable[[Any, Context], Awaitable[Any]]:
        async def unary(request: Any, context: Context) -> Any:
            call = _Call(method, context)
            call.request = request
            try:
                token: object | None = await call.begin(self._gate)
                try:
                    try:
                        return await call.checked(self._gate, behavior(decoded(request), context))
                    except CallerChanged:
                        # Before the call read or wrote anything: look up, and run, anew.
                        unbind(token)
                        token = None
                        if self._gate.callers is not None:
                            self._gate.callers.forget(peer_fingerprint(context))
                        token = await call.begin(self._gate, again=True)
                        return await call.checked(self._gate, behavior(decoded(request), context))
                finally:
                    if token is not None:
                        unbind(token)
            except Exception as exc:
                if isinstance(exc, grpc.aio.AbortError):
                    raise  # context.abort() already set the status
                await call.fail(self._gate, exc)
            finally:
                call.end()

        return unary

    def _wrap_stream(
        self, method: str, behavior: Callable[[Any, Context], AsyncIterator[Any]]
    ) -> Callable[[Any, Context], AsyncIterator[Any]]:
        async def stream(request: Any, context: Context) -> AsyncIterator[Any]:
            call = _Call(method, context)
            call.request = request
            OPEN_STREAMS.inc()
            try:
                # Not unbound at the end: a generator closed by a cancelled
                # client is finalised in another context, where resetting
                # the token fails; the call's own task and context end anyway.
                await call.begin(self._gate, stream=True)
                task = asyncio.current_task()
                if task is not None:
                    bind_cut_off(partial(call.cut_off, task))
                async for response in behavior(decoded(request), context):
                    yield response
            except Exception as exc:
                if isinstance(exc, grpc.aio.AbortError):
                    raise  # context.abort() already set the status
                await call.fail(self._gate, exc)
            finally:
                OPEN_STREAMS.dec()
                call.end()

        return stream

    def _wrap_bidi(
        self, method: str, behavior: Callable[[Any, Context], AsyncIterator[Any]]
    ) -> Callable[[Any, Context], AsyncIterator[Any]]:
        """Server reflection: authenticated once, at the start of the stream."""

        async def bidi(requests: AsyncIterator[Any], context: Context) -> AsyncIterator[Any]:
            call = _Call(method, context)
            try:
                await call.begin(self._gate, stream=True)
                async for response in behavior(decoded_each(requests), context):
                    yield response
            except Exception as exc:
                if isinstance(exc, grpc.aio.AbortError):
                    raise
                await call.fail(self._gate, exc)
            finally:
                call.end()

        return bidi
