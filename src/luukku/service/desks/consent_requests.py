"""Consent requests: from an inquiry, its holder asks the citizen for a consent.

A clerk of the organisation holding (having claimed) an open inquiry asks its
citizen for a consent to one of their cases; any other caller is refused
NOT_INQUIRY_HOLDER, and a case that is not that citizen's (or does not exist)
is refused alike, FAILED_PRECONDITION CASE_NOT_INQUIRY_CITIZENS, so the
answer tells nothing about other people's cases. The citizen (through the
portal) and the organisation that asked see the request; only the citizen
answers it, once: an approval grants exactly the consent asked for, in the
same transaction as the answer. Every call is audited under the citizen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.consent_requests import ConsentRequest, RequestState, validate_request
from luukku.domain.consents import Permission
from luukku.domain.desks.inquiries import Inquiry, not_open
from luukku.domain.errors import failed_precondition
from luukku.domain.events import InquiryChanged
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import Access, actor_of, guard
from luukku.service.access.refusal_errors import request_id_reused
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.consents import Grant, given
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, newest_first_token, page_size
from luukku.store.uow import Store


@dataclass(frozen=True)
class Ask:
    """What the clerk asks for."""

    inquiry_id: str
    case_id: str
    permissions: frozenset[Permission]
    purpose: str
    valid_from: datetime
    valid_until: datetime
    request_id: str = ""


def create_consent_request(store: Store, caller: Caller, ask: Ask) -> ConsentRequest:
    """Ask the inquiry's citizen for a consent; a retry with the same request id returns
    the first request."""
    require_id(ask.inquiry_id, "inquiry_id")
    require_id(ask.case_id, "case_id")
    purpose = validate_request(
        case_id=ask.case_id,
        permissions=ask.permissions,
        purpose=ask.purpose,
        valid_from=ask.valid_from,
        valid_until=ask.valid_until,
    )
    rid = optional_request_id(ask.request_id)
    org = caller.organization.id

    def attempt() -> ConsentRequest:
        resource = f"inquiries/{ask.inquiry_id}/consentRequests"
        with guard(store, caller, action="consent_request.create", resource=resource) as access:
            inquiry = _held(access, ask.inquiry_id)
            earlier = access.tx.consent_requests.by_request(org, rid) if rid else None
            if earlier is not None:
                if (earlier.inquiry_id, earlier.case_id) != (inquiry.id, ask.case_id):
                    raise request_id_reused()
                access.resource = f"consentRequests/{earlier.id}"
                return earlier
            citizen_id = _citizen_of(access, inquiry, ask.case_id)
            request = ConsentRequest(
                id=new_id(),
                inquiry_id=inquiry.id,
                citizen_id=citizen_id,
                org_id=org,
                practitioner=caller.practitioner,
                case_id=ask.case_id,
                permissions=ask.permissions,
                purpose=purpose,
                valid_from=ask.valid_from,
                valid_until=ask.valid_until,
                created_at=access.now,
            )
            access.resource = f"consentRequests/{request.id}"
            access.tx.consent_requests.add(request, rid)
            access.emit(InquiryChanged(inquiry.id))
            return request

    return once_more_on_conflict(attempt)


def _held(access: Access, inquiry_id: str) -> Inquiry:
    """The open inquiry, if the calling organisation (as itself) holds it; else refused."""
    inquiry = access.tx.inquiries.get(inquiry_id)
    if inquiry is not None:
        access.subject = inquiry.citizen_id
    if (
        inquiry is None
        or access.actor.citizen_id is not None
        or inquiry.claimed_by_org_id != access.actor.org_id
    ):
        access.deny(Reason.NOT_INQUIRY_HOLDER)
    access.allow(Reason.INQUIRY_HOLDER)
    closed = not_open(inquiry)
    if closed is not None:
        raise closed
    return inquiry


def _citizen_of(access: Access, inquiry: Inquiry, case_id: str) -> str:
    """The inquiry's citizen, if the case is theirs; a missing case is refused alike."""
    if inquiry.citizen_id is None:
        raise failed_precondition("INQUIRY_ANONYMOUS", "an anonymous inquiry has nobody to ask")
    case = access.tx.cases.get(case_id)
    if case is None or case.citizen_id != inquiry.citizen_id:
        raise failed_precondition(
            "CASE_NOT_INQUIRY_CITIZENS", "the case is not one of the inquiry's citizen's"
        )
    return inquiry.citizen_id


def _party(access: Access, request_id: str, *, citizen_only: bool = False) -> ConsentRequest:
    """The request, if the actor is its citizen or (unless ``citizen_only``) the organisation
    that asked; else refused, under the request's citizen: an attempt on it is theirs to see."""
    request = access.tx.consent_requests.get(request_id)
    actor = access.actor
    if request is not None:
        access.subject = request.citizen_id
    if actor.citizen_id is None and citizen_only:
        access.deny(Reason.CITIZEN_ONLY)
    if actor.citizen_id is not None:
        if request is None or request.citizen_id != actor.citizen_id:
            access.deny(Reason.NOT_CONSENT_REQUEST_PARTY)
        access.allow(Reason.SELF)
        return request
    if request is None or request.org_id != actor.org_id:
        access.deny(Reason.NOT_CONSENT_REQUEST_PARTY)
    access.allow(Reason.REQUESTER)
    return request


def get_consent_request(store: Store, caller: Caller, request_id: str) -> ConsentRequest:
    """One request: to the citizen asked or the organisation that asked."""
    require_id(request_id, "consent_request_id")
    resource = f"consentRequests/{request_id}"
    with guard(store, caller, action="consent_request.read", resource=resource) as access:
        return _party(access, request_id)


def answer_consent_request(
    store: Store, caller: Caller, request_id: str, approve: bool
) -> ConsentRequest:
    """The citizen approves (granting the consent asked for) or declines, once; answering
    again the same way returns the first answer, answering otherwise is refused."""
    require_id(request_id, "consent_request_id")
    answer = RequestState.APPROVED if approve else RequestState.DECLINED

    def attempt() -> ConsentRequest:
        resource = f"consentRequests/{request_id}"
        with guard(store, caller, action="consent_request.answer", resource=resource) as access:
            request = _party(access, request_id, citizen_only=True)
            state = request.state_at(access.now)
            if state is answer:
                return request
            if state is not RequestState.PENDING:
                raise _not_pending(state)
            consent_id = None
            if approve:
                consent_id = given(access, request.citizen_id, _grant(request)).id
            access.tx.consent_requests.answer(request.id, answer, access.now, consent_id)
            access.emit(InquiryChanged(request.inquiry_id))
            return request.answered(answer, access.now, consent_id)

    return once_more_on_conflict(attempt)


def _grant(request: ConsentRequest) -> Grant:
    return Grant(
        org_id=request.org_id,
        case_id=request.case_id,
        category=None,
        permissions=request.permissions,
        purpose=request.purpose,
        valid_from=request.valid_from,
        valid_until=request.valid_until,
        request_id=f"consent-request:{request.id}",
    )


def _not_pending(state: RequestState) -> Exception:
    if state is RequestState.EXPIRED:
        return failed_precondition(
            "CONSENT_REQUEST_EXPIRED", "the period the consent was asked for has ended"
        )
    return failed_precondition(
        "CONSENT_REQUEST_ANSWERED", f"the consent request has already been {state.value}"
    )


@dataclass(frozen=True)
class RequestQuery:
    """Filters of ListConsentRequests."""

    inquiry_id: str = ""
    page_size: int = 0
    page_token: str = ""


def list_consent_requests(
    store: Store, caller: Caller, query: RequestQuery
) -> tuple[Sequence[ConsentRequest], str]:
    """The citizen's requests, or those the calling organisation made; newest first."""
    if query.inquiry_id:
        require_id(query.inquiry_id, "inquiry_id")
    size = page_size(query.page_size)
    with guard(store, caller, action="consent_request.list", resource="consentRequests") as access:
        citizen_id = access.actor.citizen_id
        org_id = None if citizen_id else access.actor.org_id
        listing = Listing("consent_requests", (citizen_id or "", org_id or "", query.inquiry_id))
        found = access.tx.consent_requests.list(
            citizen_id=citizen_id,
            org_id=org_id,
            inquiry_id=query.inquiry_id or None,
            after=listing.after_time_and_id(query.page_token),
            limit=size + 1,
        )
        page = found[:size]
        access.listing(
            Reason.SELF if citizen_id else Reason.REQUESTER, (r.citizen_id for r in page)
        )
    return page, newest_first_token(listing, found, size)


def consent_requests_for_watch(
    store: Store, caller: Caller, inquiry_id: str, limit: int
) -> tuple[Sequence[ConsentRequest], datetime]:
    """The newest ``limit`` requests asked from the inquiry that a watch of it delivers,
    newest first, and the time their state is as of: all of them to a caller acting for
    the inquiry's citizen (each was asked of them), those it asked to an organisation
    acting as itself; none to anybody else. The watch was authorised and audited when
    it started, and its access is checked again each round (``inquiry_now``)."""
    with store.read() as tx:
        now = now_utc()
        actor = actor_of(tx, caller, now)
        inquiry = tx.inquiries.get(inquiry_id)
        if inquiry is None or inquiry.citizen_id is None:
            return (), now
        if actor.citizen_id not in (None, inquiry.citizen_id):
            return (), now
        found = tx.consent_requests.list(
            citizen_id=actor.citizen_id,
            org_id=None if actor.citizen_id else actor.org_id,
            inquiry_id=inquiry_id,
            after=None,
            limit=limit,
        )
        return found, now
