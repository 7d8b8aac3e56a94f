"""Thread use cases: open, post, list, read receipts and the access checks of watching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Actor, Decision
from luukku.domain.caller import Caller
from luukku.domain.cases import Case
from luukku.domain.consents import Permission
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument
from luukku.domain.threads import (
    Message,
    Thread,
    participant_key,
    validate_body,
    validate_subject,
)
from luukku.service.access_control import (
    REQUEST_ID_REUSED,
    actor_of,
    check_case,
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
class ThreadView:
    """A thread as one participant sees it."""

    thread: Thread
    unread: int


def beyond_end(field: str) -> LuukkuError:
    return LuukkuError(
        ErrorCode.OUT_OF_RANGE,
        "CURSOR_BEYOND_END",
        f"{field} is beyond the newest message",
        metadata={"field": field},
    )


def discuss(
    tx: Tx, caller: Caller, actor: Actor, thread_id: str, action: str, now: datetime
) -> tuple[Thread | None, Case | None, Decision]:
    """Load a thread and its case, decide DISCUSS, audit the decision."""
    thread = tx.threads.get(thread_id)
    case = tx.cases.get(thread.case_id) if thread else None
    decision = check_case(
        tx,
        caller,
        actor,
        case,
        Permission.DISCUSS,
        action=action,
        resource=f"threads/{thread_id}",
        now=now,
    )
    return thread, case, decision


def _view(tx: Tx, actor: Actor, thread: Thread) -> ThreadView:
    read = tx.threads.last_read(thread.id, participant_key(actor))
    return ThreadView(thread, max(thread.last_seq - read, 0))


def create_thread(
    store: Store, caller: Caller, case_id: str, subject: str, request_id: str = ""
) -> ThreadView:
    """Open a thread on a case; any participant of the case's discussion may."""
    require_id(case_id, "case_id")
    subject = validate_subject(subject)
    rid = optional_request_id(request_id)

    def attempt() -> tuple[ThreadView | None, Decision]:
        now = now_utc()
        with store.transaction() as tx:
            actor = actor_of(tx, caller, now)
            case = tx.cases.get(case_id)
            earlier = tx.threads.by_request(caller.organization.id, rid) if rid else None
            if earlier is not None and earlier.case_id != case_id:
                refused = Decision(False, REQUEST_ID_REUSED)
                record(
                    tx,
                    caller,
                    actor,
                    refused,
                    action="thread.create",
                    resource=f"cases/{case_id}/threads",
                    subject=case.citizen_id if case else None,
                    now=now,
                )
                return None, refused
            thread = earlier or Thread(new_id(), case_id, subject, caller.organization.id, now, 0)
            decision = check_case(
                tx,
                caller,
                actor,
                case,
                Permission.DISCUSS,
                action="thread.create",
                resource=f"threads/{thread.id}",
                now=now,
            )
            if not decision.allowed:
                return None, decision
            if tx.threads.get(thread.id) is None:
                tx.threads.add(thread, rid)
            return _view(tx, actor, thread), decision

    view, decision = once_more_on_conflict(attempt)
    raise_if_denied(decision)
    assert view is not None
    return view


def get_thread(store: Store, caller: Caller, thread_id: str) -> ThreadView:
    """One thread with the caller's unread count."""
    require_id(thread_id, "thread_id")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        thread, _, decision = discuss(tx, caller, actor, thread_id, "thread.read", now)
        view = _view(tx, actor, thread) if decision.allowed and thread else None
    raise_if_denied(decision)
    assert view is not None
    return view


def list_threads(
    store: Store, caller: Caller, case_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[ThreadView], str]:
    """A case's threads, oldest first, with the caller's unread counts."""
    require_id(case_id, "case_id")
    size = page_size(requested_size)
    offset = decode_token("threads", page_token) or 0
    if not isinstance(offset, int):
        raise invalid_argument("INVALID_PAGE_TOKEN", "page_token", "malformed page token")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        decision = check_case(
            tx,
            caller,
            actor,
            tx.cases.get(case_id),
            Permission.DISCUSS,
            action="thread.list",
            resource=f"cases/{case_id}/threads",
            now=now,
        )
        found = tx.threads.list_for_case(case_id, offset, size + 1) if decision.allowed else []
        views = [_view(tx, actor, t) for t in found[:size]]
    raise_if_denied(decision)
    return views, encode_token("threads", offset + size) if len(found) > size else ""


def post_message(
    store: Store,
    caller: Caller,
    thread_id: str,
    body: str,
    corrects_seq: int = 0,
    request_id: str = "",
) -> Message:
    """Post a message; a retry with the same request id returns the first, never a duplicate."""
    require_id(thread_id, "thread_id")
    body = validate_body(body)
    if corrects_seq < 0:
        raise invalid_argument("INVALID_SEQUENCE", "corrects_sequence", "must not be negative")
    rid = optional_request_id(request_id)

    def attempt() -> tuple[Message | None, Decision]:
        now = now_utc()
        with store.transaction() as tx:
            actor = actor_of(tx, caller, now)
            thread, _, decision = discuss(tx, caller, actor, thread_id, "message.post", now)
            if not decision.allowed or thread is None:
                return None, decision
            org = caller.organization.id
            earlier = tx.threads.message_by_request(thread_id, org, rid) if rid else None
            if earlier is not None:
                return earlier, decision
            if corrects_seq > thread.last_seq:
                return None, decision  # raised after the audit event commits
            message = Message(
                thread_id=thread_id,
                seq=tx.threads.next_seq(thread_id),
                author_org_id=org,
                author=caller.practitioner,
                author_citizen_id=actor.citizen_id,
                body=body,
                corrects_seq=corrects_seq or None,
                created_at=now,
            )
            tx.threads.add_message(message, rid)
        return message, decision

    message, decision = once_more_on_conflict(attempt)
    raise_if_denied(decision)
    if message is None:
        raise beyond_end("corrects_sequence")
    return message


def list_messages(
    store: Store,
    caller: Caller,
    thread_id: str,
    after_seq: int,
    requested_size: int,
    page_token: str,
) -> tuple[Sequence[Message], str]:
    """Messages after a cursor, in sequence order."""
    require_id(thread_id, "thread_id")
    size = page_size(requested_size)
    cursor = decode_token("messages", page_token)
    if cursor is not None and not isinstance(cursor, int):
        raise invalid_argument("INVALID_PAGE_TOKEN", "page_token", "malformed page token")
    after = cursor if cursor is not None else after_seq
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        thread, _, decision = discuss(tx, caller, actor, thread_id, "message.list", now)
        found: Sequence[Message] = []
        if decision.allowed and thread is not None and after <= thread.last_seq:
            found = tx.threads.messages_after(thread_id, after, size + 1)
    raise_if_denied(decision)
    assert thread is not None
    if after < 0 or after > thread.last_seq:
        raise beyond_end("after_sequence")
    page = found[:size]
    return page, encode_token("messages", page[-1].seq) if len(found) > size else ""


def mark_read(store: Store, caller: Caller, thread_id: str, seq: int) -> ThreadView:
    """Move the caller's read receipt forward to ``seq``."""
    require_id(thread_id, "thread_id")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        thread, _, decision = discuss(tx, caller, actor, thread_id, "thread.mark_read", now)
        in_range = thread is not None and 0 <= seq <= thread.last_seq
        if decision.allowed and thread is not None and in_range:
            tx.threads.mark_read(thread_id, participant_key(actor), seq)
        view = _view(tx, actor, thread) if decision.allowed and thread else None
    raise_if_denied(decision)
    if not in_range:
        raise beyond_end("sequence")
    assert view is not None
    return view
