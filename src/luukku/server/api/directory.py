"""luukku.v1.DirectoryService."""

from __future__ import annotations

from typing import Any

import grpc

from luukku.server.api.convert import common as convert
from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.service import directory
from luukku.store.uow import Store
from luukku.v1 import directory_pb2 as pb
from luukku.v1 import directory_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


class DirectoryServicer(pb_grpc.DirectoryServiceServicer):
    """Who is who: the caller itself and the registered organisations."""

    def __init__(self, store: Store, runner: StoreRunner) -> None:
        self._store = store
        self._runner = runner

    async def WhoAmI(self, request: pb.WhoAmIRequest, context: Context) -> pb.WhoAmIResponse:
        caller = current_caller()
        return pb.WhoAmIResponse(
            organization=convert.organization(caller.organization),
            certificate_fingerprint=caller.fingerprint,
            practitioner=convert.practitioner(caller.practitioner),
            request_id=caller.request_id,
            citizen_id=citizen_view(self._store)(
                await self._runner.run(directory.acting_citizen, self._store, caller)
            ),
        )

    async def GetOrganization(
        self, request: pb.GetOrganizationRequest, context: Context
    ) -> pb.GetOrganizationResponse:
        org = await self._runner.run(directory.get_organization, self._store, request.id)
        return pb.GetOrganizationResponse(organization=convert.organization(org))

    async def ListOrganizations(
        self, request: pb.ListOrganizationsRequest, context: Context
    ) -> pb.ListOrganizationsResponse:
        orgs, token = await self._runner.run(
            directory.list_organizations, self._store, request.page_size, request.page_token
        )
        return pb.ListOrganizationsResponse(
            organizations=[convert.organization(o) for o in orgs], next_page_token=token
        )
