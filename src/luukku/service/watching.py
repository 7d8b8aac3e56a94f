"""The access side of watching a thread: start, periodic re-checks and the end, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from luukku.domain.access import Decision
from luukku.domain.caller import Caller
from luukku.domain.consents import Permission
from luukku.domain.threads import Message, Thread
from luukku.service.access_control import actor_of, decide_case, raise_if_denied, record
from luukku.service.directory import authenticate
from luukku.service.ids import now_utc, require_id
from luukku.service.threads import beyond_end, discuss
from luukku.store.uow import Store, Tx


@dataclass(frozen=True)
class WatchGrant:
    """Permission to watch, and when it must be checked again at the latest."""

    thread: Thread
    citizen_id: str
    recheck_at: datetime | None


def _recheck_at(tx: Tx, decision: Decision) -> datetime | None:
    # A consent-based right lapses at the consent's expiry without any event.
    if decision.consent_id is None:
        return None
    consent = tx.consents.get(decision.consent_id)
    return consent.valid_until if consent else None


def start_watch(store: Store, caller: Caller, thread_id: str, after_seq: int) -> WatchGrant:
    """Authorise and audit the start of a watch from ``after_seq``."""
    require_id(thread_id, "thread_id")
    now = now_utc()
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        thread, case, decision = discuss(tx, caller, actor, thread_id, "thread.watch", now)
        recheck_at = _recheck_at(tx, decision)
    raise_if_denied(decision)
    assert thread is not None
    assert case is not None
    if after_seq < 0 or after_seq > thread.last_seq:
        raise beyond_end("after_sequence")
    return WatchGrant(thread, case.citizen_id, recheck_at)


def recheck_watch(store: Store, caller: Caller, grant: WatchGrant) -> WatchGrant:
    """Check again that the watcher may still discuss; a denial is audited and raised.

    The caller's certificate and organisation are checked again first, so a
    revocation or suspension ends the stream (UNAUTHENTICATED).
    """
    authenticate(store, caller.fingerprint)
    now = now_utc()
    # Nearly every re-check finds the watch still allowed, and writes nothing.
    with store.read() as tx:
        decision = decide_case(
            tx,
            actor_of(tx, caller, now),
            tx.cases.get(grant.thread.case_id),
            Permission.DISCUSS,
            now,
        )
        if decision.allowed:
            return WatchGrant(grant.thread, grant.citizen_id, _recheck_at(tx, decision))
    # Decided again where the denial can be audited: the state may have moved on.
    with store.transaction() as tx:
        actor = actor_of(tx, caller, now)
        case = tx.cases.get(grant.thread.case_id)
        decision = decide_case(tx, actor, case, Permission.DISCUSS, now)
        if not decision.allowed:
            record(
                tx,
                caller,
                actor,
                decision,
                action="thread.watch.end",
                resource=f"threads/{grant.thread.id}",
                subject=grant.citizen_id,
                now=now,
            )
        recheck_at = _recheck_at(tx, decision)
    raise_if_denied(decision)
    return WatchGrant(grant.thread, grant.citizen_id, recheck_at)


def record_delivery(
    store: Store, caller: Caller, grant: WatchGrant, first_seq: int, last_seq: int
) -> None:
    """Audit messages first..last of a watch that goes on (its start was audited)."""
    _record_watch(store, caller, grant, "thread.watch.delivered", first_seq, last_seq)


def end_watch(
    store: Store, caller: Caller, grant: WatchGrant, first_seq: int, last_seq: int
) -> None:
    """Audit the end of a watch with what it delivered since the last record (0, 0: nothing)."""
    _record_watch(store, caller, grant, "thread.watch.end", first_seq, last_seq)


def _record_watch(
    store: Store, caller: Caller, grant: WatchGrant, action: str, first_seq: int, last_seq: int
) -> None:
    now = now_utc()
    delivered = f"{first_seq}-{last_seq}" if last_seq else "none"
    with store.transaction() as tx:
        record(
            tx,
            caller,
            actor_of(tx, caller, now),
            Decision(True, "DELIVERED"),
            action=action,
            resource=f"threads/{grant.thread.id}/messages/{delivered}",
            subject=grant.citizen_id,
            now=now,
        )


def backlog(store: Store, thread_id: str, after_seq: int, limit: int) -> Sequence[Message]:
    """Messages after ``after_seq`` for a watch already authorised and audited."""
    with store.read() as tx:
        return tx.threads.messages_after(thread_id, after_seq, limit)
