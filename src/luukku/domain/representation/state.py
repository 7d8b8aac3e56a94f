"""Where a right stands at a moment, as its parties are shown it.

Unlike the decision, which asks whether one act is allowed, the state names
the one condition a person listing their rights needs to see first: a right
ended or expired stays so whatever else is true of it; one still awaiting
acceptance or its first day is not yet anything; and one in force is either
active or barred by a care order.

A non-disclosure order never shows: the decision tells a guardian it only as
"not available", and a right shown as blocked would tell them that an order
exists. A capable minor's refusal is about one case, not about the right.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from luukku.domain.representation.blockers import Blocker, BlockerKind
from luukku.domain.representation.rights import Kind, Right, Source


class State(StrEnum):
    """A right's state at a moment."""

    ACTIVE = "active"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"  # a portal mandate not accepted yet
    NOT_YET_VALID = "not_yet_valid"
    ENDED = "ended"  # ended early by a party, a clerk or the register
    EXPIRED = "expired"  # past its last day, or the child has come of age
    BLOCKED = "blocked"  # a guardian's right barred by a care order in force


def state_at(right: Right, blockers: Iterable[Blocker], at: datetime) -> State:
    """The state of ``right`` at ``at``, given the orders ever recorded on its represented
    person (only a care order in force counts, and only on a guardian of a minor's right)."""
    if right.ended_at is not None and right.ended_at <= at:
        return State.ENDED
    ends = right.ends
    if ends is not None and at >= ends:
        return State.EXPIRED
    if right.source is Source.PORTAL_MANDATE and (
        right.accepted_at is None or right.accepted_at > at
    ):
        return State.AWAITING_ACCEPTANCE
    if at < right.valid_from:
        return State.NOT_YET_VALID
    if right.kind is Kind.GUARDIAN_OF_MINOR and any(
        b.kind is BlockerKind.CARE_ORDER
        and b.represented_id == right.represented_id
        and b.in_force(at)
        for b in blockers
    ):
        return State.BLOCKED
    return State.ACTIVE
