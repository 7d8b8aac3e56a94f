"""Conversions between consent requests and their protobuf messages."""

from __future__ import annotations

from datetime import datetime

from luukku.domain.consent_requests import ConsentRequest, RequestState
from luukku.domain.errors import invalid_argument
from luukku.domain.pseudonyms import CitizenView
from luukku.server.api.convert.common import from_timestamp, practitioner, timestamp
from luukku.server.api.convert.consents import PERMISSIONS, permission_from
from luukku.service.desks.consent_requests import Ask
from luukku.v1 import desks_pb2 as pb

_STATE = {
    RequestState.PENDING: pb.CONSENT_REQUEST_STATE_PENDING,
    RequestState.APPROVED: pb.CONSENT_REQUEST_STATE_APPROVED,
    RequestState.DECLINED: pb.CONSENT_REQUEST_STATE_DECLINED,
    RequestState.EXPIRED: pb.CONSENT_REQUEST_STATE_EXPIRED,
}


def ask_from(request: pb.CreateConsentRequestRequest, now: datetime) -> Ask:
    """What the clerk asks for, from CreateConsentRequest (``valid_from`` defaults to now)."""
    if not request.HasField("valid_until"):
        raise invalid_argument("MISSING_FIELD", "valid_until", "required")
    return Ask(
        inquiry_id=request.inquiry_id,
        case_id=request.case_id,
        permissions=frozenset(permission_from(p) for p in request.permissions),
        purpose=request.purpose,
        valid_from=from_timestamp(request.valid_from, "valid_from")
        if request.HasField("valid_from")
        else now,
        valid_until=from_timestamp(request.valid_until, "valid_until"),
        request_id=request.request_id,
    )


def approves(answer: int) -> bool:
    """Whether AnswerConsentRequest's answer approves (else it declines)."""
    if answer == pb.CONSENT_REQUEST_ANSWER_APPROVE:
        return True
    if answer == pb.CONSENT_REQUEST_ANSWER_DECLINE:
        return False
    raise invalid_argument("INVALID_ANSWER", "answer", "approve or decline")


def consent_request(r: ConsentRequest, now: datetime, seen: CitizenView) -> pb.ConsentRequest:
    """The protobuf form of a consent request, with its state as of ``now``; its citizen
    as ``seen``.
    """
    msg = pb.ConsentRequest(
        id=r.id,
        inquiry_id=r.inquiry_id,
        citizen_id=seen(r.citizen_id),
        organization_id=r.org_id,
        practitioner=practitioner(r.practitioner),
        case_id=r.case_id,
        permissions=sorted(PERMISSIONS[p] for p in r.permissions),
        purpose=r.purpose,
        valid_from=timestamp(r.valid_from),
        valid_until=timestamp(r.valid_until),
        state=_STATE[r.state_at(now)],
        create_time=timestamp(r.created_at),
        consent_id=r.consent_id or "",
    )
    if r.answered_at is not None:
        msg.answer_time.CopyFrom(timestamp(r.answered_at))
    return msg
