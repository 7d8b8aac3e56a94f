"""Case and record use cases, each access decided and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from luukku.domain.access import OWNER, SELF, VISIBLE, Decision
from luukku.domain.caller import Caller
from luukku.domain.cases import (
    Case,
    CaseStatus,
    ServiceCategory,
    validate_title,
)
from luukku.domain.consents import Permission
from luukku.domain.errors import invalid_argument
from luukku.domain.organizations import OrgKind
from luukku.service.access_control import (
    actor_of,
    check_case,
    decide_case,
    raise_if_denied,
    record,
    record_listing,
)
from luukku.service.ids import (
    identity_code,
    new_id,
    now_utc,
    once_more_on_conflict,
    optional_request_id,
    require_id,
)
from luukku.service.paging import decode_token, encode_token, page_size
from luukku.store.uow import Store


def create_case(
    store: Store,
    caller: Caller,
    *,
    identity_code_text: str,
    title: str,
    category: ServiceCategory | None,
    request_id: str = "",
) -> Case:
    """Open a case for a citizen, owned by the calling organisation."""
    code = identity_code(identity_code_text)
    title = validate_title(title)
    if category is None:
        raise invalid_argument("MISSING_FIELD", "category", "required")
    rid = optional_request_id(request_id)
    now = now_utc()

    def attempt() -> tuple[Case, Decision]:
        with store.transaction() as tx:
            actor = actor_of(tx, caller, now)
            allowed = caller.organization.kind is not OrgKind.PORTAL and actor.citizen_id is None
            decision = Decision(True, OWNER) if allowed else Decision(False, "ORG_KIND_NOT_ALLOWED")
            # A refused create must not register the citizen as a side effect.
            citizen_id = tx.citizens.get_or_create(code, now) if allowed else tx.citizens.find(code)
            existing = tx.cases.by_request(caller.organization.id, rid) if rid else None
            case = existing or Case(
                id=new_id(),
                citizen_id=citizen_id or "",
                owner_org_id=caller.organization.id,
                title=title,
                category=category,
                status=CaseStatus.OPEN,
                created_at=now,
            )
            record(
                tx,
                caller,
                actor,
                decision,
                action="case.create",
                resource=f"cases/{case.id}",
                subject=citizen_id,
                now=now,
            )
            if decision.allowed and existing is None:
                tx.cases.add(case, rid)
        return case, decision

    case, decision = once_more_on_conflict(attempt)
    raise_if_denied(decision)
    return case


def get_case(store: Store, caller: Caller, case_id: str) -> Case:
    """One case, if the caller may read it."""
    require_id(case_id, "case_id")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        case = tx.cases.get(case_id)
        decision = check_case(
            tx,
            caller,
            actor,
            case,
            Permission.READ,
            action="case.read",
            resource=f"cases/{case_id}",
            now=now,
        )
    raise_if_denied(decision)
    assert case is not None
    return case


def close_case(store: Store, caller: Caller, case_id: str) -> Case:
    """Close a case; only its owner may."""
    require_id(case_id, "case_id")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        case = tx.cases.get(case_id)
        decision = decide_case(tx, actor, case, Permission.WRITE, now)
        if decision.allowed and decision.reason != OWNER:
            decision = Decision(False, "OWNER_ONLY")
        # Audit the final decision: a consent holder's refusal must not be logged as allowed.
        record(
            tx,
            caller,
            actor,
            decision,
            action="case.close",
            resource=f"cases/{case_id}",
            subject=case.citizen_id if case else None,
            now=now,
        )
        if decision.allowed and case is not None and case.status is CaseStatus.OPEN:
            tx.cases.close(case_id, now)
            case = replace(case, status=CaseStatus.CLOSED, closed_at=now)
    raise_if_denied(decision)
    assert case is not None
    return case


@dataclass(frozen=True)
class CaseQuery:
    """Filters of ListCases."""

    identity_code: str = ""
    category: ServiceCategory | None = None
    page_size: int = 0
    page_token: str = ""


def list_cases(store: Store, caller: Caller, query: CaseQuery) -> tuple[Sequence[Case], str]:
    """The cases the caller may read, newest first, one page at a time.

    One audit event is written for each citizen whose cases the page shows.
    """
    code = identity_code(query.identity_code) if query.identity_code else None
    size = page_size(query.page_size)
    after = decode_token("cases", query.page_token)
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        subject = tx.citizens.find(code) if code else None
        if actor.citizen_id is not None and code and subject != actor.citizen_id:
            decision = record(
                tx,
                caller,
                actor,
                Decision(False, "NOT_CASE_CITIZEN"),
                action="case.list",
                resource="cases",
                subject=subject,
                now=now,
            )
            found: Sequence[Case] = []
        else:
            subject = actor.citizen_id or subject
            found = (
                []
                if code and subject is None
                else tx.cases.list_visible(
                    org_id=None if actor.citizen_id else actor.org_id,
                    citizen_id=subject,
                    category=query.category,
                    now=now,
                    after=(after[0], after[1]) if after else None,
                    limit=size + 1,
                )
            )
            decision = Decision(True, SELF if actor.citizen_id else VISIBLE)
            record_listing(
                tx,
                caller,
                actor,
                decision,
                action="case.list",
                resource="cases",
                citizens=(c.citizen_id for c in found[:size]),
                fallback=subject,
                now=now,
            )
    raise_if_denied(decision)
    page = found[:size]
    token = ""
    if len(found) > size:
        token = encode_token("cases", [page[-1].created_at.isoformat(), page[-1].id])
    return page, token
