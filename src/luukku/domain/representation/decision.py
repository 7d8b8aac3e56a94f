"""The rule: may representative R do action A on the represented person's case C at time T.

The checks run in a fixed order, and a refusal names the first that fails;
``Refusal`` lists them in that order. When a person holds several rights over
another (an ended mandate and a new one), the decision is allowed if any right
allows it, and otherwise names the refusal of the right that came furthest.

**What the representative is told.** Every refusal is audited with its true
reason. The representative is told it too, except for two, which they are told
only as ``NOT_AVAILABLE`` ("there is nothing here for you"), the same answer
as for a case that does not exist:

- ``NON_DISCLOSURE``: a non-disclosure order exists to keep a person's data
  from others, possibly from a guardian; saying that one exists already
  discloses something about the child.
- ``MINOR_FORBIDS``: a capable minor's refusal (Patient Act 785/1992, 9 §;
  Social Welfare Client Act 812/2000, 11 §) keeps from the guardians what the
  case is about, and a refusal that named it would tell them a case exists.

A care order, by contrast, is a decision the guardians are parties to and are
served, so naming it tells them nothing new; the other reasons are about the
representative's own right, which they are entitled to know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from luukku.domain.cases import ServiceCategory
from luukku.domain.representation.blockers import Blocker, BlockerKind, Capacity
from luukku.domain.representation.rights import (
    Action,
    Kind,
    Right,
    Source,
    allows,
    coming_of_age,
)


class Refusal(StrEnum):
    """Why a representative may not act, in the order the checks run."""

    MISSING = "missing"  # no right between these two people
    NOT_ACCEPTED = "not_accepted"  # a portal mandate the representative has not accepted
    ENDED = "ended"  # ended early by a party, a clerk or the register
    NOT_YET_VALID = "not_yet_valid"
    CAME_OF_AGE = "came_of_age"  # a guardian's right, the child now 18
    EXPIRED = "expired"  # past its end date
    OUT_OF_SCOPE = "out_of_scope"  # no mandate code allows the action on this case
    NON_DISCLOSURE = "non_disclosure"  # the child has a non-disclosure order
    CARE_ORDER = "care_order"  # the child is taken into care
    MINOR_FORBIDS = "minor_forbids"  # a capable minor forbids guardians this case
    # Only ever told, never decided: what an undisclosable refusal looks like.
    NOT_AVAILABLE = "not_available"


UNDISCLOSED = frozenset({Refusal.NON_DISCLOSURE, Refusal.MINOR_FORBIDS})
_ORDER = list(Refusal)


@dataclass(frozen=True)
class Request:
    """What a representative asks to do.

    Attributes:
        representative_id: The citizen id of the one who acts.
        represented_id: The citizen id of the one acted for.
        action: What they want to do.
        case_id: The case, or None for an act not about a case (asking a desk).
        category: The case's service category (None with ``case_id`` None).
        at: When.
    """

    representative_id: str
    represented_id: str
    action: Action
    case_id: str | None
    category: ServiceCategory | None
    at: datetime


@dataclass(frozen=True)
class Decision:
    """The outcome: allowed by ``right_id``, or refused for ``refusal``."""

    refusal: Refusal | None
    right_id: str | None = None

    @property
    def allowed(self) -> bool:
        """Whether the representative may act."""
        return self.refusal is None

    @property
    def disclosable(self) -> bool:
        """Whether the representative may be told the true reason of a refusal."""
        return self.refusal not in UNDISCLOSED

    @property
    def told(self) -> Refusal | None:
        """The reason the representative is told (None when allowed)."""
        if self.refusal is None or self.disclosable:
            return self.refusal
        return Refusal.NOT_AVAILABLE


def decide(
    request: Request,
    right: Right | None,
    blockers: Sequence[Blocker] = (),
    capacity: Capacity | None = None,
) -> Decision:
    """Decide one request against one right.

    Args:
        request: Who wants to do what, on which case, when.
        right: The right to judge it by (None: there is none).
        blockers: Orders recorded on the represented person (any time; only
            those in force at ``request.at`` count).
        capacity: The latest decision-capacity judgement for the case, if any.

    Returns:
        The decision; a refusal names the first check that failed.
    """
    at = request.at
    if right is None or (right.representative_id, right.represented_id) != (
        request.representative_id,
        request.represented_id,
    ):
        return Decision(Refusal.MISSING)
    refused = _refusal(request, right, blockers, capacity, at)
    return Decision(refused, right.id)


def _refusal(
    request: Request,
    right: Right,
    blockers: Sequence[Blocker],
    capacity: Capacity | None,
    at: datetime,
) -> Refusal | None:
    if right.source is Source.PORTAL_MANDATE and (
        right.accepted_at is None or right.accepted_at > at
    ):
        return Refusal.NOT_ACCEPTED
    if right.ended_at is not None and right.ended_at <= at:
        return Refusal.ENDED
    if at < right.valid_from:
        return Refusal.NOT_YET_VALID
    if right.kind is Kind.GUARDIAN_OF_MINOR and right.represented_birth_date is not None:
        of_age = coming_of_age(right.represented_birth_date)
        if at >= of_age and (right.valid_until is None or of_age <= right.valid_until):
            return Refusal.CAME_OF_AGE
    if right.valid_until is not None and at >= right.valid_until:
        return Refusal.EXPIRED
    if not allows(right.codes, request.action, request.category):
        return Refusal.OUT_OF_SCOPE
    if right.kind is not Kind.GUARDIAN_OF_MINOR:
        return None
    in_force = {
        b.kind for b in blockers if b.represented_id == right.represented_id and b.in_force(at)
    }
    if BlockerKind.NON_DISCLOSURE in in_force:
        return Refusal.NON_DISCLOSURE
    if BlockerKind.CARE_ORDER in in_force:
        return Refusal.CARE_ORDER
    if request.case_id is not None and capacity is Capacity.CAPABLE_FORBIDS:
        return Refusal.MINOR_FORBIDS
    return None


def decide_among(
    request: Request,
    rights: Sequence[Right],
    blockers: Sequence[Blocker] = (),
    capacity: Capacity | None = None,
) -> Decision:
    """Decide a request against every right the two people have between them.

    Allowed if any right allows it; otherwise the refusal that came furthest
    (``MISSING`` when there is no right at all).
    """
    best = Decision(Refusal.MISSING)
    for right in rights:
        decision = decide(request, right, blockers, capacity)
        if decision.allowed:
            return decision
        if _progress(decision) > _progress(best):
            best = decision
    return best


def _progress(decision: Decision) -> int:
    # How many checks a refused request passed.
    return _ORDER.index(decision.refusal) if decision.refusal is not None else len(_ORDER)
