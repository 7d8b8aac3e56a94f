"""What bars a right otherwise in force, and a minor's own say over one case.

- A **care order** (huostaanotto) or a **non-disclosure order** (turvakielto)
  on a child bars the guardians' rights while it is in force. They bar only a
  guardian of a minor: an adult's mandate is that adult's own choice, and a
  legal guardian's task is set by the court that knows of such orders.
- A minor's **decision capacity** for a case follows THL's codes: not capable
  (the guardians share the case), capable and allows, capable and forbids.
  Only a child of 12 or more may be judged capable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from luukku.domain.errors import invalid_argument
from luukku.domain.representation.rights import FINNISH_TIME

MIN_CAPABLE_AGE = 12


class BlockerKind(StrEnum):
    """An order that bars guardians from acting for a child."""

    CARE_ORDER = "care_order"
    NON_DISCLOSURE = "non_disclosure"


@dataclass(frozen=True)
class Blocker:
    """An order on the represented person, in force from ``valid_from`` until lifted."""

    id: str
    kind: BlockerKind
    represented_id: str
    valid_from: datetime
    lifted_at: datetime | None = None

    def in_force(self, at: datetime) -> bool:
        """Whether the order bars acting at ``at``."""
        return self.valid_from <= at and (self.lifted_at is None or at < self.lifted_at)


class Capacity(StrEnum):
    """THL's decision-capacity codes for a minor and one case."""

    NOT_CAPABLE_SHARED = "not_capable_shared"  # ei päätöskykyinen: guardians take part
    CAPABLE_ALLOWS = "capable_allows"  # päätöskykyinen, sallii huoltajien osallistumisen
    CAPABLE_FORBIDS = "capable_forbids"  # päätöskykyinen, kieltää tietojen luovutuksen


@dataclass(frozen=True)
class CapacityDecision:
    """A professional's judgement of a minor's capacity for one case; the latest one counts."""

    case_id: str
    child_id: str
    capacity: Capacity
    decided_at: datetime
    decided_by_org_id: str


def age_on(birth_date: date, at: datetime) -> int:
    """Full years of age at ``at`` (Finnish time; born 29 Feb: a year older on 28 Feb)."""
    day = at.astimezone(FINNISH_TIME).date()
    try:
        birthday = birth_date.replace(year=day.year)
    except ValueError:
        birthday = date(day.year, 2, 28)
    return day.year - birth_date.year - (1 if day < birthday else 0)


def validate_capacity(decision: CapacityDecision, child_birth_date: date) -> CapacityDecision:
    """Refuse a "capable" judgement of a child under 12 (``INVALID_ARGUMENT``, ``TOO_YOUNG``)."""
    capable = decision.capacity is not Capacity.NOT_CAPABLE_SHARED
    if capable and age_on(child_birth_date, decision.decided_at) < MIN_CAPABLE_AGE:
        raise invalid_argument(
            "TOO_YOUNG", "capacity", f"a child is judged capable only from {MIN_CAPABLE_AGE} on"
        )
    return decision
