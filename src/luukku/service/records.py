"""Record use cases: append-only entries in a case, each access decided and audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from luukku.domain.access import Decision
from luukku.domain.caller import Caller
from luukku.domain.cases import CaseStatus, Record, validate_content, validate_kind
from luukku.domain.consents import Permission
from luukku.domain.errors import invalid_argument, not_found
from luukku.service.access_control import (
    REQUEST_ID_REUSED,
    actor_of,
    check_case,
    decide_case,
    raise_if_denied,
    record,
)
from luukku.service.ids import (
    new_id,
    now_utc,
    once_more_on_conflict,
    optional_request_id,
    require_id,
)
from luukku.service.paging import decode_token, encode_token, page_size
from luukku.store.uow import Store, Tx


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

    def attempt() -> tuple[Record | str | None, Decision]:
        now = now_utc()
        with store.transaction() as tx:
            actor = actor_of(tx, caller, now)
            case = tx.cases.get(draft.case_id)
            decision = decide_case(tx, actor, case, Permission.WRITE, now)
            outcome = _append(tx, caller, draft, rid, now) if decision.allowed else None
            if outcome in ("CASE_CLOSED", REQUEST_ID_REUSED):
                decision = Decision(False, str(outcome))
            record(
                tx,
                caller,
                actor,
                decision,
                action="record.revise" if draft.record_id else "record.create",
                resource=_record_resource(draft, outcome),
                subject=case.citizen_id if case else None,
                now=now,
            )
        return outcome, decision

    outcome, decision = once_more_on_conflict(attempt)
    raise_if_denied(decision)
    if not isinstance(outcome, Record):
        raise not_found("RECORD_NOT_FOUND", "no such record in this case")
    return outcome


def _record_resource(draft: RecordDraft, outcome: Record | str | None) -> str:
    record_id = outcome.record_id if isinstance(outcome, Record) else draft.record_id or "-"
    return f"cases/{draft.case_id}/records/{record_id}"


def _append(
    tx: Tx, caller: Caller, draft: RecordDraft, rid: str | None, now: datetime
) -> Record | str:
    """Write the draft; or say why not: CASE_CLOSED, RECORD_NOT_FOUND or REQUEST_ID_REUSED.

    A retried request returns what the first one wrote.
    """
    existing = tx.cases.record_by_request(caller.organization.id, rid) if rid else None
    if existing is not None:
        same = existing.case_id == draft.case_id and draft.record_id in ("", existing.record_id)
        return existing if same else REQUEST_ID_REUSED
    case = tx.cases.get(draft.case_id)
    if case is None or case.status is CaseStatus.CLOSED:
        return "CASE_CLOSED"
    previous = tx.cases.get_record(case.id, draft.record_id) if draft.record_id else None
    if draft.record_id and previous is None:
        return "RECORD_NOT_FOUND"
    new = Record(
        case_id=case.id,
        record_id=previous.record_id if previous else new_id(),
        revision=previous.revision + 1 if previous else 1,
        kind=previous.kind if previous else draft.kind,
        text=draft.text,
        data=draft.data,
        author_org_id=caller.organization.id,
        author=caller.practitioner,
        created_at=now,
    )
    tx.cases.add_record(new, rid)
    return new


def get_record(store: Store, caller: Caller, case_id: str, record_id: str, revision: int) -> Record:
    """A record's latest revision, or the one asked for, if the caller may read the case."""
    require_id(case_id, "case_id")
    require_id(record_id, "record_id")
    if revision < 0:
        raise invalid_argument("INVALID_REVISION", "revision", "must not be negative")
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
            action="record.read",
            resource=f"cases/{case_id}/records/{record_id}",
            now=now,
        )
        found = tx.cases.get_record(case_id, record_id, revision) if decision.allowed else None
    raise_if_denied(decision)
    if found is None:
        raise not_found("RECORD_NOT_FOUND", "no such record (or revision) in this case")
    return found


def list_records(
    store: Store, caller: Caller, case_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[Record], str]:
    """The latest revision of each record of a case, in creation order."""
    require_id(case_id, "case_id")
    size = page_size(requested_size)
    after = decode_token("records", page_token) or 0
    if not isinstance(after, int):
        raise invalid_argument("INVALID_PAGE_TOKEN", "page_token", "malformed page token")
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
            action="record.list",
            resource=f"cases/{case_id}/records",
            now=now,
        )
        rows = tx.cases.list_records(case_id, after, size + 1) if decision.allowed else []
    raise_if_denied(decision)
    page = rows[:size]
    token = encode_token("records", page[-1][0]) if len(rows) > size else ""
    return [r for _, r in page], token
