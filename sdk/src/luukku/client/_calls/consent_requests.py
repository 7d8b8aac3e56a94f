"""Consent requests: a clerk holding an inquiry asks its citizen for a consent."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime

from luukku.client._calls.base import ClientBase, new_request_id
from luukku.client._desk_models import ConsentRequest
from luukku.client._enums import Permission, parse, to_proto
from luukku.v1 import consents_pb2
from luukku.v1 import desks_pb2 as pb


class ConsentRequestCalls(ClientBase):
    """Consent requests, asked from an inquiry and answered by its citizen."""

    async def create_consent_request(
        self,
        inquiry_id: str,
        *,
        case_id: str,
        permissions: Iterable[Permission | str],
        purpose: str,
        valid_until: datetime,
        valid_from: datetime | None = None,
        request_id: str | None = None,
    ) -> ConsentRequest:
        """Ask the citizen of an inquiry the calling organisation holds for a consent to
        one of their cases, for at most a year (``valid_from`` defaults to now).

        Retrying with the same ``request_id`` returns the first request, never a second.
        """
        request = pb.CreateConsentRequestRequest(
            inquiry_id=inquiry_id,
            case_id=case_id,
            permissions=[
                to_proto(parse(Permission, p, "permissions"), consents_pb2.ConsentPermission)
                for p in permissions
            ],
            purpose=purpose,
            request_id=request_id or new_request_id(),
        )
        request.valid_until.FromDatetime(valid_until)
        if valid_from is not None:
            request.valid_from.FromDatetime(valid_from)
        response = await self._call(self._desks.CreateConsentRequest, request)
        return ConsentRequest.from_pb(response.consent_request)

    async def get_consent_request(self, consent_request_id: str) -> ConsentRequest:
        """One request, to the citizen asked or the organisation that asked."""
        request = pb.GetConsentRequestRequest(consent_request_id=consent_request_id)
        response = await self._call(self._desks.GetConsentRequest, request)
        return ConsentRequest.from_pb(response.consent_request)

    def list_consent_requests(
        self, *, inquiry_id: str = "", page_size: int = 0
    ) -> AsyncIterator[ConsentRequest]:
        """The citizen's requests (for a portal acting for them), or those the calling
        organisation made; from one inquiry if given; newest first."""
        request = pb.ListConsentRequestsRequest(inquiry_id=inquiry_id, page_size=page_size)
        return self._pages(
            self._desks.ListConsentRequests,
            request,
            lambda p: [ConsentRequest.from_pb(r) for r in p.consent_requests],
        )

    async def answer_consent_request(
        self, consent_request_id: str, *, approve: bool
    ) -> ConsentRequest:
        """The citizen (a portal acting for them) approves, granting the consent asked for,
        or declines. Answering again the same way returns the first answer."""
        request = pb.AnswerConsentRequestRequest(
            consent_request_id=consent_request_id,
            answer=pb.CONSENT_REQUEST_ANSWER_APPROVE
            if approve
            else pb.CONSENT_REQUEST_ANSWER_DECLINE,
        )
        response = await self._call(self._desks.AnswerConsentRequest, request)
        return ConsentRequest.from_pb(response.consent_request)
