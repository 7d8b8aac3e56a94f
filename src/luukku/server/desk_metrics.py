"""Prometheus figures of the shared desks, as this broker sees its calls.

Only ids of desks and organisations, never anything of a citizen. The
figures over every replica and the whole history are ``luukku desk stats``.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import Counter, Histogram

CLAIM_WAIT = Histogram(
    "luukku_desk_claim_wait_seconds",
    "Time from asking to a claim, by desk and claiming member",
    ["desk", "member"],
    buckets=(5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600),
)
HANDOVERS = Counter(
    "luukku_desk_handovers_total", "Hand-overs, by the desk the inquiry went to", ["desk"]
)


def claimed(desk_id: str, member: str, asked_at: datetime, now: datetime) -> None:
    """Count a claim's waiting time."""
    CLAIM_WAIT.labels(desk_id, member).observe(max((now - asked_at).total_seconds(), 0.0))


def handed_over(desk_id: str) -> None:
    """Count a hand-over to ``desk_id``."""
    HANDOVERS.labels(desk_id).inc()
