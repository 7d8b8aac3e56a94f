"""Thread use cases: open, post, list, read receipts and the access checks of watching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from luukku.domain.access import Actor, Reason, decide
from luukku.domain.caller import Caller
from luukku.domain.cases import Case
from luukku.domain.consents import Consent, Permission
from luukku.domain.events import MessagePosted, ReadMarked
from luukku.domain.threads import (
    Message,
    Thread,
    participant_key,
    validate_body,
    validate_subject,
)
from luukku.service.access.guard import Access, guard
from luukku.service.access.refusal_errors import request_id_reused
from luukku.service.case_pages import THREADS, case_page
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.paging import (
    Conversation,
    Listing,
    beyond_end,
    conversation_page,
    require_cursor,
)
from luukku.store.uow import Store, Tx


@dataclass(frozen=True)
class ThreadView:
    """A thread as one participant sees it."""

    thread: Thread
    unread: int
    read_marks: Sequence[ReadMarked] = ()
    """How far each participant has read: given by ``get_thread`` only."""


def discussed(access: Access, thread_id: str) -> tuple[Thread, Case]:
    """The thread and its case, if the actor may discuss the case; else refused.

    A missing thread is refused like an inaccessible one (permission before existence).
    """
    thread = access.tx.threads.get(thread_id)
    if thread is None:
        access.missing(Permission.DISCUSS)
    return thread, access.case(thread.case_id, Permission.DISCUSS)


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

    def attempt() -> ThreadView:
        resource = f"cases/{case_id}/threads"
        with guard(store, caller, action="thread.create", resource=resource) as access:
            access.case(case_id, Permission.DISCUSS)
            tx = access.tx
            earlier = tx.threads.by_request(caller.organization.id, rid) if rid else None
            if earlier is not None and earlier.case_id != case_id:
                raise request_id_reused()
            thread = earlier or Thread(
                new_id(), case_id, subject, caller.organization.id, access.now, 0
            )
            access.resource = f"threads/{thread.id}"
            if earlier is None:
                tx.threads.add(thread, rid)
            return _view(tx, access.actor, thread)

    return once_more_on_conflict(attempt)


def get_thread(store: Store, caller: Caller, thread_id: str) -> ThreadView:
    """One thread with the caller's unread count and how far each participant has read."""
    require_id(thread_id, "thread_id")
    with guard(store, caller, action="thread.read", resource=f"threads/{thread_id}") as access:
        thread, _ = discussed(access, thread_id)
        view = _view(access.tx, access.actor, thread)
        return replace(view, read_marks=tuple(access.tx.threads.read_marks(thread_id)))


def list_threads(
    store: Store, caller: Caller, case_id: str, requested_size: int, page_token: str
) -> tuple[Sequence[ThreadView], str]:
    """A case's threads, oldest first, with the caller's unread counts."""
    opened = case_page(store, caller, THREADS, case_id, requested_size, page_token)
    with opened as (access, case, page):
        found = access.tx.threads.list_for_case(case.id, page.after, page.size + 1)
        views = [_view(access.tx, access.actor, t) for t in found[: page.size]]
    return views, page.token(len(found), page.after + page.size)


# The threads a summary lists at most; its counts cover every thread.
MAX_SUMMARISED = 500


@dataclass(frozen=True)
class UnreadSummary:
    """The caller's unread messages across every thread it may discuss."""

    threads: Sequence[ThreadView]
    """The threads with unread messages, newest message first (at most ``MAX_SUMMARISED``)."""
    thread_count: int
    total: int


def summarize_unread(store: Store, caller: Caller) -> UnreadSummary:
    """The caller's unread threads and counts, in one call.

    The store narrows the query to the cases the caller may discuss; each case is
    then decided by the same rule as ListThreads, so a revoked consent drops its
    threads. One audit event per citizen whose threads are counted.
    """
    with guard(store, caller, action="thread.unread", resource="threads") as access:
        actor, tx = access.actor, access.tx
        found = tx.threads.unread(
            participant_key(actor),
            org_id=None if actor.citizen_id else actor.org_id,
            citizen_id=actor.citizen_id,
            now=access.now,
        )
        held: dict[str, Sequence[Consent]] = {}
        views, citizens = [], set()
        for thread, case, read in found:
            if case.citizen_id not in held:
                held[case.citizen_id] = _consents_held(tx, actor, case.citizen_id)
            allowed = decide(actor, case, Permission.DISCUSS, held[case.citizen_id], access.now)
            if allowed.allowed and access.may_show(case):
                views.append(ThreadView(thread, thread.last_seq - read))
                citizens.add(case.citizen_id)
        access.listing(Reason.SELF if actor.citizen_id else Reason.VISIBLE, citizens)
    return UnreadSummary(
        threads=views[:MAX_SUMMARISED],
        thread_count=len(views),
        total=sum(v.unread for v in views),
    )


def _consents_held(tx: Tx, actor: Actor, citizen_id: str) -> Sequence[Consent]:
    """What ``citizen_id`` gave the acting organisation; a citizen's own access needs none."""
    return () if actor.citizen_id else tx.consents.between(actor.org_id, citizen_id)


def post_message(
    store: Store,
    caller: Caller,
    thread_id: str,
    body: str,
    corrects_seq: int = 0,
    request_id: str = "",
) -> Message:
    """Post a message; a retry with the same request id returns the first, never a duplicate.

    The poster has read their own message: it never counts as unread for them.
    """
    require_id(thread_id, "thread_id")
    body = validate_body(body)
    require_cursor(corrects_seq, "corrects_sequence")
    rid = optional_request_id(request_id)

    def attempt() -> Message:
        resource = f"threads/{thread_id}"
        with guard(store, caller, action="message.post", resource=resource) as access:
            thread, _ = discussed(access, thread_id)
            tx, org = access.tx, caller.organization.id
            earlier = tx.threads.message_by_request(thread_id, org, rid) if rid else None
            if earlier is not None:
                return earlier
            if corrects_seq > thread.last_seq:
                raise beyond_end("corrects_sequence")
            message = Message(
                conversation_id=thread_id,
                seq=tx.threads.next_seq(thread_id),
                author_org_id=org,
                author=caller.practitioner,
                author_citizen_id=access.actor.citizen_id,
                body=body,
                corrects_seq=corrects_seq or None,
                created_at=access.now,
            )
            tx.threads.add_message(message, rid)
            tx.threads.mark_read(
                thread_id, participant_key(access.actor), message.seq, org, access.now
            )
            access.emit(MessagePosted(message))
            return message

    return once_more_on_conflict(attempt)


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
    conversation = Conversation(
        Listing("messages", (thread_id,)),
        action="message.list",
        resource=f"threads/{thread_id}",
        newest_seq=lambda access: discussed(access, thread_id)[0].last_seq,
        messages_after=lambda tx, after, limit: tx.threads.messages_after(thread_id, after, limit),
    )
    return conversation_page(store, caller, conversation, after_seq, requested_size, page_token)


def mark_read(store: Store, caller: Caller, thread_id: str, seq: int) -> ThreadView:
    """Move the caller's read receipt forward to ``seq``; the thread's watchers hear of it.

    A receipt that does not move (never backwards) is news to no one.
    """
    require_id(thread_id, "thread_id")
    require_cursor(seq, "sequence")
    resource = f"threads/{thread_id}"
    with guard(store, caller, action="thread.mark_read", resource=resource) as access:
        thread, _ = discussed(access, thread_id)
        if seq > thread.last_seq:
            raise beyond_end("sequence")
        actor = access.actor
        key = participant_key(actor)
        if access.tx.threads.mark_read(thread_id, key, seq, actor.org_id, access.now):
            access.emit(ReadMarked(thread_id, actor.org_id, actor.citizen_id, seq, access.now))
        return _view(access.tx, actor, thread)
