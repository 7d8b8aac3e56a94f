"""luukku.v1.ConsentService."""

from __future__ import annotations

from typing import Any

import grpc

from luukku.domain.errors import invalid_argument
from luukku.domain.organizations import validate_org_id
from luukku.server.api.convert import cases as convert_cases
from luukku.server.api.convert import consents as cv
from luukku.server.api.convert.common import from_timestamp
from luukku.server.blocking import StoreRunner
from luukku.server.gate.request_context import citizen_view, current_caller
from luukku.service import consents
from luukku.service.access.clock import now_utc
from luukku.store.uow import Store
from luukku.v1 import consents_pb2 as pb
from luukku.v1 import consents_pb2_grpc as pb_grpc

Context = grpc.aio.ServicerContext[Any, Any]


def _grant(request: pb.GrantConsentRequest) -> consents.Grant:
    if not request.organization_id:
        raise invalid_argument("MISSING_FIELD", "organization_id", "required")
    validate_org_id(request.organization_id, "organization_id")
    if not request.HasField("valid_until"):
        raise invalid_argument("MISSING_FIELD", "valid_until", "required")
    scope = request.WhichOneof("scope")
    return consents.Grant(
        org_id=request.organization_id,
        case_id=request.case_id if scope == "case_id" else None,
        category=convert_cases.category_from(request.category, "category", required=True)
        if scope == "category"
        else None,
        permissions=frozenset(cv.permission_from(p) for p in request.permissions),
        purpose=request.purpose,
        valid_from=from_timestamp(request.valid_from, "valid_from")
        if request.HasField("valid_from")
        else None,
        valid_until=from_timestamp(request.valid_until, "valid_until"),
        request_id=request.request_id,
    )


class ConsentServicer(pb_grpc.ConsentServiceServicer):
    """The citizen's consents."""

    def __init__(self, store: Store, runner: StoreRunner) -> None:
        self._store = store
        self._run = runner.run

    async def GrantConsent(
        self, request: pb.GrantConsentRequest, context: Context
    ) -> pb.GrantConsentResponse:
        granted = await self._run(
            consents.grant_consent, self._store, current_caller(), _grant(request)
        )
        return pb.GrantConsentResponse(
            consent=cv.consent(granted, now_utc(), citizen_view(self._store))
        )

    async def RevokeConsent(
        self, request: pb.RevokeConsentRequest, context: Context
    ) -> pb.RevokeConsentResponse:
        revoked = await self._run(
            consents.revoke_consent, self._store, current_caller(), request.consent_id
        )
        return pb.RevokeConsentResponse(
            consent=cv.consent(revoked, now_utc(), citizen_view(self._store))
        )

    async def GetConsent(
        self, request: pb.GetConsentRequest, context: Context
    ) -> pb.GetConsentResponse:
        found = await self._run(
            consents.get_consent, self._store, current_caller(), request.consent_id
        )
        return pb.GetConsentResponse(
            consent=cv.consent(found, now_utc(), citizen_view(self._store))
        )

    async def ListConsents(
        self, request: pb.ListConsentsRequest, context: Context
    ) -> pb.ListConsentsResponse:
        query = consents.ConsentQuery(
            identity_code=request.identity_code,
            org_id=request.organization_id
            and validate_org_id(request.organization_id, "organization_id"),
            state=cv.state_from(request.state),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        found, token = await self._run(consents.list_consents, self._store, current_caller(), query)
        now = now_utc()
        return pb.ListConsentsResponse(
            consents=[cv.consent(c, now, citizen_view(self._store)) for c in found],
            next_page_token=token,
        )
