"""The protobuf form of a desk's figures."""

from __future__ import annotations

from luukku.service.desks.figures import DeskStats, Waits, percentile
from luukku.v1 import desks_pb2 as pb


def desk_figures(stats: DeskStats) -> pb.DeskFigures:
    """The protobuf form of one desk's figures."""
    return pb.DeskFigures(
        desk_id=stats.desk_id,
        queued=stats.queued,
        claimed=stats.claimed,
        closed=stats.closed,
        handovers=stats.handovers,
        waits=wait_figures(stats.all),
        members=[
            pb.MemberFigures(organization_id=org, waits=wait_figures(waits))
            for org, waits in sorted(stats.members.items())
        ],
    )


def wait_figures(waits: Waits) -> pb.WaitFigures:
    """Counts and the median and 95th percentile of each wait (unset for none)."""
    return pb.WaitFigures(
        claimed_count=len(waits.to_claim),
        to_claim_p50_seconds=percentile(waits.to_claim, 50),
        to_claim_p95_seconds=percentile(waits.to_claim, 95),
        answered_count=len(waits.to_answer),
        to_answer_p50_seconds=percentile(waits.to_answer, 50),
        to_answer_p95_seconds=percentile(waits.to_answer, 95),
    )
