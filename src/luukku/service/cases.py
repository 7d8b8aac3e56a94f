"""Case and record use cases, each access decided and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from luukku.domain.access import CaseAccess, Reason, case_access
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
from luukku.service.access.guard import guard
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.identity_codes import identity_code
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, newest_first_token, page_size
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

    def attempt() -> Case:
        with guard(store, caller, action="case.create", resource="cases") as access:
            tx = access.tx
            if caller.organization.kind is OrgKind.PORTAL or access.actor.citizen_id is not None:
                # A refused create must not register the citizen as a side effect.
                access.subject = tx.citizens.find(code)
                access.deny(Reason.ORG_KIND_NOT_ALLOWED)
            access.subject = tx.citizens.get_or_create(code, access.now)
            existing = tx.cases.by_request(caller.organization.id, rid) if rid else None
            case = existing or Case(
                id=new_id(),
                citizen_id=access.subject,
                owner_org_id=caller.organization.id,
                title=title,
                category=category,
                status=CaseStatus.OPEN,
                created_at=access.now,
            )
            access.allow(Reason.OWNER, resource=f"cases/{case.id}")
            if existing is None:
                tx.cases.add(case, rid)
            return case

    return once_more_on_conflict(attempt)


def get_case(store: Store, caller: Caller, case_id: str) -> tuple[Case, CaseAccess]:
    """One case, if the caller may read it, and what the caller may do with it now."""
    require_id(case_id, "case_id")
    with guard(store, caller, action="case.read", resource=f"cases/{case_id}") as access:
        case = access.case(case_id, Permission.READ)
        allowed = case_access(access.actor, case, access.consents, access.now)
        if access.acting is not None:
            allowed = access.acting.narrowed(allowed, case, access.now)
        return case, allowed


def close_case(store: Store, caller: Caller, case_id: str) -> Case:
    """Close a case; only its owner may."""
    require_id(case_id, "case_id")
    with guard(store, caller, action="case.close", resource=f"cases/{case_id}") as access:
        case = access.case(case_id, Permission.WRITE)
        if case.owner_org_id != caller.organization.id:
            # A consent holder may write records, not close the owner's case.
            access.deny(Reason.OWNER_ONLY)
        if case.status is CaseStatus.OPEN:
            access.tx.cases.close(case_id, access.now)
            case = replace(case, status=CaseStatus.CLOSED, closed_at=access.now)
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
    with guard(store, caller, action="case.list", resource="cases") as access:
        tx, actor = access.tx, access.actor
        if code is not None:
            access.subject = access.named_citizen(code)
            if actor.citizen_id is not None and access.subject != actor.citizen_id:
                access.deny(Reason.NOT_CASE_CITIZEN)
        # The token binds to the citizen by opaque id: it must not carry an identity code.
        listing = Listing("cases", (access.subject or "", str(query.category or "")))
        after = listing.after_time_and_id(query.page_token)
        found = tx.cases.list_visible(
            org_id=None if actor.citizen_id else actor.org_id,
            citizen_id=access.subject,
            category=query.category,
            now=access.now,
            after=after,
            limit=size + 1,
        )
        # Acting for someone: what their rights do not reach is left out (a short page).
        page = [case for case in found[:size] if access.may_show(case)]
        access.listing(
            Reason.SELF if actor.citizen_id else Reason.VISIBLE, (c.citizen_id for c in page)
        )
    return page, newest_first_token(listing, found, size)
