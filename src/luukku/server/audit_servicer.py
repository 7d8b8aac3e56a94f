"""luukku.v1.AuditService."""

from __future__ import annotations

from typing import Any

import grpc

from luukku.server import convert_audit as cv
from luukku.server.blocking import StoreRunner
from luukku.server.request_context import current_caller
from luukku.service import audit
from luukku.store.uow import Store
from luukku.v1 import audit_pb2, audit_pb2_grpc

Context = grpc.aio.ServicerContext[Any, Any]


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    """Who looked at the data: the audit log, read under audit."""

    def __init__(self, store: Store, runner: StoreRunner) -> None:
        self._store = store
        self._run = runner.run

    async def ListAuditEvents(
        self, request: audit_pb2.ListAuditEventsRequest, context: Context
    ) -> audit_pb2.ListAuditEventsResponse:
        events, token = await self._run(
            audit.list_audit_events,
            self._store,
            current_caller(),
            request.page_size,
            request.page_token,
        )
        return audit_pb2.ListAuditEventsResponse(
            events=[cv.audit_event(e) for e in events], next_page_token=token
        )
