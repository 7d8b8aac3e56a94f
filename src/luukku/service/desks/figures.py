"""How a desk is doing: waiting times to claim and to the first answer, queue, hand-overs.

Read from the inquiries' histories and conversations, so every broker
replica (and ``luukku desk stats``) tells the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from luukku.domain.access import Reason
from luukku.domain.caller import Caller
from luukku.domain.organizations import validate_org_id
from luukku.service.access.guard import guard
from luukku.store.desks.figures import Timing
from luukku.store.uow import Store


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank ``p``-th percentile (0 < p <= 100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Waits:
    """Seconds from asking to the first claim and to the first answer."""

    to_claim: list[float] = field(default_factory=list)
    to_answer: list[float] = field(default_factory=list)


@dataclass
class DeskStats:
    """One desk's figures; ``members`` by the organisation that claimed first."""

    desk_id: str
    queued: int = 0
    claimed: int = 0
    closed: int = 0
    handovers: int = 0
    all: Waits = field(default_factory=Waits)
    members: dict[str, Waits] = field(default_factory=dict)


def desk_stats(store: Store) -> list[DeskStats]:
    """Every desk's figures, in desk id order (an inquiry counts at the desk it is at now)."""
    with store.read() as tx:
        desks = tx.desks.list("", 10_000)
        facts = tx.desk_figures.timings()
    stats = {d.id: DeskStats(d.id) for d in desks}
    for fact in facts:
        _count(stats[fact.desk_id], fact)
    for desk in stats.values():
        desk.members.pop("", None)
    return list(stats.values())


def desk_figures(store: Store, caller: Caller, desk_id: str) -> DeskStats:
    """One desk's figures, for a clerk of one of its members (each member listed, those
    that claimed nothing yet too); anybody else is refused NOT_DESK_MEMBER, whether or
    not the desk exists. Counts and times only, so the audit event names nobody's data."""
    validate_org_id(desk_id, "desk_id")
    resource = f"desks/{desk_id}/figures"
    with guard(store, caller, action="desk.figures.get", resource=resource) as access:
        member = caller.on_behalf_of is None and access.tx.desks.is_member(
            desk_id, caller.organization.id
        )
        if not member:
            access.deny(Reason.NOT_DESK_MEMBER)
        access.allow(Reason.DESK_MEMBER)
        desk = access.tx.desks.get(desk_id)
        facts = access.tx.desk_figures.timings(desk_id)
    stats = DeskStats(desk_id, members={m: Waits() for m in sorted(desk.members if desk else ())})
    for fact in facts:
        _count(stats, fact)
    stats.members = {m: w for m, w in stats.members.items() if m in (desk.members if desk else ())}
    return stats


def _count(desk: DeskStats, fact: Timing) -> None:
    """Add one inquiry to its desk's figures (and its first claimant's, "" for none)."""
    setattr(desk, fact.status, getattr(desk, fact.status) + 1)
    desk.handovers += fact.handovers
    member = desk.members.setdefault(fact.first_claimant or "", Waits())
    if fact.claimed_after is not None:
        desk.all.to_claim.append(fact.claimed_after)
        member.to_claim.append(fact.claimed_after)
    if fact.answered_after is not None:
        desk.all.to_answer.append(fact.answered_after)
        member.to_answer.append(fact.answered_after)


def queue_lengths(store: Store) -> dict[str, int]:
    """How many inquiries wait for a claim at each desk (0 for a desk with none)."""
    with store.read() as tx:
        desks = tx.desks.list("", 10_000)
        waiting = tx.desk_figures.queue_lengths()
    return {d.id: waiting.get(d.id, 0) for d in desks}
