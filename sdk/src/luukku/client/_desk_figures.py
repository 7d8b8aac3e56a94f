"""A desk's figures as the SDK returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from luukku.v1 import desks_pb2


def _wait(m: desks_pb2.WaitFigures, field: str) -> timedelta | None:
    return timedelta(seconds=getattr(m, field)) if m.HasField(field) else None


@dataclass(frozen=True)
class WaitFigures:
    """Waiting times from asking (nearest-rank percentiles; None when no inquiry of the
    set has got that far)."""

    claimed_count: int
    """Inquiries claimed at least once."""
    to_claim_p50: timedelta | None
    to_claim_p95: timedelta | None
    answered_count: int
    """Inquiries a clerk has answered at least once."""
    to_answer_p50: timedelta | None
    to_answer_p95: timedelta | None

    @classmethod
    def from_pb(cls, m: desks_pb2.WaitFigures) -> WaitFigures:
        return cls(
            m.claimed_count,
            _wait(m, "to_claim_p50_seconds"),
            _wait(m, "to_claim_p95_seconds"),
            m.answered_count,
            _wait(m, "to_answer_p50_seconds"),
            _wait(m, "to_answer_p95_seconds"),
        )


@dataclass(frozen=True)
class MemberFigures:
    """One member organisation's share: the inquiries it claimed first."""

    organization_id: str
    waits: WaitFigures


@dataclass(frozen=True)
class DeskFigures:
    """How a desk is doing, over every inquiry at it now."""

    desk_id: str
    queued: int
    """Inquiries waiting in the queue now: the queue's length."""
    claimed: int
    closed: int
    handovers: int
    waits: WaitFigures
    members: tuple[MemberFigures, ...]
    """Each member organisation in id order, those that claimed nothing yet too."""

    @classmethod
    def from_pb(cls, m: desks_pb2.DeskFigures) -> DeskFigures:
        return cls(
            m.desk_id,
            m.queued,
            m.claimed,
            m.closed,
            m.handovers,
            WaitFigures.from_pb(m.waits),
            tuple(
                MemberFigures(f.organization_id, WaitFigures.from_pb(f.waits)) for f in m.members
            ),
        )
