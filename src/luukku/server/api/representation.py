"""luukku.v1.RepresentationService."""

from __future__ import annotations

from typing import Any

import grpc

from luukku.domain.errors import invalid_argument
from luukku.domain.representation.blockers import BlockerKind, Capacity
from luukku.domain.representation.rights import Kind
from luukku.server.api.convert import representation as cv
from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.service.representation import (
    capacity,
    ending,
    listing,
    mandates,
    orders,
    registration,
)
from luukku.store.uow import Store
from luukku.v1 import representation_pb2 as pb
from luukku.v1 import representation_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


def _mandate(request: pb.GiveMandateRequest) -> mandates.Mandate:
    valid_until = cv.optional_time(request, "valid_until")
    if valid_until is None:
        raise invalid_argument("MISSING_FIELD", "valid_until", "required: a mandate always ends")
    return mandates.Mandate(
        representative_identity_code=request.representative_identity_code,
        codes=cv.codes_from(request.codes),
        valid_until=valid_until,
        valid_from=cv.optional_time(request, "valid_from"),
        request_id=request.request_id,
    )


def _registration(request: pb.RegisterRepresentationRightRequest) -> registration.Registration:
    return registration.Registration(
        kind=cv.member_from(Kind, request.kind, "kind"),
        representative_identity_code=request.representative_identity_code,
        represented_identity_code=request.represented_identity_code,
        codes=cv.codes_from(request.codes),
        reason=request.reason,
        valid_from=cv.optional_time(request, "valid_from"),
        valid_until=cv.optional_time(request, "valid_until"),
        request_id=request.request_id,
    )


def _order(request: pb.RecordRepresentationBlockerRequest) -> orders.Order:
    return orders.Order(
        kind=cv.member_from(BlockerKind, request.kind, "kind"),
        represented_identity_code=request.represented_identity_code,
        reason=request.reason,
        valid_from=cv.optional_time(request, "valid_from"),
        request_id=request.request_id,
    )


class RepresentationServicer(pb_grpc.RepresentationServiceServicer):
    """Representation rights, the orders that bar them and minors' capacity."""

    def __init__(self, store: Store, runner: StoreRunner) -> None:
        self._store = store
        self._run = runner.run

    async def ListRepresentationRights(
        self, request: pb.ListRepresentationRightsRequest, context: Context
    ) -> pb.ListRepresentationRightsResponse:
        found = await self._run(
            listing.list_rights,
            self._store,
            current_caller(),
            request.page_size,
            request.page_token,
        )
        seen = citizen_view(self._store)
        return pb.ListRepresentationRightsResponse(
            held=[cv.right(v, seen) for v in found.held],
            over_me=[cv.right(v, seen) for v in found.over_me],
            next_page_token=found.next_page_token,
        )

    async def GiveMandate(
        self, request: pb.GiveMandateRequest, context: Context
    ) -> pb.GiveMandateResponse:
        given = await self._run(
            mandates.give_mandate, self._store, current_caller(), _mandate(request)
        )
        return pb.GiveMandateResponse(right=cv.right(given, citizen_view(self._store)))

    async def AcceptMandate(
        self, request: pb.AcceptMandateRequest, context: Context
    ) -> pb.AcceptMandateResponse:
        accepted = await self._run(
            mandates.accept_mandate, self._store, current_caller(), request.right_id
        )
        return pb.AcceptMandateResponse(right=cv.right(accepted, citizen_view(self._store)))

    async def EndRepresentationRight(
        self, request: pb.EndRepresentationRightRequest, context: Context
    ) -> pb.EndRepresentationRightResponse:
        ended = await self._run(
            ending.end_right, self._store, current_caller(), request.right_id, request.reason
        )
        return pb.EndRepresentationRightResponse(right=cv.right(ended, citizen_view(self._store)))

    async def RegisterRepresentationRight(
        self, request: pb.RegisterRepresentationRightRequest, context: Context
    ) -> pb.RegisterRepresentationRightResponse:
        made = await self._run(
            registration.register_right, self._store, current_caller(), _registration(request)
        )
        return pb.RegisterRepresentationRightResponse(
            right=cv.right(made, citizen_view(self._store))
        )

    async def RecordRepresentationBlocker(
        self, request: pb.RecordRepresentationBlockerRequest, context: Context
    ) -> pb.RecordRepresentationBlockerResponse:
        recorded = await self._run(
            orders.record_order, self._store, current_caller(), _order(request)
        )
        return pb.RecordRepresentationBlockerResponse(
            blocker=cv.blocker(recorded, citizen_view(self._store))
        )

    async def LiftRepresentationBlocker(
        self, request: pb.LiftRepresentationBlockerRequest, context: Context
    ) -> pb.LiftRepresentationBlockerResponse:
        lifted = await self._run(
            orders.lift_order, self._store, current_caller(), request.blocker_id, request.reason
        )
        return pb.LiftRepresentationBlockerResponse(
            blocker=cv.blocker(lifted, citizen_view(self._store))
        )

    async def JudgeMinorCapacity(
        self, request: pb.JudgeMinorCapacityRequest, context: Context
    ) -> pb.JudgeMinorCapacityResponse:
        judged = await self._run(
            capacity.judge_capacity,
            self._store,
            current_caller(),
            request.case_id,
            cv.member_from(Capacity, request.capacity, "capacity"),
        )
        return cv.capacity(judged)
