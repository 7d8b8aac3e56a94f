"""SDK calls on consents."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime

from luukku.client._calls.base import ClientBase, new_request_id
from luukku.client._calls.cases import category_number
from luukku.client._enums import Category, ConsentState, Permission, parse, to_proto
from luukku.client._models import Consent
from luukku.v1 import consents_pb2 as pb


class ConsentCalls(ClientBase):
    """The citizen's consents (granted through the portal)."""

    async def grant_consent(
        self,
        organization_id: str,
        *,
        permissions: Iterable[Permission | str],
        purpose: str,
        valid_until: datetime,
        case_id: str | None = None,
        category: Category | str | None = None,
        valid_from: datetime | None = None,
        request_id: str | None = None,
    ) -> Consent:
        """Grant a consent (a portal acting for the citizen only).

        Give exactly one of ``case_id`` and ``category``.
        """
        request = pb.GrantConsentRequest(
            organization_id=organization_id,
            permissions=[
                to_proto(parse(Permission, p, "permissions"), pb.ConsentPermission)
                for p in permissions
            ],
            purpose=purpose,
            request_id=request_id or new_request_id(),
        )
        if case_id is not None:
            request.case_id = case_id
        if category is not None:
            request.category = category_number(category)
        request.valid_until.FromDatetime(valid_until)
        if valid_from is not None:
            request.valid_from.FromDatetime(valid_from)
        return Consent.from_pb((await self._call(self._consents.GrantConsent, request)).consent)

    async def revoke_consent(self, consent_id: str) -> Consent:
        """Revoke a consent; it denies the very next request it used to allow."""
        request = pb.RevokeConsentRequest(consent_id=consent_id)
        return Consent.from_pb((await self._call(self._consents.RevokeConsent, request)).consent)

    async def get_consent(self, consent_id: str) -> Consent:
        """One consent, to the citizen or the organisation it was given to."""
        request = pb.GetConsentRequest(consent_id=consent_id)
        return Consent.from_pb((await self._call(self._consents.GetConsent, request)).consent)

    def list_consents(
        self,
        *,
        identity_code: str = "",
        organization_id: str = "",
        state: ConsentState | str | None = None,
        page_size: int = 0,
    ) -> AsyncIterator[Consent]:
        """A citizen's own consents, or those given to the calling organisation."""
        request = pb.ListConsentsRequest(
            identity_code=identity_code,
            organization_id=organization_id,
            state=to_proto(parse(ConsentState, state, "state"), pb.ConsentState) if state else None,
            page_size=page_size,
        )
        return self._pages(
            self._consents.ListConsents, request, lambda p: [Consent.from_pb(c) for c in p.consents]
        )
