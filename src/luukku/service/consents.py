"""Consent use cases: only the citizen grants and revokes; every access is audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from luukku.domain.access import SELF, Actor, Decision
from luukku.domain.caller import Caller
from luukku.domain.cases import ServiceCategory
from luukku.domain.consents import Consent, ConsentState, Permission, validate_grant
from luukku.domain.errors import not_found
from luukku.service.access_control import actor_of, raise_if_denied, record, record_listing
from luukku.service.ids import (
    identity_code,
    new_id,
    now_utc,
    once_more_on_conflict,
    optional_request_id,
    require_id,
)
from luukku.service.paging import decode_token, encode_token, page_size
from luukku.store.uow import Store, Tx


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


_CITIZEN_ONLY = Decision(False, "CITIZEN_ONLY")


def grant_consent(store: Store, caller: Caller, grant: Grant) -> Consent:
    """Record the citizen's consent; a retry with the same request id returns the first."""
    now = now_utc()
    valid_from = grant.valid_from or now
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

    def attempt() -> tuple[Consent | None, Decision]:
        with store.transaction() as tx:
            actor = actor_of(tx, caller, now)
            decision, consent = _decide_grant(tx, actor, grant, rid, now)
            if decision.allowed and consent is None:
                consent = Consent(
                    id=new_id(),
                    citizen_id=actor.citizen_id or "",
                    org_id=grant.org_id,
                    case_id=grant.case_id,
                    category=grant.category,
                    permissions=grant.permissions,
                    purpose=purpose,
                    valid_from=valid_from,
                    valid_until=grant.valid_until,
                    created_at=now,
                )
                tx.consents.add(consent, rid or caller.request_id)
            record(
                tx,
                caller,
                actor,
                decision,
                action="consent.grant",
                resource=f"consents/{consent.id if consent else '-'}",
                subject=actor.citizen_id,
                now=now,
            )
        return consent, decision

    consent, decision = once_more_on_conflict(attempt)
    raise_if_denied(decision)
    assert consent is not None
    return consent


def _decide_grant(
    tx: Tx, actor: Actor, grant: Grant, rid: str | None, now: datetime
) -> tuple[Decision, Consent | None]:
    """Whether the citizen may grant this; and the earlier grant of a retry, if any."""
    if actor.citizen_id is None:
        return _CITIZEN_ONLY, None
    if tx.directory.get_organization(grant.org_id) is None:
        raise not_found("ORG_NOT_FOUND", f"no organisation {grant.org_id!r}")
    if grant.case_id is not None:
        case = tx.cases.get(grant.case_id)
        if case is None or case.citizen_id != actor.citizen_id:
            return Decision(False, "NOT_CASE_CITIZEN"), None
    earlier = tx.consents.by_request(actor.citizen_id, rid) if rid else None
    return Decision(True, SELF), earlier


def revoke_consent(store: Store, caller: Caller, consent_id: str) -> Consent:
    """Revoke a consent now; it denies the very next request it used to allow."""
    require_id(consent_id, "consent_id")
    now = now_utc()

    def attempt() -> tuple[Consent | None, Decision]:
        with store.transaction() as tx:
            actor = actor_of(tx, caller, now)
            consent = tx.consents.get(consent_id)
            decision = _own_consent(actor, consent)
            if decision.allowed and consent is not None and consent.revoked_at is None:
                tx.consents.revoke(consent, now, caller.request_id)
                consent = replace(consent, revoked_at=now, revision=consent.revision + 1)
            record(
                tx,
                caller,
                actor,
                decision,
                action="consent.revoke",
                resource=f"consents/{consent_id}",
                subject=consent.citizen_id if consent else None,
                now=now,
            )
        return consent, decision

    # A concurrent revocation of the same consent wins the revision-2 history row;
    # the loser's retry then finds the consent revoked and returns it unchanged.
    consent, decision = once_more_on_conflict(attempt)
    raise_if_denied(decision)
    assert consent is not None
    return consent


def _own_consent(actor: Actor, consent: Consent | None) -> Decision:
    if actor.citizen_id is None:
        return _CITIZEN_ONLY
    if consent is None or consent.citizen_id != actor.citizen_id:
        return Decision(False, "NOT_CONSENT_CITIZEN")
    return Decision(True, SELF)


def get_consent(store: Store, caller: Caller, consent_id: str) -> Consent:
    """One consent: to the citizen who gave it or the organisation it was given to."""
    require_id(consent_id, "consent_id")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        consent = tx.consents.get(consent_id)
        if actor.citizen_id is not None:
            decision = _own_consent(actor, consent)
        elif consent is not None and consent.org_id == actor.org_id:
            decision = Decision(True, "GRANTEE")
        else:
            decision = Decision(False, "NOT_CONSENT_GRANTEE")
        record(
            tx,
            caller,
            actor,
            decision,
            action="consent.read",
            resource=f"consents/{consent_id}",
            subject=consent.citizen_id if consent and decision.allowed else None,
            now=now,
        )
    raise_if_denied(decision)
    assert consent is not None
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
    after = decode_token("consents", query.page_token)
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        citizen: str | None
        org: str | None
        if actor.citizen_id is not None:
            citizen, org = actor.citizen_id, query.org_id or None
        else:
            citizen, org = (tx.citizens.find(code) if code else None), actor.org_id
        found = (
            []
            if code and citizen is None
            else tx.consents.list(
                citizen_id=citizen,
                org_id=org,
                after=(after[0], after[1]) if after else None,
                limit=size + 1,
                state=query.state,
                now=now,
            )
        )
        page = found[:size]
        decision = Decision(True, SELF if actor.citizen_id else "GRANTEE")
        record_listing(
            tx,
            caller,
            actor,
            decision,
            action="consent.list",
            resource="consents",
            citizens=(c.citizen_id for c in page),
            fallback=citizen,
            now=now,
        )
    token = ""
    if len(found) > size:
        token = encode_token("consents", [page[-1].created_at.isoformat(), page[-1].id])
    return page, token
