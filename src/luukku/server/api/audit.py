"""luukku.v1.AuditService."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

import grpc

from luukku.audit.filters import AuditFilter
from luukku.server.api.convert import audit as cv
from luukku.server.api.convert.common import from_timestamp
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.server.live.audit import AuditWatch
from luukku.server.live.watch import Streams
from luukku.service.audit import proofs as audit_proofs
from luukku.service.audit import reading as audit
from luukku.v1 import audit_pb2, audit_pb2_grpc

Context = grpc.aio.ServicerContext[Any, Any]


class _Filtered(Protocol):
    """The filter fields ListAuditEvents and WatchAuditEvents share."""

    @property
    def organization_id(self) -> str: ...
    @property
    def case_id(self) -> str: ...
    @property
    def outcome(self) -> int: ...
    @property
    def exclude_own(self) -> bool: ...


def _filter(request: _Filtered) -> AuditFilter:
    return audit.requested_filter(
        request.organization_id,
        request.case_id,
        cv.outcome_from(request.outcome),
        request.exclude_own,
    )


class AuditServicer(audit_pb2_grpc.AuditServiceServicer):
    """Who looked at the data: the audit log, read under audit."""

    def __init__(self, streams: Streams) -> None:
        self._streams = streams
        self._store = streams.store
        self._run = streams.runner.run

    async def ListAuditEvents(
        self, request: audit_pb2.ListAuditEventsRequest, context: Context
    ) -> audit_pb2.ListAuditEventsResponse:
        events, token = await self._run(
            audit.list_audit_events,
            self._store,
            current_caller(),
            request.page_size,
            request.page_token,
            _filter(request),
        )
        return audit_pb2.ListAuditEventsResponse(
            events=[cv.audit_event(e, citizen_view(self._store)) for e in events],
            next_page_token=token,
        )

    async def SummarizeAuditEvents(
        self, request: audit_pb2.SummarizeAuditEventsRequest, context: Context
    ) -> audit_pb2.SummarizeAuditEventsResponse:
        counts = await self._run(
            audit.summarize_audit_events,
            self._store,
            current_caller(),
            from_timestamp(request.since, "since"),
            request.exclude_own,
        )
        return audit_pb2.SummarizeAuditEventsResponse(counts=[cv.access_count(c) for c in counts])

    async def WatchAuditEvents(
        self, request: audit_pb2.WatchAuditEventsRequest, context: Context
    ) -> AsyncIterator[audit_pb2.WatchAuditEventsResponse]:
        watch = AuditWatch(
            self._streams,
            current_caller(),
            _filter(request),
        )
        async for response in watch.run(request.after_sequence):
            yield response

    async def GetCheckpoint(
        self, request: audit_pb2.GetCheckpointRequest, context: Context
    ) -> audit_pb2.GetCheckpointResponse:
        note = await self._run(audit_proofs.get_checkpoint, self._store, current_caller())
        return audit_pb2.GetCheckpointResponse(note=note)

    async def GetInclusionProof(
        self, request: audit_pb2.GetInclusionProofRequest, context: Context
    ) -> audit_pb2.GetInclusionProofResponse:
        proof = await self._run(
            audit_proofs.get_inclusion_proof,
            self._store,
            current_caller(),
            request.sequence,
            request.tree_size,
        )
        return audit_pb2.GetInclusionProofResponse(
            sequence=proof.seq,
            leaf_index=proof.seq - 1,
            tree_size=proof.tree_size,
            leaf_hash=proof.leaf_hash,
            leaf_bytes=proof.leaf_bytes,
            hashes=proof.hashes,
        )

    async def GetConsistencyProof(
        self, request: audit_pb2.GetConsistencyProofRequest, context: Context
    ) -> audit_pb2.GetConsistencyProofResponse:
        new_size, hashes = await self._run(
            audit_proofs.get_consistency_proof,
            self._store,
            current_caller(),
            request.old_size,
            request.new_size,
        )
        return audit_pb2.GetConsistencyProofResponse(
            old_size=request.old_size, new_size=new_size, hashes=hashes
        )
