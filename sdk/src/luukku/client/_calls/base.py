"""The transport every SDK call shares: channel, call metadata, errors, paging, resuming."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Protocol, TypeVar

import grpc

from luukku.client._config import Practitioner
from luukku.client._errors import from_rpc_error
from luukku.v1 import audit_pb2_grpc as audit_grpc
from luukku.v1 import cases_pb2_grpc as cases_grpc
from luukku.v1 import consents_pb2_grpc as consents_grpc
from luukku.v1 import desks_pb2_grpc as desks_grpc
from luukku.v1 import ready_answers_pb2_grpc as ready_answers_grpc
from luukku.v1 import representation_pb2_grpc as representation_grpc
from luukku.v1 import threads_pb2_grpc as threads_grpc

Resp = TypeVar("Resp")
Metadata = tuple[tuple[str, str | bytes], ...]
# Failures after which a watch reconnects and resumes from its cursor.
_RESUMABLE_CODES = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED)
_RESUMABLE_REASONS = ("WATCHER_TOO_SLOW",)
Item = TypeVar("Item")
Cursor = TypeVar("Cursor")


class _Paged(Protocol):
    next_page_token: str


P = TypeVar("P", bound=_Paged)


CitizenToken = str | Callable[[], str] | None
"""The identity provider's token proving the citizen a portal acts for, or a function
that gives the current one (called for every call, so it may renew it)."""


class ClientBase:
    """A channel, its service stubs and who is acting; the mixins add the calls."""

    def __init__(
        self,
        channel: grpc.aio.Channel,
        *,
        practitioner: Practitioner | None = None,
        on_behalf_of: str | None = None,
        citizen_token: CitizenToken = None,
        rpc_timeout: float = 10.0,
        acting_for: str | None = None,
    ) -> None:
        self._channel = channel
        self._acting_for = acting_for
        self._practitioner = practitioner
        self._on_behalf_of = on_behalf_of
        self._citizen_token = citizen_token
        self._timeout = rpc_timeout
        self._cases = cases_grpc.CaseServiceStub(channel)
        self._consents = consents_grpc.ConsentServiceStub(channel)
        self._audit = audit_grpc.AuditServiceStub(channel)
        self._threads = threads_grpc.ThreadServiceStub(channel)
        self._desks = desks_grpc.DeskServiceStub(channel)
        self._ready_answers = ready_answers_grpc.ReadyAnswerServiceStub(channel)
        self._representation = representation_grpc.RepresentationServiceStub(channel)

    def _metadata(self, request_id: str | None = None) -> Metadata:
        md: list[tuple[str, str | bytes]] = [("x-request-id", request_id or uuid.uuid4().hex)]
        if self._practitioner:
            md += _free_text("luukku-practitioner-id", self._practitioner.id)
            md += _free_text("luukku-practitioner-name", self._practitioner.display_name)
            md += _free_text("luukku-practitioner-role", self._practitioner.role)
        if self._on_behalf_of:
            md.append(("luukku-on-behalf-of", self._on_behalf_of))
        if self._acting_for:
            md.append(("luukku-acting-for", self._acting_for))
        token = self._citizen_token() if callable(self._citizen_token) else self._citizen_token
        if token:
            md.append(("authorization", f"Bearer {token}"))
        return tuple(md)

    async def _call(self, method: Callable[..., Awaitable[Resp]], request: Any) -> Resp:
        try:
            return await method(request, metadata=self._metadata(), timeout=self._timeout)
        except grpc.aio.AioRpcError as exc:
            raise from_rpc_error(exc) from None

    async def _resuming(
        self,
        open_stream: Callable[[Cursor, Metadata], Any],
        step: Callable[[Any, Cursor], tuple[Cursor, Item | None]],
        after: Cursor,
        max_backoff: float,
    ) -> AsyncIterator[Item]:
        """A watch that reconnects and resumes from its cursor.

        ``open_stream(cursor, metadata)`` opens the stream after ``cursor``;
        ``step(response, cursor)`` gives the cursor after a response and the
        item to yield, if any. A dropped connection, or a broker that closed
        the stream because this watcher fell behind, is retried with backoff;
        any other failure is raised as an :class:`RPCError`.
        """
        cursor = after
        backoff = 0.05
        while True:
            call = open_stream(cursor, self._metadata())
            try:
                async for response in call:
                    backoff = 0.05
                    cursor, item = step(response, cursor)
                    if item is not None:
                        yield item
                return
            except grpc.aio.AioRpcError as exc:
                error = from_rpc_error(exc)
                if exc.code() not in _RESUMABLE_CODES and error.reason not in _RESUMABLE_REASONS:
                    raise error from None
            finally:
                call.cancel()
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, max_backoff)

    async def _pages(
        self,
        method: Callable[..., Awaitable[P]],
        request: Any,
        items: Callable[[P], list[Item]],
    ) -> AsyncIterator[Item]:
        while True:
            page = await self._call(method, request)
            for item in items(page):
                yield item
            if not page.next_page_token:
                return
            request.page_token = page.next_page_token


def _free_text(key: str, value: str) -> list[tuple[str, str | bytes]]:
    """A free-text header: plain when it is printable ASCII, else UTF-8 in ``KEY-bin``.

    gRPC allows only printable ASCII in plain header values ("Äijä" would fail
    the whole call); the broker reads both forms.
    """
    if not value:
        return []
    if value.isascii() and value.isprintable():
        return [(key, value)]
    return [(f"{key}-bin", value.encode("utf-8"))]


def new_request_id() -> str:
    """A fresh request id for an idempotent create."""
    return uuid.uuid4().hex
