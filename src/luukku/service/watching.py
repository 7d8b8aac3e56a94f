"""The access side of a watch stream: its start, re-checks, deliveries and end, audited.

``WatchGrant`` and the delivery and end records serve every kind of watch;
the start and re-check of a thread's watch are here too (an audit watch's
are in ``audit_watching``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Reason, decide
from luukku.domain.caller import Caller
from luukku.domain.consents import Permission
from luukku.domain.errors import LuukkuError
from luukku.domain.events import ReadMarked
from luukku.domain.threads import Message, Thread
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import actor_of, consents_for, guard, rechecked
from luukku.service.directory import authenticate
from luukku.service.ids import require_id
from luukku.service.paging import beyond_end, require_cursor
from luukku.service.threads import discussed
from luukku.store.uow import Store, Tx


@dataclass(frozen=True)
class WatchGrant:
    """Permission to watch, whose data it shows, and when it must be checked again at the latest."""

    action: str
    """The start event's action; deliveries and the end are ``{action}.delivered`` and ``.end``."""
    resource: str
    """What deliveries are recorded under: ``{resource}/{first}-{last}`` or ``{resource}/none``."""
    subject: str | None
    recheck_at: datetime | None


@dataclass(frozen=True)
class ThreadGrant(WatchGrant):
    """Permission to watch a thread of the case of citizen ``subject``."""

    subject: str
    thread: Thread


def _thread_grant(thread: Thread, citizen_id: str, recheck_at: datetime | None) -> ThreadGrant:
    return ThreadGrant(
        "thread.watch", f"threads/{thread.id}/messages", citizen_id, recheck_at, thread
    )


def _recheck_at(
    tx: Tx, consent_id: str | None, right_lapses: datetime | None = None
) -> datetime | None:
    # A consent, or a representation right, lapses at its end without any event.
    if consent_id is None:
        return right_lapses
    consent = tx.consents.get(consent_id)
    return earliest(consent.valid_until if consent else None, right_lapses)


def earliest(*moments: datetime | None) -> datetime | None:
    """The earliest of the moments given (None: none is given)."""
    given = [m for m in moments if m is not None]
    return min(given) if given else None


def start_watch(store: Store, caller: Caller, thread_id: str, after_seq: int) -> ThreadGrant:
    """Authorise and audit the start of a watch from ``after_seq``."""
    require_id(thread_id, "thread_id")
    require_cursor(after_seq, "after_sequence")
    with guard(store, caller, action="thread.watch", resource=f"threads/{thread_id}") as access:
        thread, case = discussed(access, thread_id)
        if after_seq > thread.last_seq:
            raise beyond_end("after_sequence")
        recheck_at = _recheck_at(access.tx, access.consent_id, access.lapses_at)
        return _thread_grant(thread, case.citizen_id, recheck_at)


def recheck_watch(store: Store, caller: Caller, grant: ThreadGrant) -> ThreadGrant:
    """Check again that the watcher may still discuss; raise the refusal if not.

    The caller's certificate and organisation are checked again first, so a
    revocation or suspension ends the stream (UNAUTHENTICATED). Nothing is
    written here: the stream's end event records the refusal (see ``end_watch``).
    """
    authenticate(store, caller.fingerprint)
    now = now_utc()
    with store.read() as tx:
        actor = actor_of(tx, caller, now)
        case = tx.cases.get(grant.thread.case_id)
        own = decide(actor, case, Permission.DISCUSS, consents_for(tx, actor, case), now)
        decision, lapses_at = rechecked(tx, actor, own, grant.action, case, now)
        recheck_at = _recheck_at(tx, decision.consent_id, lapses_at)
        return _thread_grant(grant.thread, grant.subject, recheck_at)


def record_delivery(
    store: Store, caller: Caller, grant: WatchGrant, first_seq: int, last_seq: int
) -> None:
    """Audit items first..last of a watch that goes on (its start was audited)."""
    _record_watch(store, caller, grant, "delivered", (first_seq, last_seq), None)


def end_watch(
    store: Store,
    caller: Caller,
    grant: WatchGrant,
    delivered: tuple[int, int],
    ended_by: LuukkuError | None,
) -> None:
    """The one end event of a watch: what it delivered since the last record ((0, 0):
    nothing), allowed, or denied with the refusal that ended it.
    """
    with contextlib.suppress(LuukkuError):  # the refusal, recorded and re-raised by the guard
        _record_watch(store, caller, grant, "end", delivered, ended_by)


def _record_watch(
    store: Store,
    caller: Caller,
    grant: WatchGrant,
    what: str,
    delivered: tuple[int, int],
    ended_by: LuukkuError | None,
) -> None:
    first, last = delivered
    resource = f"{grant.resource}/{f'{first}-{last}' if last else 'none'}"
    with guard(store, caller, action=f"{grant.action}.{what}", resource=resource) as access:
        access.subject = grant.subject
        if ended_by is not None:
            raise ended_by
        access.allow(Reason.DELIVERED)


def backlog(store: Store, thread_id: str, after_seq: int, limit: int) -> Sequence[Message]:
    """Messages after ``after_seq`` for a watch already authorised and audited."""
    with store.read_to_pass_on() as tx:
        return tx.threads.messages_after(thread_id, after_seq, limit)


def read_marks(store: Store, thread_id: str) -> Sequence[ReadMarked]:
    """Each participant's read receipt as it stands, for a watch already authorised."""
    with store.read_to_pass_on() as tx:
        return tx.threads.read_marks(thread_id)
