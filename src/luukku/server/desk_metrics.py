"""Prometheus figures of the shared desks, as this broker sees its calls.

Only ids of desks and organisations, never anything of a citizen. The
figures over every replica and the whole history are ``luukku desk stats``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from prometheus_client import Counter, Gauge, Histogram

from luukku.server.blocking import StoreRunner
from luukku.service.desks.figures import queue_lengths
from luukku.store.uow import Store

_log = logging.getLogger("luukku.server")

WAIT_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600)
QUEUE_SECONDS = 5.0
"""How often the queue lengths are read from the database."""

CLAIM_WAIT = Histogram(
    "luukku_desk_claim_wait_seconds",
    "Time from asking to a claim, by desk and claiming member",
    ["desk", "member"],
    buckets=WAIT_BUCKETS,
)
ANSWER_WAIT = Histogram(
    "luukku_desk_answer_wait_seconds",
    "Time from asking to the first answer by a clerk, by desk and answering member",
    ["desk", "member"],
    buckets=WAIT_BUCKETS,
)
QUEUE_LENGTH = Gauge(
    "luukku_desk_queue_length",
    "Inquiries waiting for a claim, by desk (read from the database: every replica's)",
    ["desk"],
    # Every worker of ``serve --workers`` reads the same queue: one figure, not their sum.
    multiprocess_mode="livemax",
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


def answered(desk_id: str, member: str, waited: timedelta) -> None:
    """Count the waiting time to a clerk's first answer."""
    ANSWER_WAIT.labels(desk_id, member).observe(max(waited.total_seconds(), 0.0))


async def keep_queue_lengths(
    store: Store, runner: StoreRunner, seconds: float = QUEUE_SECONDS
) -> None:
    """Run until cancelled: set every desk's queue length from the database."""
    while True:
        try:
            lengths = await runner.run(queue_lengths, store)
        except Exception as exc:  # the database away: the figures wait for its return
            _log.warning("cannot read the desks' queue lengths: %s", type(exc).__name__)
        else:
            for desk_id, waiting in lengths.items():
                QUEUE_LENGTH.labels(desk_id).set(waiting)
        await asyncio.sleep(seconds)
