"""Record use cases: append-only entries in a case, each access decided and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.cases import CaseStatus, Record, validate_content, validate_kind
from luukku.domain.consents import Permission
from luukku.domain.errors import invalid_argument, not_found
from luukku.service.access.guard import Access, guard
from luukku.service.access.refusal_errors import request_id_reused
from luukku.service.case_pages import RECORDS, case_page
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import Listing, page_size
from luukku.store.uow import Store


@dataclass(frozen=True)
class RecordDraft:
    """What a caller writes: a new record (``record_id`` empty) or a revision."""

    case_id: str
    text: str
    data: dict[str, Any] | None = None
    kind: str = ""
    record_id: str = ""
    request_id: str = ""


def write_record(store: Store, caller: Caller, draft: RecordDraft) -> Record:
    """Append a record, or a new revision of one; owner or WRITE consent only.

    A retry with the same request id returns the revision the first call wrote.
    """
    require_id(draft.case_id, "case_id")
    if draft.record_id:
        require_id(draft.record_id, "record_id")
    else:
        validate_kind(draft.kind)
    validate_content(draft.text, draft.data)
    rid = optional_request_id(draft.request_id)
    action = "record.revise" if draft.record_id else "record.create"
    resource = f"cases/{draft.case_id}/records/{draft.record_id or '-'}"

    def attempt() -> Record:
        with guard(store, caller, action=action, resource=resource) as access:
            return _append(access, draft, rid)

    return once_more_on_conflict(attempt)


def _append(access: Access, draft: RecordDraft, rid: str | None) -> Record:
    """Write the draft, or return what a retried request wrote the first time."""
    case = access.case(draft.case_id, Permission.WRITE)
    tx, org_id = access.tx, access.caller.organization.id
    existing = tx.cases.record_by_request(org_id, rid) if rid else None
    if existing is not None:
        if existing.case_id != draft.case_id or draft.record_id not in ("", existing.record_id):
            raise request_id_reused()
        access.resource = f"cases/{case.id}/records/{existing.record_id}"
        return existing
    if case.status is CaseStatus.CLOSED:
        access.deny(Reason.CASE_CLOSED)
    previous = tx.cases.get_record(case.id, draft.record_id) if draft.record_id else None
    if draft.record_id and previous is None:
        raise not_found("RECORD_NOT_FOUND", "no such record in this case")
    new = Record(
        case_id=case.id,
        record_id=previous.record_id if previous else new_id(),
        revision=previous.revision + 1 if previous else 1,
        kind=previous.kind if previous else draft.kind,
        text=draft.text,
        data=draft.data,
        author_org_id=org_id,
        author=access.caller.practitioner,
        created_at=access.now,
    )
    access.resource = f"cases/{case.id}/records/{new.record_id}"
    tx.cases.add_record(new, rid)
    return new


def get_record(store: Store, caller: Caller, case_id: str, record_id: str, revision: int) -> Record:
    """A record's latest revision, or the one asked for, if the caller may read the case."""
    require_id(case_id, "case_id")
    require_id(record_id, "record_id")
    if revision < 0:
        raise invalid_argument("INVALID_REVISION", "revision", "must not be negative")
    resource = f"cases/{case_id}/records/{record_id}"
    with guard(store, caller, action="record.read", resource=resource) as access:
        _, found = access.case_record(case_id, Permission.READ, record_id, revision)
        if found is None:
            raise not_found("RECORD_NOT_FOUND", "no such record (or revision) in this case")
        return found


def list_record_revisions(
    store: Store, caller: Caller, case_id: str, record_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[Record], str]:
    """Every revision of a record, newest first, if the caller may read the case."""
    require_id(case_id, "case_id")
    require_id(record_id, "record_id")
    size = page_size(requested_size)
    listing = Listing("revisions", (case_id, record_id))
    below = listing.after_number(page_token)
    resource = f"cases/{case_id}/records/{record_id}"
    with guard(store, caller, action="record.revisions", resource=resource) as access:
        case = access.case(case_id, Permission.READ)
        found = access.tx.cases.record_revisions(case.id, record_id, below, size + 1)
        if not found and access.tx.cases.get_record(case.id, record_id) is None:
            raise not_found("RECORD_NOT_FOUND", "no such record in this case")
    shown = found[:size]
    return shown, listing.token(shown[-1].revision) if len(found) > size else ""


def list_records(
    store: Store, caller: Caller, case_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[Record], str]:
    """The latest revision of each record of a case, in creation order."""
    opened = case_page(store, caller, RECORDS, case_id, requested_size, page_token)
    with opened as (access, case, page):
        rows = access.tx.cases.list_records(case.id, page.after, page.size + 1)
    shown = rows[: page.size]
    return [r for _, r in shown], page.token(len(rows), shown[-1][0] if shown else 0)
