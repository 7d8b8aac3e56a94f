"""Consent use cases: only the citizen grants and revokes; every access is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.cases import ServiceCategory
from luukku.domain.consents import Consent, ConsentState, Permission, validate_grant
from luukku.domain.errors import not_found
from luukku.domain.events import ConsentGranted, ConsentRevoked
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import Access, guard
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.identity_codes import identity_code
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, newest_first_token, page_size
from luukku.store.uow import Store


@dataclass(frozen=True)
class Grant:
    """What the citizen consents to."""

    org_id: str
    case_id: str | None
    category: ServiceCategory | None
    permissions: frozenset[Permission]
    purpose: str
    valid_from: datetime | None
    valid_until: datetime
    request_id: str = ""


def grant_consent(store: Store, caller: Caller, grant: Grant) -> Consent:
    """Record the citizen's consent; a retry with the same request id returns the first."""
    # Validated against the clock before the guard's own reading of it: a
    # grant valid from "now" must not be refused as starting in the past.
    valid_from = grant.valid_from or now_utc()
    purpose = validate_grant(
        case_id=grant.case_id,
        category=grant.category,
        permissions=grant.permissions,
        purpose=grant.purpose,
        valid_from=valid_from,
        valid_until=grant.valid_until,
    )
    if grant.case_id is not None:
        require_id(grant.case_id, "case_id")
    rid = optional_request_id(grant.request_id)

    def attempt() -> Consent:
        with guard(store, caller, action="consent.grant", resource="consents/-") as access:
            citizen_id = _citizen_granting(access, grant)
            earlier = access.tx.consents.by_request(citizen_id, rid) if rid else None
            access.allow(Reason.SELF)
            consent = earlier or given(
                access, citizen_id, replace(grant, purpose=purpose, valid_from=valid_from)
            )
            access.resource = f"consents/{consent.id}"
            return consent

    return once_more_on_conflict(attempt)


def given(access: Access, citizen_id: str, grant: Grant) -> Consent:
    """Write the citizen's new consent (``grant`` validated, its ``valid_from`` set) in the
    access's transaction; it is announced once committed. The caller has decided."""
    assert grant.valid_from is not None
    consent = Consent(
        id=new_id(),
        citizen_id=citizen_id,
        org_id=grant.org_id,
        case_id=grant.case_id,
        category=grant.category,
        permissions=grant.permissions,
        purpose=grant.purpose,
        valid_from=grant.valid_from,
        valid_until=grant.valid_until,
        created_at=access.now,
    )
    access.tx.consents.add(consent, grant.request_id or access.caller.request_id)
    access.emit(ConsentGranted(citizen_id, consent.id))
    return consent


def _citizen_granting(access: Access, grant: Grant) -> str:
    """The citizen who grants; refused for an organisation, or for another citizen's case.

    A refusal is recorded under the citizen whose case the grant named: an
    attempt on their case is theirs to see.
    """
    case = access.tx.cases.get(grant.case_id) if grant.case_id is not None else None
    if case is not None:
        access.subject = case.citizen_id
    citizen_id = access.actor.citizen_id
    if citizen_id is None:
        access.deny(Reason.CITIZEN_ONLY)
    if grant.case_id is not None and (case is None or case.citizen_id != citizen_id):
        access.deny(Reason.NOT_CASE_CITIZEN)
    if case is not None:
        access.about(case)
    access.subject = citizen_id
    if access.tx.directory.get_organization(grant.org_id) is None:
        raise not_found("ORG_NOT_FOUND", "no such organisation")
    return citizen_id


def revoke_consent(store: Store, caller: Caller, consent_id: str) -> Consent:
    """Revoke a consent now; it denies the very next request it used to allow."""
    require_id(consent_id, "consent_id")

    def attempt() -> Consent:
        resource = f"consents/{consent_id}"
        with guard(store, caller, action="consent.revoke", resource=resource) as access:
            consent = _own_consent(access, consent_id)
            if consent.revoked_at is None:
                access.tx.consents.revoke(consent, access.now, caller.request_id)
                consent = replace(consent, revoked_at=access.now, revision=consent.revision + 1)
            # Also on a repeated revocation: streams re-check, which costs nothing wrong.
            access.emit(ConsentRevoked(consent.citizen_id, consent.id))
            return consent

    # A concurrent revocation of the same consent wins the revision-2 history row;
    # the loser's retry then finds the consent revoked and returns it unchanged.
    return once_more_on_conflict(attempt)


def _own_consent(access: Access, consent_id: str) -> Consent:
    """The consent, if the citizen acting gave it; else the refusal is recorded and raised."""
    consent = access.tx.consents.get(consent_id)
    access.subject = consent.citizen_id if consent else None
    if access.actor.citizen_id is None:
        access.deny(Reason.CITIZEN_ONLY)
    if consent is None or consent.citizen_id != access.actor.citizen_id:
        access.deny(Reason.NOT_CONSENT_CITIZEN)
    access.allow(Reason.SELF)
    return consent


def get_consent(store: Store, caller: Caller, consent_id: str) -> Consent:
    """One consent: to the citizen who gave it or the organisation it was given to."""
    require_id(consent_id, "consent_id")
    with guard(store, caller, action="consent.read", resource=f"consents/{consent_id}") as access:
        if access.actor.citizen_id is not None:
            return _own_consent(access, consent_id)
        consent = access.tx.consents.get(consent_id)
        access.subject = consent.citizen_id if consent else None
        if consent is None or consent.org_id != access.actor.org_id:
            access.deny(Reason.NOT_CONSENT_GRANTEE)
        access.allow(Reason.GRANTEE)
        return consent


@dataclass(frozen=True)
class ConsentQuery:
    """Filters of ListConsents."""

    identity_code: str = ""
    org_id: str = ""
    state: ConsentState | None = None
    page_size: int = 0
    page_token: str = ""


def list_consents(
    store: Store, caller: Caller, query: ConsentQuery
) -> tuple[Sequence[Consent], str]:
    """A citizen's own consents, or those given to the calling organisation; newest first."""
    code = identity_code(query.identity_code) if query.identity_code else None
    size = page_size(query.page_size)
    with guard(store, caller, action="consent.list", resource="consents") as access:
        tx, actor = access.tx, access.actor
        org: str | None
        if actor.citizen_id is not None:
            org = query.org_id or None
        else:
            access.subject, org = (access.named_citizen(code) if code else None), actor.org_id
        listing = Listing("consents", (access.subject or "", org or "", str(query.state or "")))
        after = listing.after_time_and_id(query.page_token)
        found = tx.consents.list(
            citizen_id=access.subject,
            org_id=org,
            after=after,
            limit=size + 1,
            state=query.state,
            now=access.now,
        )
        page = found[:size]
        access.listing(
            Reason.SELF if actor.citizen_id else Reason.GRANTEE, (c.citizen_id for c in page)
        )
    return page, newest_first_token(listing, found, size)
