"""Care orders and non-disclosure orders, recorded and lifted by a clerk of a public body.

A care order is on a child; a non-disclosure order may be on anyone (it bars
only a guardian of a minor's right). Both are told to the streams the rights
over that person allowed (``RepresentationChanged``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.errors import invalid_argument, not_found
from luukku.domain.events import RepresentationChanged
from luukku.domain.representation.blockers import Blocker, BlockerKind
from luukku.service.access.clock import now_utc
from luukku.service.access.guard import guard
from luukku.service.conflicts import once_more_on_conflict
from luukku.service.identity_codes import identity_code
from luukku.service.ids import new_id, optional_request_id, require_id
from luukku.service.representation.parties import (
    birth_date,
    clerk_reason,
    is_adult,
    is_public_clerk,
    public_clerk,
)
from luukku.store.uow import Store

_REPRESENTED = "represented_identity_code"


@dataclass(frozen=True, repr=False)
class Order:
    """An order a clerk records (``repr`` shows no identity code)."""

    kind: BlockerKind | None
    represented_identity_code: str
    reason: str
    valid_from: datetime | None = None
    request_id: str = ""


def record_order(store: Store, caller: Caller, order: Order) -> Blocker:
    """Record an order; a retry with the same request id returns the first."""
    if order.kind is None:
        raise invalid_argument("MISSING_FIELD", "kind", "required")
    kind = order.kind
    code = identity_code(order.represented_identity_code, _REPRESENTED)
    reason = clerk_reason(order.reason)
    rid = optional_request_id(order.request_id)
    now = now_utc()
    valid_from = order.valid_from or now
    if kind is BlockerKind.CARE_ORDER and is_adult(birth_date(code), now):
        raise invalid_argument("NOT_A_MINOR", _REPRESENTED, "a care order is on a child")

    def attempt() -> Blocker:
        resource = "representation_blockers/-"
        with guard(store, caller, action="representation.order.record", resource=resource) as (
            access
        ):
            tx, org = access.tx, caller.organization.id
            if not is_public_clerk(access):
                access.subject = tx.citizens.find(code)
                access.deny(Reason.ORG_KIND_NOT_ALLOWED)
            access.subject = person = tx.citizens.get_or_create(code, access.now)
            earlier = tx.representation.blocker_by_request(org, rid) if rid else None
            if earlier is not None:
                if (earlier.represented_id, earlier.kind) != (person, kind):
                    raise invalid_argument(
                        "REQUEST_ID_REUSED", "request_id", "already used for another order"
                    )
                access.allow(
                    Reason.PUBLIC_AUTHORITY, resource=f"representation_blockers/{earlier.id}"
                )
                return earlier
            blocker = Blocker(new_id(), kind, person, valid_from)
            access.allow(Reason.PUBLIC_AUTHORITY, resource=f"representation_blockers/{blocker.id}")
            tx.representation.add_blocker(blocker, org, reason, access.now, rid)
            access.emit(RepresentationChanged(person))
            return blocker

    return once_more_on_conflict(attempt)


def lift_order(store: Store, caller: Caller, blocker_id: str, reason: str) -> Blocker:
    """Lift an order now; lifting a lifted one returns it unchanged."""
    require_id(blocker_id, "blocker_id")
    why = clerk_reason(reason)
    resource = f"representation_blockers/{blocker_id}"
    with guard(store, caller, action="representation.order.lift", resource=resource) as access:
        blocker = access.tx.representation.blocker(blocker_id)
        access.subject = blocker.represented_id if blocker else None
        public_clerk(access)
        if blocker is None:
            raise not_found("BLOCKER_NOT_FOUND", "no such order")
        access.allow(Reason.PUBLIC_AUTHORITY)
        if blocker.lifted_at is None and access.tx.representation.lift_blocker(
            blocker.id, access.now, why
        ):
            blocker = replace(blocker, lifted_at=access.now)
        access.emit(RepresentationChanged(blocker.represented_id))
        return blocker
