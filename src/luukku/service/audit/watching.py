"""The access side of watching the audit log: the start, re-checks and reading on, audited.

A watch shows what ``ListAuditEvents`` would, oldest first and live. Its start
is audited (``audit.watch``) and so is its end (``audit.watch.end``, with the
range of sequence numbers delivered: see ``watching.end_watch``); unlike a
thread's watch it records nothing while it runs. A record of what it
delivered would itself be an event for the watcher to see, delivered and
recorded in turn, a heartbeat apart, for as long as the stream is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from luukku.audit.filters import AuditFilter
from luukku.domain.access import Actor, Decision, Reason
from luukku.domain.caller import Caller
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import actor_of, guard, rechecked
from luukku.service.audit.reading import named, shown_to, withheld
from luukku.service.directory import authenticate
from luukku.service.paging import require_cursor
from luukku.service.watching import WatchGrant
from luukku.store.audit.log import StoredEvent
from luukku.store.uow import Store

AUDIT_EVENTS = "audit-events"


@dataclass(frozen=True)
class AuditGrant(WatchGrant):
    """Permission to watch the audit events ``viewer`` may list, narrowed by ``wanted``."""

    viewer: Actor
    wanted: AuditFilter


def start_audit_watch(
    store: Store, caller: Caller, wanted: AuditFilter, after_seq: int
) -> AuditGrant:
    """Authorise and audit the start of a watch of the audit log after ``after_seq``."""
    require_cursor(after_seq, "after_sequence")
    with guard(store, caller, action="audit.watch", resource=AUDIT_EVENTS) as access:
        viewer = access.actor
        access.allow(Reason.SELF if viewer.citizen_id else Reason.OWN_ACCESSES)
        return AuditGrant(
            "audit.watch",
            AUDIT_EVENTS,
            access.subject,
            access.lapses_at,
            viewer,
            withheld(access.tx, viewer, wanted.for_viewer(viewer)),
        )


def recheck_audit_watch(store: Store, caller: Caller, grant: AuditGrant) -> AuditGrant:
    """Check the caller's certificate and organisation again; raise the refusal if revoked
    or suspended. One's own audit trail needs no consent: only a right to read another's
    can lapse (ended, expired, barred).
    """
    authenticate(store, caller.fingerprint)
    if caller.acting_for is not None:
        now = now_utc()
        with store.read() as tx:
            actor = actor_of(tx, caller, now)
            rechecked(tx, actor, Decision(True, Reason.SELF), grant.action, None, now)
            # A minor's say over a case may have changed: withhold what it now withholds.
            wanted = withheld(tx, actor, replace(grant.wanted, withheld_cases=()))
        return replace(grant, wanted=wanted)
    return grant


def audit_backlog(
    store: Store, grant: AuditGrant, after_seq: int, limit: int
) -> Sequence[StoredEvent]:
    """Events after ``after_seq`` for a watch already authorised and audited, hidden as in
    a listing.

    Audit numbers commit in order without gaps (appends are serialised), so
    whatever is read after the cursor is final: nothing can appear below it later.
    """
    with store.read_to_pass_on() as tx:
        found = tx.audit.oldest_first(grant.viewer, grant.wanted, after_seq, limit)
        return [shown_to(e, grant.viewer) for e in named(tx, found)]
