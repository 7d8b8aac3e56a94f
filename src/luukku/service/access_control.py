"""Every access to a citizen's data goes through here: decide, audit, then act.

The audit event is appended inside the caller's transaction. Reads commit it
before any data is returned; writes commit it together with the change. If the
event cannot be written the transaction fails and nothing is returned (fail
closed). A denial is committed too, and raised only after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from luukku.audit.events import event_for
from luukku.domain.access import Actor, Decision, decide
from luukku.domain.caller import Caller
from luukku.domain.cases import Case
from luukku.domain.consents import Consent, Permission
from luukku.domain.errors import ErrorCode, LuukkuError, invalid_argument
from luukku.store.uow import Tx

# A retried create returns what the first call made, but only for the same
# case: the first result may be in a case the caller can no longer reach.
REQUEST_ID_REUSED = "REQUEST_ID_REUSED"
# Denials that are about the state of the resource, not the caller's rights.
_PRECONDITION_REASONS = frozenset({"CASE_CLOSED"})


def actor_of(tx: Tx, caller: Caller, now: datetime) -> Actor:
    """The acting party: the organisation, or the citizen a portal acts for."""
    if caller.on_behalf_of is None:
        return Actor(caller.organization.id)
    return Actor(caller.organization.id, tx.citizens.get_or_create(caller.on_behalf_of, now))


def consents_for(tx: Tx, actor: Actor, case: Case | None) -> Iterable[Consent]:
    """The consents that could matter for ``actor`` on ``case``: fetched only when needed."""
    if case is None or actor.citizen_id is not None or actor.org_id == case.owner_org_id:
        return ()
    return tx.consents.between(actor.org_id, case.citizen_id)


def record(
    tx: Tx,
    caller: Caller,
    actor: Actor,
    decision: Decision,
    *,
    action: str,
    resource: str,
    subject: str | None,
    now: datetime,
) -> Decision:
    """Append the audit event for ``decision`` to the open transaction."""
    tx.audit.append(
        event_for(
            caller,
            acting_for=actor.citizen_id,
            action=action,
            resource=resource,
            subject=subject,
            decision=decision,
            now=now,
        )
    )
    return decision


def record_listing(
    tx: Tx,
    caller: Caller,
    actor: Actor,
    decision: Decision,
    *,
    action: str,
    resource: str,
    citizens: Iterable[str],
    fallback: str | None,
    now: datetime,
) -> None:
    """Audit a listing: one event per citizen whose data the page shows.

    An empty page still leaves one event, about ``fallback`` (the citizen the
    listing was filtered to, if any).
    """
    subjects: list[str | None] = [*sorted(set(citizens))] or [fallback]
    for subject in subjects:
        record(
            tx, caller, actor, decision, action=action, resource=resource, subject=subject, now=now
        )


def decide_case(
    tx: Tx, actor: Actor, case: Case | None, need: Permission, now: datetime
) -> Decision:
    """Decide ``need`` on ``case`` without auditing yet (the caller audits the outcome)."""
    return decide(actor, case, need, consents_for(tx, actor, case), now)


def check_case(
    tx: Tx,
    caller: Caller,
    actor: Actor,
    case: Case | None,
    need: Permission,
    *,
    action: str,
    resource: str,
    now: datetime,
) -> Decision:
    """Decide ``need`` on ``case`` and audit the decision."""
    decision = decide_case(tx, actor, case, need, now)
    return record(
        tx,
        caller,
        actor,
        decision,
        action=action,
        resource=resource,
        subject=case.citizen_id if case else None,
        now=now,
    )


def raise_if_denied(decision: Decision) -> None:
    """Turn a committed denial into the caller's error."""
    if decision.allowed:
        return
    if decision.reason == REQUEST_ID_REUSED:
        raise invalid_argument(
            REQUEST_ID_REUSED,
            "request_id",
            "this organisation already used it for a request about another case",
        )
    if decision.reason in _PRECONDITION_REASONS:
        raise LuukkuError(ErrorCode.FAILED_PRECONDITION, decision.reason, "the case is closed")
    raise LuukkuError(
        ErrorCode.PERMISSION_DENIED,
        decision.reason,
        _DENIAL_MESSAGES.get(decision.reason, "access denied"),
    )


_DENIAL_MESSAGES = {
    "CONSENT_REQUIRED": "no consent of the citizen covers this access",
    "CONSENT_REVOKED": "the citizen has revoked the consent that covered this access",
    "CONSENT_EXPIRED": "the consent that covered this access has expired",
    "CONSENT_NOT_YET_VALID": "the consent that covers this access is not yet valid",
    "PERMISSION_NOT_GRANTED": "the consent does not grant this permission",
    "NOT_CASE_CITIZEN": "the case is not the citizen's own",
    "CITIZEN_ONLY": "only the citizen, through the portal, may do this",
    "OWNER_ONLY": "only the owner organisation may do this",
    "ORG_KIND_NOT_ALLOWED": "this kind of organisation may not do this",
}
